"""Typed results of the ingestion pipeline (no database, no Django models).

``ParsedPaper.to_json()`` is the contract of ``manage.py ingest --json``:
other tools depend on its keys, so keys may be added but never renamed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields

PASSAGE_SEPARATOR = "\n\n"


def _env_on(name: str) -> bool:
    return os.environ.get(name, "1").strip().lower() not in ("0", "false", "no", "off")


@dataclass
class ReadOptions:
    """How to read a source. The defaults are the product's: layout model and OCR on.

    ``KB_LAYOUT_MODEL=0`` / ``KB_OCR=0`` in the environment turn them off (speed, tests).
    ``progress(stage, done, total)`` is called as pages are read: stage is "pages", "layout"
    or "ocr"; it lets a background job or a progress bar show real progress.
    """

    layout: bool = field(default_factory=lambda: _env_on("KB_LAYOUT_MODEL"))
    ocr: bool = field(default_factory=lambda: _env_on("KB_OCR"))
    max_pages: int = 2000
    progress: Callable[[str, int, int], None] | None = None

    def report(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)


class IngestError(Exception):
    """A file cannot be ingested; the message says why, for the admin to read."""


@dataclass
class SourceInfo:
    filename: str
    sha256: str
    format: str
    size: int = 0


@dataclass
class AuthorInfo:
    name: str
    name_en: str = ""
    affiliation: str = ""


@dataclass
class SectionInfo:
    number: str
    heading: str
    level: int = 1


@dataclass
class PassageInfo:
    # heading, paragraph, abstract, caption, footnote, reference, metadata, and the blocks of the
    # layout model: table, figure, formula (a table or figure block carries its caption)
    kind: str
    text: str
    section: int | None = None  # index into ParsedPaper.sections
    page: int | None = None  # 1-based page of the first line; None for sources without pages
    # Where the passage stands on its page(s): [page, x0, top, x1, bottom] in PDF points from the
    # page's top-left corner, one box per line or merged run of lines; several pages when the
    # passage crosses a page break. Empty for text and Markdown sources.
    boxes: list[list[float]] = field(default_factory=list)
    ocr_conf: float | None = None  # mean OCR confidence of its lines; None for a text layer


@dataclass
class PageInfo:
    """One page of a PDF source: size in points, printed label, how its text was read."""

    number: int  # 1-based
    width: float
    height: float
    label: str = ""  # the page number printed on the page ("93"), when found
    ocr: bool = False  # text came from OCR, not from the PDF's text layer


@dataclass
class RemovedLine:
    """A source line that is in no passage: page furniture, a cover label… kept with the revision."""

    text: str
    reason: str
    page: int | None = None


@dataclass
class FootnoteInfo:
    marker: str
    text: str
    page: int | None = None
    passage: int | None = None  # index of the footnote's own passage


@dataclass
class ReferenceInfo:
    raw: str
    marker: str = ""
    authors: list[str] = field(default_factory=list)
    title: str = ""
    type_code: str = ""
    container: str = ""
    year: int | None = None
    pages: str = ""
    doi: str = ""
    passage: int | None = None


@dataclass
class CitationInfo:
    marker: str
    passage: int  # index of the passage the marker stands in
    start: int = 0  # offsets of the marker inside that passage's text
    end: int = 0
    target: int | None = None  # index into footnotes or references
    target_kind: str | None = None  # "footnote", "reference" or None


@dataclass
class WarningInfo:
    """A warning as data: a stable code and its parameters, for readers in any language."""

    code: str
    params: dict[str, int | str] = field(default_factory=dict)


@dataclass
class ParsedPaper:
    source: SourceInfo
    title: str = ""
    subtitle: str = ""
    title_en: str = ""
    authors: list[AuthorInfo] = field(default_factory=list)
    abstract: str = ""
    abstract_en: str = ""
    keywords: list[str] = field(default_factory=list)
    keywords_en: list[str] = field(default_factory=list)
    doi: str = ""
    venue: str = ""
    year: int | None = None
    volume: str = ""
    issue: str = ""
    pages: str = ""
    # Kind of document: article, thesis, preprint, report…; theses also name institution,
    # degree and advisor (from their cover pages).
    doc_type: str = "article"
    institution: str = ""
    degree: str = ""
    advisor: str = ""
    sections: list[SectionInfo] = field(default_factory=list)
    passages: list[PassageInfo] = field(default_factory=list)
    footnotes: list[FootnoteInfo] = field(default_factory=list)
    citations: list[CitationInfo] = field(default_factory=list)
    references: list[ReferenceInfo] = field(default_factory=list)
    page_info: list[PageInfo] = field(default_factory=list)  # PDF sources only
    removed: list[RemovedLine] = field(default_factory=list)  # every source line in no passage
    warnings: list[str] = field(default_factory=list)  # English sentences, for the command line
    warning_codes: list[WarningInfo] = field(default_factory=list)  # the same warnings as data

    def warn(self, code: str, text: str, **params: int | str) -> None:
        """Record a warning twice: as an English sentence and as a code with parameters."""
        self.warnings.append(text.format(**params))
        self.warning_codes.append(WarningInfo(code=code, params=params))

    @property
    def needs_review(self) -> bool:
        return bool(self.warnings) or not self.title

    def canonical_text(self) -> str:
        """The paper's canonical text: passages joined by a blank line."""
        return PASSAGE_SEPARATOR.join(p.text for p in self.passages)

    def passage_offsets(self) -> list[tuple[int, int]]:
        """(start, end) of each passage in ``canonical_text()``, in code points."""
        offsets, cursor = [], 0
        for passage in self.passages:
            offsets.append((cursor, cursor + len(passage.text)))
            cursor += len(passage.text) + len(PASSAGE_SEPARATOR)
        return offsets

    def to_json(self) -> dict:
        data = asdict(self)
        data["source"] = {key: data["source"][key] for key in ("filename", "sha256", "format")}
        return data

    @classmethod
    def from_json(cls, data: dict, *, size: int = 0) -> ParsedPaper:
        """The paper ``to_json()`` gave (a stored preview), so that it need not be parsed again.

        Keys this version does not know are ignored; ``size`` is the source's byte count,
        which ``to_json()`` leaves out.
        """
        nested: dict[str, type] = {
            "authors": AuthorInfo,
            "sections": SectionInfo,
            "passages": PassageInfo,
            "footnotes": FootnoteInfo,
            "citations": CitationInfo,
            "references": ReferenceInfo,
            "warning_codes": WarningInfo,
            "page_info": PageInfo,
            "removed": RemovedLine,
        }
        known = {f.name for f in fields(cls)}
        values: dict = {key: value for key, value in data.items() if key in known}
        values["source"] = SourceInfo(**{**data["source"], "size": size})
        for key, kind in nested.items():
            kind_fields = {f.name for f in fields(kind)}
            values[key] = [
                kind(**{k: v for k, v in item.items() if k in kind_fields}) for item in data.get(key, [])
            ]
        return cls(**values)
