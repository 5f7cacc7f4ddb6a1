"""Author–year citations link to the reference they name, and only to one that is listed."""

from __future__ import annotations

import re

from papers.ingest import parse_bytes
from papers.ingest.authoryear import author_year_citations, reference_index
from papers.ingest.references import parse_reference

REFERENCES = [
    parse_reference("王佃利, 滕蕾. 2023. 数字社会治理的场景构建[J]. 中国行政管理, 39(3): 18-27."),
    parse_reference("王佃利. 2023. 公共价值再探[J]. 政治学研究, (2): 5-9."),
    parse_reference("滕蕾. 2021. 数字鸿沟的测量[J]. 电子政务, (4): 1-10."),
    parse_reference("Smith, J., & Lee, A. (2020). The digital divide. Journal of Governance, 5(2), 1-10."),
    parse_reference("van Dijk, J. (2005). The deepening divide. Sage."),
]
INDEX = reference_index(REFERENCES)


def links(text: str) -> list[tuple[str, int]]:
    return [(c.marker, c.target) for c in author_year_citations(text, 0, INDEX)]


def test_author_date_references_are_read():
    first = REFERENCES[0]
    assert (first.authors, first.year, first.title, first.container) == (
        ["王佃利", "滕蕾"],
        2023,
        "数字社会治理的场景构建",
        "中国行政管理",
    )
    assert (REFERENCES[3].authors[0], REFERENCES[3].year) == ("Smith, J.", 2020)


def test_parenthetical_citations_with_several_works_and_letters():
    text = "已有研究指出差距仍在扩大（王佃利，2023a；滕蕾，2021）。另见（王佃利等，2023b）。"
    assert links(text) == [("王佃利，2023a", 0), ("滕蕾，2021", 2), ("王佃利等，2023b", 1)]


def test_narrative_citations_start_at_the_name():
    text = "研究表明王佃利（2023）认为治理需要场景，Smith et al. (2020) 则不同意，van Dijk (2005) 亦然。"
    assert links(text) == [("王佃利（2023）", 0), ("Smith et al. (2020)", 3), ("Dijk (2005)", 4)]


def test_nothing_without_a_listed_reference():
    assert links("（2023年）数字经济规模达到（50.2万亿元）。张三（2019）认为（李四，2018）。") == []
    assert author_year_citations("王佃利（2023）", 0, {}) == []


def test_a_paper_in_author_date_style_links_its_citations():
    text = "\n".join(
        [
            "数字鸿沟与公共价值",
            "王小明",
            "摘要：本文讨论数字鸿沟。",
            "关键词：数字鸿沟；公共价值",
            "一、引言",
            "数字鸿沟的研究由来已久（滕蕾，2021），王佃利（2023）提出了场景视角。",
            "参考文献",
            "王佃利. 2023. 公共价值再探[J]. 政治学研究, (2): 5-9.",
            "滕蕾. 2021. 数字鸿沟的测量[J]. 电子政务, (4): 1-10.",
        ]
    ).encode()
    paper = parse_bytes(text, filename="author-date.txt")
    linked = [
        (c.marker, paper.references[c.target].title) for c in paper.citations if c.target_kind == "reference"
    ]
    assert linked == [("滕蕾，2021", "数字鸿沟的测量"), ("王佃利（2023）", "公共价值再探")]


def test_the_reader_links_an_author_year_citation_to_its_reference(db, scholar_client):
    from kb.services.loading import paper_load

    text = "\n".join(
        [
            "数字鸿沟与公共价值",
            "王小明",
            "摘要：本文讨论数字鸿沟。",
            "一、引言",
            "数字鸿沟的研究由来已久（滕蕾，2021）。",
            "参考文献",
            "滕蕾. 2021. 数字鸿沟的测量[J]. 电子政务, (4): 1-10.",
        ]
    ).encode()
    result = paper_load(data=text, filename="author-date.txt")
    html = scholar_client.get(f"/papers/{result.paper_id}/").content.decode()
    assert re.search(r'<a class="cite[^"]*" href="#p-\d+" id="cite-\d+"[^>]*>滕蕾，2021</a>', html), html[
        :3000
    ]
