"""Generated PDFs for the PDF reader's failure patterns (reportlab, built-in STSong-Light font).

Each function returns the bytes of a small PDF and is cached: text inside form XObjects,
page numbers printed mid-column in a margin tab (one digit above the other), running headers
carrying the author names, table captions that differ only by their number at the top of
pages, and pages set in two and three columns.
"""

from __future__ import annotations

import io
from functools import cache

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
WIDTH, HEIGHT = A4
LEFT, RIGHT = 72.0, WIDTH - 72.0
SIZE = 10.5
LEADING = SIZE * 1.6
TITLE = "中国数字生态指数的测算与分析"
AUTHORS = ["王娟", "张一", "黄晶"]

# Sentences numbered so that a test can check their order and that each comes out whole.
SENTENCES = [
    f"第{n}句说明数字生态的一个方面，并在这里完整地结束，不被页眉或页码打断。" for n in "一二三四五六七八九十"
]


def wrap(text: str, per_line: int) -> list[str]:
    return [text[i : i + per_line] for i in range(0, len(text), per_line)]


class Doc:
    def __init__(self):
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        self.buffer = io.BytesIO()
        self.c = canvas.Canvas(self.buffer, pagesize=A4)
        self.page = 1

    def text(self, x: float, y: float, text: str, size: float = SIZE) -> None:
        self.c.setFont(FONT, size)
        self.c.drawString(x, y, text)

    def front(self) -> float:
        """Title, authors, abstract on page one; returns the y where the body starts."""
        self.text(LEFT, HEIGHT - 100, TITLE, 18)
        self.text(LEFT, HEIGHT - 130, "，".join(AUTHORS))
        self.text(LEFT, HEIGHT - 155, "摘要：本文测算数字生态指数并分析各地区的差异。")
        self.text(LEFT, HEIGHT - 185, "一、引言", 12)
        return HEIGHT - 210

    def paragraph(self, y: float, text: str, x0: float = LEFT, x1: float = RIGHT) -> float:
        per_line = int((x1 - x0) // SIZE)
        first = wrap(text, per_line - 2)[0]
        rows = [first, *wrap(text[len(first) :], per_line)]
        for n, row in enumerate(rows):
            if row:
                self.text(x0 + (2 * SIZE if n == 0 else 0), y, row)
                y -= LEADING
        return y

    def new_page(self) -> None:
        self.c.showPage()
        self.page += 1

    def bytes(self) -> bytes:
        self.c.showPage()
        self.c.save()
        return self.buffer.getvalue()


@cache
def form_xobject_pdf() -> bytes:
    """Every text of both pages sits inside form XObjects (as some journal PDFs set it)."""
    doc = Doc()
    c = doc.c
    c.beginForm("front")
    y = doc.front()
    c.endForm()
    c.doForm("front")
    c.beginForm("body1")
    doc.paragraph(y, "".join(SENTENCES[:5]))
    c.endForm()
    c.doForm("body1")
    doc.new_page()
    c.beginForm("body2")
    doc.paragraph(HEIGHT - 100, "".join(SENTENCES[5:]))
    c.endForm()
    c.doForm("body2")
    return doc.bytes()


def _margin_tab(doc: Doc, number: int, *, y_mid: float) -> None:
    """The page number in a dark tab beside the text column, digits one above the other."""
    c = doc.c
    digits = str(number)
    x = RIGHT + 1  # close enough to the column that a line-finder reading gaps would join it
    c.setFillGray(0.2)
    c.rect(x - 3, y_mid - len(digits) * 12 - 2, 14, len(digits) * 12 + 12, fill=1, stroke=0)
    c.setFillGray(1.0)
    for k, digit in enumerate(digits):
        doc.text(x, y_mid - k * 12, digit, 10)
    c.setFillGray(0.0)


@cache
def margin_tab_pdf() -> bytes:
    """Three pages whose page numbers (30, 31, 32) stand in a margin tab level with body lines."""
    doc = Doc()
    y = doc.front()
    for page in range(3):
        text = "".join(SENTENCES[page * 3 : page * 3 + 4 if page == 2 else page * 3 + 3]) * 2
        bottom = doc.paragraph(y, text)
        _margin_tab(doc, 30 + page, y_mid=(y + bottom) / 2 + 0.5 * LEADING)
        if page < 2:
            doc.new_page()
            y = HEIGHT - 100
    return doc.bytes()


@cache
def running_header_pdf() -> bytes:
    """Running heads ``王娟　张一　黄晶·title`` on even pages, the journal on odd ones, page numbers
    at the foot, and one paragraph running across every page break mid-sentence."""
    doc = Doc()
    y = doc.front()
    per_line = int((RIGHT - LEFT) // SIZE)
    body = "".join(SENTENCES) * 4
    rows = [body[: per_line - 2], *wrap(body[per_line - 2 :], per_line)]
    for page, start in enumerate(range(0, len(rows), 12), start=1):
        if page > 1:
            doc.new_page()
            y = HEIGHT - 100
        for k, row in enumerate(rows[start : start + 12]):
            doc.text(LEFT + (2 * SIZE if start + k == 0 else 0), y, row)
            y -= LEADING
        head = "　".join(AUTHORS) + "·" + TITLE if page % 2 == 0 else "数字经济评论　2024 年第 2 期"
        doc.text(LEFT if page % 2 == 0 else RIGHT - 13 * 9, HEIGHT - 50, head, 9)
        doc.text(WIDTH / 2, 40, str(page + 56), 9)
    return doc.bytes()


@cache
def captions_pdf() -> bytes:
    """Two pages that each open with a table caption differing only by its number."""
    doc = Doc()
    y = doc.front()
    doc.paragraph(y, "".join(SENTENCES[:3]))
    for n in (1, 2):
        if n == 2 or doc.page == 1:
            doc.new_page()
        doc.text(LEFT + 120, HEIGHT - 60, f"表{n} 各地区数字生态指数", 9)
        for row in range(4):
            for col, cell in enumerate((f"地区{row + 1}", f"{70 + row}.{n}", f"{60 + row}.{n}")):
                doc.text(LEFT + 40 + col * 120, HEIGHT - 90 - row * 16, cell, 9)
        doc.paragraph(HEIGHT - 180, "".join(SENTENCES[3 * n : 6 if n == 1 else 10]))
    return doc.bytes()


def _columns_page(doc: Doc, n_cols: int, texts: list[str], top: float) -> None:
    gap = 18.0
    col_w = (RIGHT - LEFT - gap * (n_cols - 1)) / n_cols
    for k, text in enumerate(texts):
        x0 = LEFT + k * (col_w + gap)
        doc.paragraph(top, text, x0, x0 + col_w)


@cache
def columns_pdf(n_cols: int) -> bytes:
    """Page one: a full-width front matter, then ``n_cols`` columns; page two: columns again,
    under a full-width heading, with few lines in the last column."""
    doc = Doc()
    y = doc.front()
    cuts = [round(k * len(SENTENCES) / n_cols) for k in range(n_cols + 1)]
    texts = ["".join(SENTENCES[cuts[k] : cuts[k + 1]]) for k in range(n_cols)]
    _columns_page(doc, n_cols, texts, y)
    doc.new_page()
    doc.text(LEFT, HEIGHT - 90, "二、结论", 12)
    tail = [f"{label}栏的结论文字按栏阅读，先读完这一栏再读下一栏。" * 3 for label in "甲乙丙"[:n_cols]]
    _columns_page(doc, n_cols, tail, HEIGHT - 120)
    return doc.bytes()


PATTERNS = {
    "form_xobject": form_xobject_pdf,
    "margin_tab": margin_tab_pdf,
    "running_header": running_header_pdf,
    "captions": captions_pdf,
    "two_columns": lambda: columns_pdf(2),
    "three_columns": lambda: columns_pdf(3),
}
