"""Readers and entry points: encodings, markdown, and the specific error for each unusable file."""

from __future__ import annotations

import pytest

from papers.ingest import IngestError, parse_bytes
from papers.ingest.pipeline import ERR_EMPTY, ERR_SIZE, ERR_TYPE
from papers.ingest.readers import ERR_BINARY, decode_text

SAMPLE = "数字社会治理的场景构建\n王佃利  滕 蕾\n摘要：数字技术的迅速发展已引领社会治理迈入数字时代。\n一、问题提出\n数字技术与社会治理的结合既是科学技术蓬勃发展的必然趋势。\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_text_in_common_encodings_reads_the_same(encoding):
    paper = parse_bytes(SAMPLE.encode(encoding), filename="a.txt")
    assert paper.title == "数字社会治理的场景构建"
    assert [a.name for a in paper.authors] == ["王佃利", "滕蕾"]
    assert [s.heading for s in paper.sections] == ["问题提出"]


def test_markdown_headings():
    text = "# 标题一\n\n王五\n\n## 一、引言\n\n正文第一段，内容。\n"
    paper = parse_bytes(text.encode(), filename="a.md")
    assert paper.title == "标题一"
    assert [s.heading for s in paper.sections] == ["引言"]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "a.txt", ERR_EMPTY),
        (b"  \n\n ", "a.txt", ERR_EMPTY),
        (b"hello", "a.docx", ERR_TYPE),
        (b"x" * 2048, "big.txt", ERR_SIZE),
        (b"\x00\x01\x02binary", "a.txt", ERR_BINARY),
    ],
)
def test_unusable_files_give_specific_errors(data, name, message):
    with pytest.raises(IngestError) as caught:
        parse_bytes(data, filename=name, max_bytes=1024)
    head = message.split("{")[1].split("}")[1].split("{")[0] if "{" in message else message
    assert head.strip(": ")[:12] in str(caught.value)


def test_gbk_is_detected_without_a_hint():
    assert decode_text("共同富裕".encode("gbk"), name="x") == "共同富裕"


def test_file_without_title_is_flagged_not_crashed():
    paper = parse_bytes("摘要：只有摘要。\n一、引言\n正文，内容。\n".encode(), filename="a.txt")
    assert paper.title == ""
    assert paper.needs_review
    assert any("title" in w for w in paper.warnings)


PREPRINT = """---
title: "数字鸿沟的测度与治理"
author: [张三, 李四]
date: 2024-03-05
tags: [数字鸿沟, 治理]
---

# 数字鸿沟的测度与治理（数字社会专题研究论文之二）

张三1，李四2

1. 北京大学 政府管理学院，北京 100871
2. 清华大学 公共管理学院，北京 100084

摘要：[目的]本文测度数字鸿沟。
[方法]使用面板数据和固定效应模型。
[结果]数字鸿沟在缩小，但城乡差距仍在。

关键词：数字鸿沟；治理

## 一、引言

正文第一段，讨论数字鸿沟的成因。参见 [https://example.org/a](https://example.org/a) 与 [官网](https://example.org)。

{{< figure src="a.png" caption="示意" >}}
{% include note.html %}

<table>
<tr><th>地区</th><th>指数</th></tr>
<tr><td>东部</td><td>70.1</td></tr>
</table>

## 二、结论

结论段落，内容完整。
"""


def test_markdown_preprint_front_matter_authors_and_structured_abstract():
    paper = parse_bytes(PREPRINT.encode(), filename="p.md")
    assert paper.title == "数字鸿沟的测度与治理"  # never the YAML block, never the series label
    assert [a.name for a in paper.authors] == ["张三", "李四"]
    assert paper.authors[1].affiliation.startswith("清华大学")
    assert paper.year == 2024
    assert paper.keywords == ["数字鸿沟", "治理"]
    assert paper.abstract.startswith("[目的]本文测度数字鸿沟。")
    assert paper.abstract.endswith("[结果]数字鸿沟在缩小，但城乡差距仍在。")
    assert [s.heading for s in paper.sections] == ["引言", "结论"]


def test_markdown_has_no_pages_links_shortcodes_and_tables():
    paper = parse_bytes(PREPRINT.encode(), filename="p.md")
    assert {p.page for p in paper.passages} == {None}
    text = paper.canonical_text()
    assert "https://example.org/a" in text and "与官网。" in text and "](" not in text
    assert "{{" not in text and "{%" not in text and "title:" not in text
    tables = [p for p in paper.passages if p.kind == "table"]
    assert len(tables) == 1 and "东部" in tables[0].text and "70.1" in tables[0].text


def test_long_markdown_gets_no_guessed_pages():
    paragraphs = "\n\n".join(f"    第{n}段的内容，讨论数字治理的一个方面。" * 3 for n in range(60))
    paper = parse_bytes(f"# 标题\n\n{paragraphs}\n".encode(), filename="long.md")
    assert {p.page for p in paper.passages} == {None}


def test_toml_front_matter_title_wins_over_a_first_heading():
    text = '+++\ntitle = "平台治理的逻辑"\nauthors = ["王五"]\ndate = 2023-01-02\n+++\n\n## 引言\n\n平台治理是一个议题，本文讨论它。\n'
    paper = parse_bytes(text.encode(), filename="t.md")
    assert (paper.title, [a.name for a in paper.authors], paper.year) == ("平台治理的逻辑", ["王五"], 2023)
    assert [s.heading for s in paper.sections] == ["引言"]


def test_author_names_glued_to_the_title_line_are_split_off():
    text = "数字治理的逻辑与路径张三1，李四2\n1. 北京大学 政府管理学院，北京 100871\n摘要：本文讨论数字治理。\n一、引言\n正文内容，讨论数字治理。\n"
    paper = parse_bytes(text.encode(), filename="g.txt")
    assert paper.title == "数字治理的逻辑与路径"
    assert [a.name for a in paper.authors] == ["张三", "李四"]


def test_thesis_cover_in_a_text_copy():
    text = (
        "东江大学硕士学位论文\n论文题目：乡村数字治理研究\n作者姓名：赵六\n指导教师：钱七 教授\n"
        "学位论文原创性声明\n本人郑重声明：所呈交的论文是本人独立完成的成果。\n"
        "目 录\n第一章 绪论………………1\n第二章 理论………………5\n"
        "摘要：本文研究乡村数字治理。\n关键词：乡村；数字治理\n第一章 绪论\n乡村治理是重要议题，本文讨论它。\n"
    )
    paper = parse_bytes(text.encode(), filename="thesis.txt")
    assert (paper.title, [a.name for a in paper.authors]) == ("乡村数字治理研究", ["赵六"])
    assert (paper.doc_type, paper.degree, paper.institution, paper.advisor) == (
        "thesis",
        "硕士",
        "东江大学",
        "钱七",
    )
    assert [s.heading for s in paper.sections] == ["绪论"]
    assert {r.reason for r in paper.removed} >= {"declaration", "table of contents", "cover label"}
