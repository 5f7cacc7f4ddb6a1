"""The query language and its malformed inputs (the parser never raises)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kb.search.parser import MAX_CLAUSES, Clause, Filter, Term, parse


def test_words_are_anded():
    assert parse("数字鸿沟 共同富裕").clauses == (Clause((Term("数字鸿沟"),)), Clause((Term("共同富裕"),)))


def test_phrase_exclusion_and_or():
    parsed = parse('"数字 鸿沟" -乡村 治理 OR 管理')
    assert parsed.clauses == (
        Clause((Term("数字 鸿沟", phrase=True),)),
        Clause((Term("乡村"),), negated=True),
        Clause((Term("治理"), Term("管理"))),
    )


def test_chinese_and_full_width_quotes_make_phrases():
    assert parse("“数字鸿沟”").clauses[0].terms == (Term("数字鸿沟", phrase=True),)
    assert parse("＂数字鸿沟＂").clauses[0].terms == (Term("数字鸿沟", phrase=True),)


def test_field_filters():
    parsed = parse(
        'author:"王 小明" year:2020..2023 concept:数字鸿沟 paper:12 kind:footnote tag:方法 -type:claim'
    )
    assert parsed.filters == (
        Filter("author", "王 小明"),
        Filter("year", "2020..2023"),
        Filter("concept", "数字鸿沟"),
        Filter("paper", "12"),
        Filter("kind", "footnote"),
        Filter("tag", "方法"),
        Filter("type", "claim", negated=True),
    )
    assert parsed.clauses == ()


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("year:2022", "2022..2022"),
        ("year:2023..2020", "2020..2023"),
        ("year:..2020", "1000..2020"),
        ("year:2020-", "2020..2999"),
    ],
)
def test_year_forms(raw, value):
    assert parse(raw).filters == (Filter("year", value),)


@pytest.mark.parametrize("raw", ["year:abc", "year:99999", "year:.."])
def test_malformed_year_is_ignored(raw):
    assert parse(raw).filters == ()


def test_unbalanced_quote_is_ignored():
    assert parse('"数字鸿沟 共同').clauses == (Clause((Term("数字鸿沟"),)), Clause((Term("共同"),)))


def test_dangling_or_and_lone_minus_degrade():
    assert parse("OR 数字 OR").clauses == (Clause((Term("数字"),)),)
    assert parse("- 数字").clauses == (Clause((Term("-"),)), Clause((Term("数字"),)))


def test_unknown_field_is_a_word():
    assert parse("http://x.org").clauses == (Clause((Term("http://x.org"),)),)


def test_long_input_is_truncated():
    parsed = parse("数字 " * 5000)
    assert len(parsed.clauses) == MAX_CLAUSES
    assert len(parsed.raw) <= 500


@given(st.text(max_size=300))
def test_never_raises(raw):
    parse(raw)


@pytest.mark.parametrize("raw", ["数字鸿沟 AND 城乡", "数字鸿沟 并且 城乡", "AND 数字鸿沟 城乡 AND"])
def test_explicit_and_is_the_implicit_and(raw):
    assert parse(raw).clauses == (Clause((Term("数字鸿沟"),)), Clause((Term("城乡"),)))


@pytest.mark.parametrize("raw", ["治理 OR 管理", "治理 或者 管理"])
def test_or_in_both_languages(raw):
    assert parse(raw).clauses == (Clause((Term("治理"), Term("管理"))),)


@pytest.mark.parametrize("raw", ["数字鸿沟 NOT 乡村", "数字鸿沟 不含 乡村", "数字鸿沟 -乡村"])
def test_not_in_both_languages(raw):
    assert parse(raw).clauses == (Clause((Term("数字鸿沟"),)), Clause((Term("乡村"),), negated=True))


def test_not_applies_to_a_filter_and_binds_one_word():
    parsed = parse("数字 NOT kind:footnote 城乡")
    assert parsed.filters == (Filter("kind", "footnote", negated=True),)
    assert parsed.clauses == (Clause((Term("数字"),)), Clause((Term("城乡"),)))


def test_operators_in_quotes_or_lower_case_are_words():
    assert parse('"AND" and').clauses == (Clause((Term("AND", phrase=True),)), Clause((Term("and"),)))


def test_or_after_not_does_not_join_the_exclusion():
    assert parse("NOT 乡村 OR 城市").clauses == (
        Clause((Term("乡村"),), negated=True),
        Clause((Term("城市"),)),
    )


def test_not_at_the_end_is_dropped():
    assert parse("数字 NOT").clauses == (Clause((Term("数字"),)),)
