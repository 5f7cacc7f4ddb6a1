"""Snippets: escape first, then mark; folded and stemmed matches; a window around the matches."""

from kb.search.snippets import highlight, snippet


def test_escapes_then_marks():
    assert snippet("<b>数字鸿沟</b>", ["数字鸿沟"]) == "&lt;b&gt;<mark>数字鸿沟</mark>&lt;/b&gt;"


def test_marks_traditional_text_for_a_simplified_term():
    assert highlight("弥合數字鴻溝", ["数字鸿沟"]) == "弥合<mark>數字鴻溝</mark>"


def test_marks_full_width_and_stemmed_english():
    assert highlight("ＡＩ and divides", ["ai", "divid"]) == "<mark>ＡＩ</mark> and <mark>divides</mark>"


def test_window_around_the_match():
    text = "前" * 300 + "数字鸿沟" + "后" * 300
    out = snippet(text, ["数字鸿沟"], width=60)
    assert out.startswith("…") and out.endswith("…")
    assert "<mark>数字鸿沟</mark>" in out
    assert len(out.replace("<mark>", "").replace("</mark>", "")) == 62


def test_no_terms_no_marks():
    assert snippet("<i>x</i>", []) == "&lt;i&gt;x&lt;/i&gt;"
