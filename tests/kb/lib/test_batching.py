"""Batch folding and segmenting give each text exactly what it gets alone (bulk indexing, snippets)."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.lib.segment import CodePoints, Segmenter, grams, grams_line
from kb.lib.textnorm import fold, fold_many, fold_with_offsets, fold_with_offsets_many

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus"

EDGE_CASES = [
    "數字鴻溝與數位落差",  # traditional
    "ＡＢＣ１２３ Digital Divides",  # full-width, case, English to stem
    "陈 斌 认为\n数字",  # a gap between Han characters, a line break
    "治理\r\n能力",  # a Windows line break
    "末尾是汉字",
    "开头也是汉字",
    "①参见Straße",  # NFKC and casefold change the length
    "",
    "，。！",
    "x" * 100,  # an overlong token
    "编号" + "1" * 50 + "之后",  # an overlong run of digits
    "弥合数字鸿沟，high-quality development",
]


def _texts() -> list[str]:
    texts = list(EDGE_CASES)
    for path in sorted(CORPUS.glob("*.txt"))[:3]:
        texts.extend(p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip())
    return texts


@pytest.fixture(scope="module")
def segmenter():
    return Segmenter(["数字鸿沟", "新质生产力", "数位落差"])


def test_fold_many_is_fold_of_each_with_line_breaks_as_spaces():
    texts = _texts()
    assert fold_many(texts) == [fold(t.replace("\r", " ").replace("\n", " ")) for t in texts]


def test_fold_many_of_nothing():
    assert fold_many([]) == []


def test_index_lines_give_each_text_its_own_tokens(segmenter):
    folded = fold_many(_texts())
    lines = segmenter.index_lines(folded)
    assert len(lines) == len(folded)
    assert [line.split() for line in lines] == [segmenter.index_tokens(f) for f in folded]


def test_fold_with_offsets_many_matches_one_at_a_time():
    texts = _texts()
    flat = [t.replace("\r", " ").replace("\n", " ") for t in texts]
    assert fold_with_offsets_many(texts) == [fold_with_offsets(t) for t in flat]


def test_grams_line_is_the_grams_joined():
    for text in fold_many(_texts()):
        assert grams_line(text) == " ".join(grams(text))


def test_batch_grams_are_each_texts_own_grams():
    folded = fold_many(_texts())
    lines = CodePoints(folded).grams_lines()
    assert len(lines) == len(folded)
    assert [line.split() for line in lines] == [grams(f) for f in folded]


def test_batch_finds_the_texts_with_english_and_with_overlong_runs():
    folded = fold_many(
        ["纯中文", "含有ai一词", "编号" + "1" * 41 + "之后", "编号" + "a1" * 20, "", "Ｘ", "é" * 41]
    )
    points = CodePoints(folded)
    assert points.latin_lines() == [1, 3, 5]
    assert points.overlong_lines() == [2, 6]


# Han (incl. an astral character), Latin, digits, spaces of several kinds, a lone surrogate.
_CHARS = st.sampled_from(list("数字鸿沟的𠀀〇aZ9 \u3000\xa0\x1c_é") + ["\ud800"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(_CHARS, max_size=12), max_size=6))
def test_batch_grams_match_one_at_a_time_on_any_text(texts):
    # Folded text has no line breaks; everything else may occur.
    lines = CodePoints(texts).grams_lines()
    assert [line.split() for line in lines] == [grams(t) for t in texts]


def test_batch_of_nothing():
    assert CodePoints([]).grams_lines() == []
    assert CodePoints([]).latin_lines() == CodePoints([]).overlong_lines() == []


_PIECES = st.sampled_from(
    [
        "数字鸿沟",
        "的",
        "divides",
        "digital",
        "5g",
        "abc123",
        "café",
        "é",
        "1" * 45,
        "x" * 41,
        " ",
        "  ",
        "\u3000",
        "治理",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=8).map("".join), min_size=1, max_size=5))
def test_index_lines_match_one_at_a_time_on_any_text(segmenter, texts):
    folded = fold_many(texts)
    assert [line.split() for line in segmenter.index_lines(folded)] == [
        segmenter.index_tokens(f) for f in folded
    ]
