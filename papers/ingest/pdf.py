"""PDF reader: pdfminer.six layout analysis to ``Line`` objects with page and geometry.

Each page's text lines are put in reading order (two-column pages read left
column, then right column, between full-width elements), fragments on one
baseline are merged, and each line learns whether it is indented or ends
short of its column's right edge: the paragraph signals the text readers
have to guess. Unusable PDFs (encrypted, scanned, broken font mapping, not a
PDF at all) raise an ``IngestError`` with a specific message.
"""

from __future__ import annotations

import io
import re
import statistics

from papers.ingest.lines import Line, han_count
from papers.ingest.types import IngestError, ReadOptions

ERR_ENCRYPTED = "{name}: the PDF is encrypted (password protected); remove the protection and upload it again"
ERR_NOT_PDF = "{name}: this is not a readable PDF file ({detail})"
ERR_SCANNED = (
    "{name}: the PDF has no usable text layer (it looks scanned: pages are images); run OCR on it first"
)
ERR_FONT = "{name}: the PDF's fonts have no usable character mapping ({detail}); the text would be garbage"

_CID_RE = re.compile(r"\(cid:\d+\)")
_WORD_RE = re.compile(r"[A-Za-z]{3,}")


def _open(data: bytes, name: str):
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser

    if not data.lstrip()[:1024].count(b"%PDF"):
        raise IngestError(ERR_NOT_PDF.format(name=name, detail="no PDF header"))
    try:
        doc = PDFDocument(PDFParser(io.BytesIO(data)), password="")
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise IngestError(ERR_ENCRYPTED.format(name=name)) from None
    except Exception as exc:  # pdfminer raises many unrelated types on corrupt input
        raise IngestError(ERR_NOT_PDF.format(name=name, detail=type(exc).__name__)) from None
    return doc


def _layout_pages(data: bytes, name: str):
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    doc = _open(data, name)
    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, laparams=LAParams(line_margin=0.4, char_margin=2.0))
    interpreter = PDFPageInterpreter(manager, device)
    try:
        for page in PDFPage.create_pages(doc):
            interpreter.process_page(page)
            yield device.get_result()
    except IngestError:
        raise
    except Exception as exc:
        raise IngestError(ERR_NOT_PDF.format(name=name, detail=type(exc).__name__)) from None


def _text_lines(layout):
    from pdfminer.layout import LTChar, LTTextBox, LTTextLine

    def walk(obj):
        for child in obj:
            if isinstance(child, LTTextLine):
                yield child
            elif isinstance(child, LTTextBox):
                yield from walk(child)

    for item in walk(layout):
        text = item.get_text().strip()
        if not text:
            continue
        sizes = [ch.size for ch in item if isinstance(ch, LTChar)]
        size = statistics.median(sizes) if sizes else item.height
        yield {"text": text, "x0": item.x0, "x1": item.x1, "y0": item.y0, "y1": item.y1, "size": size}


def _merge_baselines(items: list[dict]) -> list[dict]:
    """Fragments of one visual line (split by pdfminer at wide gaps) become one line."""
    items = sorted(items, key=lambda d: (-round(d["y0"]), d["x0"]))
    merged: list[dict] = []
    for item in items:
        for other in reversed(merged[-4:]):
            same_row = abs(other["y0"] - item["y0"]) < 0.35 * max(other["size"], item["size"])
            gap = item["x0"] - other["x1"]
            if same_row and -1 < gap < 1.2 * other["size"]:
                sep = " " if gap > 0.25 * other["size"] else ""
                other["text"] = other["text"] + sep + item["text"]
                other["x1"] = max(other["x1"], item["x1"])
                break
        else:
            merged.append(dict(item))
    return merged


def _reading_order(items: list[dict], width: float, *, columns_seen: bool = False) -> list[dict]:
    """Items in reading order. ``columns_seen``: an earlier page was set in two columns, so a
    page with only a few lines in each column (an article's last page) is two columns too."""
    mid = width / 2
    slack = width * 0.03
    for item in items:
        if item["x1"] <= mid + slack:
            item["col"] = 0
        elif item["x0"] >= mid - slack:
            item["col"] = 1
        else:
            item["col"] = -1
    wide = width * 0.2
    left = sum(1 for d in items if d["col"] == 0 and d["x1"] - d["x0"] > wide)
    right = sum(1 for d in items if d["col"] == 1 and d["x1"] - d["x0"] > wide)
    items.sort(key=lambda d: (-d["y1"], d["x0"]))
    need = 1 if columns_seen else 3
    if left < need or right < need:
        for item in items:
            item["col"] = 0
        return items
    ordered: list[dict] = []
    buffers: dict[int, list[dict]] = {0: [], 1: []}
    for item in items:
        if item["col"] == -1:
            ordered += buffers[0] + buffers[1]
            buffers = {0: [], 1: []}
            ordered.append(item)
        else:
            buffers[item["col"]].append(item)
    return ordered + buffers[0] + buffers[1]


def _column_edges(items: list[dict]) -> dict[int, tuple[float, float]]:
    edges = {}
    for col in {d["col"] for d in items}:
        rows = [d for d in items if d["col"] == col]
        span = max(d["x1"] for d in rows) - min(d["x0"] for d in rows)
        full = [d for d in rows if d["x1"] - d["x0"] > 0.6 * span] or rows
        lefts = sorted(d["x0"] for d in full)
        rights = sorted(d["x1"] for d in full)
        edges[col] = (lefts[len(lefts) // 5], rights[len(rights) * 4 // 5])
    return edges


def _check_text(lines: list[Line], pages: int, name: str) -> None:
    text = "".join(line.text for line in lines)
    visible = [ch for ch in text if not ch.isspace()]
    if len(visible) < max(20, 10 * pages):
        raise IngestError(ERR_SCANNED.format(name=name))
    cids = len(_CID_RE.findall(text))
    if cids * 8 > len(visible) * 0.2:
        raise IngestError(ERR_FONT.format(name=name, detail="glyphs come out as (cid:N) codes"))
    odd = sum(1 for ch in visible if ord(ch) < 32 or 0xE000 <= ord(ch) <= 0xF8FF or ch == "\ufffd")
    if odd > 0.1 * len(visible):
        raise IngestError(ERR_FONT.format(name=name, detail="private-use or unmapped glyphs"))
    if han_count(text) == 0:
        words = _WORD_RE.findall(text)
        vowelled = sum(1 for w in words if re.search(r"[aeiouyAEIOUY]", w))
        latin1 = sum(1 for ch in visible if 0x80 <= ord(ch) <= 0xFF)
        if latin1 > 0.15 * len(visible) or (words and vowelled < 0.6 * len(words)) or not words:
            raise IngestError(ERR_FONT.format(name=name, detail="no Chinese text, only mojibake"))


def pdf_lines(data: bytes, *, name: str, options: ReadOptions | None = None) -> list[Line]:
    lines: list[Line] = []
    pages = 0
    columns_seen = False
    for page_no, layout in enumerate(_layout_pages(data, name), start=1):
        pages = page_no
        width, height = layout.width, layout.height
        items = _reading_order(_merge_baselines(list(_text_lines(layout))), width, columns_seen=columns_seen)
        if not items:
            continue
        columns_seen = columns_seen or any(item["col"] == 1 for item in items)
        edges = _column_edges(items)
        for item in items:
            left, right = edges.get(item["col"], (item["x0"], item["x1"]))
            size = item["size"] or 10.0
            line = Line(
                # an ideographic space is a deliberate gap (between names, after 第一节): keep it
                text=re.sub(r"[^\S\u3000]+", " ", item["text"]),
                index=len(lines),
                page=page_no,
                x0=item["x0"],
                x1=item["x1"],
                top=height - item["y1"],
                size=size,
                indent=item["x0"] - left > 0.9 * size,
                short=right - item["x1"] > 1.5 * size,
                fill=(item["x1"] - item["x0"]) / max(right - left, 1.0),
            )
            if height - item["y1"] < 0.09 * height:
                line.tags.add("top-zone")
            if item["y0"] < 0.09 * height:
                line.tags.add("bottom-zone")
            lines.append(line)
    if pages == 0:
        raise IngestError(ERR_NOT_PDF.format(name=name, detail="it has no pages"))
    _check_text(lines, pages, name)
    return lines
