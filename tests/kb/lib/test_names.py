"""Personal names: family/given splitting and the GB/T 7714 form."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.lib.names import gbt_name, gbt_parts, is_pinyin_name, pinyin_syllables, split_name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("王伟", ("王", "伟")),
        ("王佃利", ("王", "佃利")),
        ("欧阳修", ("欧阳", "修")),
        ("司马相如", ("司马", "相如")),
        ("诸葛亮", ("诸葛", "亮")),
        ("上官婉儿", ("上官", "婉儿")),
        ("尉迟恭", ("尉迟", "恭")),
        ("歐陽修", ("歐陽", "修")),
        ("王 佃利", ("王", "佃利")),
        ("王，佃利", ("王", "佃利")),
        ("卡尔·马克思", ("马克思", "卡尔")),
        ("TANG Renwu", ("TANG", "Renwu")),
        ("OUYANG Xiu", ("OUYANG", "Xiu")),
        ("Renwu Tang", ("Tang", "Renwu")),
        ("Tang, Renwu", ("Tang", "Renwu")),
        ("Smith, John Paul", ("Smith", "John Paul")),
        ("John Smith", ("Smith", "John")),
        ("SMITH J", ("SMITH", "J")),
        ("TANG R W", ("TANG", "R W")),
        ("JOHN SMITH", ("SMITH", "JOHN")),
        ("Smith J", ("Smith", "J")),
        ("Tang R. W.", ("Tang", "R. W.")),
        ("J. Smith", ("Smith", "J.")),
        ("Wang Dianli", ("Wang", "Dianli")),
        ("Ouyang Xiu", ("Ouyang", "Xiu")),
        ("Li Na", ("Na", "Li")),  # ambiguous: Western order unless the record says otherwise
        ("Ludwig van Beethoven", ("van Beethoven", "Ludwig")),
        ("Plato", ("Plato", "")),
        ("  ", ("", "")),
        ("王", ("王", "")),
    ],
)
def test_split_name(name, expected):
    assert split_name(name) == expected


def test_two_character_name_is_never_split_as_compound_surname():
    # 东方 is a compound surname, but a two-character name has only one character left for it.
    assert split_name("东方") == ("东", "方")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("王佃利", "王佃利"),
        ("欧阳修", "欧阳修"),
        ("王 佃利", "王佃利"),
        ("TANG Renwu", "TANG R W"),
        ("Renwu Tang", "TANG R W"),
        ("Tang, Renwu", "TANG R W"),
        ("Wang Dianli", "WANG D L"),
        ("Ouyang Xiu", "OUYANG X"),
        ("Zhang Xi'an", "ZHANG X A"),
        ("Li Ren-Wu", "LI R W"),
        ("TANG R W", "TANG R W"),
        ("Tang R. W.", "TANG R W"),
        ("Smith J.", "SMITH J"),
        ("John Smith", "SMITH J"),
        ("Smith, John Paul", "SMITH J P"),
        ("Jean-Paul Sartre", "SARTRE J P"),
        ("Maria Wang", "WANG M"),
        ("Ian Tang", "TANG I"),
        ("Plato", "PLATO"),
    ],
)
def test_gbt_name(name, expected):
    assert gbt_name(name) == expected


def test_pinyin_syllables_prefers_fewest():
    assert pinyin_syllables("Renwu") == ("ren", "wu")
    assert pinyin_syllables("xian") == ("xian",)
    assert pinyin_syllables("Xi'an") == ("xi", "an")
    assert pinyin_syllables("Smith") is None


def test_is_pinyin_name_rejects_western_names():
    assert is_pinyin_name("Tang", "Renwu")
    assert not is_pinyin_name("Smith", "John")
    assert not is_pinyin_name("Wang", "Maria")  # three syllables: not a Chinese given name


def test_gbt_parts_of_split_chinese_name():
    assert gbt_parts("王", "佃利") == "王佃利"
    assert gbt_parts("Tang", "") == "TANG"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_text_splits_without_losing_characters(name):
    family, given_name = split_name(name)
    assert isinstance(gbt_name(name), str)
    # Nothing is invented or lost: the parts are made of the name's own characters.
    compact = "".join(name.split())
    assert set(family + given_name) - {" ", "·"} <= set(compact)


@given(st.text(alphabet="王李张欧阳司马诸葛伟佃利明华", min_size=2, max_size=4))
def test_chinese_names_split_into_their_own_characters(name):
    family, given_name = split_name(name)
    assert family + given_name == name and family and given_name
