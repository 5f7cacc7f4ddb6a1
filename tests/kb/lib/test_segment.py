"""Segmentation: user words stay whole, search-engine mode keeps inner words, bigrams in order."""

import pytest

from kb.lib.segment import Segmenter, grams
from kb.lib.textnorm import fold


@pytest.fixture(scope="module")
def segmenter():
    return Segmenter(["数字鸿沟", "新质生产力"])


def test_user_word_is_one_query_token(segmenter):
    assert segmenter.query_tokens(fold("弥合数字鸿沟")) == ["弥合", "数字鸿沟"]


def test_search_mode_keeps_inner_words(segmenter):
    tokens = segmenter.index_tokens(fold("人工智能与数字鸿沟"))
    assert {"人工智能", "智能", "数字鸿沟", "鸿沟"} <= set(tokens)


def test_user_words_are_folded(segmenter):
    other = Segmenter(["數位落差"])
    assert "数位落差" in other.query_tokens(fold("數位落差"))


def test_punctuation_and_overlong_tokens_are_dropped(segmenter):
    assert segmenter.index_tokens(fold("，。！" + "x" * 100)) == []


def test_english_tokens_are_stemmed(segmenter):
    assert segmenter.index_tokens(fold("Digital Divides")) == ["digit", "divid"]


def test_grams_are_overlapping_bigrams_in_order():
    assert grams(fold("数字鸿沟 ai 好")) == ["数字", "字鸿", "鸿沟", "ai", "好"]


def test_grams_keep_other_words_whole_and_never_bridge_punctuation():
    assert grams(fold("5G网络，Digital-Divide")) == ["5g", "网络", "digital", "divide"]
    # "字鸿" would only come from a run crossing the comma.
    assert "字鸿" not in grams(fold("数字，鸿沟"))
