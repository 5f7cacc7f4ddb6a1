"""Golden tests: each sample paper against the expected values written by reading it (golden/*.yaml)."""

from __future__ import annotations

from collections import Counter
from functools import cache

import pytest
import yaml

from papers.ingest import parse_file
from papers.ingest.cleaning import find_doi, find_furniture, merge_word_lines
from papers.ingest.lines import is_han
from papers.ingest.readers import decode_text, text_lines
from tests.papers.ingest.conftest import CORPUS, GOLDEN

PAPERS = sorted(p.stem for p in GOLDEN.glob("*.yaml"))
BODY_KINDS = {"paragraph", "abstract", "heading", "caption"}


@cache
def _parsed(stem: str):
    return parse_file(CORPUS / f"{stem}.txt")


@pytest.fixture(params=PAPERS)
def case(request, corpus_dir):
    expected = yaml.safe_load((GOLDEN / f"{request.param}.yaml").read_text(encoding="utf-8"))
    return _parsed(request.param), expected


def test_title_and_review_flag(case):
    paper, expected = case
    assert paper.title == expected["title"]
    assert paper.needs_review is expected["needs_review"]
    if "subtitle" in expected:
        assert paper.subtitle == expected["subtitle"]
    if "title_en" in expected:
        assert paper.title_en == expected["title_en"]
    if not expected["title"]:
        assert any("title" in w for w in paper.warnings)


def test_authors(case):
    paper, expected = case
    assert [a.name for a in paper.authors] == expected["authors"]
    if "affiliation_contains" in expected:
        assert all(expected["affiliation_contains"] in a.affiliation for a in paper.authors)


def test_keywords_doi_venue(case):
    paper, expected = case
    assert paper.keywords == expected["keywords"]
    assert paper.keywords_en == expected.get("keywords_en", [])
    assert paper.doi == expected["doi"]
    if "venue" in expected:
        assert (paper.venue, paper.year) == (expected["venue"], expected["year"])


def test_abstracts(case):
    paper, expected = case
    assert paper.abstract.startswith(expected.get("abstract_starts", ""))
    assert paper.abstract_en.startswith(expected.get("abstract_en_starts", ""))
    if "abstract_starts" not in expected:
        assert paper.abstract == ""


def test_section_outline_with_levels(case):
    paper, expected = case
    outline = [[s.level, s.number, s.heading] for s in paper.sections]
    assert outline == expected["sections"]


def test_footnotes(case):
    paper, expected = case
    assert len(paper.footnotes) == expected["footnotes"]
    for text in expected.get("footnote_texts", []):
        assert any(text in f.text for f in paper.footnotes), text
    linked = [c for c in paper.citations if c.target_kind == "footnote"]
    assert len(linked) >= expected.get("linked_footnote_markers_min", 0)
    for citation in linked:
        note = paper.footnotes[citation.target]
        assert note.marker == citation.marker
        assert paper.passages[citation.passage].text[citation.start : citation.end] == citation.marker


def test_sentences_across_line_and_page_breaks_come_out_whole(case):
    paper, expected = case
    body = [p.text for p in paper.passages if p.kind in BODY_KINDS]
    for sentence in expected["whole"]:
        assert any(sentence in text for text in body), sentence


def test_running_headers_are_gone(case):
    paper, expected = case
    paragraphs = [p.text for p in paper.passages if p.kind in ("paragraph", "heading", "abstract")]
    for header in expected["gone"]:
        assert not any(header in text for text in paragraphs), header
    assert not any(text.strip().isdigit() for text in paragraphs)


def test_captions_and_metadata(case):
    paper, expected = case
    for kind in ("captions", "metadata"):
        found = [p.text for p in paper.passages if p.kind == kind.rstrip("s")]
        for text in expected.get(kind, []):
            assert text in found


@pytest.mark.parametrize("stem", PAPERS)
def test_every_cjk_character_of_the_body_survives(stem, corpus_dir):
    """Han characters in, minus the removed header/footer lines, all come out in the passages."""
    lines = merge_word_lines(text_lines(decode_text((corpus_dir / f"{stem}.txt").read_bytes(), name=stem)))
    for i, line in enumerate(lines):
        line.index = i
    removed = find_furniture(lines, doi=find_doi(lines))
    paper = _parsed(stem)
    title_headers = {p.text for p in paper.passages if p.kind == "metadata"}
    source = Counter(
        ch
        for line in lines
        if line.index not in removed and line.text not in title_headers
        for ch in line.text
        if is_han(ch)
    )
    output = Counter(ch for p in paper.passages for ch in p.text if is_han(ch))
    missing = source - output
    # a running header repeating the title is removed too: it may only account for the title's characters
    allowed = Counter(ch for ch in paper.title + paper.subtitle if is_han(ch))
    assert not (missing - allowed), f"dropped: {''.join(sorted((missing - allowed).elements()))[:80]}"


def test_json_contract_keys(corpus_dir):
    data = _parsed(PAPERS[3]).to_json()
    for key in (
        "source", "title", "subtitle", "title_en", "authors", "abstract", "abstract_en", "keywords",
        "keywords_en", "doi", "venue", "year", "sections", "passages", "footnotes", "citations",
        "references", "warnings",
    ):  # fmt: skip
        assert key in data
    assert set(data["source"]) == {"filename", "sha256", "format"}
    assert {"number", "heading", "level"} <= set(data["sections"][0])
    assert {"kind", "section", "page", "text"} <= set(data["passages"][0])
    assert {"marker", "page", "text"} <= set(data["footnotes"][0])
    assert {"marker", "passage", "target"} <= set(data["citations"][0])


def test_a_paragraph_that_is_only_a_link_is_front_matter_but_a_wrapped_link_stays_in_its_text():
    from papers.ingest import parse_bytes

    text = "\n".join(
        [
            "数字鸿沟与公共价值",
            "王小明",
            "摘要：本文讨论数字鸿沟。",
            "This work is licensed under the Creative Commons Attribution International License (CC BY 4.0).",
            "http://creativecommons.org/licenses/by/4.0/",
            "",
            "一、引言",
            "相关数据详见国家统计局发布的数据说明，其中包括各省互联网普及率与城乡差距的详细统计，网址为",
            "https://data.stats.gov.cn/easyquery.htm?cn=C01&zb=A0301&sj=2022",
            "，本文据此计算各地区的数字鸿沟指数。",
            "",
            "参考文献",
            "[1] 国家统计局. 中国统计年鉴2022[EB/OL]. (2022-06-23)[2023-01-01].",
            "https://www.stats.gov.cn/sj/ndsj/2022/indexch.htm",
        ]
    ).encode()
    paper = parse_bytes(text, filename="links.txt")
    kinds = {p.text: p.kind for p in paper.passages}
    assert kinds["http://creativecommons.org/licenses/by/4.0/"] == "metadata"
    assert any(k == "paragraph" and "数据说明" in t and "data.stats.gov.cn" in t for t, k in kinds.items())
    assert "stats.gov.cn/sj/ndsj" in paper.references[0].raw
