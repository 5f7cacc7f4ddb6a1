"""Folding: traditional → simplified, full-width → half-width, case, punctuation; stemming."""

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from kb.lib import textnorm
from kb.lib.textnorm import fold, fold_with_offsets, nfkc, stem


def test_traditional_folds_to_simplified():
    assert fold("數字鴻溝") == "数字鸿沟"


def test_full_width_and_case_fold():
    assert fold("ＡＢＣ１２３ Digital") == "abc123 digital"


def test_punctuation_becomes_space():
    assert fold("数字，鸿沟“x”").split() == ["数字", "鸿沟", "x"]


def test_spaces_between_han_characters_are_dropped():
    assert fold("陈 斌 认为\n数字") == "陈斌认为数字"


def test_offsets_point_into_the_original():
    folded, offsets = fold_with_offsets("①數字 ß 鸿 沟")
    assert folded == "1数字 ss 鸿沟"
    assert [offsets[i] for i in range(len(folded))] == [0, 1, 2, 3, 4, 4, 5, 6, 8]


def test_english_stem():
    assert stem("divides") == stem("divide") == "divid"
    assert stem("数字") == "数字"


# Compatibility characters (circled and full-width digits, a ligature, half-width kana with a
# voicing mark that composes, a math letter), combining marks, Hangul jamo, plain text.
_NFKC_CHARS = st.sampled_from(list("①２Ａﬁｶﾞ\u0301\u0308e가\u11a8\U0001d400数字 a"))


@settings(max_examples=500, deadline=None)
@given(st.text(_NFKC_CHARS, max_size=20))
def test_nfkc_is_unicodedatas(text):
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


def test_nfkc_of_a_paragraph_with_footnote_markers():
    text = "数字鸿沟①是指……②" * 20
    assert nfkc(text) == unicodedata.normalize("NFKC", text)
    assert "①" not in nfkc(text)


_GAP_CHARS = st.sampled_from(list("数字𠀀a1 \n\t\u3000，"))


@settings(max_examples=500, deadline=None)
@given(st.text(_GAP_CHARS, max_size=16))
def test_gaps_between_han_characters_are_the_plain_look_behind_pattern(text):
    # The reference: whitespace with a Han character on each side, written the obvious way.
    han = textnorm.CJK_CLASS
    assert textnorm._CJK_GAP.sub("", text) == re.sub(f"(?<=[{han}])\\s+(?=[{han}])", "", text)
    assert textnorm._CJK_GAP_IN_LINE.sub("", text) == re.sub(f"(?<=[{han}])[^\\S\\n]+(?=[{han}])", "", text)


_PUNCT_CHARS = st.sampled_from(list("数字a1_ ，。“”—-!?@#¥%…\u3000😀𠀀\U0001d400·\u00b7〇"))


@settings(max_examples=500, deadline=None)
@given(st.text(_PUNCT_CHARS, max_size=16))
def test_punctuation_to_spaces_is_the_plain_pattern(text):
    assert textnorm.spaces_for_punctuation(text) == re.sub(r"[^\w\s]|_", " ", text)
