"""PDFs with known passage regions for the page tests, and the ParsedPaper that goes with them.

``two_page_pdf()`` draws a small two-page paper with reportlab (Helvetica, which pdfium renders
without any system font) and returns its bytes with a hand-built ``ParsedPaper`` whose boxes are
where the text was drawn: pages with printed labels 93 and 94, a paragraph that crosses the page
break, a table block, an OCR'd passage and removed furniture lines. It does not depend on the
pipeline, so these tests say what the page view does with whatever the pipeline gives it.

``parsed_from_text_layer(data)`` builds a ParsedPaper from a real PDF's text layer as pdfium
reads it (runs of text lines grouped into passages, one box per line), for the browser test.
"""

from __future__ import annotations

import hashlib
import io
from functools import cache

from papers.ingest.types import (
    AuthorInfo,
    PageInfo,
    ParsedPaper,
    PassageInfo,
    RemovedLine,
    SectionInfo,
    SourceInfo,
)

WIDTH, HEIGHT = 595.0, 842.0  # A4 in points
FONT_SIZE = 11
LEADING = 16
LEFT = 72

# (page, first baseline from the top, lines, kind)
LAYOUT = [
    (1, 110, ["1 Introduction"], "heading"),
    (
        1,
        140,
        ["Digital divides are a new form of social inequality.", "They shape who gains from data."],
        "paragraph",
    ),
    (1, 200, ["Table 1 Scores", "region   2020   2021", "east     80.0   82.5"], "table"),
    (1, 780, ["This paragraph starts at the foot of page one"], "paragraph"),
    (2, 80, ["and ends at the top of page two."], None),  # continues the passage above
    (2, 130, ["Scanned lines read by OCR end the paper."], "paragraph"),
]


def _box(page: int, baseline_from_top: float, text: str) -> list[float]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    width = stringWidth(text, "Helvetica", FONT_SIZE)
    return [
        page,
        LEFT - 1,
        baseline_from_top - FONT_SIZE * 0.8,
        LEFT + width + 1,
        baseline_from_top + FONT_SIZE * 0.25,
    ]


@cache
def two_page_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(WIDTH, HEIGHT))
    current = 1
    for page, top, lines, _ in LAYOUT:
        if page != current:
            pdf.showPage()
            current = page
        pdf.setFont("Helvetica", 8)
        pdf.drawString(LEFT, HEIGHT - 40, "Journal of Tests 2022(3)")  # running header (furniture)
        pdf.drawString(WIDTH / 2, 40, str(92 + page))  # printed page number (furniture)
        pdf.setFont("Helvetica", FONT_SIZE)
        for i, line in enumerate(lines):
            pdf.drawString(LEFT, HEIGHT - (top + i * LEADING), line)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def two_page_parsed(data: bytes | None = None, *, filename: str = "pages.pdf") -> ParsedPaper:
    data = data if data is not None else two_page_pdf()
    passages: list[PassageInfo] = []
    for page, top, lines, kind in LAYOUT:
        boxes = [_box(page, top + i * LEADING, line) for i, line in enumerate(lines)]
        if kind is None:  # continuation across the page break
            passages[-1].text += " " + " ".join(lines)
            passages[-1].boxes += boxes
            continue
        text = "\n".join(lines) if kind == "table" else " ".join(lines)
        passages.append(PassageInfo(kind=kind, text=text, section=0, page=page, boxes=boxes))
    passages[-1].ocr_conf = 0.87
    return ParsedPaper(
        source=SourceInfo(
            filename=filename, sha256=hashlib.sha256(data).hexdigest(), format="pdf", size=len(data)
        ),
        title="数字鸿沟与数据红利",
        authors=[AuthorInfo(name="王佃利"), AuthorInfo(name="滕蕾")],
        venue="电子政务",
        year=2022,
        issue="3",
        pages="93-94",
        sections=[SectionInfo(number="1", heading="Introduction")],
        passages=passages,
        page_info=[
            PageInfo(number=1, width=WIDTH, height=HEIGHT, label="93"),
            PageInfo(number=2, width=WIDTH, height=HEIGHT, label="94", ocr=True),
        ],
        removed=[
            RemovedLine(text="Journal of Tests 2022(3)", reason="header", page=1),
            RemovedLine(text="93", reason="page-number", page=1),
            RemovedLine(text="Journal of Tests 2022(3)", reason="header", page=2),
            RemovedLine(text="94", reason="page-number", page=2),
        ],
    )


def _text_lines(text_page, height: float) -> list[tuple[str, list[float]]]:
    """pdfium's text runs joined into lines (runs overlapping vertically), top to bottom."""
    runs = []
    for i in range(text_page.count_rects()):
        left, bottom, right, top = text_page.get_rect(i)
        text = text_page.get_text_bounded(left, bottom, right, top).strip()
        if text:
            runs.append((height - top, height - bottom, left, right, text))
    lines: list[list] = []  # [top, bottom, x0, x1, [(x0, text)]]
    for top, bottom, left, right, text in sorted(runs):
        line = lines[-1] if lines else None
        if line and min(bottom, line[1]) - max(top, line[0]) > 0.5 * min(bottom - top, line[1] - line[0]):
            line[0], line[1] = min(line[0], top), max(line[1], bottom)
            line[2], line[3] = min(line[2], left), max(line[3], right)
            line[4].append((left, text))
        else:
            lines.append([top, bottom, left, right, [(left, text)]])
    return [
        ("".join(t for _, t in sorted(parts)), [x0, top, x1, bottom]) for top, bottom, x0, x1, parts in lines
    ]


def parsed_from_text_layer(
    data: bytes, *, filename: str, title: str, pages: tuple[int, ...] = (1, 2), lines_per_passage: int = 5
) -> ParsedPaper:
    """A ParsedPaper of a real PDF's pages: pdfium's text lines, ``lines_per_passage`` to a passage."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    passages: list[PassageInfo] = []
    page_info: list[PageInfo] = []
    try:
        for number in pages:
            page = pdf[number - 1]
            width, height = page.get_size()
            page_info.append(PageInfo(number=number, width=width, height=height))
            lines = _text_lines(page.get_textpage(), height)
            for start in range(0, len(lines), lines_per_passage):
                chunk = lines[start : start + lines_per_passage]
                passages.append(
                    PassageInfo(
                        kind="paragraph",
                        text="".join(text for text, _ in chunk),
                        section=0,
                        page=number,
                        boxes=[[number, *box] for _, box in chunk],
                    )
                )
    finally:
        pdf.close()
    return ParsedPaper(
        source=SourceInfo(
            filename=filename, sha256=hashlib.sha256(data).hexdigest(), format="pdf", size=len(data)
        ),
        title=title,
        sections=[SectionInfo(number="", heading=title)],
        passages=passages,
        page_info=page_info,
    )
