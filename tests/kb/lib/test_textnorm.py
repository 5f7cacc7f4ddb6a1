"""Folding: traditional → simplified, full-width → half-width, case, punctuation; stemming."""

from kb.lib.textnorm import fold, fold_with_offsets, stem


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
