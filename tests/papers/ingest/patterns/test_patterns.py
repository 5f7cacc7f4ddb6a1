"""Failure patterns of real papers, in generated PDFs (``generate``): text in form XObjects,
page numbers in margin tabs, running heads with the author names, captions that differ only
by their number, two and three columns. Each test checks the reading order and that page
furniture never lands inside a sentence."""

from __future__ import annotations

import re
from functools import cache

import pytest

from papers.ingest import parse_bytes
from papers.ingest.types import ReadOptions
from tests.papers.ingest.patterns.generate import AUTHORS, PATTERNS, SENTENCES, TITLE

BODY_KINDS = {"paragraph", "abstract", "heading", "caption", "table", "figure"}


@cache
def _parsed(name: str, layout: bool):
    return parse_bytes(
        PATTERNS[name](), filename=f"{name}.pdf", options=ReadOptions(layout=layout, ocr=False)
    )


@pytest.fixture(params=[False, True], ids=["reader", "layout-model"])
def parsed(request):
    """Every pattern is checked with the reader's geometry alone and with the layout model's labels."""
    if request.param:
        from papers.ingest import layout

        if not layout.available():
            pytest.skip("the layout model is not installed")
    return lambda name: _parsed(name, request.param)


def body_text(paper) -> str:
    return "".join(p.text for p in paper.passages if p.kind in BODY_KINDS)


def sentence_order(text: str) -> list[str]:
    return re.findall(r"第(.)句", text)


def assert_sentences_whole(paper) -> None:
    """Every sentence stands whole in one passage: nothing was set inside it."""
    texts = [p.text for p in paper.passages if p.kind in BODY_KINDS]
    for sentence in SENTENCES:
        assert any(sentence in text for text in texts), sentence
    for text in texts:
        for piece in re.findall(r"第.句[^。]*。", text):
            assert piece in SENTENCES, piece


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_front_matter_is_read_from_every_pattern(parsed, name):
    paper = parsed(name)
    assert paper.title == TITLE
    assert [a.name for a in paper.authors] == AUTHORS


def test_text_inside_form_xobjects_is_read(parsed):
    paper = parsed("form_xobject")
    assert_sentences_whole(paper)
    assert sentence_order(body_text(paper)) == list("一二三四五六七八九十")


def test_margin_tab_page_numbers_are_furniture_and_page_labels(parsed):
    paper = parsed("margin_tab")
    assert_sentences_whole(paper)
    assert not re.search(r"\d", body_text(paper))
    assert [(r.text, r.page) for r in paper.removed] == [("30", 1), ("31", 2), ("32", 3)]
    assert [p.label for p in paper.page_info] == ["30", "31", "32"]


def test_running_heads_with_author_names_never_enter_the_paragraph(parsed):
    paper = parsed("running_header")
    paragraphs = [p for p in paper.passages if p.kind == "paragraph"]
    assert len(paragraphs) == 1  # one paragraph over three pages, joined across both breaks
    assert paragraphs[0].text == "".join(SENTENCES) * 4
    removed = {(r.text, r.page) for r in paper.removed}
    assert ("王娟\u3000张一\u3000黄晶·" + TITLE, 2) in removed
    assert {("57", 1), ("58", 2), ("59", 3)} <= removed
    assert [p.label for p in paper.page_info] == ["57", "58", "59"]


def test_captions_differing_only_by_number_both_stay(parsed):
    paper = parsed("captions")
    texts = [p.text for p in paper.passages]
    for caption in ("表1 各地区数字生态指数", "表2 各地区数字生态指数"):
        assert any(caption in text for text in texts), caption
    assert not paper.removed
    assert_sentences_whole(paper)


@pytest.mark.parametrize(("name", "labels"), [("two_columns", "甲乙"), ("three_columns", "甲乙丙")])
def test_columns_are_read_one_after_the_other(parsed, name, labels):
    paper = parsed(name)
    assert_sentences_whole(paper)
    text = body_text(paper)
    assert sentence_order(text) == list("一二三四五六七八九十")
    # page two: each column's text is read whole before the next column starts
    starts = [text.find(label + "栏") for label in labels]
    ends = [text.rfind(label + "栏") for label in labels]
    assert all(s >= 0 for s in starts)
    for k in range(len(labels) - 1):
        assert ends[k] < starts[k + 1]
    assert text.index("结论") < starts[0]
