"""Reference-manager files: RIS, BibTeX and CSL-JSON, one work or a stream of many.

Every format carries what the paper has: authors as family/given (``王, 佃利``), title, container,
date, volume, issue, pages, DOI, URL, ISSN, language, abstract and keywords, and for theses the
institution and degree. An element the paper lacks is left out, never written empty. Exporting and
reading the file back (rispy, bibtexparser, a CSL processor) gives the same record field by field;
the type maps below are shared with the record import.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator

from papers.cite.work import CitedWork, flat, pages

# Document kind → RIS TY, BibTeX entry type, CSL type.
RIS_TYPES = {
    "article": "JOUR",
    "thesis": "THES",
    "newspaper": "NEWS",
    "webpage": "ELEC",
    "book": "BOOK",
    "chapter": "CHAP",
    "conference": "CPAPER",
    "report": "RPRT",
    "preprint": "UNPB",
    "other": "GEN",
}
BIBTEX_TYPES = {
    "article": "article",
    "newspaper": "article",
    "webpage": "misc",
    "book": "book",
    "chapter": "incollection",
    "conference": "inproceedings",
    "report": "techreport",
    "preprint": "unpublished",
    "other": "misc",
}  # theses: "phdthesis" or "mastersthesis" by degree
CSL_TYPES = {
    "article": "article-journal",
    "thesis": "thesis",
    "newspaper": "article-newspaper",
    "webpage": "webpage",
    "book": "book",
    "chapter": "chapter",
    "conference": "paper-conference",
    "report": "report",
    "preprint": "article",
    "other": "document",
}


def _date_parts_field(iso: str) -> dict | None:
    parts = [int(x) for x in iso.split("-") if x.isdigit()] if iso else []
    return {"date-parts": [parts]} if parts else None


def csl_json(work: CitedWork, item_id: str) -> dict:
    """A CSL-JSON item (what citeproc processors and Zotero read)."""
    item: dict = {"id": item_id, "type": CSL_TYPES.get(work.kind, "document")}
    if work.full_title:
        item["title"] = work.full_title
    if work.authors:
        item["author"] = [
            {"family": p.family, **({"given": p.given} if p.given else {})} for p in work.authors
        ]
    publisher = work.institution if work.kind == "thesis" else work.publisher or work.institution
    for key, value in (
        ("container-title", work.venue),
        ("volume", work.volume),
        ("issue", work.issue),
        ("page", pages(work.pages, "-")),
        ("DOI", work.doi),
        ("URL", work.url),
        ("ISSN", work.issn),
        (
            "publisher",
            publisher if work.kind in ("thesis", "book", "report", "chapter", "conference") else "",
        ),
        ("publisher-place", work.place),
        ("genre", work.degree if work.kind == "thesis" else ""),
        ("abstract", work.abstract),
        ("keyword", ", ".join(work.keywords)),
    ):
        if value:
            item[key] = value
    issued = _date_parts_field(work.iso_date)
    if issued:
        item["issued"] = issued
    accessed = _date_parts_field(work.accessed)
    if accessed:
        item["accessed"] = accessed
    item["language"] = work.language
    return item


def _ris_date(iso: str) -> str:
    """RIS dates are ``YYYY/MM/DD/``."""
    parts = iso.split("-")
    return "/".join(parts + [""] * (3 - len(parts))) + "/"


def ris(work: CitedWork) -> str:
    """An RIS record (EndNote, Zotero, NoteExpress); ``T2`` holds the journal, one ``KW`` per keyword."""
    lines = [f"TY  - {RIS_TYPES.get(work.kind, 'GEN')}"]
    if work.full_title:
        lines.append(f"TI  - {flat(work.full_title)}")
    lines += [f"AU  - {flat(p.family)}{', ' + flat(p.given) if p.given else ''}" for p in work.authors]
    start, _, end = pages(work.pages, "-").partition("-")
    parts = work.date_parts
    publisher = work.institution or work.publisher if work.kind == "thesis" else work.publisher
    for tag, value in (
        ("T2", work.venue),
        ("PY", str(parts[0]) if parts else ""),
        ("DA", _ris_date(work.iso_date) if len(parts) > 1 else ""),
        ("VL", work.volume),
        ("IS", work.issue),
        ("SP", start),
        ("EP", end),
        ("PB", publisher),
        ("CY", work.place),
        ("M3", work.degree if work.kind == "thesis" else ""),
        ("SN", work.issn),
        ("DO", work.doi),
        ("UR", work.url),
        ("Y2", work.accessed),
        ("LA", work.language),
        ("AB", work.abstract),
    ):
        if value:
            lines.append(f"{tag}  - {flat(value)}")
    lines += [f"KW  - {flat(keyword)}" for keyword in work.keywords if flat(keyword)]
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
    return _BIB_SPECIAL.sub(lambda m: _BIB_ESCAPES[m.group()], flat(value))


def bibtex_type(work: CitedWork) -> str:
    if work.kind == "thesis":
        return "phdthesis" if work.is_doctoral else "mastersthesis"
    return BIBTEX_TYPES.get(work.kind, "misc")


def bibtex(work: CitedWork, key: str) -> str:
    """A BibTeX entry (UTF-8; braces keep the title's case): ``author = {王, 佃利 and 滕, 蕾}``,
    theses as ``@phdthesis`` / ``@mastersthesis`` with ``school``."""
    fields = [("title", "{" + _bib(work.full_title) + "}")] if work.full_title else []
    if work.authors:
        names = (f"{p.family}, {p.given}" if p.given else p.family for p in work.authors)
        fields.append(("author", " and ".join(_bib(name) for name in names)))
    container = {"chapter": "booktitle", "conference": "booktitle", "webpage": "howpublished"}.get(
        work.kind, "journal"
    )
    parts = work.date_parts
    for name, value in (
        (container, work.venue if work.kind != "thesis" else ""),
        ("entrysubtype", "newspaper" if work.kind == "newspaper" else ""),  # biblatex, as Zotero writes it
        ("school", work.institution or work.publisher if work.kind == "thesis" else ""),
        ("institution", work.institution if work.kind == "report" else ""),
        ("type", work.degree if work.kind == "thesis" else ""),
        ("publisher", work.publisher if work.kind not in ("thesis", "report") else ""),
        ("address", work.place),
        ("year", str(parts[0]) if parts else ""),
        ("date", work.iso_date if len(parts) > 1 else ""),
        ("volume", work.volume),
        ("number", work.issue),
        ("pages", pages(work.pages, "--")),
        ("doi", work.doi),
        ("url", work.url),
        ("urldate", work.accessed),
        ("issn", work.issn),
        ("language", work.language),
        ("abstract", work.abstract),
        ("keywords", ", ".join(flat(k) for k in work.keywords)),
    ):
        if value:
            fields.append((name, _bib(value)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{bibtex_type(work)}{{{key},\n{body}\n}}\n"


# Reference-manager files: format → (content type, file extension).
EXPORTS = {
    "ris": ("application/x-research-info-systems; charset=utf-8", "ris"),
    "bib": ("application/x-bibtex; charset=utf-8", "bib"),
    "json": ("application/vnd.citationstyles.csl+json; charset=utf-8", "json"),
}


def iter_export(fmt: str, works: Iterable[tuple[CitedWork, str]]) -> Iterator[str]:
    """Several works ((work, key) pairs) as the chunks of one file in ``fmt`` (a key of ``EXPORTS``),
    one work at a time: a streamed response never holds the whole file."""
    if fmt not in EXPORTS:
        raise ValueError(f"unknown format: {fmt}")
    if fmt == "json":
        yield "["
    for n, (work, key) in enumerate(works):
        if fmt == "ris":
            yield ris(work)
        elif fmt == "bib":
            yield ("\n" if n else "") + bibtex(work, key)
        else:
            item = json.dumps(csl_json(work, key), ensure_ascii=False, indent=2)
            yield ("," if n else "") + "\n" + "\n".join("  " + line for line in item.splitlines())
    if fmt == "json":
        yield "\n]\n"


def export(fmt: str, works: Iterable[tuple[CitedWork, str]]) -> str:
    """Several works ((work, key) pairs) as one file in ``fmt`` (a key of ``EXPORTS``)."""
    return "".join(iter_export(fmt, works))


_BIB_UNESCAPES = {escaped: char for char, escaped in _BIB_ESCAPES.items()}
_BIB_ESCAPED = re.compile("|".join(map(re.escape, sorted(_BIB_UNESCAPES, key=len, reverse=True))))


def bibtex_unescape(value: str) -> str:
    """The inverse of the escaping ``bibtex`` applies (for reading our files, or records like them,
    back); outer protective braces are removed: ``{A\\_b \\& c}`` → ``A_b & c``."""
    value = value.strip()
    while value.startswith("{") and value.endswith("}") and _balanced(value[1:-1]):
        value = value[1:-1]
    return _BIB_ESCAPED.sub(lambda m: _BIB_UNESCAPES[m.group()], value)


def _balanced(value: str) -> bool:
    depth = 0
    for i, char in enumerate(value):
        if char in "{}" and i and value[i - 1] == "\\":
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0
