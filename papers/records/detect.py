"""Reading a record file's bytes and telling its format by content (never by its name).

``decode(data)`` gives the text: a BOM (UTF-8, UTF-16) decides; otherwise UTF-8, then
GB18030 (CNKI's exports on Windows are GBK), then charset-normalizer's best guess. Line
ends become ``\\n`` (Windows and old Mac files).

``detect_format(text)`` looks at the first lines that carry content: ``{Reference Type}:``
(NoteExpress, colon half- or full-width), ``%0`` (EndNote), ``RT`` with RefWorks tags,
``TY  -`` (RIS), ``@type{`` (BibTeX), a JSON array or object of items (CSL-JSON), RDF/XML in
Zotero's vocabulary (Zotero RDF). ``None``
when it is none of them: a paper's text is never taken for a record file.
"""

from __future__ import annotations

import json
import re

from django.utils.translation import gettext_lazy as _

from papers.records import types

ERROR_UNDECODABLE = _("无法识别文件的字符编码（已尝试 UTF-8、GB18030/GBK 等）。")

_HAN = re.compile(r"[\u3400-\u9fff]")
_NOTEEXPRESS = re.compile(r"^\{[^{}\n]{1,40}\}\s*[:：]")
_NOTEEXPRESS_START = re.compile(r"^\{Reference Type\}\s*[:：]", re.IGNORECASE)
_ENDNOTE = re.compile(r"^%[0-9A-Z@+#$!&(*)~^>\]]\s")
_ENDNOTE_START = re.compile(r"^%0\s+\S")
_REFWORKS = re.compile(
    r"^(?:RT|SR|ID|A[1-6]|T[1-3]|JF|JO|YR|FD|VO|IS|SP|OP|K1|AB|DO|SN|PB|PP|UL|LA|CN|DS|AD|NO)\s"
)
_REFWORKS_START = re.compile(r"^RT\s+\S")
RIS_TAG = re.compile(r"^([A-Z][A-Z0-9])\s{0,2}-(?:\s(.*)|)$")
_BIBTEX_START = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]")
_SAMPLE_LINES = 40


def decode(data: bytes | str) -> str:
    """The file's text with ``\\n`` line ends (``ValueError`` when no encoding fits)."""
    if isinstance(data, str):
        text = data.lstrip("\ufeff")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        text = _decode_bytes(data)
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


def _decode_bytes(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # GB18030 decodes many byte soups: keep it when it gives Chinese (or plain ASCII) text.
        if encoding == "utf-8-sig" or _HAN.search(text) or text.isascii():
            return text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ValueError(str(ERROR_UNDECODABLE))
    return str(best)


def _content_lines(text: str) -> list[str]:
    lines = []
    for line in text.split("\n"):
        if line.strip() and not line.lstrip().startswith("%%"):
            lines.append(line.rstrip())
        if len(lines) >= _SAMPLE_LINES:
            break
    return lines


def detect_format(text: str) -> str | None:
    """The record format of ``text`` (``papers.records.types`` names), or ``None``."""
    lines = _content_lines(text)
    if not lines:
        return None
    first = lines[0].lstrip("\ufeff").strip()
    if _NOTEEXPRESS_START.match(first) and sum(bool(_NOTEEXPRESS.match(x.strip())) for x in lines) >= 2:
        return types.NOTEEXPRESS
    if _ENDNOTE_START.match(first) and sum(bool(_ENDNOTE.match(x)) for x in lines) >= 2:
        return types.ENDNOTE
    if _REFWORKS_START.match(first) and sum(bool(_REFWORKS.match(x)) for x in lines) >= 2:
        return types.REFWORKS
    if first.startswith("TY") and RIS_TAG.match(first) and sum(bool(RIS_TAG.match(x)) for x in lines) >= 2:
        return types.RIS
    if _BIBTEX_START.match(first) or (first.startswith("%") and any(_BIBTEX_START.match(x) for x in lines)):
        return types.BIBTEX
    if first[:1] in "[{" and _is_csl_json(text):
        return types.CSL_JSON
    if first.startswith("<"):
        from papers.records.zotero_rdf import looks_like_zotero_rdf

        if looks_like_zotero_rdf(text[:8192]):
            return types.ZOTERO_RDF
    return None


def _is_csl_json(text: str) -> bool:
    try:
        value = json.loads(text)
    except ValueError:
        # A file with one broken item is still CSL-JSON (the parser reports the item).
        head = text[:4000]
        return '"type"' in head and ('"title"' in head or '"author"' in head)
    items = value if isinstance(value, list) else [value]
    return (
        bool(items)
        and all(isinstance(item, dict) for item in items)
        and any("title" in item or "type" in item or "author" in item for item in items)
    )


def looks_like_records(data: bytes | str) -> str | None:
    """The record format of a file's bytes, or ``None`` (also when they do not decode)."""
    try:
        return detect_format(decode(data[:65536] if isinstance(data, bytes) else data[:65536]))
    except (ValueError, UnicodeDecodeError):
        return None
