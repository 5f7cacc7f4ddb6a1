"""Generated documents for the reference-list tests: a small paper as text (lines wrapped at a
fixed width, as PDF-to-text tools give them) or as a PDF set with reportlab's STSong-Light, with
the list laid out flush, with hanging indents or with first-line indents.

An item is (style, text): ``title``, ``author``, ``meta`` (set as is), ``para`` (a paragraph,
first line indented), ``heading``, ``hang`` / ``indent`` / ``flat`` (a list entry: continuation
lines indented, first line indented, or neither), ``big`` (a line set large, such as an English
title after the list), ``foot`` (a note set small at the foot of the current page, PDF only; in text
it follows the paragraph).
"""

from __future__ import annotations

import io

from tests.papers.ingest.unseen.typeset import wrap

FONT = "STSong-Light"
FRONT = [
    ("title", "数字治理与公共价值研究"),
    ("author", "张 三"),
    ("meta", "（北京大学 政府管理学院，北京 100871）"),
    ("para", "摘要：本文讨论数字治理如何创造公共价值，并以地方政府的数字化改革检验其机制与边界。"),
    ("meta", "关键词：数字治理；公共价值；地方政府"),
    ("heading", "一、引言"),
]
WIDTH = 40  # em, for text sources


def text_document(items: list[tuple[str, str]]) -> bytes:
    out: list[str] = []
    for style, text in FRONT + items:
        if style == "para":
            out += wrap(text, WIDTH - 2, WIDTH)
        elif style in ("hang", "indent", "flat"):
            out += wrap(text, WIDTH, WIDTH - 2 if style == "hang" else WIDTH)
        else:
            out.append(text)
    return ("\n".join(out) + "\n").encode("utf-8")


SIZES = {"title": 16.0, "author": 11.0, "meta": 9.0, "para": 10.5, "heading": 12.0, "big": 14.0}
ENTRY_SIZE = 9.0


def pdf_document(items: list[tuple[str, str]]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    page_w, page_h = A4
    left, right, top, bottom = 64.0, page_w - 64.0, page_h - 70.0, 70.0
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    y = top
    feet: list[tuple[float, str]] = []  # notes of the current page: (x, row)

    def new_page() -> None:
        nonlocal y
        note_y = bottom - 8 + 11 * len(feet)
        c.setFont(FONT, 8.0)
        for x, row in feet:
            c.drawString(x, note_y, row)
            note_y -= 11
        feet.clear()
        c.showPage()
        y = top

    def line(x: float, text: str, size: float) -> None:
        nonlocal y
        if y < bottom + 11 * len(feet):
            new_page()
        c.setFont(FONT, size)
        c.drawString(x, y, text)
        y -= size * 1.6

    for style, text in FRONT + items:
        size = SIZES.get(style, ENTRY_SIZE)

        def em(t: str, size: float = size) -> float:
            return pdfmetrics.stringWidth(t, FONT, size) / size

        measure = (right - left) / size
        if style == "foot":
            rows = wrap(text, (right - left) / 8.0, (right - left) / 8.0 - 2, lambda t: em(t, 8.0))
            feet.extend((left + (16.0 if k else 0.0), row) for k, row in enumerate(rows))
        elif style in ("title", "author", "big"):
            line((page_w - em(text) * size) / 2, text, size)
        elif style in ("meta", "heading"):
            line(left, text, size)
        elif style == "para":
            for k, row in enumerate(wrap(text, measure - 2, measure, em)):
                line(left + (2 * size if k == 0 else 0), row, size)
        else:
            first = measure - (2 if style == "indent" else 0)
            rest = measure - (2 if style == "hang" else 0)
            for k, row in enumerate(wrap(text, first, rest, em)):
                shift = (style == "indent" and k == 0) or (style == "hang" and k > 0)
                line(left + (2 * size if shift else 0), row, size)
    new_page()
    c.save()
    return buffer.getvalue()
