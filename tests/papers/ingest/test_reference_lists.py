"""Reference lists and endnotes in generated documents: every heading and numbering style, author–year
lists of the usual house styles, where a list ends, endnotes linked to their markers, footnote-only
citation styles, and nothing lost (two entries that look alike are both kept)."""

from __future__ import annotations

import re
from functools import cache

import pytest

from papers.ingest import ReadOptions, parse_bytes
from papers.ingest.lines import Line
from papers.ingest.listmarks import list_heading, page_notes
from papers.ingest.reflist import find_lists
from tests.papers.ingest.listgen import pdf_document, text_document

BODY = [
    (
        "para",
        "数字治理的研究已经形成了较为丰富的成果，学者们从技术、组织和制度等角度讨论了数字化改革的动因与效果，"
        "但从公共价值的视角讨论其分配后果的研究仍然不足。",
    ),
]


def _gbt(k: int) -> str:
    """A GB/T 7714 journal entry; every third one is long enough to wrap."""
    extra = "——基于长三角地区县级政府的多案例比较研究" if k % 3 == 0 else ""
    return f"王{'一二三四五六七八九十'[k % 10]}明, 李华. 数字政府建设的第{k}种路径{extra}[J]. 公共管理学报, {2000 + k}, {k}(2): {k}-{k + 9}."


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@cache
def _text(items: tuple[tuple[str, str], ...]):
    return parse_bytes(text_document(BODY + list(items)), filename="list.txt")


@cache
def _pdf(items: tuple[tuple[str, str], ...]):
    # the layout model is left off: these documents test the list logic, and stay quick
    return parse_bytes(
        pdf_document(BODY + list(items)), filename="list.pdf", options=ReadOptions(layout=False, ocr=False)
    )


STYLES = [
    ("参考文献", "[{n}] "),
    ("【参考文献】", "［{n}］"),
    ("参 考 文 献", "{n}. "),
    ("［参考文献］", "{n} "),
    ("References", "（{n}）"),
    ("主要参考文献", "〔{n}〕"),
    ("参考书目", "{n}．"),
]


@pytest.mark.parametrize(("heading", "marker"), STYLES, ids=[m for _, m in STYLES])
def test_every_heading_and_numbering_style_gives_every_entry_whole(heading, marker):
    entries = [marker.format(n=n) + _gbt(n) for n in range(1, 13)]
    items = (
        [("heading", heading)]
        + [("hang", e) for e in entries]
        + [("heading", "致谢"), ("para", "感谢评审专家。")]
    )
    paper = _text(tuple(items))
    assert [_squeeze(r.raw) for r in paper.references] == [_squeeze(e) for e in entries]
    assert [r.marker for r in paper.references] == [str(n) for n in range(1, 13)]
    assert all(r.type_code == "J" and r.authors == [r.authors[0], "李华"] for r in paper.references)
    assert any(p.kind == "paragraph" and p.text == "感谢评审专家。" for p in paper.passages)


def test_circled_numbers_in_a_reference_list_are_entries_too():
    entries = [f"{'①②③④⑤'[n - 1]}{_gbt(n)}" for n in range(1, 6)]
    paper = _text(tuple([("heading", "参考文献")] + [("hang", e) for e in entries]))
    assert [_squeeze(r.raw) for r in paper.references] == [_squeeze(e) for e in entries]


@pytest.mark.parametrize(
    "heading", ["参考文献", "【参考文献】", "参 考 文 献", "［参考文献］", "注释与参考文献", "References"]
)
def test_list_headings_are_recognised_and_prose_is_not(heading):
    assert list_heading(heading) is not None
    assert list_heading(heading + "：") is not None
    assert list_heading("参考文献表明，这一问题值得研究") is None
    assert list_heading("参考文献：[1] 张三. 书名[M]. 北京: 人民出版社, 2020.")[2].startswith("[1]")


def test_first_entry_on_the_heading_line():
    items = [("flat", "参考文献：[1] " + _gbt(1)), ("hang", "[2] " + _gbt(2))]
    paper = _text(tuple(items))
    assert [r.marker for r in paper.references] == ["1", "2"]
    assert any(p.kind == "heading" and p.text == "参考文献：" for p in paper.passages)


# --- author–year lists ------------------------------------------------------------------------------------

SURNAMES = "边蔡程迪冯高郭洪怀黄李刘陆鲁马钱孙汤王韦吴夏谢邢杨殷余曾张赵周"


def _author_date(k: int) -> str:
    name = SURNAMES[k % len(SURNAMES)]
    return f"{name}燕杰、肖阳．{1990 + k}．中国居民主观幸福感比较研究之{k}［J］．社会学研究（{k % 6 + 1}）：{k}－{k + 20}．"


def test_an_author_year_list_runs_to_its_end_and_stops_before_the_english_abstract():
    entries = [_author_date(k) for k in range(30)]
    tail = [("meta", "Abstract: This paper compares the happiness of residents across classes over time.")]
    paper = _text(tuple([("heading", "参考文献")] + [("flat", e) for e in entries] + tail))
    assert [_squeeze(r.raw) for r in paper.references] == [_squeeze(e) for e in entries]
    assert paper.references[3].authors == ["迪燕杰", "肖阳"]
    assert (paper.references[3].year, paper.references[3].container) == (1993, "社会学研究")
    assert paper.abstract_en.startswith("This paper compares")


HOUSE_SHIJIE = [
    "曹春方、马连福、沈小秀（2014）：《财政压力、晋升压力、官员任期与地方国企过度投资》，《经济学（季刊）》第4期。",
    "陈邱惠、徐现祥（2021）：《全球视野下的稳增长——第二次世界大战以来的增长目标与政府支出》，《经济学（季刊）》第2期。",
    "耿曙、庞保庆、钟灵娜（2016）：《中国地方领导任期与政府行为模式：官员任期的政治经济学》，《经济学（季刊）》第3期。",
    "Acemoglu, D., and J. A. Robinson, 2012, Why Nations Fail, New York: Crown Business.",
    "Li, H., and L. A. Zhou, 2005, “Political Turnover and Economic Performance”, Journal of Public Economics, 89(9), 1743-1762.",
]


def test_shijie_jingji_house_style_entries_are_parsed_and_cited():
    body = [
        ("para", "已有研究发现任期影响投资决策（曹春方等，2014），Li and Zhou (2005) 则强调晋升激励的作用。")
    ]
    items = body + [("heading", "参考文献：")] + [("flat", e) for e in HOUSE_SHIJIE]
    paper = _text(tuple(items))
    assert len(paper.references) == 5
    first = paper.references[0]
    assert (first.authors, first.year) == (["曹春方", "马连福", "沈小秀"], 2014)
    assert (first.title, first.container) == (
        "财政压力、晋升压力、官员任期与地方国企过度投资",
        "经济学（季刊）",
    )
    assert (paper.references[4].year, paper.references[4].title) == (
        2005,
        "Political Turnover and Economic Performance",
    )
    targets = {c.target for c in paper.citations if c.target_kind == "reference"}
    assert {0, 4} <= targets


def test_guanli_shijie_list_english_first_numbered_in_parentheses():
    english = [
        f"（{n}）Acemoglu, D., Makhdoumi, A. and Ozdaglar, A., {2010 + n}, “Too Much Data: Prices and Inefficiencies "
        f"in Data Markets {n}”, American Economic Journal: Microeconomics, 14(4), pp.218~256."
        for n in range(1, 4)
    ]
    chinese = [
        f"（{n}）蔡继明、刘媛：《数据要素参与价值创造的途径之{n}》，《管理世界》{2010 + n}年第7期。"
        for n in range(4, 7)
    ]
    paper = _text(tuple([("heading", "参考文献")] + [("hang", e) for e in english + chinese]))
    assert [r.marker for r in paper.references] == ["1", "2", "3", "4", "5", "6"]
    assert paper.references[0].year == 2011
    assert (paper.references[4].authors, paper.references[4].container) == (["蔡继明", "刘媛"], "管理世界")


def test_apa_list():
    entries = [
        f"Smith{'ABCDEFGH'[k]}, J., & Lee, A. ({2010 + k}). The digital divide in local government number {k}. "
        f"Journal of Governance, {k}(2), 1-10."
        for k in range(8)
    ]
    paper = _text(tuple([("heading", "References")] + [("hang", e) for e in entries]))
    assert [_squeeze(r.raw) for r in paper.references] == [_squeeze(e) for e in entries]
    assert paper.references[2].authors == ["SmithC, J.", "Lee, A."]
    assert paper.references[2].container == "Journal of Governance"


# --- where a list ends ------------------------------------------------------------------------------------

ENDINGS = [
    [("heading", "致谢"), ("para", "感谢匿名评审专家的宝贵意见。")],
    [("meta", "附录A 变量定义与数据来源"), ("para", "本文的数据来自各省统计年鉴。")],
    [("meta", "作者简介：张三，北京大学政府管理学院博士研究生。")],
    [("meta", "［责任编辑 王五］")],
    [("meta", "Abstract: Digital governance creates public value.")],
]


@pytest.mark.parametrize("ending", ENDINGS, ids=["acknowledgements", "appendix", "bio", "editor", "abstract"])
def test_a_label_after_the_list_ends_it(ending):
    entries = [f"[{n}] " + _gbt(n) for n in range(1, 6)]
    paper = _text(tuple([("heading", "参考文献")] + [("hang", e) for e in entries] + ending))
    assert [_squeeze(r.raw) for r in paper.references] == [_squeeze(e) for e in entries]
    label = _squeeze(ending[0][1])[:4]
    assert any(label in _squeeze(p.text) for p in paper.passages if p.kind != "reference")


def test_two_entries_that_look_alike_are_both_kept():
    same = "国家统计局. 中国统计年鉴[M]. 北京: 中国统计出版社, 2020."
    numbered = _text(tuple([("heading", "参考文献"), ("hang", f"[1] {same}"), ("hang", f"[2] {same}")]))
    assert [r.raw for r in numbered.references] == [f"[1] {same}", f"[2] {same}"]
    plain = _text(tuple([("heading", "参考文献"), ("flat", same), ("flat", same), ("flat", _author_date(1))]))
    assert [r.raw for r in plain.references[:2]] == [same, same]


# --- endnotes and footnote-only citation styles ------------------------------------------------------------

NOTES = [
    "习近平：《发展新质生产力是推动高质量发展的内在要求和重要着力点》，《求是》2024年第11期。",
    "中华全国总工会：《第九次全国职工队伍状况调查》，2023年。",
    "吴清军、李贞：《分享经济下的劳动控制与工作自主性》，《社会学研究》2018年第4期。",
    "李强：《社会分层与共同富裕》，北京：社会科学文献出版社，2022年，第35页。",
]


def test_circled_endnotes_are_linked_to_their_markers_and_cite_works():
    body = [("para", "新质生产力的提出①深刻影响了劳动关系②。平台劳动的控制方式③值得关注，共同富裕是目标④。")]
    notes = [("flat", "①②③④"[k] + text) for k, text in enumerate(NOTES)]
    paper = _text(tuple(body + [("meta", "注释：")] + notes))
    assert [f.marker for f in paper.footnotes] == ["①", "②", "③", "④"]
    linked = [c for c in paper.citations if c.target_kind == "footnote"]
    assert [(c.marker, c.target) for c in linked] == [("①", 0), ("②", 1), ("③", 2), ("④", 3)]
    assert len(paper.references) == 4
    assert (paper.references[2].authors, paper.references[2].container) == (["吴清军", "李贞"], "社会学研究")
    assert not paper.warnings


def test_bracket_numbered_endnotes_are_linked_as_footnotes_beside_an_author_year_list():
    body = [
        (
            "para",
            "新质生产力的提出[1]深刻影响了劳动关系[2]，平台劳动的控制方式[3-4]值得关注（迪燕杰、肖阳，1993）。",
        )
    ]
    notes = [("hang", f"[{k + 1}] {text}") for k, text in enumerate(NOTES)]
    refs = [("flat", _author_date(k)) for k in range(3, 6)]
    paper = _text(tuple(body + [("heading", "注释")] + notes + [("heading", "参考文献")] + refs))
    assert [f.marker for f in paper.footnotes] == ["[1]", "[2]", "[3]", "[4]"]
    linked = [(c.marker, c.target) for c in paper.citations if c.target_kind == "footnote"]
    assert linked == [("[1]", 0), ("[2]", 1), ("[3-4]", 2), ("[3-4]", 3)]
    assert len(paper.references) == 3  # beside a bibliography the endnotes are notes only
    assert [c.target for c in paper.citations if c.target_kind == "reference"] == [0]


def test_footnote_only_citation_style_makes_references_of_the_citing_notes():
    body = [
        ("para", "行政机关采集人脸信息应当遵循比例原则①，这一点在域外立法中也有体现②。"),
        ("flat", "① 王锡锌：《个人信息国家保护义务及展开》，《中国法学》2021年第1期。"),
        ("flat", "② 本文所称人脸信息，是指能够识别特定自然人身份的面部特征信息。"),
        ("heading", "二、问题的提出"),
        ("para", "人脸识别技术的广泛应用引发了对隐私的担忧③，相关规范仍不完善④。"),
        ("flat", "③ 参见劳东燕：《个人数据的刑法保护模式》，《比较法研究》2020年第5期。"),
        ("flat", "④ 同上，第23页。"),
    ]
    paper = _text(tuple(body))
    assert len(paper.footnotes) == 4
    assert [r.marker for r in paper.references] == ["①", "③", "④"]
    assert paper.references[0].authors == ["王锡锌"]
    assert paper.references[0].container == "中国法学"
    assert not paper.warnings  # no "no reference list", and a free-text note is not an unparsed entry


# --- PDF ---------------------------------------------------------------------------------------------------


def test_pdf_author_year_list_with_hanging_indents_across_pages_stops_before_the_english_title():
    entries = [
        _author_date(k) + ("经济学动态，北京大学中国经济研究中心" if k % 4 == 0 else "") for k in range(40)
    ]
    tail = [
        ("big", "Redistribution and the Changing Class Gap in Happiness"),
        (
            "para",
            "Using survey data from 2005 to 2013, this article examines how redistribution shapes happiness.",
        ),
    ]
    paper = _pdf(tuple([("heading", "参考文献")] + [("hang", e) for e in entries] + tail))
    assert len({r.passage and paper.passages[r.passage].page for r in paper.references}) >= 2
    assert [_squeeze(r.raw) for r in paper.references] == [_squeeze(e) for e in entries]
    assert not any("Redistribution" in r.raw for r in paper.references)


def test_pdf_unnumbered_list_with_first_line_indents():
    entries = [_author_date(k) + "另见同名著作的修订版本与译本说明" * (k % 2) for k in range(12)]
    paper = _pdf(
        tuple([("heading", "参考文献：")] + [("indent", e) for e in entries] + [("heading", "致谢")])
    )
    assert [_squeeze(r.raw) for r in paper.references] == [_squeeze(e) for e in entries]


def test_pdf_number_space_list_followed_by_acknowledgements():
    entries = [f"{n} " + _gbt(n) for n in range(1, 30)]
    tail = [("heading", "致谢"), ("para", "感谢导师的悉心指导。")]
    paper = _pdf(tuple([("heading", "参考文献")] + [("hang", e) for e in entries] + tail))
    assert [r.marker for r in paper.references] == [str(n) for n in range(1, 30)]
    assert [_squeeze(r.raw) for r in paper.references] == [_squeeze(e) for e in entries]


def test_pdf_circled_endnotes_under_zhushi_are_linked():
    body = [("para", "新质生产力的提出①深刻影响了劳动关系②。平台劳动的控制方式③值得关注，共同富裕是目标④。")]
    notes = [("hang", "①②③④"[k] + text) for k, text in enumerate(NOTES)]
    paper = _pdf(tuple(body + [("heading", "注释")] + notes))
    assert [c.target for c in paper.citations if c.target_kind == "footnote"] == [0, 1, 2, 3]
    assert len(paper.references) == 4


def test_pdf_law_style_notes_numbered_in_brackets_at_the_page_foot():
    """〔1〕-numbered notes set small at the page foot, numbered through the paper, no list: each note is
    a footnote linked to its marker, the citing ones are the references, and no warning is given."""
    long = "诉讼率的变化反映了社会的诉讼态度和司法需求，也反映了纠纷解决机制之间的替代关系，" * 8
    body: list[tuple[str, str]] = []
    for n in range(1, 7):
        body.append(("para", f"第{n}段的讨论涉及民事诉讼率的测量。〔{n}〕{long}"))
        note = (
            f"参见苏力：《审判管理与社会管理》，《中国法学》2010年第{n}期，第178页以下。"
            if n % 3
            else "本文所称诉讼率，是指每十万人口的一审民事案件收案数。"
        )
        body.append(("foot", f"〔{n}〕{note}"))
    paper = _pdf(tuple(body))
    assert [f.marker for f in paper.footnotes] == [f"〔{n}〕" for n in range(1, 7)]
    assert len({f.page for f in paper.footnotes}) >= 2
    linked = [(c.marker, c.target) for c in paper.citations if c.target_kind == "footnote"]
    assert linked == [(f"〔{n}〕", n - 1) for n in range(1, 7)]
    assert [r.marker for r in paper.references] == ["〔1〕", "〔2〕", "〔4〕", "〔5〕"]
    assert not any("诉讼率的变化" in f.text for f in paper.footnotes)
    assert not paper.warnings


# --- lines in the order a two-column page gives them -------------------------------------------------------


def _line(text: str, page: int, x0: float, size: float) -> Line:
    return Line(text=text, page=page, x0=x0, x1=x0 + 200, top=0.0, size=size, short=True)


def test_a_numbered_list_interrupted_by_the_other_column_goes_on_at_its_next_number():
    lines = [
        _line("参考文献：", 10, 70, 9.4),
        _line("［1］黄萃.政策文献量化研究［M］.北京：科学出版社，2016.", 10, 71, 8.2),
        _line("五、结语", 10, 314, 10.5),
        _line("政策文本分析需要注重效度和信度检验。", 10, 314, 9.4),
        _line("［2］付琳.中国碳减排政策工具研究［J］.科学学研究，2022.", 10, 71, 8.2),
        _line("［3］Baker S R.Measuring economic policy uncertainty［J］.QJE，2016.", 11, 71, 8.2),
        _line("附录 变量定义", 13, 71, 8.2),
        _line("［4］ 不是这个列表的条目，而是三页之后附表中的一行，2020.", 13, 71, 8.2),
    ]
    kinds = ["body"] * len(lines)
    (found,) = find_lists(lines, kinds)
    assert [e.marker for e in found.entries] == ["1", "2", "3"]
    assert [e.lines for e in found.entries] == [[1], [4], [5]]
    assert 2 not in found.claims() and 3 not in found.claims()  # the other column stays body text


def test_page_foot_notes_set_small_are_notes_and_a_small_list_is_not():
    body = [_line(f"正文第{k}行，讨论诉讼率的变化。", 1, 70, 10.3) for k in range(20)]
    notes = [_line("〔1〕参见苏力：《审判管理与社会管理》，《中国法学》2010年第6期。", 1, 70, 7.8),
             _line("第178页以下。", 1, 90, 7.8)]  # fmt: skip
    found = page_notes(body + notes, ["body"] * 22, claimed=set())
    assert found == {20: "footnote", 21: "footnote-cont"}
    assert page_notes(body + notes, ["body"] * 22, claimed={20, 21}) == {}


def test_sub_list_labels_restart_numbering_and_a_repeated_title_at_a_page_top_is_a_running_head():
    lines = [
        _line("参考文献", 53, 99, 10.4),
        _line(
            "著作: [1]黄旦：《传者图像：新闻专业主义的建构与消解》[M]，上海：复旦大学出版社，2005年版。",
            53,
            99,
            10.4,
        ),
        _line("[2]荣乐娟.新闻写作概论[M].中国政法大学出版社,2005:27.", 53, 99, 10.4),
        _line("参考文献", 54, 481, 10.4),
        _line("[3]郑兴东.报纸编辑学教程[M].中国人民大学出版社，2001:38.", 54, 99, 10.4),
        _line("网络数据:", 54, 99, 10.4),
        _line(
            "[1] 中国人大网《中华人民共和国传染病防治法》http://www.npc.gov.cn/npc/c238/202001/t.shtml",
            54,
            99,
            10.4,
        ),
        _line("[2] 新华网 http://www.xinhuanet.com/video/2020-08/18/c_1210757393.htm", 54, 99, 10.4),
    ]
    (found,) = find_lists(lines, ["body"] * len(lines))
    assert [e.marker for e in found.entries] == ["1", "2", "3", "1", "2"]
    roles = {pos: role for pos, (role, _, _) in found.claims().items()}
    assert (roles[3], roles[5]) == ("running", "subhead")
    assert sorted(roles) == list(range(len(lines)))  # every line of the list has its place


def test_page_foot_notes_beside_an_author_note():
    body = [_line(f"正文第{k}行，讨论诉讼率的变化。", 1, 70, 10.3) for k in range(20)]
    foot = [_line("〔1〕参见苏力：《审判管理与社会管理》，《中国法学》2010年第6期。", 1, 70, 7.8),
            _line("作者简介：石磊，法学博士。", 1, 70, 7.8)]  # fmt: skip
    kinds = ["body"] * 21 + ["metadata"]
    assert page_notes(body + foot, kinds, claimed=set()) == {20: "footnote"}
