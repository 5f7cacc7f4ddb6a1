"""PDF reading: the real sample PDF and PDFs generated here with reportlab's built-in CJK font.

Generated pages carry running headers, footers with page numbers, per-page ①
footnotes, a paragraph that crosses a page break, and a two-column page. The failure
patterns of real papers (form XObjects, margin tabs, three columns…) are in ``patterns/``;
the reader's own contract (page sizes and labels, sizes, folding, limits, the layout and OCR
hooks) is tested in ``test_pdf_reader``.
"""

from __future__ import annotations

import io
from functools import cache

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from papers.ingest import IngestError
from papers.ingest import parse_bytes as _parse_bytes
from papers.ingest import parse_file as _parse_file
from papers.ingest.pdf import ERR_ENCRYPTED, ERR_NOT_PDF, ERR_SCANNED
from papers.ingest.types import ReadOptions

# The reader alone: the layout model and OCR have their own tests (their hooks are tested below).
OFF = ReadOptions(layout=False, ocr=False)


def parse_bytes(data: bytes, *, filename: str, options: ReadOptions = OFF):
    return _parse_bytes(data, filename=filename, options=options)


def parse_file(path, *, options: ReadOptions = OFF):
    return _parse_file(path, options=options)


FONT = "STSong-Light"
WIDTH, HEIGHT = A4
LEFT, RIGHT = 72, WIDTH - 72
SIZE = 10.5
CHARS_PER_LINE = int((RIGHT - LEFT) // SIZE)

SENTENCES = [
    "数字技术与社会治理的结合既是科学技术蓬勃发展的必然趋势，也是当前社会治理体系建设的重要内容。",
    "数字技术已经成为重塑社会治理的基础性力量与推进社会治理智能化、精细化的加速器。",
    "政府借力数字技术在数字空间治理场域中重塑治理结构、优化政府职能，数字平台则使多元主体参与治理成为可能。",
    "基于数字技术的全过程治理模式将深刻改变社会治理的理念、路径和方式①。",
]
CROSSING = "这一句话从第一页的末尾开始一直延续到第二页的开头才结束"


def _wrap(text: str, width: int) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)]


class Writer:
    def __init__(self, **encrypt):
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        self.buffer = io.BytesIO()
        self.canvas = canvas.Canvas(self.buffer, pagesize=A4, **encrypt)
        self.page = 1
        self.y = HEIGHT - 100

    def furniture(self):
        c = self.canvas
        c.setFont(FONT, 9)
        c.drawString(LEFT, HEIGHT - 50, "社会治理研究 2024 年第 3 期")
        c.drawString(WIDTH / 2, 40, str(100 + self.page))

    def text(self, x, y, text, size=SIZE):
        self.canvas.setFont(FONT, size)
        self.canvas.drawString(x, y, text)

    def paragraph(self, text, *, indent=True, end_page=False):
        lines = _wrap(text, CHARS_PER_LINE - 2)
        lines = [lines[0]] + _wrap("".join(lines[1:]), CHARS_PER_LINE) if len(lines) > 1 else lines
        for n, line in enumerate(lines):
            self.text(LEFT + (2 * SIZE if indent and n == 0 else 0), self.y, line)
            self.y -= SIZE * 1.6

    def footnote(self, text):
        self.text(LEFT, 80, text, size=8)

    def new_page(self):
        self.furniture()
        self.canvas.showPage()
        self.page += 1
        self.y = HEIGHT - 100

    def bytes(self):
        self.furniture()
        self.canvas.save()
        return self.buffer.getvalue()


@cache
def sample_pdf(**encrypt) -> bytes:
    w = Writer(**encrypt)
    w.text(LEFT, w.y, "数字社会治理的场景构建", size=20)
    w.y -= 40
    w.text(LEFT, w.y, "王佃利，滕蕾")
    w.y -= 30
    w.text(LEFT, w.y, "摘要：数字技术的迅速发展已引领社会治理迈入数字时代。")
    w.y -= 30
    w.text(LEFT, w.y, "一、问题提出")
    w.y -= 24
    for sentence in SENTENCES:
        w.paragraph(sentence * 2)
    # a paragraph whose last line ends the page mid-sentence: full width, no indent on the next page
    w.paragraph("本段最后一行填满整行。" * 3 + CROSSING[: CHARS_PER_LINE - 4])
    w.footnote("① 付建军：《模态、张力与调适》，《探索与争鸣》2023 年第 1 期。")
    w.new_page()
    w.paragraph(CROSSING[CHARS_PER_LINE - 4 :] + "。后文继续展开论述并给出结论①。", indent=False)
    w.text(LEFT, w.y - 10, "（一）两栏页面")
    w.y -= 40
    column = (RIGHT - LEFT - 20) / 2
    per_col = int(column // SIZE)
    top = w.y
    for col, label in enumerate(("甲", "乙")):
        y = top
        text = (label * 4 + "栏的内容依次排列，阅读顺序应当正确。") * 5
        for n, line in enumerate(_wrap(text, per_col)):
            w.text(LEFT + col * (column + 20), y, line)
            y -= SIZE * 1.6
            assert n < 20
    w.footnote("① 第二页的脚注：编号在每一页重新开始。")
    return w.bytes()


@cache
def _parsed():
    return parse_bytes(sample_pdf(), filename="generated.pdf")


def test_generated_pdf_metadata():
    paper = _parsed()
    assert paper.title == "数字社会治理的场景构建"
    assert [a.name for a in paper.authors] == ["王佃利", "滕蕾"]
    assert paper.abstract.startswith("数字技术的迅速发展")
    assert [(s.number, s.heading, s.level) for s in paper.sections] == [
        ("一、", "问题提出", 1),
        ("（一）", "两栏页面", 2),
    ]


def test_generated_pdf_headers_footers_and_page_numbers_are_gone():
    paper = _parsed()
    texts = [p.text for p in paper.passages]
    assert not any("社会治理研究" in t for t in texts)
    assert not any(t.strip() in ("101", "102") for t in texts)


def test_generated_pdf_paragraph_continues_across_the_page_break():
    paper = _parsed()
    body = [p for p in paper.passages if p.kind == "paragraph"]
    crossing = [p for p in body if CROSSING in p.text]
    assert len(crossing) == 1
    assert crossing[0].page == 1


def test_generated_pdf_footnotes_restart_per_page_and_link_to_their_page():
    paper = _parsed()
    assert [(f.marker, f.page) for f in paper.footnotes] == [("①", 1), ("①", 2)]
    links = [
        (paper.passages[c.passage].page, paper.footnotes[c.target].page)
        for c in paper.citations
        if c.target_kind == "footnote"
    ]
    # two markers in the (doubled) sentence on page 1, one on page 2: each finds its own page's ①
    assert sorted(links) == [(1, 1), (1, 1), (2, 2)]


def test_generated_pdf_two_columns_read_left_then_right():
    paper = _parsed()
    text = "".join(p.text for p in paper.passages)
    left, right = text.find("甲甲甲甲"), text.find("乙乙乙乙")
    assert 0 <= left < right
    assert text.rfind("甲甲甲甲") < right
    assert text.count("甲甲甲甲栏的内容依次排列，阅读顺序应当正确。") == 5


def test_encrypted_pdf_is_rejected_with_its_own_message():
    data = sample_pdf(encrypt="secret")
    with pytest.raises(IngestError, match="encrypted"):
        parse_bytes(data, filename="locked.pdf")
    assert "encrypted" in ERR_ENCRYPTED


def test_garbage_pdf_is_rejected_with_its_own_message():
    with pytest.raises(IngestError, match="not a readable PDF"):
        parse_bytes(b"%PDF-1.4\n garbage garbage \x00\x01" * 20, filename="broken.pdf")
    with pytest.raises(IngestError, match="not a readable PDF"):
        parse_bytes(b"just some text pretending", filename="fake.pdf")
    assert "not a readable PDF" in ERR_NOT_PDF


def test_pdf_without_text_layer_is_reported_as_scanned():
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    c.rect(100, 100, 300, 500, fill=1)
    c.showPage()
    c.save()
    with pytest.raises(IngestError, match="no usable text layer"):
        parse_bytes(buffer.getvalue(), filename="scan.pdf")
    assert "scanned" in ERR_SCANNED


def test_pdf_with_mojibake_font_mapping_is_rejected():
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    c.setFont("Helvetica", 10)
    for n in range(30):
        c.drawString(72, 700 - n * 14, "ÃƒÂ¤Â¸Â­ÃƒÂ¦Â–Â‡ Ã¥Â…Â±Ã¥ÂÂŒÃ¥Â¯ÂŒÃ¨Â£Â•")
    c.showPage()
    c.save()
    with pytest.raises(IngestError, match="character mapping"):
        parse_bytes(buffer.getvalue(), filename="mojibake.pdf")


def test_real_sample_pdf(pdf_dir):
    paper = parse_file(pdf_dir / "hanspub_mos_2026_151009_road_traffic_flow.pdf")
    assert paper.title == "支路汇入型道路车流量模型构建与预测研究"
    assert [a.name for a in paper.authors] == ["刘雪剑", "李怡馨", "罗子健"]
    assert [a.name_en for a in paper.authors] == ["Xuejian Liu", "Yixin Li", "Zijian Luo"]
    assert paper.title_en.endswith("Incorporating Branch Connections")
    assert paper.doi == "10.12677/mos.2026.151009"
    assert (paper.venue, paper.year, paper.volume, paper.issue, paper.pages) == (
        "建模与仿真",
        2026,
        "15",
        "1",
        "93-103",
    )
    assert paper.keywords == ["支路汇入型道路", "车流量模型", "预测", "最少采样时刻"]
    assert [s.number for s in paper.sections if s.level == 1][:5] == ["1.", "2.", "3.", "4.", "5."]
    assert len(paper.references) == 14
    first = paper.references[0]
    assert (first.type_code, first.container, first.year, first.pages) == (
        "J",
        "华东交通大学学报",
        2020,
        "68-74",
    )
    assert all(c.target is not None for c in paper.citations if c.target_kind == "reference")
    paragraphs = [p.text for p in paper.passages if p.kind == "paragraph"]
    assert not any("DOI: 10.12677" in t or t == "建模与仿真" for t in paragraphs)
    # The licence block is front matter, its bare link included; a link inside a sentence is not.
    assert not any(t.startswith("http://creativecommons.org") for t in paragraphs)
    assert "http://creativecommons.org/licenses/by/4.0/" in [
        p.text for p in paper.passages if p.kind == "metadata"
    ]
    assert any("本文研究问题和数据来源于“五一”数模比赛 A 题[12]。" in t for t in paragraphs)
    assert {p.page for p in paper.passages} >= set(range(1, 11))
