"""OCR of scanned pages (``papers.ingest.ocr``): which pages need it, and what it reads.

The scans are made here: two paragraphs of a real page (the shared Hans PDF, whose embedded
fonts pdfium can render; this machine has no CJK system font for reportlab's CID fonts) are
rendered to pixels and set side by side as a two-column page, then saved as an image-only PDF,
and again under an invisible, scrambled text layer of the kind old OCR software wrote. OCR costs
seconds a page, so each scan is read once per module (``functools.cache``).
"""

from __future__ import annotations

import copy
import io
from functools import cache

import pytest
from rapidfuzz import fuzz

from papers.ingest import ocr
from papers.ingest.lines import Line
from papers.ingest.pipeline import parse_bytes
from papers.ingest.types import IngestError, ReadOptions
from tests.papers.ingest.conftest import PDF_DIR

HANS = PDF_DIR / "hanspub_mos_2026_151009_road_traffic_flow.pdf"
needs_hans = pytest.mark.skipif(not HANS.is_file(), reason="../shared/pdf is not beside the repo")

PX = 4  # pixels per point of the made-up scans
# The end of one paragraph and the start of the next on the Hans paper's page 2 (points from
# the page's top-left corner): four and three lines, each column's third line is full.
LEFT = (80, 466, 545, 531)
RIGHT = (80, 531, 545, 580)
MARGIN, GUTTER = 15, 35
WIDTH = 2 * MARGIN + GUTTER + 2 * (LEFT[2] - LEFT[0])
HEIGHT = 2 * 20 + max(LEFT[3] - LEFT[1], RIGHT[3] - RIGHT[1])
NO_OCR = ReadOptions(layout=False, ocr=False)


def _text_of(pdf_page, box) -> list[str]:
    x0, top, x1, bottom = box
    height = pdf_page.get_size()[1]
    text = pdf_page.get_textpage().get_text_bounded(
        left=x0, bottom=height - bottom, right=x1, top=height - top
    )
    return [line.strip() for line in text.splitlines() if line.strip()]


@cache
def _scan():
    """(two-column page image, left column's lines, right column's lines), as printed."""
    import pypdfium2 as pdfium
    from PIL import Image

    doc = pdfium.PdfDocument(str(HANS))
    page = doc[1]
    rendered = page.render(scale=PX, grayscale=True).to_pil()
    left, right = _text_of(page, LEFT), _text_of(page, RIGHT)
    canvas = Image.new("L", (round(WIDTH * PX), round(HEIGHT * PX)), 255)
    for box, x in ((LEFT, MARGIN), (RIGHT, MARGIN + GUTTER + LEFT[2] - LEFT[0])):
        crop = rendered.crop(tuple(round(v * PX) for v in box))
        canvas.paste(crop, (round(x * PX), 20 * PX))
    doc.close()
    return canvas, left, right


def _image_pdf(image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PDF", resolution=72 * PX)
    return out.getvalue()


@cache
def _image_only_pdf() -> bytes:
    return _image_pdf(_scan()[0])


@cache
def _scrambled_pdf() -> bytes:
    """The scan under an invisible text layer: characters spaced apart, both columns run together."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas as pdfcanvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    image, left, right = _scan()
    out = io.BytesIO()
    c = pdfcanvas.Canvas(out, pagesize=(WIDTH, HEIGHT))
    c.drawImage(ImageReader(image), 0, 0, width=WIDTH, height=HEIGHT)
    text = c.beginText()
    text.setTextRenderMode(3)  # invisible, as an OCR layer over a scan
    text.setFont("STSong-Light", 4.5)
    text.setTextOrigin(MARGIN, HEIGHT - 30)
    text.setLeading(15.6)
    for i in range(max(len(left), len(right))):
        row = (
            " ".join(left[i] if i < len(left) else "") + "    " + " ".join(right[i] if i < len(right) else "")
        )
        text.textLine(row)
    c.drawText(text)
    c.save()
    return out.getvalue()


@cache
def _ocr_lines() -> list[Line]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(_image_only_pdf())
    page = doc[0]
    width, height = page.get_size()
    lines = ocr.ocr_page(page, page_no=1, width=width, height=height)
    doc.close()
    return lines


def _lines_by_page(data: bytes) -> dict[int, list[Line]]:
    from papers.ingest.pdf import pdf_lines

    found: dict[int, list[Line]] = {}
    for line in pdf_lines(data, name="t.pdf", options=NO_OCR):
        found.setdefault(line.page or 0, []).append(line)
    return found


def _line(text: str, top: float, *, x0: float = 72, size: float = 10.5) -> Line:
    return Line(text=text, x0=x0, x1=x0 + size * len(text), top=top, bottom=top + size, size=size, page=1)


BODY = "数字技术的普及深刻改变了社会治理的方式，本文以城乡数字鸿沟为切入点考察互联网接入与数字技能。"


# -- which pages need OCR (pure, fast) ------------------------------------------------------------


def test_a_page_of_body_text_needs_no_ocr():
    lines = [_line(BODY, 100 + 16 * i) for i in range(20)]
    assert ocr.ocr_reason(lines, width=595, height=842) is None


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        ([], "no-text"),
        ([_line("12", 800)], "no-text"),
        ([_line("\ufffd" * 40, 100 + 16 * i) for i in range(5)], "odd-glyphs"),
        ([_line(" ".join(BODY), 100 + 16 * i, size=5) for i in range(10)], "spaced"),
        (
            [_line(BODY[:24] + " " + BODY[24:], 100 + 16 * i) for i in range(3)]
            + [_line(BODY, 200 + 16 * i) for i in range(10)],
            None,
        ),
        (
            [_line(BODY[:24] + " " + BODY[24:], 100 + 16 * i) for i in range(10)]
            + [_line(BODY, 300 + 16 * i) for i in range(4)],
            "gapped-lines",
        ),
        (
            [_line(BODY, 100 + 16 * i) for i in range(2)]
            + [_line(ch, 300 + 12 * i) for i, ch in enumerate(BODY)],
            "single-chars",
        ),
        (
            [_line(BODY, 100 + 16 * i) for i in range(30)]
            + [_line(p, 600 + 12 * i) for i, p in enumerate("，。；")],
            "lone-punctuation",
        ),
        (
            [_line(BODY, 100 + 16 * i) for i in range(30)]
            + [_line("（）" if i % 2 else "“”", 600 + 12 * i) for i in range(6)],
            None,
        ),
        (
            [_line(BODY, 100 + 16 * i) for i in range(40)]
            + [
                _line(t, 700 + 3 * i, size=2.0)
                for i, t in enumerate(["1", "I", "｜", "’", "丨", "＇", "i", "－"])
            ],
            "odd-sizes",
        ),
    ],
    ids=[
        "empty",
        "page-number-only",
        "unmapped-glyphs",
        "spaced-han",
        "a-few-gapped-lines",
        "columns-run-together",
        "one-char-lines",
        "lone-punctuation",
        "lone-brackets-are-fine",
        "stray-marks",
    ],
)
def test_the_reason_a_page_needs_ocr(lines, reason):
    assert ocr.ocr_reason(lines, width=595, height=842) == reason
    assert ocr.page_needs_ocr(lines, width=595, height=842) is (reason is not None)


@needs_hans
def test_no_page_of_the_shared_pdfs_needs_ocr_unless_it_is_nearly_empty():
    for path in sorted(PDF_DIR.glob("*.pdf")):
        for page_no, lines in _lines_by_page(path.read_bytes()).items():
            reason = ocr.ocr_reason(lines, width=595, height=842)
            visible = sum(1 for line in lines for ch in line.text if not ch.isspace())
            assert reason is None or (reason == "no-text" and visible < 16), (path.name, page_no, reason)


@needs_hans
def test_a_scrambled_ocr_layer_needs_ocr_and_the_clean_page_does_not():
    import pypdfium2 as pdfium

    clean = _lines_by_page(HANS.read_bytes())[2]
    assert not ocr.page_needs_ocr(clean, width=595.32, height=807.96)
    scrambled = _lines_by_page(_scrambled_pdf())[1]
    assert "".join(line.text for line in scrambled).count(" ") > 100  # the layer is there, spaced
    assert ocr.page_needs_ocr(scrambled, width=WIDTH, height=HEIGHT)
    doc = pdfium.PdfDocument(_image_only_pdf())
    assert doc[0].get_textpage().count_chars() == 0  # image only: no lines at all
    assert ocr.page_needs_ocr([], width=WIDTH, height=HEIGHT)


# -- results to lines (pure) ----------------------------------------------------------------------


def _quad(x0, y0, x1, y1):
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]


def test_two_columns_are_read_left_then_right_between_full_width_lines():
    rows = [(_quad(20, 10, 580, 30), "标题横跨两栏", 0.99)]
    for i in range(4):
        top = 50 + 20 * i
        # the detector's boxes reach into a narrow gutter: closer than a line's height
        rows.append((_quad(304, top, 580, top + 14), f"右栏第{i + 1}行的文字内容", 0.9))
        rows.append((_quad(20, top, 292, top + 14), f"左栏第{i + 1}行的文字内容", 0.8))
    rows.append((_quad(20, 200, 580, 214), "页脚横跨两栏", 0.95))
    lines = ocr.lines_from_results(rows, page_no=3, width=600, height=220, sx=1.0, sy=1.0)
    texts = [line.text for line in lines]
    assert texts[0] == "标题横跨两栏" and texts[-1] == "页脚横跨两栏"
    assert texts[1:5] == [f"左栏第{i}行的文字内容" for i in range(1, 5)]
    assert texts[5:9] == [f"右栏第{i}行的文字内容" for i in range(1, 5)]
    assert {line.page for line in lines} == {3} and lines[1].conf == 0.8
    assert "bottom-zone" in lines[-1].tags and "top-zone" in lines[0].tags


def test_boxes_of_one_row_merge_and_pixels_become_points():
    rows = [
        (_quad(100, 100, 300, 130), "第一节", 0.9),
        (_quad(320, 102, 900, 130), "数字鸿沟的测量", 0.7),  # a gap under one line height: one line
        (_quad(100, 140, 900, 170), "正文" * 10, 1.0),
        (_quad(100, 180, 500, 210), "短行。", 1.0),
    ]
    lines = ocr.lines_from_results(rows, page_no=1, width=500, height=400, sx=2.0, sy=2.0)
    assert [line.text for line in lines] == ["第一节数字鸿沟的测量", "正文" * 10, "短行。"]
    first = lines[0]
    assert (first.x0, first.x1, first.top, first.bottom) == (50, 450, 50, 65)
    assert first.conf == pytest.approx((0.9 * 3 + 0.7 * 7) / 10, abs=1e-4)
    assert lines[2].short and not lines[1].short and lines[1].fill == pytest.approx(1.0)


def test_mean_conf_is_none_without_ocr_lines():
    assert ocr.mean_conf([_line("文字", 10)]) is None
    a, b = _line("文字", 10), _line("文字", 30)
    a.conf, b.conf = 0.9, 0.7
    assert ocr.mean_conf([a, b]) == pytest.approx(0.8)


def test_render_size_is_bounded():
    for width, height in ((595, 842), (842, 1191), (300, 5000), (2000, 2000), (100, 140)):
        scale = ocr.render_scale(width, height)
        assert max(width, height) * scale <= ocr.MAX_SIDE + 1
        assert width * height * scale * scale <= ocr.MAX_PIXELS + 1
        assert scale <= ocr.MAX_SCALE


def test_a_blank_pdf_is_refused_saying_ocr_found_no_text():
    from PIL import Image

    out = io.BytesIO()
    pages = [Image.new("L", (595, 842), 255) for _ in range(2)]
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:])
    with pytest.raises(IngestError, match="OCR") as excinfo:
        parse_bytes(out.getvalue(), filename="blank.pdf", options=ReadOptions(layout=False, ocr=True))
    assert "OCR found no text on any of its 2 page(s)" in str(excinfo.value)


# -- OCR itself (seconds a page: each scan is read once) ------------------------------------------


@needs_hans
def test_ocr_reads_an_image_only_two_column_page_in_reading_order():
    _image, left, right = _scan()
    lines = _ocr_lines()
    text = "".join(line.text for line in lines)
    assert fuzz.ratio(text, "".join(left + right)) >= 80
    sides = [line.x0 < WIDTH / 2 for line in lines]
    assert sides == sorted(sides, reverse=True), "the left column is read first, then the right"
    for line in lines:
        assert 0 <= line.x0 < line.x1 <= WIDTH and 0 <= line.top < line.bottom <= HEIGHT
        assert 0.5 <= line.conf <= 1 and line.page == 1 and "ocr" in line.tags
        assert 7 <= line.size <= 14  # the body is set in 10.5 pt
    assert lines[len(left)].indent and not lines[0].indent  # the second paragraph's first line
    assert lines[len(left) - 1].short  # the first paragraph's last line


@needs_hans
def test_a_scrambled_page_is_read_by_ocr_and_its_passages_carry_the_confidence(monkeypatch):
    _image, left, right = _scan()
    calls = []

    def read_once(page, *, page_no, width, height):  # the same scan as above: reuse its reading
        calls.append(page_no)
        return copy.deepcopy(_ocr_lines())

    monkeypatch.setattr(ocr, "ocr_page", read_once)
    paper = parse_bytes(
        _scrambled_pdf(), filename="scrambled.pdf", options=ReadOptions(layout=False, ocr=True)
    )
    assert calls == [1] and [page.ocr for page in paper.page_info] == [True]
    body = [p for p in paper.passages if p.kind == "paragraph"]
    assert body and all(p.ocr_conf is not None and 0.5 <= p.ocr_conf <= 1 for p in body)
    text = "".join(p.text for p in paper.passages).replace(" ", "")
    assert fuzz.partial_ratio("".join(left + right).replace(" ", ""), text) >= 80  # OCR's text, not the layer
