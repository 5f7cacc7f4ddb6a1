"""Tables, charts and formulas come out as one block each, with the layout model and without it.

The generated paper (``floats_pdf``) has a score table under ``表1`` with a source note, a bar
chart over ``图1`` and a numbered equation between paragraphs.
"""

from __future__ import annotations

from functools import cache

import pytest

from papers.ingest.assemble import assemble
from papers.ingest.lines import Line
from papers.ingest.pdf import pdf_lines
from papers.ingest.pipeline import parse_bytes
from papers.ingest.tables import block_text
from papers.ingest.types import ParsedPaper, ReadOptions
from tests.papers.ingest.patterns import floats_pdf as pdf

MODES = ["model", "heuristics"]


@cache
def _paper(mode: str) -> ParsedPaper:
    options = ReadOptions(layout=mode == "model", ocr=False)
    return parse_bytes(pdf.floats_pdf(), filename="floats.pdf", options=options)


def _kind(paper: ParsedPaper, kind: str):
    return [p for p in paper.passages if p.kind == kind]


@pytest.mark.parametrize("mode", MODES)
def test_score_table_is_one_block_with_caption_and_note(mode):
    paper = _paper(mode)
    [table] = _kind(paper, "table")
    rows = table.text.split("\n")
    assert rows[0].replace("\u3000", " ") == pdf.TABLE_CAPTION.replace("\u3000", " ")
    assert rows[1].split("\u3000") == pdf.HEADER_ROW  # Chinese cells stay apart
    for row in pdf.ROWS:
        assert " ".join(row) in rows
    assert rows[-1] == pdf.TABLE_NOTE
    assert table.page == 1
    # no cell, caption or note anywhere else, and no heading made of a cell
    others = [p.text for p in paper.passages if p is not table]
    assert not any("82.19" in text or pdf.TABLE_NOTE in text for text in others)
    assert not any(s.heading in pdf.HEADER_ROW + pdf.REGIONS for s in paper.sections)


@pytest.mark.parametrize("mode", MODES)
def test_chart_is_one_figure_block_with_caption_below(mode):
    [figure] = _kind(_paper(mode), "figure")
    rows = figure.text.split("\n")
    assert " ".join(pdf.YEARS) in rows
    assert rows[-1].replace("\u3000", " ") == pdf.FIGURE_CAPTION.replace("\u3000", " ")
    assert figure.page == 2


@pytest.mark.parametrize("mode", MODES)
def test_numbered_equation_is_one_formula_block(mode):
    paper = _paper(mode)
    [formula] = _kind(paper, "formula")
    assert formula.text == pdf.EQUATION + " (1)"
    texts = [p.text for p in paper.passages]
    # the paragraphs around it stay whole and in order
    before, after = texts.index(formula.text) - 1, texts.index(formula.text) + 1
    assert texts[before] == pdf.PARAGRAPHS[3]
    assert texts[after].startswith("其中，Y表示治理绩效")


@pytest.mark.parametrize("mode", MODES)
def test_no_tiny_passages_and_nothing_lost(mode):
    paper = _paper(mode)
    body = [p for p in paper.passages if p.kind in ("paragraph", "heading")]
    assert all(len(p.text) >= 20 for p in body), [p.text for p in body]
    kept = "".join(p.text for p in paper.passages) + "".join(r.text for r in paper.removed)
    for text in [*pdf.ROWS[-1], *pdf.YEARS, pdf.TABLE_NOTE, *pdf.PARAGRAPHS[:3]]:
        assert text in kept


def test_reader_puts_the_model_labels_on_whole_lines():
    lines = pdf_lines(pdf.floats_pdf(), name="floats.pdf", options=ReadOptions(layout=True, ocr=False))
    label = {"".join(line.text.split()): line.label for line in lines}
    assert {label[cell] for row in pdf.ROWS for cell in row} == {"table"}
    assert label["".join(pdf.TABLE_CAPTION.split())] == "table_caption"
    assert label["".join(pdf.FIGURE_CAPTION.split())] == "figure_caption"
    assert label["".join(pdf.EQUATION.split())] == "equation"
    body = [line for line in lines if line.text[:8] in {p[:8] for p in pdf.PARAGRAPHS}]
    assert body and not {line.label for line in body} & {"table", "figure", "equation", ""}


def _text_lines(texts: list[str]) -> list[Line]:
    """Lines of a text source; each stops short of the line width (ends its paragraph)."""
    lines = [Line(text=t, index=i) for i, t in enumerate(texts)]
    for line in lines:
        line.fill = min(len(line.text) / 60, 0.8)
    return lines


def test_score_table_in_a_text_source_is_one_block():
    intro = "各地区的得分差异较大，东部地区普遍领先，中西部地区仍有明显差距。具体得分如下表所示。"
    rows = [
        "80.00 全面领先",
        "76.50 较为领先",
        "71.25 中等偏上",
        "65.00 中等",
        "60.75 中等偏下",
        "52.10 落后",
    ]
    rows += ["48.30 明显落后", "45.00 明显落后"]
    lines = _text_lines([intro, "表2 各地区得分", *rows, intro])
    blocks = assemble(lines, removed=set())
    assert [b.kind for b in blocks] == ["paragraph", "table", "paragraph"]
    assert blocks[1].text.split("\n") == ["表2 各地区得分", *rows]


def test_short_lines_without_numbers_are_not_a_table():
    items = ["（1）数据开放；", "（2）平台建设；", "（3）人才培养；", "（4）制度保障；"]
    items += ["（5）公众参与；", "（6）绩效评价；", "（7）经费投入；", "（8）监督问责。"]
    blocks = assemble(_text_lines(["本文从以下八个方面展开讨论："] + items), removed=set())
    assert not any(b.kind in ("table", "figure", "formula") for b in blocks)


def test_block_text_lays_out_rows_and_cells():
    def cell(text, x0, top):
        return Line(text=text, page=1, x0=x0, x1=x0 + 30, top=top, bottom=top + 10, size=10)

    lines = [cell("2020", 150, 100), cell("地区", 80, 101), cell("东部", 80, 120), cell("80.5", 150, 119.5)]
    assert block_text(lines) == "地区\u30002020\n东部\u300080.5"


def _boxed(text: str, top: float, *, x0: float = 72, x1: float = 500, label: str = "", region=None, page=1):
    line = Line(
        text=text, page=page, x0=x0, x1=x1, top=top, bottom=top + 10, size=10, label=label, region=region
    )
    line.short = x1 < 480
    line.fill = (x1 - x0) / 428
    return line


def _cells(top: float, region: int, page: int = 1) -> list[Line]:
    return [
        _boxed(
            text,
            top + 14 * row,
            x0=100 + 120 * col,
            x1=140 + 120 * col,
            label="table",
            region=region,
            page=page,
        )
        for row, texts in enumerate([["时刻", "支路 1"], ["7:30", "≈10"], ["8:30", "≈14"]])
        for col, text in enumerate(texts)
    ]


def test_caption_in_two_languages_goes_with_its_table_and_the_next_caption_does_not():
    lines = [
        _boxed("Table 2. Traffic volume forecast for two time points", 100, x1=300),
        _boxed("表 2. 两个时间点车流量预测", 112, x1=220),
        *_cells(130, region=3),
        _boxed("表 3. 支路车流量模型的最少采样时刻", 180, x1=260),
        *_cells(196, region=4),
    ]
    for i, line in enumerate(lines):
        line.index = i
    tables = [b for b in assemble(lines, removed=set()) if b.kind == "table"]
    assert [b.text.split("\n")[:2] for b in tables] == [
        ["Table 2. Traffic volume forecast for two time points", "表 2. 两个时间点车流量预测"],
        ["表 3. 支路车流量模型的最少采样时刻", "时刻\u3000支路 1"],
    ]
    assert sum(len(b.lines) for b in tables) == len(lines)


def test_paragraph_broken_by_a_table_at_the_top_of_the_next_page_stays_whole():
    lines = [
        _boxed("数字政府建设在近年来取得了长足的进展，各地纷纷推出一网通办等", 700),
        _boxed("表 1 各地区得分", 60, x1=200, page=2),
        *_cells(76, region=1, page=2),
        _boxed("服务，显著提升了群众办事的便利程度。", 140, x1=300, page=2),
    ]
    for i, line in enumerate(lines):
        line.index = i
    blocks = assemble(lines, removed=set())
    assert [b.kind for b in blocks] == ["paragraph", "table"]
    assert blocks[0].text.endswith("一网通办等服务，显著提升了群众办事的便利程度。")


def test_table_region_over_running_sentences_is_read_as_text():
    sentences = [
        "边燕杰、肖阳．2020．中国居民主观幸福感比较研究［J］．社会学研究（1）：30－50．",
        "周燕杰、肖阳．2021．城乡居民收入差距与幸福感的关系再检验［J］．经济研究（2）：11－25．",
        "王小明．2019．数字鸿沟的形成机制与治理路径研究［J］．中国行政管理（3）：8－17．",
    ]
    lines = [_boxed(text, 100 + 14 * i, label="table", region=2) for i, text in enumerate(sentences)]
    for i, line in enumerate(lines):
        line.index = i
    assert not any(b.kind == "table" for b in assemble(lines, removed=set()))


def test_table_in_a_text_source_ends_the_paragraph_before_it():
    lines = _text_lines(
        [
            "数字治理的研究已经形成了较为丰富的成果，学者们讨论了改革的动因与效果。",
            "地区 | 得分",
            "北京 | 80.5",
        ]
    )
    lines.append(Line(text="后续段落继续讨论各地区的差异。", index=3))
    lines[0].fill = 1.0  # the paragraph's last line fills the width: nothing but the table ends it
    for line in lines[1:3]:
        line.label, line.region = "table", 1  # as the Markdown reader marks an HTML or pipe table
    assert [b.kind for b in assemble(lines, removed=set())] == ["paragraph", "table", "paragraph"]
