"""OCR for scanned pages: which pages need it, and their text as ``Line`` objects.

The PDF reader (``papers.ingest.pdf``) asks ``page_needs_ocr`` about each page's
text-layer lines. A page needs OCR when it has no usable text layer: (almost) no
characters (an image-only scan), glyphs without a character mapping, or a
scrambled OCR layer under a scan (Han characters separated by spaces, columns
run together with gaps inside lines, punctuation or single characters alone on
lines). ``ocr_page`` renders such a page with pypdfium2 and reads it with
RapidOCR (PP-OCRv4 detection and recognition, shipped inside the
``rapidocr_onnxruntime`` wheel: nothing is downloaded), giving lines in reading
order (two columns: left, then right, between full-width lines) with the same
geometry the reader gives text lines, plus the recognition confidence.

Cost: one engine per process, created on first use, single-threaded; a page is
rendered at most ``MAX_SIDE`` pixels on its long side (memory stays bounded) and
takes seconds to tens of seconds on one core (see ``bench/``). A blank page is
recognised from its pixels and skips the models.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from papers.ingest.lines import HAN_CLASS, Line, han_count

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pypdfium2

# Render size: ~2.4x for A4 (a CJK body character is then ~25 px high, what the recogniser
# is trained on); never more than 3x, never more than MAX_SIDE px on the long side or
# MAX_PIXELS in all (about 10 MB for a greyscale page image and the detector's input).
MAX_SCALE = 3.0
MAX_SIDE = 2000
MAX_PIXELS = 3_200_000
# A rendered page with fewer dark pixels than this share is blank: no OCR.
BLANK_INK = 0.0005
# Recognised lines below this confidence are dropped (RapidOCR's own default).
MIN_SCORE = 0.5

_HAN = f"[{HAN_CLASS}]"
# A space character between two Han characters: the reader never adds one there (a wide gap
# becomes an ideographic space), so it was in the text layer, as OCR layers put it.
_SPACED_HAN = re.compile(f"{_HAN} +(?={_HAN})")
_LEADERS = re.compile(r"(?:\.{4,}|…{2,}|·{4,}|-{4,})")
# Chinese sentence punctuation never stands alone on a line of real text (rules, bullets,
# leaders, brackets set in another font and the ASCII punctuation of a formula can).
_LONE_PUNCT = set("，。、；：？！")


def _odd(ch: str) -> bool:
    code = ord(ch)
    return code < 32 or 0xE000 <= code <= 0xF8FF or ch == "\ufffd"


def ocr_reason(lines: list[Line], *, width: float, height: float) -> str | None:
    """Why a page's text layer is unusable (a short code), or None when it is usable.

    Codes: ``no-text`` (almost no characters), ``odd-glyphs`` (control, private-use or
    replacement characters: fonts without a character mapping), ``spaced`` (Han characters
    separated by spaces), ``gapped-lines`` (most lines have a gap between Han characters:
    columns run together), ``single-chars`` (many lines of one character),
    ``lone-punctuation`` (punctuation alone on lines), ``odd-sizes`` (many such lines and lines a
    third of the page's usual size: an OCR layer's stray marks). Measured on the lines as the reader
    gives them, so it holds for any reader that keeps a line's characters in order.
    """
    texts = [line.text.strip() for line in lines if line.text.strip()]
    visible = [ch for text in texts for ch in text if not ch.isspace()]
    if len(visible) < 16:
        return "no-text"
    if sum(1 for ch in visible if _odd(ch)) > 0.3 * len(visible):
        return "odd-glyphs"
    joined = "\n".join(texts)
    han = han_count(joined)
    if han >= 20 and len(_SPACED_HAN.findall(joined)) > 0.35 * han:
        return "spaced"
    long_lines = [t for t in texts if han_count(t) >= 16 and not _LEADERS.search(t)]
    if len(long_lines) >= 6 and sum(1 for t in long_lines if _SPACED_HAN.search(t)) > 0.5 * len(long_lines):
        return "gapped-lines"
    single = [t for t in texts if len(t.replace(" ", "")) == 1 and (han_count(t) or t in _LONE_PUNCT)]
    if len(single) >= 10 and len(single) > 0.2 * max(han, 1):
        return "single-chars"
    shown = [line for line in lines if line.text.strip()]
    lone = [line for line in shown if all(ch in _LONE_PUNCT or ch.isspace() for ch in line.text)]
    if len(lone) >= 3 and len(lone) >= 0.05 * len(shown):
        return "lone-punctuation"
    sizes = sorted(line.size for line in shown if line.size)
    if sizes:
        # glyph boxes a third of the page's usual size: an OCR layer's stray marks and fragments
        median = sizes[len(sizes) // 2]
        lone_ids = {id(line) for line in lone}
        stray = [line for line in shown if id(line) in lone_ids or (line.size and line.size < 0.35 * median)]
        if len(stray) >= 8 and len(stray) >= 0.05 * len(shown):
            return "odd-sizes"
    return None


def page_needs_ocr(lines: list[Line], *, width: float, height: float) -> bool:
    """True when a page has no usable text layer and should be read by OCR (see ``ocr_reason``)."""
    return ocr_reason(lines, width=width, height=height) is not None


# -- the engine ------------------------------------------------------------------------------------

_engine: Any = None
_engine_lock = threading.Lock()


def engine() -> Any:
    """The process's RapidOCR engine, created on first use: one thread per model, no angle model."""
    global _engine
    with _engine_lock:
        if _engine is None:
            from rapidocr_onnxruntime import RapidOCR

            _engine = RapidOCR(
                intra_op_num_threads=1,
                inter_op_num_threads=1,
                max_side_len=MAX_SIDE,
                # detect on the page as rendered: the default ("min" side at least 736 px) would
                # blow a wide, short page up several times over
                det_limit_type="max",
                det_limit_side_len=MAX_SIDE,
                text_score=MIN_SCORE,
                use_cls=False,  # pages are rendered upright: the 180° classifier only costs time
            )
        return _engine


def render_scale(width: float, height: float) -> float:
    """Scale (pixels per point) to render a page of this size at, within the pixel bounds."""
    long_side = max(width, height, 1.0)
    return min(MAX_SCALE, MAX_SIDE / long_side, math.sqrt(MAX_PIXELS / max(width * height, 1.0)))


def _render(page: pypdfium2.PdfPage, scale: float) -> np.ndarray:
    return page.render(scale=scale, grayscale=True, draw_annots=False).to_numpy()


def _is_blank(image: np.ndarray) -> bool:
    return float((image < 128).mean()) < BLANK_INK


# -- results to lines --------------------------------------------------------------------------


def _items(results: Iterable, sx: float, sy: float) -> list[dict]:
    items = []
    for box, text, score in results:
        text = re.sub(r"[^\S\u3000]+", " ", str(text)).strip()
        if not text:
            continue
        xs = [float(p[0]) / sx for p in box]
        ys = [float(p[1]) / sy for p in box]
        top, bottom = min(ys), max(ys)
        items.append(
            {
                "text": text,
                "x0": min(xs),
                "x1": max(xs),
                "top": top,
                "bottom": bottom,
                "size": max(bottom - top, 1.0),
                "conf": float(score),
                "n": len(text),
            }
        )
    return items


def _merge_rows(items: list[dict], *, gutter: tuple[float, float] | None = None) -> list[dict]:
    """Boxes of one visual line (the detector splits a line at wide gaps) become one line.

    ``gutter``: the page is set in two columns and no line crosses this band, so two boxes on
    either side of it stay apart however close (a detector's boxes reach into the gutter)."""
    items = sorted(items, key=lambda d: (d["top"], d["x0"]))
    merged: list[dict] = []
    for item in items:
        for other in reversed(merged[-6:]):
            overlap = min(other["bottom"], item["bottom"]) - max(other["top"], item["top"])
            size = max(other["size"], item["size"])
            gap = item["x0"] - other["x1"]
            if gutter is not None and other["x1"] <= gutter[1] and item["x0"] >= gutter[0]:
                continue
            if overlap > 0.5 * min(other["size"], item["size"]) and -0.5 * size < gap < 1.2 * size:
                sep = " " if gap > 0.3 * size and not (_cjk_edge(other["text"][-1], item["text"][0])) else ""
                n = other["n"] + item["n"]
                other["conf"] = (other["conf"] * other["n"] + item["conf"] * item["n"]) / n
                other["n"] = n
                other["text"] = other["text"] + sep + item["text"]
                other["x1"] = max(other["x1"], item["x1"])
                other["top"] = min(other["top"], item["top"])
                other["bottom"] = max(other["bottom"], item["bottom"])
                other["size"] = max(other["size"], item["size"])
                break
        else:
            merged.append(dict(item))
    return merged


def _cjk_edge(a: str, b: str) -> bool:
    return bool(re.match(_HAN, a) or re.match(_HAN, b))


def _columns(items: list[dict], width: float) -> bool:
    """Mark each item's ``col`` (0 left, 1 right, -1 across the middle); True when the page is
    set in two columns: at least three wide lines in each half."""
    mid, slack, wide = width / 2, width * 0.03, width * 0.2
    for item in items:
        if item["x1"] <= mid + slack:
            item["col"] = 0
        elif item["x0"] >= mid - slack:
            item["col"] = 1
        else:
            item["col"] = -1
    left = sum(1 for d in items if d["col"] == 0 and d["x1"] - d["x0"] > wide)
    right = sum(1 for d in items if d["col"] == 1 and d["x1"] - d["x0"] > wide)
    return left >= 3 and right >= 3


def reading_order(items: list[dict], width: float) -> list[dict]:
    """Items (``x0``, ``x1``, ``top``) in reading order; each gets ``col`` (0, 1, or -1 for a
    line across both columns). A page with at least three wide lines in each half is read
    as two columns: the left column, then the right one, between full-width lines."""
    two = _columns(items, width)
    items = _by_rows(items)
    if not two:
        for item in items:
            item["col"] = 0
        return items
    ordered: list[dict] = []
    buffers: dict[int, list[dict]] = {0: [], 1: []}
    for item in items:
        if item["col"] == -1:
            ordered += buffers[0] + buffers[1] + [item]
            buffers = {0: [], 1: []}
        else:
            buffers[item["col"]].append(item)
    return ordered + buffers[0] + buffers[1]


def _by_rows(items: list[dict]) -> list[dict]:
    """Top to bottom, and left to right within a row: boxes whose tops differ by less than
    half a line are on one row (a footer's page number beside its running title)."""
    rows: list[list[dict]] = []
    for item in sorted(items, key=lambda d: d["top"]):
        row = rows[-1] if rows else None
        if row is not None and item["top"] - row[0]["top"] < 0.5 * min(row[0]["size"], item["size"]):
            row.append(item)
        else:
            rows.append([item])
    return [item for row in rows for item in sorted(row, key=lambda d: d["x0"])]


def _column_edges(items: list[dict]) -> dict[int, tuple[float, float]]:
    """Each column's left and right text edge (robust to short and indented lines)."""
    edges = {}
    for col in {d["col"] for d in items}:
        rows = [d for d in items if d["col"] == col]
        span = max(d["x1"] for d in rows) - min(d["x0"] for d in rows)
        full = [d for d in rows if d["x1"] - d["x0"] > 0.6 * span] or rows
        lefts = sorted(d["x0"] for d in full)
        rights = sorted(d["x1"] for d in full)
        edges[col] = (lefts[len(lefts) // 5], rights[len(rights) * 4 // 5])
    return edges


def lines_from_results(
    results: Iterable, *, page_no: int, width: float, height: float, sx: float, sy: float
) -> list[Line]:
    """RapidOCR results (pixel quadrilateral, text, score) to ``Line`` objects in reading order,
    in points from the page's top-left corner. Pure: the tests feed it boxes directly."""
    items = _items(results, sx, sy)
    mid, slack = width / 2, width * 0.03
    gutter = (mid - slack, mid + slack) if _columns(items, width) else None
    items = reading_order(_merge_rows(items, gutter=gutter), width)
    if not items:
        return []
    edges = _column_edges(items)
    lines: list[Line] = []
    for item in items:
        left, right = edges.get(item["col"], (item["x0"], item["x1"]))
        size = item["size"]
        line = Line(
            text=item["text"],
            index=len(lines),
            page=page_no,
            x0=item["x0"],
            x1=item["x1"],
            top=item["top"],
            bottom=item["bottom"],
            size=size,
            indent=item["x0"] - left > 0.9 * size,
            short=right - item["x1"] > 1.5 * size,
            fill=(item["x1"] - item["x0"]) / max(right - left, 1.0),
            conf=round(item["conf"], 4),
        )
        line.tags.add("ocr")
        if item["top"] < 0.09 * height:
            line.tags.add("top-zone")
        if item["bottom"] > 0.91 * height:
            line.tags.add("bottom-zone")
        lines.append(line)
    return lines


def ocr_page(page: pypdfium2.PdfPage, *, page_no: int, width: float, height: float) -> list[Line]:
    """The page's text by OCR, as lines in reading order (``index`` counts from 0 on the page:
    the caller numbers lines across pages). An empty list when nothing was recognised."""
    image = _render(page, render_scale(width, height))
    if image.ndim == 3:
        image = image[:, :, 0]
    if _is_blank(image):
        return []
    result, _elapsed = engine()(image)
    if not result:
        return []
    sy, sx = image.shape[0] / height, image.shape[1] / width
    return lines_from_results(result, page_no=page_no, width=width, height=height, sx=sx, sy=sy)


def mean_conf(lines: Iterable[Line]) -> float | None:
    """Mean OCR confidence of the lines that have one (None when none came from OCR)."""
    confs = [line.conf for line in lines if line.conf is not None]
    return round(sum(confs) / len(confs), 4) if confs else None
