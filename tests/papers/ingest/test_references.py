"""Unit tests of GB/T 7714 reference parsing and citation markers."""

from __future__ import annotations

from papers.ingest.references import (
    FootnoteRef,
    bracket_citations,
    circled_citations,
    is_citation,
    parse_reference,
)


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


def test_gbt_author_date_with_full_width_punctuation():
    ref = parse_reference("边燕杰、肖阳．2014．中英居民主观幸福感比较研究［J］．社会学研究（2）：22－42．")
    assert (ref.authors, ref.year, ref.type_code) == (["边燕杰", "肖阳"], 2014, "J")
    assert (ref.title, ref.container) == ("中英居民主观幸福感比较研究", "社会学研究")


def test_author_date_whose_type_code_was_lost_in_extraction():
    ref = parse_reference("蔡禾．2014．劳动自评、自主性与劳动者的幸福感［犑］．社会学评论（4）：3－13．")
    assert (ref.authors, ref.year, ref.title, ref.container) == (
        ["蔡禾"],
        2014,
        "劳动自评、自主性与劳动者的幸福感",
        "社会学评论",
    )


def test_shijie_jingji_and_chinese_note_citations():
    house = parse_reference(
        "曹春方、马连福、沈小秀（2014）：《财政压力、晋升压力与地方国企过度投资》，《经济学（季刊）》第4期。"
    )
    assert (house.authors, house.year) == (["曹春方", "马连福", "沈小秀"], 2014)
    assert (house.title, house.container) == ("财政压力、晋升压力与地方国企过度投资", "经济学（季刊）")
    note = parse_reference(
        "③参见吴清军、李贞：《分享经济下的劳动控制与工作自主性》，《社会学研究》2018年第4期。"
    )
    assert (note.marker, note.authors, note.year) == ("③", ["吴清军", "李贞"], 2018)
    assert (note.title, note.container) == ("分享经济下的劳动控制与工作自主性", "社会学研究")
    book = parse_reference("李强：《社会分层与共同富裕》，北京：社会科学文献出版社，2022年，第35页。")
    assert (book.title, book.year, book.pages) == ("社会分层与共同富裕", 2022, "35")


def test_numbered_markers_of_every_style_are_read():
    for raw, marker in [("〔7〕张三. 书名[M]. 北京: 人民出版社, 2020.", "7"), ("（12）张三. 书名[M]. 2020.", "12"),
                        ("3. 张三. 书名[M]. 2020.", "3"), ("［4］张三. 书名[M]. 2020.", "4")]:  # fmt: skip
        assert parse_reference(raw).marker == marker
    assert parse_reference("5 张三. 书名[M]. 2020.", style="space").marker == "5"
    assert parse_reference("3D打印技术研究[M]. 2020.").marker == ""


def test_plain_english_and_comma_year_entries():
    plain = parse_reference(
        "[2] Olivier Ledoit and Michael Wolf. A well-conditioned estimator for large-dimensional covariance "
        "matrices. Journal of multivariate analysis, 88(2):365–411, 2004."
    )
    assert (plain.authors, plain.year) == (["Olivier Ledoit", "Michael Wolf"], 2004)
    assert plain.container == "Journal of multivariate analysis"
    comma = parse_reference(
        "Li, H., and L. A. Zhou, 2005, “Political Turnover”, Journal of Public Economics, 89(9), 1743-1762."
    )
    assert (comma.year, comma.title, comma.container) == (
        2005,
        "Political Turnover",
        "Journal of Public Economics",
    )


def test_which_notes_cite_a_work():
    assert is_citation("参见王锡锌：《个人信息国家保护义务及展开》，《中国法学》2021年第1期。")
    assert is_citation("同上，第23页。")
    assert is_citation(
        "See James Willard Hurst, Law and Economic Growth, Harvard University Press, 1964, p. 63."
    )
    assert is_citation("SeeMargotE Kaminski Regulating the Risks of AI p 1397 vol 103 2023")
    assert not is_citation("本文所称人脸信息，是指能够识别特定自然人身份的面部特征信息。")
    assert not is_citation("根据审稿人的意见，1975年以前建立制度的国家不纳入样本。")
