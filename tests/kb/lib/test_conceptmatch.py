"""Pure tests of the concept matcher: folding, offsets, longest match, word boundaries."""

from __future__ import annotations

import pytest

from kb.lib.conceptmatch import ConceptMatcher, fold_term

DIVIDE, NQPF, DNQPF, PUBLIC_VALUE, PV_FAILURE, GOVERNANCE, DSG = 1, 2, 3, 4, 5, 6, 7


@pytest.fixture(scope="module")
def matcher():
    return ConceptMatcher(
        [
            (DIVIDE, "数字鸿沟"),
            (DIVIDE, "數位落差"),
            (DIVIDE, "digital divide"),
            (NQPF, "新质生产力"),
            (DNQPF, "数字新质生产力"),
            (PUBLIC_VALUE, "公共价值"),
            (PV_FAILURE, "公共价值失灵"),
            (GOVERNANCE, "社会治理"),
            (DSG, "数字社会治理"),
        ]
    )


def found(matcher, text):
    return [(text[m.start : m.end], m.concept_id) for m in matcher.find(text)]


def test_longest_match_wins(matcher):
    assert found(matcher, "数字新质生产力与新质生产力") == [("数字新质生产力", DNQPF), ("新质生产力", NQPF)]
    assert found(matcher, "导致公共价值失灵") == [("公共价值失灵", PV_FAILURE)]
    assert found(matcher, "数字社会治理推动社会治理") == [("数字社会治理", DSG), ("社会治理", GOVERNANCE)]


def test_label_inside_an_unrelated_longer_word_is_not_a_mention(matcher):
    # 公共价值观 (public values, a moral outlook) is one word; 公共价值 is not inside it.
    assert found(matcher, "不同公众价值观的分化与公共价值观的对立") == []
    assert found(matcher, "公共价值观与公共价值") == [("公共价值", PUBLIC_VALUE)]


def test_traditional_characters_are_folded_and_offsets_point_at_the_original(matcher):
    text = "弥合數字鴻溝，縮小數位落差"
    assert found(matcher, text) == [("數字鴻溝", DIVIDE), ("數位落差", DIVIDE)]


def test_full_width_and_case_are_folded(matcher):
    text = "the ＤＩＧＩＴＡＬ　Ｄｉｖｉｄｅ widens"
    assert found(matcher, text) == [("ＤＩＧＩＴＡＬ　Ｄｉｖｉｄｅ", DIVIDE)]


def test_latin_terms_need_word_boundaries(matcher):
    assert found(matcher, "digital divides and predigital divide") == []
    assert found(matcher, "(digital divide)") == [("digital divide", DIVIDE)]


def test_spaces_inside_chinese_from_pdf_extraction_are_bridged(matcher):
    text = "弥合数 字鸿沟"
    assert found(matcher, text) == [("数 字鸿沟", DIVIDE)]


def test_fold_term_collapses_punctuation_and_spaces():
    assert fold_term("  Digital   Divide ") == "digital divide"
    assert fold_term("數字鴻溝") == "数字鸿沟"


def test_first_concept_keeps_an_ambiguous_term():
    matcher = ConceptMatcher([(1, "数据孤岛"), (2, "数据孤岛")])
    assert [m.concept_id for m in matcher.find("破解数据孤岛")] == [1]
