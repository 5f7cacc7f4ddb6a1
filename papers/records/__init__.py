"""Bibliographic record files in, typed records out: no database, no Django models.

``parse_records(data)`` decodes the bytes (``detect.decode``: BOMs, GBK/GB18030, Windows
line ends), tells the format by content (``detect.detect_format``), reads every record with
the format's maintained parser (rispy, bibtexparser, ``json``, rdflib) and normalises it to a
``Record``. A record that cannot be read, or has no title, becomes a ``RecordError`` with
the line where it starts; the others are read on. At most ``MAX_RECORDS`` are read.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from papers.records import normalise
from papers.records.detect import decode, detect_format, looks_like_records
from papers.records.structured import ERROR_BIBTEX, bibtex_entries, bibtex_record, csl_items, csl_record
from papers.records.tagged import READERS
from papers.records.types import FORMAT_LABELS, ParsedRecords, Record, RecordError
from papers.records.zotero_rdf import zotero_items, zotero_record

__all__ = [
    "FORMAT_LABELS",
    "MAX_RECORDS",
    "ParsedRecords",
    "Record",
    "RecordError",
    "RecordFileError",
    "decode",
    "detect_format",
    "looks_like_records",
    "parse_records",
]

MAX_RECORDS = 5000

ERROR_FORMAT = _(
    "无法识别题录格式：支持 RIS、BibTeX、CSL-JSON，以及知网导出的 NoteExpress、EndNote 和 RefWorks 格式。"
)
ERROR_EMPTY = _("文件中没有题录。")
ERROR_NO_TITLE = _("记录缺少题名。")
ERROR_UNREADABLE = _("记录无法读取：%(reason)s")
ERROR_TOO_MANY = _("一次最多导入 %(max)s 条记录，其余记录未读取。")


class RecordFileError(ValueError):
    """The file as a whole is not a record file (its message says why)."""


def parse_records(data: bytes | str, *, max_records: int = MAX_RECORDS) -> ParsedRecords:
    """Every record of a record file (see the module docstring); ``RecordFileError`` when the
    file cannot be decoded or is in no known format."""
    try:
        text = decode(data)
    except ValueError as exc:
        raise RecordFileError(str(exc)) from None
    fmt = detect_format(text)
    if fmt is None:
        raise RecordFileError(str(ERROR_FORMAT if text.strip() else ERROR_EMPTY))
    result = ParsedRecords(format=fmt)
    for line, raw, fields, error in _entries(fmt, text):
        if len(result.records) >= max_records:
            result.truncated = True
            result.errors.append(RecordError(line=line, message=str(ERROR_TOO_MANY % {"max": max_records})))
            break
        if fields is None:
            result.errors.append(RecordError(line=line, message=error))
            continue
        try:
            record = _convert(fmt, fields, Record(line=line, raw=raw, format=fmt))
        except (TypeError, ValueError, AttributeError, KeyError) as exc:
            message = str(ERROR_UNREADABLE % {"reason": exc.__class__.__name__})
            result.errors.append(RecordError(line=line, message=message))
            continue
        if not record.title:
            result.errors.append(RecordError(line=line, message=str(ERROR_NO_TITLE)))
            continue
        result.records.append(record)
    if not result.records and not result.errors:
        result.errors.append(RecordError(line=1, message=str(ERROR_EMPTY)))
    return result


def _entries(fmt: str, text: str):
    """(line, raw text, fields or None, error) per record of the file."""
    if fmt == "csl-json":
        yield from csl_items(text)
        return
    if fmt == "zotero-rdf":
        yield from zotero_items(text)
        return
    lines = text.split("\n")
    if fmt == "bibtex":
        for line, chunk, entry in bibtex_entries(lines):
            yield line, "\n".join(chunk), entry, str(ERROR_BIBTEX)
        return
    split, _ = READERS[fmt]
    for line, chunk, entry in split(lines):
        yield line, "\n".join(chunk), entry, ""


def _convert(fmt: str, fields: dict, record: Record) -> Record:
    if fmt == "csl-json":
        csl_record(fields, record)
    elif fmt == "zotero-rdf":
        zotero_record(fields, record)
    elif fmt == "bibtex":
        bibtex_record(fields, record)
    else:
        READERS[fmt][1](fields, record)
    return normalise.finish(record)
