"""Anchoring quotes from other renderings of a paper (kb.lib.quote_anchor): pure."""

from __future__ import annotations

from kb.lib import anchoring
from kb.lib.quote_anchor import FOLDED, anchor_quote

TEXT = "弥合数字鸿沟是实现共同富裕的重要路径。数字基础设施的普及为农村居民提供了参与数字经济的机会。"


def test_a_traditional_script_quote_needs_the_folded_step():
    selector = anchoring.Selector(exact="參與數字經濟的機會", prefix="為農村居民提供了", suffix="。")
    assert anchoring.anchor(TEXT, selector) is None
    match = anchor_quote(TEXT, selector)
    assert (match.method, TEXT[match.start : match.end]) == (FOLDED, "参与数字经济的机会")


def test_pdf_spacing_and_full_width_punctuation():
    selector = anchoring.Selector(exact="重要 路径.\n数字 基础设施", prefix="实现共同富裕的")
    match = anchor_quote(TEXT, selector)
    assert TEXT[match.start : match.end] == "重要路径。数字基础设施"


def test_an_exact_quote_keeps_the_readers_anchoring():
    match = anchor_quote(TEXT, anchoring.Selector(exact="共同富裕", prefix="弥合数字鸿沟是实现"))
    assert match.method == anchoring.EXACT and TEXT[match.start : match.end] == "共同富裕"


def test_a_missing_quote_and_a_quote_of_punctuation_only_find_nothing():
    assert anchor_quote(TEXT, anchoring.Selector(exact="人工智能伦理的治理框架")) is None
    assert anchor_quote(TEXT, anchoring.Selector(exact="。 ，")) is None
