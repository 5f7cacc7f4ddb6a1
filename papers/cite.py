"""Citing a paper: GB/T 7714-2015 and APA 7 entries, and RIS, BibTeX and CSL-JSON exports.

A passage is cited as its paper at the passage's page (``passage_work``): the printed page
label when the pipeline found it, else the PDF page number; ``… 电子政务, 2022(3): 12.``.

Pure functions over ``CitedWork`` (plain data; ``cited_work`` builds it from a
``Paper`` with its authorships prefetched). The two styles follow the official
CSL styles (citation-style-language/styles), which the tests render with
citeproc-py as an independent oracle; where citeproc-py and the standard part
ways, the standard wins and the test says so:

- GB/T 7714 prints the document type code of a journal article always
  (``[J]``, or ``[J/OL]`` with a DOI). The CSL group that holds it is
  suppressed when the item has no DOI or URL, so citeproc-py drops ``[J]``.
- GB/T 7714 ends a list of more than three authors with ``等`` for Chinese and
  ``et al`` for Western-language works; the CSL style's locale gives ``等`` to both.
- APA moves the title to the author's place when there is no author; citeproc-py
  prints it twice.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace

from kb.lib.textnorm import has_han

_PAGE_RANGE = re.compile(r"\s*[-–—~～]\s*")


@dataclass(frozen=True)
class Person:
    family: str
    given: str = ""

    @property
    def is_han(self) -> bool:
        return has_han(self.family + self.given)


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
    language: str = "zh"  # "zh" or "en" (the work's, not the reader's)

    @property
    def full_title(self) -> str:
        if not self.subtitle:
            return self.title
        return f"{self.title}：{self.subtitle}" if self.is_chinese else f"{self.title}: {self.subtitle}"

    @property
    def is_chinese(self) -> bool:
        return self.language.startswith("zh") or has_han(self.title)


def person(name: str) -> Person:
    """A name as printed in a paper: Chinese names whole, Western ones split (``Family, Given`` or
    ``Given Family``)."""
    name = " ".join(name.split())
    if not name or has_han(name):
        return Person(family=name.replace(" ", ""))
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
        return Person(family=family, given=given)
    *given, family = name.split(" ")
    return Person(family=family, given=" ".join(given))


def cited_work(paper) -> CitedWork:
    """``CitedWork`` of a ``papers.models.Paper`` (authorships with authors prefetched, in order)."""
    authorships = sorted(paper.authorships.all(), key=lambda a: a.order)
    return CitedWork(
        title=paper.title or paper.title_en,
        subtitle=paper.subtitle,
        authors=[person(a.author.name) for a in authorships if a.author.name],
        venue=paper.venue,
        year=paper.year,
        volume=paper.volume,
        issue=paper.issue,
        pages=paper.pages,
        doi=paper.doi or "",
        language="zh" if (paper.language or "zh").startswith("zh") else "en",
    )


def passage_work(work: CitedWork, page: str) -> CitedWork:
    """The work as cited at one page (a passage citation): ``… 2022(3): 12.``; RIS ``SP  - 12``,
    BibTeX ``pages = {12}``. Without a page (text and Markdown sources) the work as it is."""
    return replace(work, pages=page) if page else work


def _pages(pages: str, dash: str) -> str:
    return _PAGE_RANGE.sub(dash, pages.strip())


def _initials(given: str, *, dots: bool) -> str:
    """``Jean-Paul`` / ``J.-P.``: APA ``J.-P.``, GB/T ``J P`` (as the CSL styles render them)."""
    words = [[part for part in word.split("-") if part] for word in given.replace(".", "").split()]
    if dots:
        return " ".join("-".join(f"{part[0].upper()}." for part in word) for word in words if word)
    return " ".join(part[0].upper() for word in words for part in word)


# -- GB/T 7714-2015 (numeric; the entry without its [n]) ---------------------------------------


def _gbt_name(p: Person) -> str:
    if p.is_han or not p.given:
        return p.family if p.is_han else p.family.upper()
    return f"{p.family.upper()} {_initials(p.given, dots=False)}"


def gbt7714(work: CitedWork) -> str:
    """``王佃利, 滕蕾. 题名[J]. 刊名, 2023, 39(3): 18-27.`` (``[J/OL]`` and ``DOI:…`` with a DOI)."""
    parts = []
    if work.authors:
        names = [_gbt_name(p) for p in work.authors[:3]]
        if len(work.authors) > 3:
            names.append("等" if work.is_chinese else "et al")
        parts.append(", ".join(names) + ".")
    code = "[J/OL]" if work.doi else "[J]"
    parts.append(f"{work.full_title}{code if work.venue else ''}.")
    source = ", ".join(x for x in (work.venue, str(work.year) if work.year else "") if x)
    if work.venue and work.year:
        if work.volume:
            source += f", {work.volume}"
        if work.issue:
            source += f"({work.issue})"
        if work.pages:
            source += f": {_pages(work.pages, '-')}"
    if source:
        parts.append(source + ".")
    if work.doi:
        parts.append(f"DOI:{work.doi}.")
    return " ".join(parts)


# -- APA 7 ----------------------------------------------------------------------------------------


def _apa_name(p: Person) -> str:
    if p.is_han or not p.given:
        return p.family
    return f"{p.family}, {_initials(p.given, dots=True)}"


def _apa_names(people: list[Person]) -> str:
    names = [_apa_name(p) for p in people]
    if len(names) > 20:
        names = [*names[:19], "…", names[-1]]
        return ", ".join(names[:-1]) + " " + names[-1]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + ", & " + names[-1]


def apa(work: CitedWork) -> str:
    """``王佃利, & 滕蕾. (2023). 题名. 刊名, 39(3), 18–27. https://doi.org/…``"""
    year = f"({work.year})." if work.year else "(n.d.)."
    title = work.full_title + ("" if work.full_title.endswith(("?", "？", "!", "！")) else ".")
    if work.authors:
        names = _apa_names(work.authors)
        head = [names if names.endswith(".") else names + ".", year, title]
    else:
        head = [title, year]
    source = work.venue
    if source:
        if work.volume:
            source += f", {work.volume}"
        if work.issue:
            source += f"({work.issue})" if work.volume else f", ({work.issue})"
        if work.pages:
            source += f", {_pages(work.pages, '–')}"
        source += "."
    tail = [source] if source else []
    if work.doi:
        tail.append(f"https://doi.org/{work.doi}")
    return " ".join([*head, *tail])


# -- exports ----------------------------------------------------------------------------------------


def csl_json(work: CitedWork, item_id: str) -> dict:
    """A CSL-JSON item (what citeproc processors and Zotero read)."""
    item: dict = {"id": item_id, "type": "article-journal", "title": work.full_title}
    if work.authors:
        item["author"] = [
            {"family": p.family, **({"given": p.given} if p.given else {})} for p in work.authors
        ]
    for key, value in (
        ("container-title", work.venue),
        ("volume", work.volume),
        ("issue", work.issue),
        ("page", _pages(work.pages, "-")),
        ("DOI", work.doi),
    ):
        if value:
            item[key] = value
    if work.year:
        item["issued"] = {"date-parts": [[work.year]]}
    item["language"] = "zh-CN" if work.is_chinese else "en"
    return item


def _flat(value: str) -> str:
    """One line: a line break inside a value would start a new record field."""
    return " ".join(value.split())


def ris(work: CitedWork) -> str:
    """An RIS record (EndNote, Zotero, NoteExpress)."""
    lines = ["TY  - JOUR", f"TI  - {_flat(work.full_title)}"]
    lines += [f"AU  - {_flat(p.family)}{', ' + _flat(p.given) if p.given else ''}" for p in work.authors]
    start, _, end = _pages(work.pages, "-").partition("-")
    for tag, value in (
        ("JO", work.venue),
        ("PY", str(work.year) if work.year else ""),
        ("VL", work.volume),
        ("IS", work.issue),
        ("SP", start),
        ("EP", end),
        ("DO", work.doi),
        ("LA", "zh" if work.is_chinese else "en"),
    ):
        if value:
            lines.append(f"{tag}  - {_flat(value)}")
    lines.append("ER  - ")
    return "\r\n".join(lines) + "\r\n"


_BIB_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}
_BIB_SPECIAL = re.compile("|".join(map(re.escape, _BIB_ESCAPES)))


def _bib(value: str) -> str:
    return _BIB_SPECIAL.sub(lambda m: _BIB_ESCAPES[m.group()], _flat(value))


def bibtex(work: CitedWork, key: str) -> str:
    """A BibTeX ``@article`` (UTF-8; braces keep the title's case)."""
    fields = [("title", "{" + _bib(work.full_title) + "}")]
    if work.authors:
        fields.append(
            (
                "author",
                " and ".join(_bib(f"{p.family}, {p.given}" if p.given else p.family) for p in work.authors),
            )
        )
    for name, value in (
        ("journal", work.venue),
        ("year", str(work.year) if work.year else ""),
        ("volume", work.volume),
        ("number", work.issue),
        ("pages", _pages(work.pages, "--")),
        ("doi", work.doi),
        ("language", "chinese" if work.is_chinese else "english"),
    ):
        if value:
            fields.append((name, _bib(value)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@article{{{key},\n{body}\n}}\n"


# Reference-manager files: format → (content type, file extension).
EXPORTS = {
    "ris": ("application/x-research-info-systems; charset=utf-8", "ris"),
    "bib": ("application/x-bibtex; charset=utf-8", "bib"),
    "json": ("application/vnd.citationstyles.csl+json; charset=utf-8", "json"),
}


def export(fmt: str, works: list[tuple[CitedWork, str]]) -> str:
    """Several works ((work, key) pairs) as one file in ``fmt`` (a key of ``EXPORTS``)."""
    if fmt == "ris":
        return "".join(ris(work) for work, _ in works)
    if fmt == "bib":
        return "\n".join(bibtex(work, key) for work, key in works)
    if fmt == "json":
        return json.dumps([csl_json(work, key) for work, key in works], ensure_ascii=False, indent=2) + "\n"
    raise ValueError(f"unknown format: {fmt}")
