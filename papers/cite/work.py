"""The cited work: plain data a citation style or an export reads, built from a ``Paper``.

``CitedWork`` holds every bibliographic element the styles and the reference-manager files carry
(abstract, keywords, language, ISSN, volume, issue, pages, DOI, URL, dates, place, publisher,
institution). Names are split into family and given names by ``kb.lib.names`` (``王`` / ``佃利``,
as Zotero's CNKI translator stores them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from kb.lib.names import split_name
from kb.lib.textnorm import has_han

_PAGE_RANGE = re.compile(r"\s*[-–—~～]\s*")
_DATE = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?")

# Document kinds (papers.models.DocType values); anything else is cited as "other".
KINDS = (
    "article",
    "thesis",
    "preprint",
    "report",
    "conference",
    "book",
    "chapter",
    "newspaper",
    "webpage",
    "other",
)


@dataclass(frozen=True)
class Person:
    family: str
    given: str = ""

    @property
    def is_han(self) -> bool:
        return has_han(self.family + self.given)

    @property
    def display(self) -> str:
        """The name as printed: ``王佃利``, ``John Smith``."""
        if self.is_han:
            return self.family + self.given
        return f"{self.given} {self.family}".strip()


@dataclass(frozen=True)
class CitedWork:
    title: str
    authors: list[Person] = field(default_factory=list)
    subtitle: str = ""
    venue: str = ""
    year: int | None = None
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    language: str = "zh"  # the work's language code as stored ("zh", "en", "zh-CN" …)
    kind: str = "article"
    abstract: str = ""
    keywords: list[str] = field(default_factory=list)
    issn: str = ""
    url: str = ""
    published: str = ""  # the full date where known: "2022-03-15", "2022-03"
    accessed: str = ""  # when an online source was consulted ("2024-05-01")
    publisher: str = ""
    place: str = ""
    institution: str = ""  # theses: the degree-granting institution; reports: the issuer
    degree: str = ""
    online_only: bool = False

    @property
    def full_title(self) -> str:
        if not self.subtitle:
            return self.title
        if not self.title:
            return self.subtitle
        return f"{self.title}：{self.subtitle}" if self.is_chinese else f"{self.title}: {self.subtitle}"

    @property
    def is_chinese(self) -> bool:
        return self.language.startswith("zh") or has_han(self.title)

    @property
    def date_parts(self) -> list[int]:
        """``[2022, 3, 15]`` from the publication date, else ``[year]``, else ``[]``."""
        match = _DATE.match(self.published.strip())
        if match:
            return [int(x) for x in match.groups() if x]
        return [self.year] if self.year else []

    @property
    def iso_date(self) -> str:
        """``2022-03-15`` (as far as known); ``""`` without a date."""
        parts = self.date_parts
        return "-".join([str(parts[0]), *(f"{x:02d}" for x in parts[1:])]) if parts else ""

    @property
    def is_doctoral(self) -> bool:
        degree = self.degree.lower()
        return "博士" in degree or "doct" in degree or "phd" in degree.replace(".", "")

    @property
    def link(self) -> str:
        """The URL, or the DOI's resolver address."""
        return self.url or (f"https://doi.org/{self.doi}" if self.doi else "")


def person(name: str) -> Person:
    """A name as printed in a paper or a record (``王佃利``, ``TANG Renwu``, ``Smith, John``)."""
    family, given = split_name(name)
    return Person(family=family, given=given)


def _kind(doc_type: str) -> str:
    return doc_type if doc_type in KINDS else "other"


def cited_work(paper) -> CitedWork:
    """``CitedWork`` of a ``papers.models.Paper`` (authorships with authors prefetched, in order)."""
    authorships = sorted(paper.authorships.all(), key=lambda a: a.order)
    language = paper.language or "zh"
    extra = paper.record_extra if isinstance(paper.record_extra, dict) else {}
    return CitedWork(
        title=paper.title or paper.title_en,
        subtitle=paper.subtitle,
        authors=[person(a.author.name) for a in authorships if a.author.name.strip()],
        venue=paper.venue,
        year=paper.year,
        volume=paper.volume,
        issue=paper.issue,
        pages=paper.pages,
        doi=paper.doi or "",
        language=language,
        kind=_kind(paper.doc_type),
        abstract=paper.abstract or paper.abstract_en,
        keywords=[str(k) for k in (paper.keywords or paper.keywords_en or []) if str(k).strip()],
        issn=paper.issn,
        url=paper.url,
        published=paper.published,
        accessed=str(extra.get("accessed", "") or ""),
        publisher=paper.publisher,
        place=paper.place,
        institution=paper.institution,
        degree=paper.degree,
        online_only=paper.online_only,
    )


def passage_work(work: CitedWork, page: str) -> CitedWork:
    """The work as cited at one page (a passage citation): ``… 2022(3): 12.``; RIS ``SP  - 12``,
    BibTeX ``pages = {12}``. Without a page (text and Markdown sources) the work as it is."""
    return replace(work, pages=page) if page else work


def pages(value: str, dash: str) -> str:
    """A page range with ``dash`` between its ends (``18～27`` → ``18-27``)."""
    return _PAGE_RANGE.sub(dash, value.strip())


def flat(value: str) -> str:
    """One line: a line break inside a value would start a new record field."""
    return " ".join(value.split())
