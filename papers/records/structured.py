"""BibTeX (read by bibtexparser) and CSL-JSON (read by the standard ``json`` module).

BibTeX is cut into entries at their ``@type{`` lines first, so each entry knows its line
and a broken one is reported on its own; ``@string`` definitions apply to every entry.
CSL-JSON items are decoded one by one from the array, for the same reasons.
"""

from __future__ import annotations

import contextlib
import json
import re
import warnings
from collections.abc import Iterator

import bibtexparser
from bibtexparser.bparser import BibTexParser
from bibtexparser.customization import convert_to_unicode
from django.utils.translation import gettext_lazy as _
from pyparsing.warnings import PyparsingDiagnosticWarning

from papers.records import normalise as n
from papers.records.types import Record

ERROR_BIBTEX = _("BibTeX 条目无法解析。")
ERROR_JSON = _("JSON 无法解析：%(reason)s")
ERROR_JSON_ITEM = _("CSL-JSON 条目应为对象。")

_ENTRY = re.compile(r"^\s*@\s*([A-Za-z]+)\s*[{(]")
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_BRACES = re.compile(r"[{}]")


class BibtexError(ValueError):
    pass


def bibtex_entries(lines: list[str]) -> Iterator[tuple[int, list[str], dict | None]]:
    """(line, lines, fields) per entry; ``fields`` is None when the entry does not parse."""
    chunks: list[tuple[int, str, list[str]]] = []
    for number, line in enumerate(lines, start=1):
        match = _ENTRY.match(line)
        if match:
            chunks.append((number, match.group(1).lower(), [line]))
        elif chunks:
            chunks[-1][2].append(line)
    strings = "\n".join("\n".join(chunk) for _, kind, chunk in chunks if kind == "string")
    with warnings.catch_warnings():
        # pyparsing's grammar diagnostics, shown when Python runs with -W: not about the file.
        warnings.simplefilter("ignore", PyparsingDiagnosticWarning)
        parser = BibTexParser(ignore_nonstandard_types=False, common_strings=True)
    parser.customization = convert_to_unicode
    parser.expect_multiple_parse = True
    if strings:
        # Kept by the parser for every entry after; a broken @string only stays unexpanded.
        with contextlib.suppress(Exception):
            bibtexparser.loads(strings, parser=parser)
    for first, kind, chunk in chunks:
        if kind in ("string", "comment", "preamble"):
            continue
        before = len(parser.bib_database.entries)
        try:
            database = bibtexparser.loads("\n".join(chunk), parser=parser)
        except Exception:  # bibtexparser raises whatever its grammar library raises
            yield first, chunk, None
            continue
        added = database.entries[before:]
        yield first, chunk, added[0] if added else None


def _bib(value) -> str:
    return n.clean(_BRACES.sub("", str(value or "")))


def bibtex_record(entry: dict, record: Record) -> Record:
    kind = entry.get("ENTRYTYPE", "")
    subtype = entry.get("entrysubtype", "") or entry.get("type", "")
    record.doc_type = n.doc_type("newspaper" if _bib(subtype).lower() == "newspaper" else kind)
    record.title = _bib(entry.get("title"))
    record.title_en = _bib(entry.get("titleaddon") or entry.get("title_en") or entry.get("translatedtitle"))
    record.authors = n.people([_bib(name) for name in _AND.split(entry.get("author", "")) if name.strip()])
    if record.doc_type == "thesis":
        record.institution = _bib(entry.get("school") or entry.get("institution"))
        record.degree = {"phdthesis": "博士", "mastersthesis": "硕士"}.get(kind, _bib(entry.get("type")))
        record.advisor = ", ".join(
            n.people(_AND.split(_bib(entry.get("advisor") or entry.get("supervisor"))))
        )
    else:
        record.venue = _bib(entry.get("journal") or entry.get("journaltitle") or entry.get("booktitle"))
        record.publisher = _bib(entry.get("publisher") or entry.get("institution"))
    n.set_date(record, entry.get("date", ""))
    n.set_date(record, entry.get("year", ""))
    record.volume = _bib(entry.get("volume"))
    record.issue = _bib(entry.get("number") or entry.get("issue"))
    record.pages = _bib(entry.get("pages")).replace("--", "-")
    record.keywords = n.keywords(_bib(entry.get("keywords")))
    record.abstract = _bib(entry.get("abstract"))
    record.doi = n.doi(entry.get("doi"))
    record.issn = _bib(entry.get("issn"))
    record.url = _bib(entry.get("url"))
    record.place = _bib(entry.get("address") or entry.get("location"))
    record.language = _bib(entry.get("language") or entry.get("langid"))
    extra = {
        "isbn": entry.get("isbn"),
        "note": entry.get("note"),
        "accessed": entry.get("urldate"),
    }
    record.record_extra = {k: _bib(v) for k, v in extra.items() if v}
    return record


def csl_items(text: str) -> Iterator[tuple[int, str, dict | None, str]]:
    """(line, raw, item or None, error) per item of a CSL-JSON array (or one object). Past an item
    that does not decode, the array cannot be followed: that item is the last one reported."""
    decoder = json.JSONDecoder()
    pos = len(text) - len(text.lstrip())
    single = text[pos : pos + 1] == "{"
    pos += 0 if single else 1
    while True:
        while not single and pos < len(text) and text[pos] in " \t\n,":
            pos += 1
        if pos >= len(text) or text[pos] == "]":
            return
        line = text.count("\n", 0, pos) + 1
        try:
            item, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            yield line, text[pos : pos + 200], None, str(ERROR_JSON % {"reason": exc.msg})
            return
        if isinstance(item, dict):
            yield line, text[pos:end], item, ""
        else:
            yield line, text[pos:end], None, str(ERROR_JSON_ITEM)
        if single:
            return
        pos = end


def _csl_name(name) -> str:
    if not isinstance(name, dict):
        return n.clean(name)
    if name.get("literal"):
        return n.clean(name["literal"])
    return n.join_name(name.get("family", ""), name.get("given", ""))


def _csl_date(value) -> str:
    if not isinstance(value, dict):
        return ""
    parts = (value.get("date-parts") or [[]])[0] or []
    if parts:
        return "-".join(
            f"{int(p):02d}" if i else str(int(p)) for i, p in enumerate(parts[:3]) if str(p).isdigit()
        )
    return str(value.get("raw") or value.get("literal") or "")


def csl_record(item: dict, record: Record) -> Record:
    record.doc_type = n.doc_type(item.get("type"))
    record.title = n.clean(item.get("title"))
    record.authors = list(dict.fromkeys(filter(None, (_csl_name(a) for a in item.get("author") or []))))
    if record.doc_type == "thesis":
        record.institution = n.clean(item.get("publisher"))
        record.degree = n.clean(item.get("genre"))
    else:
        record.venue = n.clean(item.get("container-title"))
        record.publisher = n.clean(item.get("publisher"))
    date = _csl_date(item.get("issued"))
    n.set_date(record, date)
    record.volume = n.clean(item.get("volume"))
    record.issue = n.clean(item.get("issue"))
    record.pages = n.clean(item.get("page")).replace("–", "-")
    keywords = item.get("keyword") or ""
    record.keywords = n.keywords(keywords if isinstance(keywords, list) else [keywords])
    record.abstract = n.clean(item.get("abstract"))
    record.doi = n.doi(item.get("DOI"))
    issn = item.get("ISSN") or ""
    record.issn = n.clean(issn[0] if isinstance(issn, list) and issn else issn)
    record.url = n.clean(item.get("URL"))
    record.place = n.clean(item.get("publisher-place"))
    record.language = n.clean(item.get("language"))
    extra = {
        "isbn": item.get("ISBN"),
        "note": item.get("note"),
        "accessed": _csl_date(item.get("accessed")),
    }
    record.record_extra = {k: n.clean(v) for k, v in extra.items() if v}
    return record
