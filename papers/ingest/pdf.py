"""PDF reader: pypdfium2's text layer to ``Line`` objects with page and geometry.

Every character of a page's text layer (text inside form XObjects included) is read with its
box and baseline; ``pagelines`` turns them into lines in reading order. Per page, the layout
model labels the lines and pages without a usable text layer go to OCR, each when its option
is on; a first pass reads every page's text layer, so that when most layers are scrambled (a
scan's poor OCR layer) the few that pass the checks are read by OCR too. ``pdf_lines`` returns a ``PdfLines`` list that also carries each page's size and printed
page label (``.pages``). Unusable PDFs (encrypted, scanned with OCR off, broken font mapping,
over the page limit, not a PDF at all) raise an ``IngestError`` with a specific message.
"""

from __future__ import annotations

import ctypes
import math
import re
from collections import Counter

from papers.ingest.lines import Line, han_count
from papers.ingest.pagelines import Char, page_lines
from papers.ingest.types import IngestError, PageInfo, ReadOptions

ERR_ENCRYPTED = "{name}: the PDF is encrypted (password protected); remove the protection and upload it again"
ERR_NOT_PDF = "{name}: this is not a readable PDF file ({detail})"
ERR_SCANNED = (
    "{name}: the PDF has no usable text layer (it looks scanned: pages are images); run OCR on it first"
)
ERR_OCR_EMPTY = (
    "{name}: no usable text could be read from the PDF: it has no text layer, and OCR found no text on "
    "any of its {pages} page(s) (blank or unreadable scans)"
)
ERR_FONT = "{name}: the PDF's fonts have no usable character mapping ({detail}); the text would be garbage"
ERR_NO_PAGES = "{name}: the PDF has no pages"
ERR_PAGES = "{name}: the PDF has {pages} pages, more than the limit of {limit}"

RENDER_SCALE = 1.5
_WORD_RE = re.compile(r"[A-Za-z]{3,}")
_LABEL_RE = re.compile(r"^[-–—·•]?\s*(\d{1,4}|[ivxlc]{1,6}|[IVXLC]{1,6})\s*[-–—·•]?$")


class PdfLines(list):
    """The reader's lines, with ``pages``: one ``PageInfo`` per page of the PDF."""

    pages: list[PageInfo]

    def __init__(self, lines=(), pages: list[PageInfo] | None = None):
        super().__init__(lines)
        self.pages = pages or []


def _open(data: bytes, name: str):
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:  # whatever pdfium opens is a PDF: the header is only looked at to say why it could not
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code in (raw.FPDF_ERR_PASSWORD, raw.FPDF_ERR_SECURITY):
            raise IngestError(ERR_ENCRYPTED.format(name=name)) from None
        if b"%PDF" not in data[:1024]:
            raise IngestError(ERR_NOT_PDF.format(name=name, detail="no PDF header")) from None
        detail = {raw.FPDF_ERR_FORMAT: "its structure is damaged", raw.FPDF_ERR_FILE: "it cannot be read"}
        reason = detail.get(exc.err_code, f"pdfium error {exc.err_code}")
        raise IngestError(ERR_NOT_PDF.format(name=name, detail=reason)) from None


class _CharReader:
    """Characters of one text page through pdfium's C API (one ctypes call per property)."""

    def __init__(self):
        import pypdfium2.raw as raw

        self.raw = raw
        self.box = raw.FS_RECTF()
        self.matrix = raw.FS_MATRIX()
        self.ox, self.oy = ctypes.c_double(), ctypes.c_double()
        self.tight = tuple(ctypes.c_double() for _ in range(4))

    def read(self, textpage, rotation: int = 0) -> tuple[list[Char], int]:
        """(characters, number of unusable ones: control, private-use or U+FFFD).

        The page's text comes in one call; per character only its box, its origin and its text
        object (whose font size and matrix give the em size, shared by the object's characters)."""
        raw, handle = self.raw, textpage.raw
        box, matrix, ox, oy = self.box, self.matrix, self.ox, self.oy
        count = raw.FPDFText_CountChars(handle)
        codes = self._codes(handle, count)
        chars: list[Char] = []
        bad = 0
        last_obj, size, rotated, suspect = None, 1.0, False, False
        skip = -1
        for i in range(count):
            if i == skip:
                continue
            code = codes[i]
            if 0xD800 <= code <= 0xDBFF and i + 1 < count and 0xDC00 <= codes[i + 1] <= 0xDFFF:
                code = 0x10000 + ((code - 0xD800) << 10) + (codes[i + 1] - 0xDC00)
                skip = i + 1
            elif 0xD800 <= code <= 0xDFFF:
                code = 0xFFFD  # a lone surrogate
            if code in (0x0D, 0x0A):
                continue
            raw.FPDFText_GetLooseCharBox(handle, i, box)
            if code == 0x20 and box.left == box.right and box.top == box.bottom:
                continue  # pdfium's own space: spacing is judged from the boxes
            if code == 0x02:  # pdfium's mark for a hyphen at a line end
                code = 0x2D
            if code in (0x09, 0xA0):
                code = 0x20
            obj = ctypes.c_void_p.from_buffer(raw.FPDFText_GetTextObject(handle, i)).value
            if obj != last_obj or obj is None:
                last_obj = obj
                raw.FPDFText_GetMatrix(handle, i, matrix)
                scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c)) or 1.0
                size = raw.FPDFText_GetFontSize(handle, i) * scale
                # upright as displayed: the text's direction turned by the page's own /Rotate
                angle = (math.degrees(math.atan2(matrix.b, matrix.a)) - rotation) % 360
                rotated = 10 < angle < 350
                # a font without a character mapping fails on (nearly) every glyph: ask once per
                # text object, and per character only inside an object that failed
                suspect = raw.FPDFText_HasUnicodeMapError(handle, i) == 1
            if suspect and raw.FPDFText_HasUnicodeMapError(handle, i) == 1:
                code = 0xFFFD  # pdfium gives the glyph's code instead: what pdfminer showed as (cid:N)
            if code < 0x20 or code == 0xFFFD or 0xE000 <= code <= 0xF8FF:
                bad += 1
                if code < 0x20:  # an unmapped glyph: shown as such, for the OCR check to see
                    code = 0xFFFD
            raw.FPDFText_GetCharOrigin(handle, i, ox, oy)
            ch = chr(code)
            base = oy.value
            if rotated or rotation or not size:
                y0, y1 = box.bottom, box.top
                size = size or (box.top - box.bottom) or 1.0
            elif 0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFFEF or code >= 0x20000:
                y0, y1 = max(box.bottom, base - 0.3 * size), min(box.top, base + size)
            else:  # the loose box of a Latin font reaches far above and below: use its em box
                y0, y1 = base - 0.2 * size, base + 0.8 * size
            char = Char(ch, box.left, box.right, y0, y1, base, size, rotated, ox.value)
            if code < 0x2E80 and not (rotated or rotation) and box.right - box.left > 0.8 * size:
                char.inset = self._inset(handle, i, box)  # the loose box hides the glyph
            chars.append(char)
        return chars, bad

    def _inset(self, handle, i: int, box) -> tuple[float, float] | None:
        """How far the tight glyph box stands inside the loose box, left and right."""
        left, right, bottom, top = self.tight
        if not self.raw.FPDFText_GetCharBox(handle, i, left, right, bottom, top) or right.value <= left.value:
            return None
        return max(0.0, left.value - box.left), max(0.0, box.right - right.value)

    def _codes(self, handle, count: int) -> list[int]:
        """The UTF-16 code unit of every character index: pdfium keeps a character beyond the
        BMP (math italic 𝐴) as two indices, its surrogates, which ``read`` joins again."""
        if count <= 0:
            return []
        buffer = (ctypes.c_ushort * (count + 1))()
        written = self.raw.FPDFText_GetText(handle, 0, count, buffer)
        if written - 1 != count:
            return [self.raw.FPDFText_GetUnicode(handle, i) for i in range(count)]
        return list(buffer[:count])


def _to_display(chars: list[Char], crop: tuple[float, float, float, float], rotation: int) -> None:
    """Character geometry from PDF user space to the page as displayed: measured from the
    visible (crop) box's corner, and turned by the page's /Rotate (clockwise), so that a
    landscape table page set sideways reads as it is shown."""
    left, bottom, right, top = crop
    w, h = right - left, top - bottom
    if not (left or bottom or rotation):
        return
    for c in chars:
        x0, x1, y0, y1 = c.x0 - left, c.x1 - left, c.y0 - bottom, c.y1 - bottom
        ox, oy = c.ox - left, c.base - bottom
        if rotation == 90:
            c.x0, c.x1, c.y0, c.y1, c.base = y0, y1, w - x1, w - x0, w - ox
        elif rotation == 180:
            c.x0, c.x1, c.y0, c.y1, c.base = w - x1, w - x0, h - y1, h - y0, h - oy
        elif rotation == 270:
            c.x0, c.x1, c.y0, c.y1, c.base = h - y1, h - y0, x0, x1, ox
        else:
            c.x0, c.x1, c.y0, c.y1, c.base = x0, x1, y0, y1, oy
        c.ox = c.x0


def _render(page):
    """The page as an RGB numpy array at ``RENDER_SCALE`` (for the layout model)."""
    bitmap = page.render(scale=RENDER_SCALE, rev_byteorder=True)
    image = bitmap.to_numpy()
    return image[:, :, :3] if image.ndim == 3 and image.shape[2] == 4 else image


def pdf_lines(data: bytes, *, name: str, options: ReadOptions | None = None) -> PdfLines:
    options = options or ReadOptions()
    doc = _open(data, name)
    try:
        return _read(doc, name, options)
    finally:
        doc.close()


def _read(doc, name: str, options: ReadOptions) -> PdfLines:
    total = len(doc)
    if total == 0:
        raise IngestError(ERR_NO_PAGES.format(name=name))
    if total > options.max_pages:
        raise IngestError(ERR_PAGES.format(name=name, pages=total, limit=options.max_pages))
    reader = _CharReader()
    lines = PdfLines()
    columns_seen = False
    bad = visible = 0
    ocr_pages = 0
    read: list[tuple[list[Char], int, list[Line], float, float]] = []
    for number in range(1, total + 1):  # first pass: every page's text layer
        page = doc[number - 1]
        width, height = page.get_size()
        textpage = page.get_textpage()
        rotation = page.get_rotation() % 360
        chars, page_bad = reader.read(textpage, rotation)
        textpage.close()
        _to_display(chars, page.get_cropbox(), rotation)
        page.close()
        found, columns = page_lines(chars, width=width, height=height, page=number, columns_seen=columns_seen)
        columns_seen = columns_seen or columns
        read.append((chars, page_bad, found, width, height))
    reasons: list[str | None] = [None] * total
    every_page = False
    if options.ocr:
        from papers.ingest import ocr

        reasons = [ocr.ocr_reason(found, width=w, height=h) for _c, _b, found, w, h in read]
        every_page = _mostly_scrambled(reasons)
    for number in range(1, total + 1):
        chars, page_bad, found, width, height = read[number - 1]
        page = doc[number - 1]
        info = PageInfo(number=number, width=round(width, 2), height=round(height, 2))
        if options.ocr and (reasons[number - 1] is not None or every_page):
            from papers.ingest import ocr

            options.report("ocr", number - 1, total)
            found = ocr.ocr_page(page, page_no=number, width=width, height=height)
            info.ocr = True
            ocr_pages += 1
            options.report("ocr", number, total)
        if not info.ocr:  # the text layer's unmapped glyphs count only where its text is kept
            bad += page_bad
            visible += sum(1 for c in chars if not c.ch.isspace())
        if options.layout and found:
            from papers.ingest import layout

            options.report("layout", number - 1, total)
            regions = layout.page_regions(_render(page), scale=RENDER_SCALE)
            layout.label_lines(found, regions)
            options.report("layout", number, total)
        page.close()
        for line in found:
            line.index = len(lines)
            lines.append(line)
        lines.pages.append(info)
        options.report("pages", number, total)
    _page_labels(lines)
    _check_text(lines, total, name, bad=bad, visible=visible, ocr_pages=ocr_pages)
    return lines


def _mostly_scrambled(reasons: list[str | None]) -> bool:
    """Most pages with a text layer have a scrambled one (a scan's poor OCR layer): the layer of
    the few pages that pass the checks is no better, so every page is read by OCR."""
    with_text = [reason for reason in reasons if reason != "no-text"]
    scrambled = [reason for reason in with_text if reason is not None]
    return len(with_text) >= 2 and len(scrambled) > 0.5 * len(with_text)


def _page_labels(lines: PdfLines) -> None:
    """A bare number in a page's top or bottom zone or margin is its printed label; when a page
    has several, the one whose offset from the page index most pages share wins."""
    candidates: dict[int, list[str]] = {}
    for line in lines:
        if line.page is not None and line.tags & {"top-zone", "bottom-zone", "margin"}:
            match = _LABEL_RE.match(line.text)
            if match:
                candidates.setdefault(line.page, []).append(match.group(1))
    offsets = Counter(
        int(label) - page for page, labels in candidates.items() for label in set(labels) if label.isdigit()
    )
    for info in lines.pages:
        labels = candidates.get(info.number, [])
        if not labels:
            continue
        numeric = [label for label in labels if label.isdigit()]
        if numeric:
            info.label = max(numeric, key=lambda label: offsets[int(label) - info.number])
        else:
            info.label = labels[0]


def _check_text(lines: list[Line], pages: int, name: str, *, bad: int, visible: int, ocr_pages: int) -> None:
    text = "".join(line.text for line in lines)
    shown = [ch for ch in text if not ch.isspace()]
    if len(shown) < max(20, 10 * pages) and bad < max(20, 10 * pages):
        raise IngestError((ERR_OCR_EMPTY if ocr_pages else ERR_SCANNED).format(name=name, pages=pages))
    if bad > 0.1 * max(visible, 1):
        raise IngestError(ERR_FONT.format(name=name, detail="glyphs without a Unicode mapping"))
    if han_count(text) == 0:
        words = _WORD_RE.findall(text)
        vowelled = sum(1 for w in words if re.search(r"[aeiouyAEIOUY]", w))
        latin1 = sum(1 for ch in shown if 0x80 <= ord(ch) <= 0xFF)
        if latin1 > 0.15 * len(shown) or (words and vowelled < 0.6 * len(words)) or not words:
            raise IngestError(ERR_FONT.format(name=name, detail="no Chinese text, only mojibake"))
