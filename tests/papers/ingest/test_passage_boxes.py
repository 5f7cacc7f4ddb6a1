"""Every passage of a PDF knows where it stands: one box per line, on each page it crosses."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from papers.ingest import ReadOptions, parse_bytes, parse_file
from tests.samples import SHORT_PAPER

HANS = (
    Path(__file__).resolve().parents[3].parent
    / "shared"
    / "pdf"
    / "hanspub_mos_2026_151009_road_traffic_flow.pdf"
)
needs_hans = pytest.mark.skipif(not HANS.is_file(), reason="shared PDF missing")


@cache
def _hans():
    return parse_file(HANS, options=ReadOptions(layout=False, ocr=False))


@needs_hans
def test_every_paged_passage_has_boxes_on_its_page_inside_the_page():
    paper = _hans()
    sizes = {info.number: (info.width, info.height) for info in paper.page_info}
    paged = [p for p in paper.passages if p.page is not None]
    assert paged
    for passage in paged:
        assert passage.boxes, passage.text[:40]
        assert passage.boxes[0][0] == passage.page
        for page, x0, top, x1, bottom in passage.boxes:
            width, height = sizes[page]
            assert 0 <= x0 < x1 <= width + 1 and 0 <= top < bottom <= height + 1


@needs_hans
def test_a_passage_across_a_page_break_has_boxes_on_both_pages():
    crossing = [p for p in _hans().passages if len({box[0] for box in p.boxes}) > 1]
    assert crossing
    pages = [box[0] for box in crossing[0].boxes]
    assert pages == sorted(pages) and pages[0] == crossing[0].page


def test_text_sources_have_no_boxes_and_no_pages():
    paper = parse_bytes(SHORT_PAPER.encode(), filename="x.txt")
    assert all(p.boxes == [] and p.page is None for p in paper.passages)


@needs_hans
def test_a_parsed_paper_survives_its_json_whole():
    paper = _hans()
    again = type(paper).from_json(paper.to_json(), size=paper.source.size)
    assert again == paper
