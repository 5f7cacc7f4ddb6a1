"""Readers: bytes of a ``.txt``, ``.md`` or ``.pdf`` file in, ``Line`` objects out.

Text is decoded as UTF-8 (with or without BOM), UTF-16 with a BOM, or
GB18030/GBK; anything else is tried with charset-normalizer and rejected when
the result looks like mojibake. Every failure is an ``IngestError`` whose
message says what is wrong with the file, for the admin to read.
"""

from __future__ import annotations

from papers.ingest.lines import Line, han_count
from papers.ingest.types import IngestError, ReadOptions

ERR_EMPTY = "{name}: the file is empty"
ERR_BINARY = "{name}: this is not a text file (it contains binary data)"
ERR_UNDECODABLE = "{name}: the text encoding could not be recognised (tried UTF-8, GB18030/GBK and others)"
ERR_MOJIBAKE = "{name}: the text is garbled (mojibake); it was probably saved with a wrong encoding"
ERR_RECORD_FILE = (
    "{name}: this is a bibliographic record file ({fmt}), not a paper; import it at /records/import/"
)


def decode_text(data: bytes, *, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise IngestError(ERR_BINARY.format(name=name))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-8-sig" or not looks_garbled(text):
            return text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise IngestError(ERR_UNDECODABLE.format(name=name))
    text = str(best)
    if looks_garbled(text):
        raise IngestError(ERR_MOJIBAKE.format(name=name))
    return text


def looks_garbled(text: str) -> bool:
    """Control characters, replacement characters or Latin-1 soup where words should be."""
    sample = text[:200_000]
    visible = [ch for ch in sample if not ch.isspace()]
    if not visible:
        return False
    bad = sum(1 for ch in visible if ch == "\ufffd" or (ord(ch) < 32) or 0xE000 <= ord(ch) <= 0xF8FF)
    latin1 = sum(1 for ch in visible if 0x80 <= ord(ch) <= 0xFF)
    return bad / len(visible) > 0.02 or (latin1 / len(visible) > 0.15 and han_count(sample) == 0)


def text_lines(text: str) -> list[Line]:
    """One ``Line`` per non-blank line; form feeds start a new page."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    has_pages = "\f" in text
    lines: list[Line] = []
    for page_no, page in enumerate(text.split("\f"), start=1):
        for raw in page.split("\n"):
            stripped = raw.strip()
            if not stripped:
                continue
            lines.append(
                Line(
                    text=stripped,
                    index=len(lines),
                    page=page_no if has_pages else None,
                    lead=raw[:1].isspace(),
                )
            )
    return lines


def markdown_lines(text: str) -> list[Line]:
    """Markdown: front matter, markup, shortcodes, links and tables (``papers.ingest.markdown``)."""
    from papers.ingest.markdown import markdown_lines as read_markdown

    return read_markdown(text, split=text_lines)


def read(data: bytes, *, fmt: str, name: str, options: ReadOptions | None = None) -> list[Line]:
    lines: list[Line]
    if fmt == "pdf":
        from papers.ingest.pdf import pdf_lines

        lines = pdf_lines(data, name=name, options=options or ReadOptions())
    else:
        text = decode_text(data, name=name)
        from papers.records import FORMAT_LABELS, detect_format

        record_format = detect_format(text)
        if record_format:  # CNKI's EndNote export is a .txt: records, never a paper's text
            raise IngestError(ERR_RECORD_FILE.format(name=name, fmt=FORMAT_LABELS[record_format]))
        lines = markdown_lines(text) if fmt == "md" else text_lines(text)
    if not lines:
        raise IngestError(ERR_EMPTY.format(name=name))
    return lines
