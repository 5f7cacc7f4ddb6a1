"""A tiny typesetter for the unseen-paper test documents: one source, rendered as text or as PDF.

A source (``src/*.src``) is a list of layout settings (``%key value``) and items:

- ``= text`` a line set as is (front matter, headings); ``=t``/``=s``/``=a``/``=f``/``=h``/``=m``
  pick a style in the PDF (title, subtitle, authors, affiliation, heading, metadata);
- ``> text`` a paragraph, wrapped to the line width with a two-em first-line indent in PDFs;
- ``| text`` a hanging block (reference entry, English text), wrapped without indent;
- ``^ text`` a note set at the page bottom: circled ones land on the page of their marker,
  others (funding, author notes) on the current page;
- ``@columns`` switches the PDF to two columns from here on.

``{1}`` in a line is a superscript: ``1`` (or ``¹`` with ``%sup unicode``) in text, a raised
small digit in a PDF. The text renderer imitates what PDF-to-text tools produce: lines wrapped
at the column width with CJK line-break rules, running headers and footers on every page
(alternating odd/even), page numbers, optional form feeds, a space starting each page,
blank lines between lines, CRLF endings and GB18030 encoding.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

SRC = Path(__file__).resolve().parent / "src"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
NO_LINE_START = "，。、；：？！）】》」』”’%．,.;:!?)]］〕"
NO_LINE_END = "（【《「『“‘([［〔"
_SUP = re.compile(r"\{([^{}]+)\}")
_UNICODE_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def width(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


def wrap(text: str, first: float, rest: float, em=None) -> list[str]:
    """Break ``text`` into lines of at most ``first`` then ``rest`` em, keeping Latin words whole."""
    em = em or width
    tokens = re.findall(r"[A-Za-z0-9'’\-./:_=?&%]+ ?|\{[^{}]+\}|.", text)
    lines, current, limit = [], "", first
    for token in tokens:
        shown = _SUP.sub(r"\1", token)
        if current and em(_SUP.sub(r"\1", current) + shown.rstrip()) > limit:
            if token[0] in NO_LINE_START:  # CJK rule: closing punctuation hangs on the line above
                current += token
                continue
            carry = ""
            while current and current[-1] in NO_LINE_END:  # opening punctuation moves down
                current, carry = current[:-1], current[-1] + carry
            lines.append(current.rstrip())
            current, limit = carry + token.lstrip(), rest
        else:
            current += token
    if current.strip():
        lines.append(current.rstrip())
    return lines


@dataclass
class Item:
    kind: str  # "=", ">", "|", "^", "@"
    text: str
    style: str = ""


@dataclass
class Source:
    name: str
    settings: dict[str, str]
    items: list[Item]

    def get(self, key: str, default: str = "") -> str:
        return self.settings.get(key, default)

    def flag(self, key: str) -> bool:
        return self.get(key, "0") not in ("0", "", "no")


def load(name: str) -> Source:
    settings: dict[str, str] = {}
    items: list[Item] = []
    for raw in (SRC / f"{name}.src").read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        if raw.startswith("%"):
            key, _, value = raw[1:].partition(" ")
            settings[key] = value.strip()
        elif raw.startswith("@"):
            items.append(Item("@", raw[1:].strip()))
        else:
            head, _, text = raw.partition(" ")
            items.append(Item(head[0], text.strip(), head[1:]))
    return Source(name, settings, items)


@dataclass
class Row:
    text: str
    style: str = ""
    first: bool = False  # first line of an indented paragraph
    columns: bool = False
    justify: bool = False  # stretched to the full measure (every line of a block but its last)


@dataclass
class Page:
    number: int
    rows: list[Row] = field(default_factory=list)
    notes: list[Row] = field(default_factory=list)


def paginate(src: Source, *, full: float, column: float, rows_per_page: int, note_cost: float = 0.6, em=None):
    """Pages of rows. Rows in two-column mode cost half a row; a note line costs ``note_cost`` rows."""
    pages = [Page(int(src.get("first_page", "1")))]
    used = 0.0
    columns = False
    pending = {}  # marker -> note rows, for circled notes waiting for their marker's page
    for item in src.items:
        if item.kind == "^" and item.text[0] in CIRCLED:
            pending.setdefault(item.text[0], []).append(_note_rows(item.text, full, em))
    for item in src.items:
        if item.kind == "@":
            columns = item.text == "columns"
            continue
        if item.kind == "^":
            if item.text[0] in CIRCLED:
                continue
            else:
                note_rows = _note_rows(item.text, full, em)
                pages[-1].notes += note_rows
                used += note_cost * len(note_rows)
            continue
        span = column if columns else full
        if item.kind == "=":
            texts = [item.text] if item.style in ("t", "h") else wrap(item.text, span, span, em)
        elif item.kind == ">":
            texts = wrap(item.text, span - 2, span, em)
        else:
            texts = wrap(item.text, span, span - 2, em)
        for n, text in enumerate(texts):
            cost = 0.5 if columns else (2.0 if item.style == "t" else 1.0)
            if used + cost > rows_per_page:
                pages.append(Page(pages[-1].number + 1))
                used = 0.0
            row = Row(text, item.style, n == 0 and item.kind == ">", columns, n < len(texts) - 1)
            pages[-1].rows.append(row)
            used += cost
            for mark in (ch for ch in text if ch in CIRCLED):
                if pending.get(mark):
                    note = pending[mark].pop(0)
                    pages[-1].notes += note
                    used += note_cost * len(note)
    return pages


def _note_rows(text: str, full: float, em=None) -> list[Row]:
    # notes are set smaller than the body: more characters fit on a line
    texts = wrap(text, full * 1.25, full * 1.25, em)
    return [Row(t, "n", justify=k < len(texts) - 1) for k, t in enumerate(texts)]


def _fill(template: str, number: int) -> str:
    return template.replace("{page}", str(number)) if template else ""


def render_text(name: str) -> bytes:
    src = load(name)
    pages = paginate(
        src, full=float(src.get("width", "40")), column=float(src.get("width", "40")),
        rows_per_page=int(src.get("rows", "34")), note_cost=1.0,
    )  # fmt: skip
    sup = src.get("sup", "plain")
    out_pages = []
    for page in pages:
        lines = []
        odd = page.number % 2 == 1
        header = _fill(src.get("header.odd" if odd else "header.even", src.get("header")), page.number)
        if header:
            lines.append(header)
        if src.get("header2"):
            lines.append(_fill(src.get("header2"), page.number))
        lines += [row.text for row in page.rows]
        lines += [row.text for row in page.notes]
        footer = _fill(src.get("footer.odd" if odd else "footer.even", src.get("footer")), page.number)
        if footer:
            lines.append(footer)
        if src.flag("pagestart_space") and lines:
            lines[0] = " " + lines[0]
        out_pages.append(lines)
    if src.get("mode") == "para":  # one paragraph per line, as copied from a web page
        out_pages = [_unwrap(src)]
    text_pages = []
    for lines in out_pages:
        lines = [
            _SUP.sub(lambda m: m.group(1).translate(_UNICODE_SUP) if sup == "unicode" else m.group(1), ln)
            for ln in lines
        ]
        text_pages.append(("\n\n" if src.flag("blank") else "\n").join(lines) + "\n")
    text = ("\f" if src.flag("ff") else "").join(text_pages)
    if src.flag("crlf"):
        text = text.replace("\n", "\r\n")
    return text.encode(src.get("encoding", "utf-8"))


def _unwrap(src: Source) -> list[str]:
    return [item.text for item in src.items if item.kind in "=>|^"]


# ---------------------------------------------------------------- PDF

FONT = "STSong-Light"
STYLE_SIZES = {"t": 18.0, "s": 13.0, "a": 11.0, "f": 8.5, "h": 11.0, "m": 8.5, "n": 8.0, "": 10.0}


def render_pdf(name: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    src = load(name)
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    page_w, page_h = A4
    left, right, top, bottom = 64.0, page_w - 64.0, page_h - 80.0, 90.0
    size, gap = STYLE_SIZES[""], 16.0
    leading = size * 1.7
    full = (right - left) / size
    column = ((right - left - gap) / 2) / size
    rows_per_page = int((top - bottom) // leading)
    pages = paginate(
        src, full=full, column=column, rows_per_page=rows_per_page,
        em=lambda text: pdfmetrics.stringWidth(_SUP.sub(r"\1", text), FONT, size) / size,
    )  # fmt: skip
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)

    def draw(x: float, y: float, text: str, font_size: float, measure: float = 0.0) -> None:
        space = 0.0
        words = text.split(" ")
        if measure and not _SUP.search(text) and len(words) > 3 and width(text) < 0.75 * len(text):
            # Latin text is justified between words, not between letters
            natural = sum(pdfmetrics.stringWidth(w, FONT, font_size) for w in words)
            gap = (measure - natural) / (len(words) - 1)
            if gap > 0.8 * font_size:  # too loose to justify: set it ragged
                gap = pdfmetrics.stringWidth(" ", FONT, font_size)
            c.setFont(FONT, font_size)
            for word in words:
                c.drawString(x, y, word)
                x += pdfmetrics.stringWidth(word, FONT, font_size) + gap
            return
        if measure and not _SUP.search(text) and len(text) > 1:  # justified, as journals set them
            space = (measure - pdfmetrics.stringWidth(text, FONT, font_size)) / (len(text) - 1)
        for k, piece in enumerate(_SUP.split(text)):
            small = k % 2 == 1
            fs = font_size * 0.6 if small else font_size
            c.setFont(FONT, fs)
            c.drawString(x, y + (font_size * 0.4 if small else 0), piece, charSpace=space)
            x += pdfmetrics.stringWidth(piece, FONT, fs)

    for page in pages:
        odd = page.number % 2 == 1
        for key, y in (("header", page_h - 50), ("footer", 42)):
            template = src.get(f"{key}.{'odd' if odd else 'even'}", src.get(key))
            text = _fill(template, page.number)
            if key == "header" and src.get("header2"):
                text += "　　" + _fill(src.get("header2"), page.number)
            if text:
                shown = width(text) * 9
                x = {"left": left, "right": right - shown, "center": (page_w - shown) / 2}[
                    src.get(f"{key}_align", "center" if key == "footer" else ("right" if odd else "left"))
                ]
                draw(x, y, text, 9)
        if src.flag("header_rule"):
            c.line(left, page_h - 56, right, page_h - 56)
        y = top
        col_rows = [row for row in page.rows if row.columns]
        col_start = None
        for row in page.rows:
            if row.columns:
                continue
            fs = STYLE_SIZES[row.style]
            step = leading * (2.0 if row.style == "t" else 1.0)
            x = left + (2 * fs if row.first else 0)
            if row.style in "tsa" and row.style:
                x = (page_w - width(_SUP.sub(r"\1", row.text)) * fs) / 2
            draw(x, y, row.text, fs, (right - x) if row.justify else 0.0)
            y -= step
        col_start = y
        per_col = (len(col_rows) + 1) // 2
        for k, row in enumerate(col_rows):
            col, n = divmod(k, per_col) if per_col else (0, k)
            col_left = left + col * ((right - left + gap) / 2)
            x = col_left + (2 * size if row.first else 0)
            measure = col_left + (right - left - gap) / 2 - x
            draw(x, col_start - n * leading, row.text, size, measure if row.justify else 0.0)
        if page.notes:
            note_y = bottom - 4 + 9.5 * (len(page.notes) - 1)
            c.line(left, note_y + 12, left + 120, note_y + 12)
            for row in page.notes:
                draw(left, note_y, row.text, STYLE_SIZES["n"], (right - left) if row.justify else 0.0)
                note_y -= 9.5
        c.showPage()
    c.save()
    return buffer.getvalue()
