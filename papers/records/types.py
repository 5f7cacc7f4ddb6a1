"""What a parsed bibliographic record file is: ``Record``, ``RecordError`` and ``ParsedRecords``.

Pure dataclasses: no Django models, no database. Every record keeps the line where it
starts in the file and its raw text, so that a preview and an error can point at it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Formats, by the name the detector gives them.
RIS, BIBTEX, CSL_JSON, NOTEEXPRESS, ENDNOTE, REFWORKS, ZOTERO_RDF = (
    "ris",
    "bibtex",
    "csl-json",
    "noteexpress",
    "endnote",
    "refworks",
    "zotero-rdf",
)
FORMAT_LABELS = {
    RIS: "RIS",
    BIBTEX: "BibTeX",
    CSL_JSON: "CSL-JSON",
    NOTEEXPRESS: "NoteExpress",
    ENDNOTE: "EndNote",
    REFWORKS: "RefWorks",
    ZOTERO_RDF: "Zotero RDF",
}

# Fields of a record that are copied onto a paper (same names as ``papers.models.Paper``).
TEXT_FIELDS = (
    "title",
    "title_en",
    "abstract",
    "abstract_en",
    "venue",
    "volume",
    "issue",
    "pages",
    "doi",
    "institution",
    "degree",
    "advisor",
    "language",
    "issn",
    "url",
    "published",
    "publisher",
    "place",
)
PAPER_FIELDS = (*TEXT_FIELDS, "keywords", "keywords_en", "year", "doc_type", "online_only", "record_extra")


@dataclass
class Record:
    """One bibliographic record, normalised (authors as display names: 王佃利, John Smith)."""

    line: int
    raw: str = ""
    format: str = ""
    doc_type: str = "article"
    title: str = ""
    title_en: str = ""
    authors: list[str] = field(default_factory=list)
    abstract: str = ""
    abstract_en: str = ""
    keywords: list[str] = field(default_factory=list)
    keywords_en: list[str] = field(default_factory=list)
    year: int | None = None
    venue: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    institution: str = ""
    degree: str = ""
    advisor: str = ""
    language: str = ""
    issn: str = ""
    url: str = ""
    published: str = ""
    publisher: str = ""
    place: str = ""
    online_only: bool = False
    # Fields with no column of their own: CN code, database, ISBN, notes, the source's type name …
    record_extra: dict = field(default_factory=dict)

    def fields(self) -> dict:
        """The paper fields this record has a value for (empty values left out)."""
        values = {name: getattr(self, name) for name in PAPER_FIELDS}
        return {name: value for name, value in values.items() if value not in ("", None, [], {}, False)}


@dataclass
class RecordError:
    """A record (or a part of the file) that could not be read; ``line`` is 1-based."""

    line: int
    message: str


@dataclass
class ParsedRecords:
    format: str
    records: list[Record] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)
    truncated: bool = False  # more records than the limit: the rest were not read
