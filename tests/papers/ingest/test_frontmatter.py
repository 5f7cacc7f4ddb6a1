"""Unit tests of metadata: authors in every usual form, keywords, English block, venue and year."""

from __future__ import annotations

import pytest

from papers.ingest.assemble import Block
from papers.ingest.cover import degree_of, year_of
from papers.ingest.frontmatter import (
    extend_abstracts,
    find_venue,
    glued_authors,
    parse_english_front,
    split_authors,
    split_keywords,
)
from papers.ingest.lines import Line


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("王佃利  滕 蕾", ["王佃利", "滕蕾"]),
        ("陈桂生,吴合庆", ["陈桂生", "吴合庆"]),
        ("刘雪剑，李怡馨，罗子健*", ["刘雪剑", "李怡馨", "罗子健"]),
        ("张三1,2  李四2", ["张三", "李四"]),
        ("陈 斌", ["陈斌"]),
        ("TANG Renwu，WU Tianxin，WEN Xin", ["TANG Renwu", "WU Tianxin", "WEN Xin"]),
        ("Xuejian Liu, Yixin Li, Zijian Luo*", ["Xuejian Liu", "Yixin Li", "Zijian Luo"]),
        ("数字社会治理的场景构建、运行逻辑", []),
        ("(天津师范大学", []),
    ],
)
def test_split_authors(text, names):
    assert split_authors(text) == names


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("数字技术；共同富裕；数字经济", ["数字技术", "共同富裕", "数字经济"]),
        ("digital technology; common prosperity", ["digital technology", "common prosperity"]),
        ("支路汇入型道路，车流量模型，预测", ["支路汇入型道路", "车流量模型", "预测"]),
    ],
)
def test_split_keywords(text, words):
    assert split_keywords(text) == words


def test_english_block_title_authors_affiliation():
    lines = [
        Line(text="Research on the Construction and Prediction"),
        Line(text="Incorporating Branch Connections"),
        Line(text="Xuejian Liu, Yixin Li, Zijian Luo*"),
        Line(text="Faculty of Science, Civil Aviation Flight University of China, Chengdu Sichuan"),
    ]
    title, names, affiliation = parse_english_front(lines)
    assert title == "Research on the Construction and Prediction Incorporating Branch Connections"
    assert names == ["Xuejian Liu", "Yixin Li", "Zijian Luo"]
    assert affiliation.startswith("Faculty of Science")


def test_venue_from_a_journal_header_line():
    venue = find_venue(["Modeling and Simulation 建模与仿真, 2026, 15(1), 93-103"], [], "")
    assert (venue.venue, venue.year, venue.volume, venue.issue, venue.pages) == (
        "建模与仿真",
        2026,
        "15",
        "1",
        "93-103",
    )


def test_venue_from_a_reprint_note():
    venue = find_venue([], ["（本文转自《金融时报》2025 年 3 月 31 日，作者系某大学教授。）"], "")
    assert (venue.venue, venue.year) == ("金融时报", 2025)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("狄\u3000嘉\u3000孙朋飞\u3000苑春荟\u3000李晓龙*", ["狄嘉", "孙朋飞", "苑春荟", "李晓龙"]),
        ("石\u3000磊 ∗", ["石磊"]),
        ("宋亦明\ue012", ["宋亦明"]),  # a note mark drawn from a symbol font's private-use area
        ("第37卷", []),
        ("2017年第2期", []),
    ],
)
def test_split_authors_spread_names_and_symbol_marks(text, names):
    assert split_authors(text) == names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("数字治理的逻辑与路径张三1，李四2", ("数字治理的逻辑与路径", ["张三", "李四"])),
        ("数字鸿沟研究王佃利1,2 滕蕾2*", ("数字鸿沟研究", ["王佃利", "滕蕾"])),
        ("共同富裕的实现路径研究", None),
        ("2023年第1期", None),
    ],
)
def test_glued_authors(text, expected):
    found = glued_authors(text)
    assert (found[:2] if found else None) == expected


@pytest.mark.parametrize(
    ("text", "year", "degree"),
    [
        ("二〇二四年五月", 2024, ""),
        ("二〇 二四年 五 月", 2024, ""),
        ("2026 年 6 月 5 日", 2026, ""),
        ("江南大学学士学位论文", None, "学士"),
        ("本 科 毕 业 论 文", None, "学士"),
        ("硕士研究生学位论文", None, "硕士"),
        ("博士学位论文", None, "博士"),
    ],
)
def test_cover_dates_and_degrees(text, year, degree):
    assert (year_of(text), degree_of(text)) == (year, degree)


def _block(kind: str, text: str, role: str = "", size: float = 10.0) -> Block:
    block = Block(kind, role=role)
    block.add(Line(text=text, size=size))
    return block


def test_abstract_runs_to_its_keywords_over_a_page_foot_note():
    blocks = [
        _block("abstract", "摘要：第一段说明问题，", role="abstract"),
        _block("paragraph", "并且在这里结束。"),
        _block("paragraph", "本文系某基金项目的成果。", size=7.5),  # a note at the page's foot
        _block("paragraph", "第二段给出结论。"),
        _block("metadata", "关键词：治理", role="keywords"),
        _block("heading", "一、引言"),
    ]
    out = extend_abstracts(blocks)
    assert [(b.kind, b.text) for b in out] == [
        ("abstract", "摘要：第一段说明问题，并且在这里结束。"),
        ("paragraph", "本文系某基金项目的成果。"),
        ("abstract", "第二段给出结论。"),
        ("metadata", "关键词：治理"),
        ("heading", "一、引言"),
    ]


def test_abstract_without_keywords_takes_only_a_sentence_cut_short():
    blocks = [
        _block("abstract", "摘要：本文讨论数字治理的", role="abstract"),
        _block("paragraph", "若干问题。"),
        _block("paragraph", "引言的第一段，不属于摘要。"),
        _block("heading", "一、引言"),
    ]
    out = extend_abstracts(blocks)
    assert [b.kind for b in out] == ["abstract", "paragraph", "heading"]
    assert out[0].text == "摘要：本文讨论数字治理的若干问题。"
