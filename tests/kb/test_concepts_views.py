"""Concept, comparison, graph and review pages: every persona, every write, bounded queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kb.models import Concept, Mention, MentionStatus
from kb.models.concepts import CandidateStatus, ConceptCandidate
from kb.services.aggregates import aggregates_refresh
from kb.services.mentions import mentions_detect
from tests import factories as f

pytestmark = pytest.mark.django_db

EXPECT_READ = {"anonymous": 200, "scholar": 200, "editor": 200, "admin": 200}
EXPECT_WRITE = {"anonymous": 302, "scholar": 403, "editor": 200, "admin": 200}


@pytest.fixture
def world(divide, prosperity):
    papers = []
    for year, text in [
        (2022, "弥合数字鸿沟是实现共同富裕的重要路径。"),
        (2024, "数字鸿沟阻碍共同富裕，需要数字素养。"),
    ]:
        passage = f.PassageFactory(text=text, revision__paper__year=year)
        mentions_detect(passages=[passage])
        papers.append(passage.paper)
    return papers


READ_PAGES = [
    ("kb:concept-list", []),
    ("kb:concept-detail", ["digital-divide"]),
    ("kb:comparison", []),
    ("kb:comparison-csv", []),
    ("kb:concept-graph", []),
    ("kb:paper-concept-graph", []),
]
EDITOR_PAGES = [
    ("kb:concept-create", []),
    ("kb:concept-edit", ["digital-divide"]),
    ("kb:concept-merge", ["digital-divide"]),
    ("kb:concept-candidates", []),
    ("kb:crossref-review", []),
]


@pytest.mark.parametrize(("name", "args"), READ_PAGES)
def test_read_pages_for_every_persona(world, persona, name, args):
    who, client = persona
    response = client.get(reverse(name, args=args))
    assert response.status_code == EXPECT_READ[who]


@pytest.mark.parametrize(("name", "args"), EDITOR_PAGES)
def test_editor_pages_for_every_persona(world, persona, name, args):
    who, client = persona
    response = client.get(reverse(name, args=args))
    assert response.status_code == EXPECT_WRITE[who]
    if who == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_private_reading_hides_read_pages_from_anonymous(world, anonymous_client, settings):
    settings.KB_PUBLIC_READ = False
    assert anonymous_client.get(reverse("kb:concept-list")).status_code == 302
    assert anonymous_client.get(reverse("kb:comparison-csv")).status_code == 302


def posts(world, divide, prosperity):
    mention = Mention.objects.filter(concept=divide).first()
    candidate = ConceptCandidate.objects.create(term="平台经济", score=1, frequency=9, paper_count=2)
    passage = world[0].passages.first()
    return [
        (reverse("kb:mention-reject", args=[mention.pk]), {}),
        (reverse("kb:concept-create"), {"label_zh": "数据要素"}),
        (
            reverse("kb:concept-edit", args=["digital-divide"]),
            {"label_zh": "数字鸿沟", "aliases": "数字分化"},
        ),
        (reverse("kb:concept-merge", args=["common-prosperity"]), {"target": divide.pk}),
        (reverse("kb:concept-candidate-decide", args=[candidate.pk, "dismiss"]), {}),
        (reverse("kb:concept-candidates"), {}),
        (reverse("kb:mention-create"), {"passage": passage.pk, "concept": divide.pk, "start": 0, "end": 2}),
    ]


@pytest.mark.parametrize("who", ["anonymous", "scholar"])
def test_no_write_without_the_editor_role(world, divide, prosperity, who, anonymous_client, scholar_client):
    client = {"anonymous": anonymous_client, "scholar": scholar_client}[who]
    before = (
        Concept.objects.filter(merged_into=None).count(),
        Mention.objects.filter(status="active").count(),
    )
    for url, data in posts(world, divide, prosperity):
        response = client.post(url, data)
        assert response.status_code == (302 if who == "anonymous" else 403), url
    assert (
        Concept.objects.filter(merged_into=None).count(),
        Mention.objects.filter(status="active").count(),
    ) == before
    assert ConceptCandidate.objects.get(term="平台经济").status == CandidateStatus.OPEN


def test_editor_writes_through_the_forms(world, divide, prosperity, editor_client):
    for url, data in posts(world, divide, prosperity):
        response = editor_client.post(url, data)
        assert response.status_code == 302, (url, response.content[:500])
    divide.refresh_from_db()
    assert Concept.objects.filter(label_zh="数据要素").exists()
    assert "数字分化" in divide.aliases and "共同富裕" in divide.aliases
    assert Concept.objects.get(slug="common-prosperity").merged_into == divide
    assert ConceptCandidate.objects.get(term="平台经济").status == CandidateStatus.DISMISSED
    assert Mention.objects.filter(status=MentionStatus.REJECTED).count() == 1
    assert Mention.objects.filter(origin="manual").count() == 1


def test_get_on_post_only_endpoints_is_refused(world, divide, editor_client):
    mention = Mention.objects.filter(concept=divide).first()
    assert editor_client.get(reverse("kb:mention-reject", args=[mention.pk])).status_code == 405
    assert editor_client.get(reverse("kb:mention-create")).status_code == 405


def test_concept_page_shows_snippets_escaped_then_marked(divide, scholar_client):
    passage = f.PassageFactory(text="<script>alert(1)</script> 弥合数字鸿沟")
    mentions_detect(passages=[passage])
    html = scholar_client.get(divide.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 弥合<mark>数字鸿沟</mark>" in html
    assert "<script>alert(1)" not in html


def test_concept_page_lists_mentions_by_paper_with_reader_links(world, divide, scholar_client):
    html = scholar_client.get(divide.get_absolute_url()).content.decode()
    for paper in world:
        assert f'href="{paper.passages.first().get_absolute_url()}"' in html
    assert "NPMI" in html


def _streamed(response) -> str:
    """The CSV export is streamed (its memory stays bounded at any library size)."""
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_comparison_matrix_and_csv(world, divide, prosperity, scholar_client):
    response = scholar_client.get(reverse("kb:comparison"))
    html = response.content.decode()
    assert f"{divide.get_absolute_url()}?paper={world[0].pk}#mentions" in html
    csv = _streamed(scholar_client.get(reverse("kb:comparison-csv"))).splitlines()
    assert csv[0].startswith("paper_id,title,year,")
    assert "数字鸿沟 (digital divide)" in csv[0] and "共同富裕 (common prosperity)" in csv[0]
    assert len(csv) == 3
    filtered = _streamed(scholar_client.get(reverse("kb:comparison-csv"), {"group": "数字不平等"}))
    assert "共同富裕" not in filtered.splitlines()[0]


def test_graph_nodes_link_to_concepts(world, divide, scholar_client):
    html = scholar_client.get(reverse("kb:concept-graph")).content.decode()
    assert f'<a href="{divide.get_absolute_url()}" class="graph__node' in html
    html = scholar_client.get(reverse("kb:paper-concept-graph")).content.decode()
    assert f'<a href="{world[0].get_absolute_url()}" class="graph__node graph__node--paper' in html


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        reverse("kb:concept-list"),
        reverse("kb:concept-detail", args=["digital-divide"]),
        reverse("kb:comparison"),
        reverse("kb:concept-graph"),
        reverse("kb:paper-concept-graph"),
        reverse("kb:crossref-review"),
    ],
)
def test_query_count_does_not_grow_with_the_data(divide, prosperity, editor_client, url):
    def grow():
        for _ in range(3):
            passage = f.PassageFactory(text="数字鸿沟与共同富裕；数字鸿沟。")
            mentions_detect(passages=[passage])

    grow()
    _queries(editor_client, url)  # the graphs lay themselves out (or queue a new layout) once
    small = _queries(editor_client, url)
    grow()
    grow()
    _queries(editor_client, url)
    assert _queries(editor_client, url) == small
    assert (
        small <= 20
    )  # the concept page: a page of papers, their snippets, stored counts, most-cited works (ids, then links)


def test_an_invalid_accept_form_leaves_the_candidate_open(world, editor_client):
    candidate = ConceptCandidate.objects.create(term="平台经济", score=1, frequency=9, paper_count=2)
    response = editor_client.post(
        reverse("kb:concept-candidate-decide", args=[candidate.pk, "accept"]), {"label_en": "x" * 201}
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.OPEN
    assert not Concept.objects.filter(label_zh="平台经济").exists()


def test_concept_edit_form_renames_through_the_service(world, divide, editor_client):
    response = editor_client.post(
        reverse("kb:concept-edit", args=["digital-divide"]),
        {"label_zh": "数字分化", "label_en": "digital divide", "aliases": "數位落差"},
    )
    assert response.status_code == 302
    divide.refresh_from_db()
    assert divide.label_zh == "数字分化"
    assert divide.aliases == ["數位落差", "数字鸿沟"]


def test_a_taken_label_is_shown_on_the_edit_form(world, divide, prosperity, editor_client):
    response = editor_client.post(
        reverse("kb:concept-edit", args=["digital-divide"]), {"label_zh": "共同富裕"}
    )
    assert response.status_code == 200
    assert "已有同名概念：共同富裕" in response.content.decode()


def test_concept_page_hides_rejected_claims_and_claims_on_drafts(divide, scholar_client, editor_client):
    shown = f.ClaimFactory(statement="可见的论断")
    rejected = f.ClaimFactory(statement="被驳回的论断", status="rejected")
    on_draft = f.ClaimFactory(statement="草稿上的论断", paper=f.PaperFactory(status="draft"))
    for claim in (shown, rejected, on_draft):
        claim.concepts.add(divide)
    html = scholar_client.get(divide.get_absolute_url()).content.decode()
    assert "可见的论断" in html
    assert "被驳回的论断" not in html and "草稿上的论断" not in html
    assert "被驳回的论断" in editor_client.get(divide.get_absolute_url()).content.decode()


def test_comparison_csv_neutralises_formulas_in_titles(divide, scholar_client):
    paper = f.PaperFactory(title='=HYPERLINK("http://example.com","点我")')
    passage = f.PassageFactory(revision=f.RevisionFactory(paper=paper), text="数字鸿沟问题")
    f.MentionFactory(concept=divide, passage=passage)
    aggregates_refresh(paper_ids=[paper.pk])  # the export reads the page aggregates
    rows = _streamed(scholar_client.get(reverse("kb:comparison-csv"))).splitlines()
    assert any(row.startswith(f"{paper.pk},\"'=HYPERLINK(") for row in rows), rows
