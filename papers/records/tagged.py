"""Tagged line formats: RIS, EndNote (CNKI's ``%0`` export), RefWorks and NoteExpress.

Each is read by rispy's ``RisParser`` (RIS as it comes; the others as subclasses that
know their tag syntax), one record at a time: the file is first cut into records at
their start tags, so each record knows the line where it starts and a broken one does
not take the others with it. Continuation lines (an abstract over several lines) are
joined by the parser.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rispy.parser import RisParser

from papers.records import normalise as n
from papers.records import types
from papers.records.detect import RIS_TAG
from papers.records.types import Record

_END = "\x00END"


class _Identity(dict):
    """Tags map to themselves: every tag of the file is kept under its own name."""

    def __missing__(self, key):
        return key


class _Tagged(RisParser):
    END_TAG = _END
    LINE: re.Pattern
    LIST: tuple[str, ...] = ()

    def __init__(self):
        super().__init__(mapping=_Identity(), list_tags=list(self.LIST), delimiter_tags_mapping={})

    def parse_line(self, line: str):
        if line == _END:
            return _END, ""
        match = self.LINE.match(line)
        if match:
            return self.tag_of(match.group(1)), (match.group(2) or "").strip()
        return None, line.strip()

    def tag_of(self, tag: str) -> str:
        return tag


class EndNoteParser(_Tagged):
    START_TAG = "%0"
    LINE = re.compile(r"^(%\S)\s?(.*)$")
    LIST = ("%A", "%E", "%Y", "%K", "%+", "%U", "%Z")


class RefWorksParser(_Tagged):
    START_TAG = "RT"
    LINE = re.compile(r"^([A-Z][A-Z0-9])(?:\s+(.*))?$")
    LIST = ("A1", "A2", "A3", "A4", "A5", "K1", "UL", "AD", "NO")


class NoteExpressParser(_Tagged):
    START_TAG = "{Reference Type}"
    LINE = re.compile(r"^\{([^{}]{1,40})\}\s*[:：]\s?(.*)$")
    LIST = ("{Author}", "{Keywords}", "{Secondary Author}", "{Tertiary Author}", "{Url}")

    def tag_of(self, tag: str) -> str:
        # Case and stray punctuation vary between exports ({Subsidiary Author,}).
        return "{" + tag.strip(" ,").title() + "}"


def _chunks(
    lines: list[str], start: re.Pattern, end: re.Pattern | None = None
) -> Iterator[tuple[int, list[str]]]:
    """(first line number, lines) of each record: from a start line to the next start (or end)."""
    current: list[str] = []
    first = 0
    for number, line in enumerate(lines, start=1):
        if start.match(line):
            if current:
                yield first, current
            current, first = [line], number
        elif current:
            if end is not None and end.match(line):
                current.append(line)
                yield first, current
                current = []
            elif line.strip():
                current.append(line)
    if current:
        yield first, current


def _parse(parser: _Tagged | RisParser, lines: list[str], end_line: str) -> dict:
    found = parser.parse_lines(iter([*lines, end_line]))
    return found[0] if found else {}


def _first(value) -> str:
    if isinstance(value, list):
        return n.clean(value[0]) if value else ""
    return n.clean(value)


def _web_url(urls) -> str:
    """The first web address among a record's links (a file path or a DOI alone is not one)."""
    if isinstance(urls, str):  # a tag the parser does not know to repeat holds one string
        urls = [urls]
    return next((u.strip() for u in urls or [] if u.strip().startswith(("http://", "https://"))), "")


def _joined(extra: dict) -> dict[str, str]:
    """The record's extra fields that have a value, a repeated tag's values joined by "; "."""
    return {k: "; ".join(v) if isinstance(v, list) else n.clean(v) for k, v in extra.items() if v}


# -- RIS ------------------------------------------------------------------------------------------

_RIS_START = re.compile(r"^TY\s{0,2}-")
_RIS_END = re.compile(r"^ER\s{0,2}-")


def _ris_line(line: str) -> str:
    """A tag line as rispy reads it (``TY  - ``), whatever the spacing of the exporting tool."""
    match = RIS_TAG.match(line)
    return f"{match.group(1)}  - {match.group(2) or ''}" if match else line


def ris_records(lines: list[str]) -> Iterator[tuple[int, list[str], dict]]:
    parser = RisParser(skip_unknown_tags=False)
    for first, chunk in _chunks(lines, _RIS_START, _RIS_END):
        fixed = [_ris_line(line) for line in chunk]
        if not _RIS_END.match(fixed[-1]):
            fixed.append("ER  - ")
        yield first, chunk, _parse(parser, fixed[:-1], fixed[-1])


def ris_record(entry: dict, record: Record) -> Record:
    record.doc_type = n.doc_type(entry.get("type_of_reference"))
    record.title = _first(entry.get("title") or entry.get("primary_title"))
    record.title_en = _first(entry.get("translated_title"))
    record.authors = n.people([*entry.get("authors", []), *entry.get("first_authors", [])])
    container = entry.get("secondary_title") or entry.get("journal_name") or entry.get("alternate_title3")
    if record.doc_type == "thesis":
        record.institution = _first(entry.get("publisher"))
        record.advisor = ", ".join(
            n.people(entry.get("secondary_authors", []) or entry.get("tertiary_authors", []))
        )
        record.degree = _first(entry.get("type_of_work"))
    else:
        record.venue = _first(container or entry.get("alternate_title1") or entry.get("alternate_title2"))
        record.publisher = _first(entry.get("publisher"))
    record.abstract = _first(entry.get("abstract") or entry.get("notes_abstract"))
    record.keywords = n.keywords(entry.get("keywords", []))
    n.set_date(record, entry.get("date") or "")
    n.set_date(record, entry.get("year") or entry.get("publication_year") or "")
    record.volume = _first(entry.get("volume"))
    record.issue = _first(entry.get("number"))
    record.pages = n.pages(entry.get("start_page", ""), entry.get("end_page", ""))
    record.doi = n.doi(entry.get("doi"))
    record.issn = _first(entry.get("issn"))
    record.url = _web_url(entry.get("urls"))
    record.place = _first(entry.get("place_published"))
    record.language = _first(entry.get("language"))
    # CNKI puts the CN serial number in CN (call number): the same key as its other exports.
    extra = {
        "cn": entry.get("call_number"),
        "database": entry.get("name_of_database"),
        "accessed": entry.get("access_date"),
    }
    record.record_extra = {k: _first(v) for k, v in extra.items() if v}
    return record


# -- EndNote (CNKI) -------------------------------------------------------------------------------

_ENDNOTE_START = re.compile(r"^%0\s")


def endnote_records(lines: list[str]) -> Iterator[tuple[int, list[str], dict]]:
    parser = EndNoteParser()
    for first, chunk in _chunks(lines, _ENDNOTE_START):
        yield first, chunk, _parse(parser, chunk, _END)


def endnote_record(entry: dict, record: Record) -> Record:
    kind = _first(entry.get("%0"))
    record.doc_type = n.doc_type(kind)
    record.title = _first(entry.get("%T"))
    record.authors = n.people(entry.get("%A", []))
    if record.doc_type == "thesis":
        record.institution = _first(entry.get("%I"))
        record.advisor = ", ".join(n.people(entry.get("%Y", []) or entry.get("%E", [])))
        record.degree = _first(entry.get("%9"))
    else:
        record.venue = _first(entry.get("%J") or entry.get("%B"))
        record.publisher = _first(entry.get("%I"))
    n.set_date(record, entry.get("%8", ""))
    n.set_date(record, entry.get("%D", ""))
    record.volume = _first(entry.get("%V"))
    record.issue = _first(entry.get("%N"))
    record.pages = _first(entry.get("%P"))
    record.keywords = n.keywords(entry.get("%K", []))
    record.abstract = _first(entry.get("%X"))
    record.doi = n.doi(entry.get("%R"))
    record.issn = _first(entry.get("%@"))
    record.place = _first(entry.get("%C"))
    record.language = _first(entry.get("%G"))
    record.url = _web_url(entry.get("%U"))
    extra = {"cn": entry.get("%L"), "database": entry.get("%W"), "affiliation": entry.get("%+")}
    record.record_extra = _joined(extra)
    return record


# -- RefWorks -------------------------------------------------------------------------------------

_REFWORKS_START = re.compile(r"^RT\s")


def refworks_records(lines: list[str]) -> Iterator[tuple[int, list[str], dict]]:
    parser = RefWorksParser()
    for first, chunk in _chunks(lines, _REFWORKS_START):
        yield first, chunk, _parse(parser, chunk, _END)


def refworks_record(entry: dict, record: Record) -> Record:
    record.doc_type = n.doc_type(_first(entry.get("RT")))
    record.title = _first(entry.get("T1"))
    record.authors = n.people(entry.get("A1", []))
    if record.doc_type == "thesis":
        record.institution = _first(entry.get("PB"))
        record.advisor = ", ".join(n.people(entry.get("A3", []) or entry.get("A2", [])))
    else:
        record.venue = _first(entry.get("JF") or entry.get("JO") or entry.get("T2"))
        record.publisher = _first(entry.get("PB"))
    n.set_date(record, entry.get("FD", ""))
    n.set_date(record, entry.get("YR", ""))
    record.volume = _first(entry.get("VO"))
    record.issue = _first(entry.get("IS"))
    record.pages = n.pages(entry.get("SP", ""), entry.get("OP", ""))
    record.keywords = n.keywords(entry.get("K1", []))
    record.abstract = _first(entry.get("AB"))
    record.doi = n.doi(entry.get("DO"))
    record.issn = _first(entry.get("SN"))
    record.place = _first(entry.get("PP"))
    record.language = _first(entry.get("LA"))
    record.url = _web_url(entry.get("UL"))
    extra = {"cn": entry.get("CN"), "database": entry.get("DS"), "affiliation": entry.get("AD")}
    record.record_extra = _joined(extra)
    return record


# -- NoteExpress (CNKI) ---------------------------------------------------------------------------

_NOTEEXPRESS_START = re.compile(r"^\{Reference Type\}\s*[:：]", re.IGNORECASE)


def noteexpress_records(lines: list[str]) -> Iterator[tuple[int, list[str], dict]]:
    parser = NoteExpressParser()
    for first, chunk in _chunks(lines, _NOTEEXPRESS_START):
        # The parser finds a record by its start tag, spelled as it knows it.
        start = _NOTEEXPRESS_START.sub(NoteExpressParser.START_TAG + ":", chunk[0], count=1)
        yield first, chunk, _parse(parser, [start, *chunk[1:]], _END)


def noteexpress_record(entry: dict, record: Record) -> Record:
    def get(name: str):
        return entry.get("{" + name + "}", "")

    record.doc_type = n.doc_type(_first(entry.get(NoteExpressParser.START_TAG)))
    record.title = _first(get("Title"))
    record.title_en = _first(get("Translated Title"))
    record.authors = n.people(get("Author") or [])
    if record.doc_type == "thesis":
        record.institution = _first(get("Publisher") or get("Secondary Title"))
        record.advisor = ", ".join(n.people(get("Tertiary Author") or get("Secondary Author") or []))
        record.degree = _first(get("Type Of Work"))
    else:
        record.venue = _first(get("Journal") or get("Secondary Title") or get("Tertiary Title"))
        record.publisher = _first(get("Publisher"))
    n.set_date(record, get("Date"))
    n.set_date(record, get("Year"))
    record.volume = _first(get("Volume"))
    record.issue = _first(get("Issue"))
    record.pages = _first(get("Pages"))
    record.keywords = n.keywords(get("Keywords") or [])
    record.abstract = _first(get("Abstract"))
    record.doi = n.doi(get("Doi"))
    record.issn = _first(get("Isbn/Issn") or get("Issn"))
    record.place = _first(get("Place Published"))
    record.language = _first(get("Language"))
    record.url = _web_url(get("Url"))
    extra = {
        "cn": get("Notes"),
        "database": get("Database Provider") or get("Srcdatabase"),
        "affiliation": get("Author Address"),
        "isbn": get("Isbn"),
        "translated_journal": get("Translated Journal"),
    }
    record.record_extra = {k: _first(v) for k, v in extra.items() if v}
    return record


READERS = {
    types.RIS: (ris_records, ris_record),
    types.ENDNOTE: (endnote_records, endnote_record),
    types.REFWORKS: (refworks_records, refworks_record),
    types.NOTEEXPRESS: (noteexpress_records, noteexpress_record),
}
