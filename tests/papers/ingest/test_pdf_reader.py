"""The PDF reader's contract (``papers.ingest.pdf`` over pypdfium2, ``papers.ingest.pagelines``).

Page sizes and printed page labels, line geometry and size (the em height, also where the font
size is 1.0 and the text matrix scales it), the narrow NFKC folding, the page limit, error
messages, progress reports, and the layout-model and OCR hooks (with stand-ins for the models).
"""

from __future__ import annotations

import io
from functools import cache

import numpy as np
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from papers.ingest import IngestError, parse_bytes
from papers.ingest.lines import Line
from papers.ingest.pagelines import NFKC_TABLE
from papers.ingest.pdf import ERR_PAGES, RENDER_SCALE, PdfLines, pdf_lines
from papers.ingest.types import ReadOptions

FONT = "STSong-Light"
BODY = "这是一行足够长的正文文字，用于通过文本层的检查。"
OFF = ReadOptions(layout=False, ocr=False)


def _pdf(draw, pages: int = 1) -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    for page in range(1, pages + 1):
        draw(c, page)
        c.showPage()
    c.save()
    return buffer.getvalue()


def _body(c, page: int) -> None:
    c.setFont(FONT, 12)
    for row in range(6):
        c.drawString(72, 700 - row * 20, BODY)
    c.setFont(FONT, 9)
    c.drawString(A4[0] / 2, 40, str(10 + page))


@cache
def body_pdf(pages: int = 3) -> bytes:
    return _pdf(_body, pages)


def test_pdf_lines_carry_page_sizes_and_printed_labels():
    lines = pdf_lines(body_pdf(), name="t.pdf", options=OFF)
    assert isinstance(lines, PdfLines)
    assert [(p.number, round(p.width), round(p.height), p.label, p.ocr) for p in lines.pages] == [
        (1, 595, 842, "11", False),
        (2, 595, 842, "12", False),
        (3, 595, 842, "13", False),
    ]


def test_parsed_paper_has_page_info_and_records_every_removed_line():
    paper = parse_bytes(body_pdf(), filename="t.pdf", options=OFF)
    assert [p.label for p in paper.page_info] == ["11", "12", "13"]
    assert [(r.text, r.page) for r in paper.removed] == [("11", 1), ("12", 2), ("13", 3)]
    assert all(r.reason for r in paper.removed)


def test_line_geometry_and_size_from_the_text_matrix_when_the_font_size_is_one():
    def draw(c, page):
        c.saveState()
        c.translate(72, 700)
        c.scale(10.5, 10.5)  # CNKI-style: font size 1.0, scaled by the matrix
        c.setFont(FONT, 1)
        c.drawString(0, 0, BODY)
        c.restoreState()
        c.setFont(FONT, 14)
        c.drawString(72, 600, BODY)

    lines = pdf_lines(_pdf(draw), name="t.pdf", options=OFF)
    assert [line.text for line in lines] == [BODY, BODY]
    small, large = lines
    assert small.size == pytest.approx(10.5, abs=0.1)
    assert large.size == pytest.approx(14, abs=0.1)
    assert small.x0 == pytest.approx(72, abs=0.5)
    assert small.x1 == pytest.approx(72 + 10.5 * len(BODY), abs=1)
    # top and bottom measured from the page's top edge; the box property gives them together
    assert small.top == pytest.approx(842 - 700 - 10.5 * 0.88, abs=1.5)
    assert small.box == (small.x0, small.top, small.x1, small.bottom)
    assert small.bottom - small.top == pytest.approx(10.5, abs=1.5)


def test_full_width_letters_and_digits_are_folded_but_cjk_punctuation_and_circled_numbers_stay():
    def draw(c, page):
        c.setFont(FONT, 12)
        c.drawString(72, 700, "２０２３年ＡＢｃ数据（试点）：增长①，⼀⼈" + BODY)
        for row in range(3):
            c.drawString(72, 600 - row * 20, BODY)

    text = pdf_lines(_pdf(draw), name="t.pdf", options=OFF)[0].text
    assert text.startswith("2023年ABc数据（试点）：增长①，一人")
    for kept in "，：（）①；。":
        assert ord(kept) not in NFKC_TABLE
    assert NFKC_TABLE[ord("Ａ")] == "A" and NFKC_TABLE[ord("９")] == "9"
    assert NFKC_TABLE[ord("\u2f00")] == "一" and NFKC_TABLE[0xF900] == "豈"


def test_latin_words_get_spaces_and_chinese_stays_joined():
    def draw(c, page):
        c.setFont(FONT, 11)
        c.drawString(72, 700, "基于 LSTM 神经网络方法 and deep learning 的研究")
        c.drawString(72, 680, "王佃利")  # two names set apart by a gap, no space character
        c.drawString(72 + 4.5 * 11, 680, "滕蕾")
        c.drawString(72, 660, "数字")  # justified Chinese: a little letter spacing is no gap
        c.drawString(72 + 2.3 * 11, 660, "治理")
        for row in range(3):
            c.drawString(72, 600 - row * 20, BODY)

    lines = pdf_lines(_pdf(draw), name="t.pdf", options=OFF)
    assert lines[0].text == "基于 LSTM 神经网络方法 and deep learning 的研究"
    assert lines[1].text == "王佃利\u3000滕蕾"
    assert lines[2].text == "数字治理"


def test_more_pages_than_the_limit_is_refused_with_both_numbers():
    with pytest.raises(IngestError) as caught:
        pdf_lines(body_pdf(), name="long.pdf", options=ReadOptions(layout=False, ocr=False, max_pages=2))
    assert str(caught.value) == ERR_PAGES.format(name="long.pdf", pages=3, limit=2)


def test_progress_is_reported_page_by_page():
    seen = []
    options = ReadOptions(layout=False, ocr=False, progress=lambda *a: seen.append(a))
    pdf_lines(body_pdf(), name="t.pdf", options=options)
    assert seen == [("pages", 1, 3), ("pages", 2, 3), ("pages", 3, 3)]


def test_a_pdf_pdfium_opens_is_never_called_not_a_pdf():
    # a header, then a truncated body: pdfium repairs what it can or says why
    data = body_pdf()
    with pytest.raises(IngestError) as caught:
        pdf_lines(data[: len(data) // 3], name="cut.pdf", options=OFF)
    assert "not a readable PDF" in str(caught.value) or "text layer" in str(caught.value)


def test_the_layout_model_labels_each_page_once_from_a_render(monkeypatch):
    from papers.ingest import layout

    calls = []

    def page_regions(image, *, scale):
        calls.append((image.shape, image.dtype, scale))
        return ["region"]

    def label_lines(lines, regions):
        assert regions == ["region"]
        for line in lines:
            line.label = "text"

    monkeypatch.setattr(layout, "page_regions", page_regions)
    monkeypatch.setattr(layout, "label_lines", label_lines)
    seen = []
    options = ReadOptions(layout=True, ocr=False, progress=lambda *a: seen.append(a))
    lines = pdf_lines(body_pdf(2), name="t.pdf", options=options)
    height, width = round(842 * RENDER_SCALE), round(595 * RENDER_SCALE)
    assert len(calls) == 2
    for shape, dtype, scale in calls:
        assert abs(shape[0] - height) <= 1 and abs(shape[1] - width) <= 1 and shape[2] == 3
        assert dtype == np.uint8 and scale == RENDER_SCALE
    assert {line.label for line in lines} == {"text"}
    assert ("layout", 2, 2) in seen and ("pages", 2, 2) in seen


def test_pages_that_need_ocr_are_read_by_ocr_and_marked(monkeypatch):
    from papers.ingest import ocr

    def scanned(c, page):
        c.rect(100, 100, 300, 500, fill=1)

    def ocr_page(page, *, page_no, width, height):
        assert round(width) == 595 and round(height) == 842
        return [Line(text=BODY, page=page_no, x0=72, x1=400, top=100, bottom=112, size=12, conf=0.9)]

    monkeypatch.setattr(ocr, "page_needs_ocr", lambda lines, *, width, height: not lines)
    monkeypatch.setattr(ocr, "ocr_page", ocr_page)
    lines = pdf_lines(_pdf(scanned, 2), name="scan.pdf", options=ReadOptions(layout=False, ocr=True))
    assert [(line.page, line.text, line.conf) for line in lines] == [(1, BODY, 0.9), (2, BODY, 0.9)]
    assert [p.ocr for p in lines.pages] == [True, True]


def test_a_scan_with_ocr_off_is_refused_as_scanned():
    def scanned(c, page):
        c.rect(100, 100, 300, 500, fill=1)

    with pytest.raises(IngestError, match="no usable text layer"):
        pdf_lines(_pdf(scanned), name="scan.pdf", options=OFF)


def _identity_font_pdf(line: str, *, to_unicode: str = "") -> bytes:
    """A hand-made PDF: 30 lines of the glyph codes ``line`` (hex) in a Type0 font (Identity-H),
    mapped to Unicode by the ``bfchar`` entries ``to_unicode`` or, without them, not at all."""
    content = "BT /F1 12 Tf 14 TL 72 760 Td " + " ".join(f"<{line}> Tj T*" for _ in range(30)) + " ET"
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << /Registry (Adobe)"
        " /Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def /CMapType 2 def"
        f" 1 begincodespacerange <0000> <FFFF> endcodespacerange {to_unicode.count('<') // 2} beginbfchar"
        f" {to_unicode} endbfchar endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>"
        " /Contents 4 0 R >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type0 /BaseFont /Custom /Encoding /Identity-H /DescendantFonts [6 0 R]"
        + (" /ToUnicode 7 0 R >>" if to_unicode else " >>"),
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Custom"
        " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
        f"<< /Length {len(cmap)} >>\nstream\n{cmap}\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode())
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    out.write("".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode())
    out.write(f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _unmapped_font_pdf() -> bytes:
    """pdfium gives each unmapped glyph's code as its character and flags a mapping error
    (pdfminer showed ``(cid:N)``)."""
    return _identity_font_pdf("".join(f"{0x0100 + k * 7:04X}" for k in range(30)))


def test_characters_beyond_the_basic_plane_come_out_whole():
    """pdfium keeps 𝐴 (U+1D434) as two indices, its UTF-16 surrogates: they are one character."""
    mapping = "<0001> <D835DC34> <0002> <6570> <0003> <5B57> <0004> <6CBB> <0005> <7406>"
    data = _identity_font_pdf("0002000300040005" * 4 + "0001" + "0002000300040005" * 4, to_unicode=mapping)
    text = pdf_lines(data, name="math.pdf", options=OFF)[0].text
    assert text == "数字治理" * 4 + "\U0001d434" + "数字治理" * 4


def test_glyphs_without_a_unicode_mapping_are_refused_with_ocr_off():
    with pytest.raises(IngestError, match="no usable character mapping"):
        pdf_lines(_unmapped_font_pdf(), name="cid.pdf", options=OFF)


def test_glyphs_without_a_unicode_mapping_go_to_ocr_when_it_is_on(monkeypatch):
    from papers.ingest import ocr

    def ocr_page(page, *, page_no, width, height):
        return [Line(text=BODY * 3, page=page_no, x0=72, x1=500, top=100, bottom=112, size=12, conf=0.8)]

    monkeypatch.setattr(ocr, "ocr_page", ocr_page)  # the real page_needs_ocr judges the page
    lines = pdf_lines(_unmapped_font_pdf(), name="cid.pdf", options=ReadOptions(layout=False, ocr=True))
    assert [line.text for line in lines] == [BODY * 3]
    assert lines.pages[0].ocr


def test_geometry_is_measured_from_the_visible_page_when_the_crop_box_is_offset():
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(body_pdf(1))
    doc[0].set_cropbox(50, 100, 545, 742)
    buffer = io.BytesIO()
    doc.save(buffer)
    doc.close()
    lines = pdf_lines(buffer.getvalue(), name="crop.pdf", options=OFF)
    first = lines[0]
    assert (round(lines.pages[0].width), round(lines.pages[0].height)) == (495, 642)
    assert first.x0 == pytest.approx(72 - 50, abs=0.5)
    assert first.top == pytest.approx(742 - 700 - 12 * 0.88, abs=1.5)


def test_a_pdf_after_leading_bytes_is_read():
    """Some servers prepend a few bytes; pdfium opens such a file, so it is a PDF."""
    lines = pdf_lines(b"\r\n\r\n" + body_pdf(1), name="lead.pdf", options=OFF)
    assert lines[0].text == BODY


def test_a_page_turned_by_its_rotate_entry_is_read_as_displayed():
    """A landscape table page in a portrait thesis: content set sideways, /Rotate 90 shows it upright."""
    import pypdfium2 as pdfium

    def sideways(c, page):
        c.saveState()
        c.translate(A4[0], 0)
        c.rotate(90)  # local coordinates are now those of the displayed landscape page
        c.setFont(FONT, 12)
        for row in range(4):
            c.drawString(72, 500 - row * 20, f"{BODY}第{row}行")
        c.restoreState()

    doc = pdfium.PdfDocument(_pdf(sideways))
    doc[0].set_rotation(90)
    buffer = io.BytesIO()
    doc.save(buffer)
    doc.close()
    lines = pdf_lines(buffer.getvalue(), name="landscape.pdf", options=OFF)
    assert [line.text for line in lines] == [f"{BODY}第{row}行" for row in range(4)]
    assert (round(lines.pages[0].width), round(lines.pages[0].height)) == (842, 595)
    assert lines[0].x0 == pytest.approx(72, abs=0.5)
    assert lines[0].top == pytest.approx(595.3 - 500 - 12 * 0.88, abs=1.5)
    assert not any("margin" in line.tags for line in lines)


def _ocr_with_reasons(monkeypatch, reasons: dict[int, str | None]) -> PdfLines:
    from papers.ingest import ocr

    def ocr_page(page, *, page_no, width, height):
        return [Line(text=BODY, page=page_no, x0=72, x1=400, top=100, bottom=112, size=12, conf=0.9)]

    monkeypatch.setattr(ocr, "ocr_reason", lambda lines, *, width, height: reasons[lines[0].page])
    monkeypatch.setattr(ocr, "ocr_page", ocr_page)
    return pdf_lines(body_pdf(), name="t.pdf", options=ReadOptions(layout=False, ocr=True))


def test_when_most_text_layers_are_scrambled_every_page_is_read_by_ocr(monkeypatch):
    lines = _ocr_with_reasons(monkeypatch, {1: "spaced", 2: "gapped-lines", 3: None})
    assert [p.ocr for p in lines.pages] == [True, True, True]


def test_a_single_scrambled_page_among_good_ones_is_the_only_one_read_by_ocr(monkeypatch):
    lines = _ocr_with_reasons(monkeypatch, {1: "spaced", 2: None, 3: None})
    assert [p.ocr for p in lines.pages] == [True, False, False]
