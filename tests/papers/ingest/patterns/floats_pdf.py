"""A generated two-page paper with a score table, a bar chart and a numbered equation.

Page one: running header, title, authors, a paragraph, ``表1`` above a score table (cells
drawn one by one, ruled like a journal table) with a source note under it, a paragraph, a
page number. Page two: header, a paragraph, a reportlab bar chart with ``图1`` under it, a
paragraph, the equation ``Y = a + bX + cZ + e (1)``, a paragraph, a page number.

The layout model has to *see* the page, and this machine has no CJK font that pdfium could
render reportlab's non-embedded STSong-Light with. So Chinese strings go into the text layer
invisibly (render mode 3, what the reader extracts) under stroked look-alike glyphs (what the
model sees: rows of character-sized shapes, like print); pure ASCII strings (numbers, the
chart's labels, the equation) are ordinary visible text.
"""

from __future__ import annotations

import io
from functools import cache

from reportlab.graphics import renderPDF
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

CJK = "STSong-Light"
WIDTH, HEIGHT = A4
LEFT = 72.0
SIZE = 10.5
TITLE = "数字治理指数的测算与地区比较"
AUTHORS = "张明　李华"
TABLE_CAPTION = "表1　各地区数字治理指数得分"
TABLE_NOTE = "资料来源：作者根据公开数据计算。"
FIGURE_CAPTION = "图1　数字治理指数的变化（2019—2023年）"
EQUATION = "Y = a + b X + c Z + e"
REGIONS = ["北京", "上海", "广东", "浙江", "江苏", "四川", "湖北", "陕西"]
HEADER_ROW = ["地区", "基础设施", "数据开放", "服务效能", "总分"]
ROWS = [
    [name, f"{60 + i * 3.17:.2f}", f"{55 + i * 2.41:.2f}", f"{70 - i * 1.93:.2f}", f"{62 + i * 1.21:.2f}"]
    for i, name in enumerate(REGIONS)
]
YEARS = ["2019", "2020", "2021", "2022", "2023"]
PARAGRAPHS = [
    "数字技术的普及改变了地方政府的治理方式，也带来了新的评价问题。本文依据公开数据构建指标体系，"
    "对各地区的发展水平进行测算，并比较其差异与变化趋势。",
    "表中各项得分均经过标准化处理，总分为三个维度的加权平均。东部地区的总分普遍较高，"
    "中西部地区在数据开放维度上的差距尤为明显，这与其财政投入和人才储备有关。",
    "从时间上看，全国平均得分在五年间总体上升，只有个别年份出现回落，下图给出了逐年的变化。",
    "为检验数字技术投入对治理绩效的影响，本文设定如下回归模型，并控制地区和年份固定效应。",
    "其中，Ｙ表示治理绩效，Ｘ表示数字技术投入，Ｚ为控制变量，ｅ为随机误差项。回归结果显示，"
    "数字技术投入的系数显著为正，说明投入越多的地区治理绩效越好。",
]


def _glyph(c: canvas.Canvas, x: float, y: float, size: float, code: int) -> None:
    """A Han-like shape drawn with strokes, different for different characters."""
    c.setLineWidth(0.07 * size)
    path = c.beginPath()
    left, right = x + 0.12 * size, x + 0.88 * size
    path.moveTo(left, y + 0.75 * size)
    path.lineTo(right, y + 0.75 * size)
    if code & 1:
        path.moveTo(left, y + 0.45 * size)
        path.lineTo(right, y + 0.45 * size)
    if code & 2:
        path.moveTo(x + 0.5 * size, y + 0.9 * size)
        path.lineTo(x + 0.5 * size, y - 0.05 * size)
    if code & 4:
        path.moveTo(left, y + 0.05 * size)
        path.lineTo(right, y + 0.05 * size)
    if code & 8:
        path.moveTo(x + 0.25 * size, y + 0.6 * size)
        path.lineTo(x + 0.1 * size, y + 0.1 * size)
    if code & 16:
        path.moveTo(x + 0.6 * size, y + 0.5 * size)
        path.lineTo(x + 0.9 * size, y + 0.05 * size)
    if code & 32:
        path.rect(x + 0.25 * size, y + 0.15 * size, 0.5 * size, 0.35 * size)
    c.drawPath(path, stroke=1, fill=0)


def text(c: canvas.Canvas, x: float, y: float, s: str, size: float = SIZE, *, centre: bool = False) -> None:
    if s.isascii():
        c.setFont("Times-Roman", size)
        (c.drawCentredString if centre else c.drawString)(x, y, s)
        return
    widths = [pdfmetrics.stringWidth(ch, CJK, size) for ch in s]
    if centre:
        x -= sum(widths) / 2
    layer = c.beginText(x, y)
    layer.setFont(CJK, size)
    layer.setTextRenderMode(3)  # invisible: the text layer only
    layer.textOut(s)
    layer.setTextRenderMode(0)  # the render mode is graphics state: give it back
    c.drawText(layer)
    for ch, w in zip(s, widths, strict=True):
        if not ch.isspace() and ch != "\u3000":
            _glyph(c, x + 0.1 * w, y - 0.1 * size, w * 0.85 if ch.isascii() else size * 0.95, ord(ch))
        x += w


def paragraph(c: canvas.Canvas, y: float, s: str, per_line: int = 42, lead: float = 18) -> float:
    first = s[: per_line - 2]
    text(c, LEFT + 2 * SIZE, y, first)
    y -= lead
    for k in range(len(first), len(s), per_line):
        text(c, LEFT, y, s[k : k + per_line])
        y -= lead
    return y - 6


def _furniture(c: canvas.Canvas, page: int) -> None:
    text(c, LEFT, HEIGHT - 40, "数字治理研究　第３卷第２期", 9)
    c.setLineWidth(0.5)
    c.line(LEFT, HEIGHT - 46, WIDTH - LEFT, HEIGHT - 46)
    text(c, WIDTH / 2, 30, str(page), 9, centre=True)


def _table(c: canvas.Canvas, y: float) -> float:
    text(c, WIDTH / 2, y, TABLE_CAPTION, centre=True)
    y -= 20
    xs = [90, 170, 250, 330, 410]
    c.setLineWidth(1)
    c.line(80, y + 14, WIDTH - 80, y + 14)
    for r, row in enumerate([HEADER_ROW, *ROWS]):
        for x, cell in zip(xs, row, strict=True):
            text(c, x, y, cell)
        if r == 0:
            c.setLineWidth(0.5)
            c.line(80, y - 5, WIDTH - 80, y - 5)
        y -= 20
    c.setLineWidth(1)
    c.line(80, y + 14, WIDTH - 80, y + 14)
    text(c, 80, y - 2, TABLE_NOTE, 9)
    return y - 36


def _chart(c: canvas.Canvas, y: float) -> float:
    drawing = Drawing(400, 220)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 30, 340, 170
    chart.data = [[62.3, 70.1, 58.4, 81.9, 66.0]]
    chart.categoryAxis.categoryNames = YEARS
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, 100
    drawing.add(chart)
    renderPDF.draw(drawing, c, 100, y - 230)
    y -= 250
    text(c, WIDTH / 2, y, FIGURE_CAPTION, centre=True)
    return y - 36


@cache
def floats_pdf() -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont(CJK))
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    _furniture(c, 1)
    text(c, WIDTH / 2, HEIGHT - 90, TITLE, 18, centre=True)
    text(c, WIDTH / 2, HEIGHT - 120, AUTHORS, 12, centre=True)
    y = paragraph(c, HEIGHT - 160, PARAGRAPHS[0])
    y = _table(c, y - 10)
    paragraph(c, y, PARAGRAPHS[1])
    c.showPage()
    _furniture(c, 2)
    y = paragraph(c, HEIGHT - 80, PARAGRAPHS[2])
    y = _chart(c, y)
    y = paragraph(c, y, PARAGRAPHS[3])
    c.setFont("Times-Italic", 12)
    c.drawCentredString(WIDTH / 2, y - 8, EQUATION)
    c.setFont("Times-Roman", 12)
    c.drawString(WIDTH - 110, y - 8, "(1)")
    paragraph(c, y - 40, PARAGRAPHS[4])
    c.showPage()
    c.save()
    return buffer.getvalue()


if __name__ == "__main__":  # write it out to look at: python -m tests.papers.ingest.patterns.floats_pdf F
    import sys

    with open(sys.argv[1], "wb") as out:
        out.write(floats_pdf())
