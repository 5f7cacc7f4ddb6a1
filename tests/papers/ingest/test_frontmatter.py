"""Unit tests of metadata: authors in every usual form, keywords, English block, venue and year."""

from __future__ import annotations

import pytest

from papers.ingest.frontmatter import find_venue, parse_english_front, split_authors, split_keywords
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
