"""Unit tests of GB/T 7714 reference parsing and citation markers."""

from __future__ import annotations

from papers.ingest.references import FootnoteRef, bracket_citations, circled_citations, parse_reference


def test_gbt7714_journal_article():
    ref = parse_reference(
        "[1] 吴中, 熊天成, 杨海飞. 考虑换道过程影响的城市交通流动力学方程[J]. 华东交通大学学报, 2020, 37(6): 68-74."
    )
    assert ref.marker == "1"
    assert ref.authors == ["吴中", "熊天成", "杨海飞"]
    assert ref.title == "考虑换道过程影响的城市交通流动力学方程"
    assert (ref.type_code, ref.container, ref.year, ref.pages) == ("J", "华东交通大学学报", 2020, "68-74")


def test_gbt7714_book_and_doi():
    ref = parse_reference(
        "［2］习近平. 论把握新发展阶段[M]. 北京: 中央文献出版社, 2021: 12-15. DOI: 10.1000/xyz.1"
    )
    assert (ref.marker, ref.type_code, ref.year, ref.pages) == ("2", "M", 2021, "12-15")
    assert ref.container == "北京: 中央文献出版社"
    assert ref.doi == "10.1000/xyz.1"


def test_unparseable_reference_stays_raw():
    ref = parse_reference("[3] 一段没有格式的文字")
    assert (ref.marker, ref.title, ref.raw) == ("3", "", "[3] 一段没有格式的文字")


def test_bracket_citations_expand_ranges_and_lists():
    text = "研究［1］表明[2-4]，另见[5,6]与[9]-[11]。"
    refs = {str(n): n - 1 for n in range(1, 12)}
    cites = bracket_citations(text, 0, refs)
    assert [c.target for c in cites] == [0, 1, 2, 3, 4, 5, 8, 9, 10]
    assert all(text[c.start : c.end] == c.marker for c in cites)
    assert bracket_citations("时间段[6:58, 8:58]内", 0, refs) == []


def test_circled_markers_link_to_the_footnote_block_closing_their_page():
    # page 1: body line 0 with ①, footnotes at line 5; page 2: body line 7 with ① again, footnotes at 9
    notes = [FootnoteRef("①", 0, 5, None, 0), FootnoteRef("①", 1, 9, None, 1)]
    groups = [(5, 5), (9, 9)]
    first = circled_citations("甲①乙", 0, [0], notes, groups)
    second = circled_citations("丙①丁", 1, [7], notes, groups)
    assert (first[0].target, second[0].target) == (0, 1)
    missing = circled_citations("戊②", 2, [7], notes, groups)
    assert missing[0].target is None
