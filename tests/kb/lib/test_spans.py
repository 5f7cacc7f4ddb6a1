"""render_spans escapes first, then wraps."""

from kb.lib.spans import Span, render_spans


def test_plain_text_is_escaped():
    assert render_spans("a<b>&c") == "a&lt;b&gt;&amp;c"


def test_span_wraps_exact_characters():
    out = render_spans("数字鸿沟与共同富裕", [Span(0, 4, "mark")])
    assert out == "<mark>数字鸿沟</mark>与共同富裕"


def test_overlapping_spans_nest_per_piece():
    out = render_spans("abcdef", [Span(0, 4, "mark"), Span(2, 6, "span", (("class", "m"),))])
    assert out == '<mark>ab</mark><mark><span class="m">cd</span></mark><span class="m">ef</span>'


def test_attribute_values_are_escaped():
    out = render_spans("xy", [Span(0, 1, "a", (("href", '"><script>'),))])
    assert "<script>" not in out
    assert "&quot;&gt;&lt;script&gt;" in out


def test_out_of_range_spans_are_ignored():
    assert render_spans("ab", [Span(1, 9, "mark"), Span(2, 2, "mark")]) == "ab"


def test_disallowed_tag_raises():
    import pytest

    with pytest.raises(ValueError):
        render_spans("ab", [Span(0, 1, "script")])


def test_nested_links_keep_only_the_outer_one():
    out = render_spans("abcd", [Span(0, 4, "a", (("href", "#x"),)), Span(1, 2, "a", (("href", "#y"),))])
    assert (
        out == '<a href="#x">a</a><a href="#x">b</a><a href="#x">cd</a>'
    )  # re-opened per piece, never nested
    assert 'href="#y"' not in out
