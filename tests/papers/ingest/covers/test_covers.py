"""Cover pages in generated PDFs: a thesis (form-field cover, declaration, contents, abstract)
and a CNKI 网络首发 copy. The cover's fields feed the metadata, its other lines are recorded as
removed, and none of it reaches the body or the title."""

from __future__ import annotations

from functools import cache

from papers.ingest import parse_bytes
from papers.ingest.types import ReadOptions
from tests.papers.ingest.covers import generate as g

OFF = ReadOptions(layout=False, ocr=False)


@cache
def parsed(name: str):
    return parse_bytes(getattr(g, name)(), filename=f"{name}.pdf", options=OFF)


def body(paper) -> str:
    return "".join(p.text for p in paper.passages if p.kind in ("paragraph", "heading", "abstract"))


def test_thesis_cover_fields_become_metadata():
    paper = parsed("thesis")
    assert (paper.title, paper.subtitle) == (g.THESIS_TITLE, g.THESIS_SUBTITLE)
    assert [a.name for a in paper.authors] == [g.THESIS_AUTHOR]
    assert (paper.doc_type, paper.degree, paper.advisor) == ("thesis", "学士", g.THESIS_ADVISOR)
    assert paper.institution == g.THESIS_SCHOOL  # named in the declaration's heading
    assert paper.year == 2024  # 二〇二四年五月
    assert not paper.needs_review


def test_thesis_declaration_and_contents_are_removed_not_body():
    paper = parsed("thesis")
    reasons = {r.reason for r in paper.removed}
    assert {"cover label", "declaration", "table of contents"} <= reasons
    assert any("本 科 毕 业 论 文" in r.text for r in paper.removed if r.reason == "cover label")
    assert "郑重声明" not in body(paper)
    assert "....." not in "".join(p.text for p in paper.passages)
    assert [s.heading for s in paper.sections] == ["绪论", "研究背景", "研究问题"]


def test_thesis_abstract_keeps_both_paragraphs():
    paper = parsed("thesis")
    assert paper.abstract == g.ABSTRACT_ONE + "\n" + g.ABSTRACT_TWO
    assert paper.keywords == ["社区治理", "数字平台", "居民参与"]


def test_cnki_cover_label_is_never_the_title():
    paper = parsed("cnki")
    assert paper.title == g.CNKI_TITLE
    assert [a.name for a in paper.authors] == g.CNKI_AUTHORS
    assert paper.doc_type == "article"
    assert any(r.text == g.CNKI_JOURNAL and r.reason == "cover label" for r in paper.removed)
    assert "网络首发" not in body(paper)
    assert all(p.page == 2 for p in paper.passages if p.kind == "abstract")


def test_spaced_abstract_label_and_abstract_across_lines():
    paper = parsed("cnki")
    assert paper.abstract == g.CNKI_ABSTRACT
    assert paper.keywords == ["平台企业", "社会责任", "治理"]


def test_doi_of_a_reference_entry_is_not_the_papers():
    paper = parsed("cnki")
    assert any(g.REFERENCE_DOI in r.raw for r in paper.references)
    assert paper.doi == ""


def test_unlabelled_thesis_cover_title_by_size_and_acknowledgements_first():
    paper = parsed("thesis_plain")
    assert paper.title == g.PLAIN_TITLE
    assert paper.title_en == g.PLAIN_TITLE_EN
    assert [a.name for a in paper.authors] == ["陈思远"]
    assert (paper.doc_type, paper.degree, paper.institution, paper.advisor) == (
        "thesis",
        "硕士",
        "东江大学",
        "吴建国",
    )
    assert paper.year == 2021


def test_abstract_label_repeated_by_the_running_head_is_still_read():
    paper = parsed("thesis_plain")
    assert paper.abstract == g.PLAIN_ABSTRACT
    assert paper.keywords == ["融媒体", "传播效果", "基层治理"]


def test_doi_cited_once_in_the_body_is_not_the_papers():
    assert parsed("thesis_plain").doi == ""
