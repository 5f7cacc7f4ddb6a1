"""Line building from PDF geometry (``papers.ingest.pagechars``, ``papers.ingest.pagelines``).

Two columns whose lines share baselines across a narrow gutter stay two columns; a label's
characters set apart (``【摘　要】``) stay one line; characters of a second font or size on one
baseline (a raised note marker, a bracket in another font) are one line in x order.
"""

from __future__ import annotations

import io
import re
from functools import cache

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from papers.ingest.pagechars import Char, fragments, merge_baselines
from papers.ingest.pdf import pdf_lines
from papers.ingest.types import ReadOptions

FONT = "STSong-Light"
OFF = ReadOptions(layout=False, ocr=False)
NUMBERS = "零一二三四五六七八九"
LEFT = "左栏正文第{}行文字排满一整行的宽度为止"  # 20 characters
RIGHT = "右栏正文第{}行文字排满一整行的宽度为止"


def _pdf(draw) -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    draw(c)
    c.showPage()
    c.save()
    return buffer.getvalue()


@cache
def two_columns_pdf() -> bytes:
    def draw(c):
        c.setFont(FONT, 16)
        c.drawString(150, 780, "两栏论文的标题在整页宽度上")
        c.setFont(FONT, 10.5)
        for row in range(16):
            y = 720 - row * 16
            # a gutter of about one em: the two columns' lines share every baseline
            number = NUMBERS[row // 10] + NUMBERS[row % 10]
            c.drawString(72, y, LEFT.format(number))
            c.drawString(72 + 20 * 10.5 + 11, y, RIGHT.format(number))

    return _pdf(draw)


def test_lines_of_two_columns_on_one_baseline_are_not_joined_across_the_gutter():
    lines = [line.text for line in pdf_lines(two_columns_pdf(), name="t.pdf", options=OFF)]
    assert not [text for text in lines if "左栏" in text and "右栏" in text]
    left = [k for k, text in enumerate(lines) if text.startswith("左栏")]
    right = [k for k, text in enumerate(lines) if text.startswith("右栏")]
    assert len(left) == len(right) == 16
    assert max(left) < min(right)  # the left column is read first, whole


def test_a_label_with_its_characters_set_apart_stays_one_line():
    def draw(c):
        c.setFont(FONT, 10.5)
        c.drawString(72, 700, "【摘")
        c.drawString(72 + 2 * 10.5 + 2.4 * 10.5, 700, "要】这是一段摘要的正文，它接在标签后面继续写下去。")
        for row in range(1, 6):
            c.drawString(72, 700 - row * 16, "这是摘要的第二行正文，用来让页面有足够多的文字可读。")

    lines = [line.text for line in pdf_lines(_pdf(draw), name="t.pdf", options=OFF)]
    assert lines[0].startswith("【摘\u3000要】这是一段摘要")


def _chars(text: str, x: float, base: float, size: float, *, width: float | None = None) -> list[Char]:
    out = []
    for ch in text:
        w = width or size
        out.append(Char(ch, x, x + w, base - 0.2 * size, base + 0.8 * size, base, size, ox=x))
        x += w
    return out


def test_email_in_a_font_with_em_wide_loose_boxes_is_one_run():
    # each Latin glyph advances half an em but its loose box is an em wide: the boxes overlap
    chars = _chars("作者", 72, 100, 8)
    x = 88.0
    for ch in "lyanzz@yeah.net":
        chars.append(Char(ch, x, x + 8, 99, 107, 99.6, 8, ox=x))
        x += 3.0
    chars += _chars("。基金", x + 1, 100, 8)
    assert [f.text for f in merge_baselines(fragments(chars))] == ["作者lyanzz@yeah.net。基金"]


def _em_wide_latin_pdf(text: str, size: float = 10) -> bytes:
    """Latin set glyph by glyph in a CJK font without a width table: every loose glyph box is an
    em wide, and only the origins (each glyph's own advance, a wider step between words, no
    space glyph) show the words."""

    def draw(c):
        x = 72.0
        for ch in text:
            if ch == " ":
                x += 0.3 * size
                continue
            c.setFont(FONT, size)
            c.drawString(x, 700, ch)
            x += pdfmetrics.stringWidth(ch, FONT, size)

    data = _pdf(draw)
    # the font's width table gone (blanked, offsets kept): every glyph's width is the default em
    return re.sub(rb"/W \[.*?\] \]", lambda m: b" " * len(m.group(0)), data, flags=re.S)


def test_words_in_a_font_with_em_wide_loose_boxes_keep_their_spaces():
    text = "①Stanford Institute for Human-Centered AI Index 2024 p.24 1047 Art.3"
    lines = [line.text for line in pdf_lines(_em_wide_latin_pdf(text), name="t.pdf", options=OFF)]
    assert lines == [text]


@cache
def side_box_pdf() -> bytes:
    def draw(c):
        # a two-line title, and right of it a journal's box of four small lines on baselines
        # of their own, across a wide gap
        c.setFont(FONT, 17)
        c.drawString(72, 760, "再分配与幸福感阶层差异的")
        c.drawString(72, 734, "变迁（二〇〇五至二〇一三）")
        c.setFont(FONT, 6.3)
        for k, text in enumerate(["社会", "二〇一七·二", "期刊代号", "第三十七卷"]):
            c.drawString(340, 768 - k * 8.7, text)
        c.setFont(FONT, 13)
        c.drawString(72, 690, "洪岩璧")
        c.setFont(FONT, 10)
        for row in range(12):
            c.drawString(72, 650 - row * 15, "摘要正文的一行文字排得很满，用来让页面有足够多的文字可读。")

    return _pdf(draw)


def test_a_small_block_beside_the_title_is_read_whole_before_the_title_not_row_by_row():
    lines = [line.text for line in pdf_lines(side_box_pdf(), name="t.pdf", options=OFF)]
    assert lines[:7] == [
        "社会",
        "二〇一七·二",
        "期刊代号",
        "第三十七卷",
        "再分配与幸福感阶层差异的",
        "变迁（二〇〇五至二〇一三）",
        "洪岩璧",
    ]


@cache
def table_pdf() -> bytes:
    def draw(c):
        c.setFont(FONT, 10)
        c.drawString(72, 760, "表一　各地区的样本分布情况如下所示")
        for row, (name, count) in enumerate(
            [("东部地区", "一二三"), ("中部地区", "四五六"), ("西部地区", "七八九")]
        ):
            c.drawString(72, 740 - row * 14, name)
            c.drawString(300, 740 - row * 14, count)
        for row in range(8):
            c.drawString(72, 680 - row * 15, "表下正文的一行文字排得很满，用来让页面有足够多的文字可读。")

    return _pdf(draw)


def test_the_columns_of_a_table_are_still_read_row_by_row():
    lines = [line.text for line in pdf_lines(table_pdf(), name="t.pdf", options=OFF)]
    assert lines[1:4] == ["东部地区 一二三", "中部地区 四五六", "西部地区 七八九"] or lines[1:7] == [
        "东部地区",
        "一二三",
        "中部地区",
        "四五六",
        "西部地区",
        "七八九",
    ]
