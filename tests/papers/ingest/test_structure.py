"""Unit tests of headings, levels, run-in headings and line kinds."""

from __future__ import annotations

import pytest

from papers.ingest.lines import Line
from papers.ingest.structure import assign_levels, classify, heading_of, numbering


@pytest.mark.parametrize(
    ("text", "style", "number"),
    [
        ("一、问题提出", "cn", "一、"),
        ("（一）数字社会治理的场景构建", "cn-paren", "（一）"),
        ("( 一) 数字技术激活产业循环", "cn-paren", "(一)"),
        ("1. 引言", "arabic-1", "1."),
        ("2.1. 维护基层社会稳定", "arabic-2", "2.1."),
        ("1.1.2 研究方法", "arabic-3", "1.1.2"),
        ("第一章 绪论", "chapter", "第一章"),
        ("（1）样本选择", "arabic-paren", "（1）"),
    ],
)
def test_numbering_styles(text, style, number):
    found = numbering(text)
    assert found is not None
    assert found[:2] == (style, number)


@pytest.mark.parametrize("text", ["1. 0”和重庆市的“渝悦生活”", "2021 年 8 月 17 日", "39． 2万亿元"])
def test_numbers_inside_running_text_are_not_section_numbers(text):
    assert heading_of(Line(text=text, fill=1.0), after_break=True) is None


def test_run_in_heading_is_split_from_its_paragraph():
    line = Line(text="（一）经济领域：共享协作与普惠发展。数字经济蓬勃发展是数", fill=1.0)
    heading = heading_of(line, after_break=True)
    assert (heading.number, heading.title) == ("（一）", "经济领域：共享协作与普惠发展")
    assert heading.rest == "数字经济蓬勃发展是数"


def test_unnumbered_heading_needs_a_paragraph_break_before_it():
    line = Line(text="数字社会主义发展的驱动因素", fill=0.45)
    assert heading_of(line, after_break=True).title == "数字社会主义发展的驱动因素"
    assert heading_of(line, after_break=False) is None


def test_levels_follow_first_appearance_of_numbering_styles():
    assert assign_levels(["cn", "cn-paren", "arabic-1", "cn-paren", "cn"]) == [1, 2, 3, 2, 1]
    assert assign_levels(["arabic-1", "arabic-2", "arabic-1", "special"]) == [1, 2, 1, 1]
    assert assign_levels(["plain", "cn-paren", "plain"]) == [1, 2, 1]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("① 付建军：《模态、张力与调适》，《探索与争鸣》2023 年第 1 期。", "footnote"),
        ("图 1 数字技术赋能做大做好共同富裕“蛋糕”的逻辑机理", "caption"),
        ("表 2. 两个时间点车流量预测", "caption"),
        ("（资料来源：作者自制。）", "caption"),
        ("［责任编辑：丁培卫  孔令奇］", "metadata"),
        ("收稿日期：2025年12月6日；录用日期：2025年12月30日", "metadata"),
        ("摘  要", "abstract"),
        ("摘要：数字技术的迅速发展", "abstract"),
        ("关键词：数字技术；共同富裕", "keywords"),
        ("Abstract: Digital technology", "abstract_en"),
        ("Keywords: digital technology; common prosperity", "keywords_en"),
        ("参考文献", "references"),
        ("②。同时，基层社会治理中数字技术的应用", "body"),
        ("摘要显示这一方法可行，", "body"),
    ],
)
def test_line_kinds(text, kind):
    assert classify(Line(text=text, fill=0.8)) == kind
