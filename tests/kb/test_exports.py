"""Exports: one concept's papers and everything (streamed, bounded queries), and one paper's
annotations and claims as Markdown notes (only what the user may see)."""

from __future__ import annotations

import json

import pytest
import rispy
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kb.models import Evidence
from kb.models.claims import ClaimStatus, Stance
from kb.services import annotations as annotation_services
from kb.services import claims as claim_services
from kb.services.paper_notes_export import paper_notes_markdown
from papers.models import PaperStatus
from tests import factories as f


def _body(response) -> str:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode()


def _queries(fetch) -> int:
    """How many queries ``fetch()`` runs (a whole streamed response read)."""
    with CaptureQueriesContext(connection) as captured:
        fetch()
    return len(captured.captured_queries)


def _papers(n: int, **extra) -> list:
    papers = []
    for i in range(n):
        paper = f.PaperFactory(title=f"数字治理研究之{i}", **extra)
        f.AuthorshipFactory(paper=paper, order=0, author=f.AuthorFactory(name=f"王{i}明"))
        f.AuthorshipFactory(paper=paper, order=1, author=f.AuthorFactory(name=f"李{i}华"))
        papers.append(paper)
    return papers


# -- everything ------------------------------------------------------------------------------------


def test_everything_export_lists_every_visible_paper(scholar_client, admin_client_, db):
    papers = _papers(3)
    draft = f.PaperFactory(title="草稿论文", status=PaperStatus.DRAFT)
    response = scholar_client.get(reverse("papers:paper-export", args=["ris"]))
    assert response.status_code == 200 and "research-info-systems" in response["Content-Type"]
    assert response["Content-Disposition"] == 'attachment; filename="tanyuan-papers.ris"'
    records = rispy.loads(_body(response))
    assert sorted(r["title"] for r in records) == sorted(p.title for p in papers)
    assert records[0]["authors"][0].startswith(("王", "李"))
    assert "草稿论文" in _body(admin_client_.get(reverse("papers:paper-export", args=["bib"])))
    assert draft.pk  # the scholar's export above left it out


@pytest.mark.parametrize("fmt", ["ris", "bib", "json"])
def test_everything_export_queries_do_not_grow_with_papers(fmt, scholar_client, django_assert_num_queries):
    _papers(2)
    url = reverse("papers:paper-export", args=[fmt])
    _body(scholar_client.get(url))  # warm up the session and the user
    few = _queries(lambda: _body(scholar_client.get(url)))
    _papers(25)
    with django_assert_num_queries(few):
        body = _body(scholar_client.get(url))
    assert body.count("数字治理研究之") == 27


def test_everything_export_reads_in_chunks(scholar_client, db, monkeypatch, django_assert_num_queries):
    from papers import views_export

    monkeypatch.setattr(views_export, "EXPORT_CHUNK", 2)
    _papers(5)
    url = reverse("papers:paper-export", args=["json"])
    _body(scholar_client.get(url))
    with CaptureQueriesContext(connection) as queries:
        data = json.loads(_body(scholar_client.get(url)))
    assert len(data) == 5
    # Three chunks of papers, each with one query for its authors.
    paper_reads = [q for q in queries.captured_queries if 'FROM "papers_paper"' in q["sql"]]
    author_reads = [q for q in queries.captured_queries if 'FROM "papers_authorship"' in q["sql"]]
    assert len(author_reads) == 3 and len(paper_reads) >= 1


def test_unknown_format_is_404(scholar_client, db):
    assert scholar_client.get(reverse("papers:paper-export", args=["docx"])).status_code == 404


def test_everything_export_needs_a_reader(anonymous_client, db, settings):
    settings.KB_PUBLIC_READ = False
    assert anonymous_client.get(reverse("papers:paper-export", args=["ris"])).status_code in (302, 403)


# -- one concept's papers --------------------------------------------------------------------------


@pytest.fixture
def concept_world(db):
    concept = f.ConceptFactory(label_zh="数字鸿沟", slug="digital-divide")
    mentioned, other = _papers(2)
    draft = f.PaperFactory(title="提及概念的草稿", status=PaperStatus.DRAFT)
    for paper in (mentioned, draft):
        passage = f.PassageFactory(revision=f.RevisionFactory(paper=paper), text="数字鸿沟的内涵。")
        f.MentionFactory(concept=concept, passage=passage)
    return concept, mentioned, other, draft


def test_concept_export_has_the_papers_that_mention_it(concept_world, scholar_client, admin_client_):
    concept, mentioned, other, draft = concept_world
    url = reverse("kb:concept-export", args=[concept.slug, "json"])
    data = json.loads(_body(scholar_client.get(url)))
    assert [item["title"] for item in data] == [mentioned.title]
    assert data[0]["author"][0] == {"family": "王", "given": "0明"}
    titles = {item["title"] for item in json.loads(_body(admin_client_.get(url)))}
    assert titles == {mentioned.title, draft.title}


def test_concept_page_offers_the_export(concept_world, scholar_client):
    concept = concept_world[0]
    html = scholar_client.get(concept.get_absolute_url()).content.decode()
    assert reverse("kb:concept-export", args=[concept.slug, "bib"]) in html


def test_merged_concept_exports_its_target(concept_world, scholar_client):
    concept, mentioned, *_ = concept_world
    old = f.ConceptFactory(label_zh="数字分化", slug="old", merged_into=concept)
    data = json.loads(_body(scholar_client.get(reverse("kb:concept-export", args=[old.slug, "json"]))))
    assert [item["title"] for item in data] == [mentioned.title]


def test_concept_export_queries_do_not_grow_with_papers(
    concept_world, scholar_client, django_assert_num_queries
):
    concept = concept_world[0]
    url = reverse("kb:concept-export", args=[concept.slug, "ris"])
    _body(scholar_client.get(url))
    few = _queries(lambda: _body(scholar_client.get(url)))
    for paper in _papers(12):
        passage = f.PassageFactory(revision=f.RevisionFactory(paper=paper), text="数字鸿沟的内涵。")
        f.MentionFactory(concept=concept, passage=passage)
    with django_assert_num_queries(few):
        assert len(rispy.loads(_body(scholar_client.get(url)))) == 13


def test_unknown_concept_is_404(scholar_client, db):
    assert scholar_client.get(reverse("kb:concept-export", args=["nope", "ris"])).status_code == 404


# -- a paper's notes and claims --------------------------------------------------------------------


@pytest.fixture
def notes_world(paper_with_text, editor, other_editor):
    paper = paper_with_text
    passage = paper.passages.get(order=1)
    annotation_services.annotation_create(
        user=editor, passage=passage, start=0, end=4, exact="数字鸿沟", body="公开的批注", visibility="public"
    )
    annotation_services.annotation_create(
        user=other_editor, passage=passage, start=0, end=4, exact="数字鸿沟", body="别人的私密批注"
    )
    claim = claim_services.claim_create(
        user=editor,
        paper=paper,
        statement="数字鸿沟阻碍共同富裕。",
        evidence=[{"passage": passage, "start": 0, "end": 4, "exact": "数字鸿沟"}],
    )
    other_paper = f.PaperFactory(title="另一篇论文", year=2021)
    other_passage = f.PassageFactory(
        revision=f.RevisionFactory(paper=other_paper), text="数字鸿沟正在缩小。", page=7
    )
    claim_services.evidence_add(
        user=editor,
        claim=claim,
        passage=other_passage,
        start=0,
        end=9,
        exact="数字鸿沟正在缩小。",
        stance=Stance.CONTRADICTS,
    )
    draft = f.PaperFactory(title="草稿中的证据", status=PaperStatus.DRAFT)
    draft_passage = f.PassageFactory(revision=f.RevisionFactory(paper=draft), text="草稿里的引文。")
    Evidence.objects.create(claim=claim, passage=draft_passage, exact="草稿里的引文。", start=0, end=7)
    rejected = f.ClaimFactory(
        paper=paper, creator=editor, statement="被驳回的主张。", status=ClaimStatus.REJECTED
    )
    return paper, claim, rejected


def test_paper_notes_markdown_has_quotes_pages_claims_and_reference(notes_world, scholar):
    paper, claim, _rejected = notes_world
    text = paper_notes_markdown(paper=paper, user=scholar, base="https://kb.example")
    assert text.startswith("# 笔记与主张：数字鸿沟与共同富裕")
    assert "公开的批注" in text and "> 数字鸿沟" in text
    assert "## 主张" in text and "### 数字鸿沟阻碍共同富裕。" in text
    assert "**支持**（1）" in text and "**反驳**（1）" in text
    assert "> 数字鸿沟正在缩小。" in text and "p. 7" in text and "出自《另一篇论文》" in text
    assert f"https://kb.example{claim.get_absolute_url()}" in text
    assert "数字鸿沟与共同富裕\\[J\\]" in text  # the reference (escaped: literal brackets)


def test_paper_notes_show_only_what_the_user_may_see(notes_world, scholar, editor, other_editor):
    paper, _claim, _rejected = notes_world
    for_scholar = paper_notes_markdown(paper=paper, user=scholar)
    assert "别人的私密批注" not in for_scholar and "被驳回的主张" not in for_scholar
    assert "草稿里的引文" not in for_scholar
    assert "别人的私密批注" in paper_notes_markdown(paper=paper, user=other_editor)
    assert "被驳回的主张" in paper_notes_markdown(paper=paper, user=editor)


def test_paper_notes_without_annotations_still_name_the_paper(paper_with_text, scholar):
    text = paper_notes_markdown(paper=paper_with_text, user=scholar)
    assert text.startswith("# 笔记与主张：数字鸿沟与共同富裕")
    assert (
        "数字鸿沟与共同富裕\\[J\\]" in text
        and "（没有你可见的批注）" in text
        and "（没有你可见的主张）" in text
    )


def test_paper_notes_download_and_link_on_the_paper_page(notes_world, scholar_client, settings):
    paper = notes_world[0]
    url = reverse("kb:paper-notes-export", args=[paper.pk])
    assert url in scholar_client.get(paper.get_absolute_url()).content.decode()
    response = scholar_client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="tanyuan-{paper.pk}-notes.md"'
    assert "公开的批注" in response.content.decode()


def test_paper_notes_of_a_draft_are_404_for_a_scholar(scholar_client, db):
    draft = f.PaperFactory(status=PaperStatus.DRAFT)
    assert scholar_client.get(reverse("kb:paper-notes-export", args=[draft.pk])).status_code == 404


def test_paper_notes_query_count_does_not_grow_with_claims(
    notes_world, editor, editor_client, django_assert_num_queries
):
    paper, claim, _ = notes_world
    url = reverse("kb:paper-notes-export", args=[paper.pk])
    editor_client.get(url)
    few = _queries(lambda: editor_client.get(url))
    passage = paper.passages.get(order=3)
    for i in range(5):
        claim_services.claim_create(
            user=editor,
            paper=paper,
            statement=f"主张{i}。",
            evidence=[{"passage": passage, "start": 0, "end": 2, "exact": passage.text[:2]}],
        )
    with django_assert_num_queries(few):
        assert "主张4。" in editor_client.get(url).content.decode()
