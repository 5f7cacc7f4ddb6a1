"""The role x page matrix: every page for every persona, with bounded query counts."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from kb.models import CrossReference, CrossRefStatus, Upload, UploadState
from kb.models.concepts import ConceptCandidate
from kb.services import annotations as annotation_services
from kb.services import claims as claim_services
from kb.services import groups as group_services
from papers.ingest import parse_bytes
from tests import factories as f
from tests.kb.citation_samples import citation_world

# page name -> (url builder, max queries)
PAGES = {
    "home": (lambda ctx: reverse("home"), 14),
    "paper-list": (lambda ctx: reverse("papers:paper-list"), 12),
    "paper-list-filtered": (
        lambda ctx: reverse("papers:paper-list") + f"?year=2023&author={ctx['author'].pk}",
        12,
    ),
    # + annotation and evidence overlays, the reader's groups and preferences
    "paper-detail": (lambda ctx: ctx["paper"].get_absolute_url(), 18),
    "author-detail": (lambda ctx: ctx["author"].get_absolute_url(), 12),
    "cited-work-detail": (
        lambda ctx: ctx["cited_work"].get_absolute_url(),
        12,
    ),  # the work, its citing papers
    "concept-list": (lambda ctx: reverse("kb:concept-list"), 10),
    # stored counts + a page of papers + the most-cited works (one grouping, a read of titles per kind)
    "concept-detail": (lambda ctx: ctx["concept"].get_absolute_url(), 20),
    "login": (lambda ctx: reverse("login"), 8),
}


@pytest.fixture
def ctx(paper_with_text):
    concept = f.ConceptFactory(label_zh="数字鸿沟", slug="数字鸿沟", label_en="digital divide")
    passage = paper_with_text.passages.get(order=1)
    f.MentionFactory(concept=concept, passage=passage, start=0, end=4)
    cited_work = citation_world(paper_with_text)[0]  # the reader shows its citation network
    return {
        "cited_work": cited_work,
        "paper": paper_with_text,
        "author": paper_with_text.authorships.first().author,
        "concept": concept,
    }


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_page_renders_for_every_persona(page, persona, ctx, django_assert_max_num_queries):
    name, client = persona
    url, max_queries = PAGES[page]
    with django_assert_max_num_queries(max_queries):
        response = client.get(url(ctx))
    assert response.status_code == 200, (name, page, response.status_code)
    assert response["Content-Type"].startswith("text/html")


# Pages of the concepts and upload work that not every persona may open:
# page name -> (url builder, lowest persona allowed, max queries).
ROLE_PAGES = {
    "comparison": (lambda ctx: reverse("kb:comparison"), "anonymous", 9),
    "comparison-csv": (lambda ctx: reverse("kb:comparison-csv"), "anonymous", 8),
    "comparison-claims": (lambda ctx: reverse("kb:comparison") + "?mode=claims", "anonymous", 9),
    "comparison-claims-csv": (lambda ctx: reverse("kb:comparison-csv") + "?mode=claims", "anonymous", 8),
    "concept-graph": (lambda ctx: reverse("kb:concept-graph"), "anonymous", 8),
    "paper-concept-graph": (lambda ctx: reverse("kb:paper-concept-graph"), "anonymous", 9),
    # the citation graph: ranked targets, citing papers, edges, titles of each kind, the stored layout
    "citation-graph": (lambda ctx: reverse("kb:citation-graph"), "anonymous", 12),
    "concept-create": (lambda ctx: reverse("kb:concept-create"), "editor", 7),
    "concept-edit": (lambda ctx: reverse("kb:concept-edit", args=[ctx["concept"].slug]), "editor", 9),
    "concept-merge": (lambda ctx: reverse("kb:concept-merge", args=[ctx["concept"].slug]), "editor", 7),
    "concept-candidates": (lambda ctx: reverse("kb:concept-candidates"), "editor", 7),
    "crossref-review": (lambda ctx: reverse("kb:crossref-review"), "editor", 7),
    "crossref-review-confirmed": (
        lambda ctx: reverse("kb:crossref-review") + f"?status=confirmed&paper={ctx['paper'].pk}",
        "editor",
        8,
    ),
    "upload-list": (lambda ctx: reverse("kb:upload-list"), "admin", 6),
    "upload-detail": (lambda ctx: ctx["upload"].get_absolute_url(), "admin", 10),
    "upload-progress": (lambda ctx: reverse("kb:upload-progress", args=[ctx["upload"].pk]), "admin", 6),
    "record-import": (lambda ctx: reverse("kb:record-import"), "editor", 5),
    "thesaurus-import": (lambda ctx: reverse("kb:thesaurus-import"), "editor", 5),
    "paper-edit": (lambda ctx: reverse("papers:paper-edit", args=[ctx["paper"].pk]), "admin", 5),
    # Annotations, claims and history.
    # the reader at the annotation (+ the user's groups and preferences, the citation network's two reads)
    "annotation-detail": (lambda ctx: ctx["annotation"].get_absolute_url(), "anonymous", 19),
    "annotation-margin": (
        lambda ctx: reverse("kb:annotation-margin", args=[ctx["paper"].pk]),
        "anonymous",
        11,  # + the user's groups, colour names and note filter
    ),
    # + the groups the imported notes may be shared with
    "annotation-import": (lambda ctx: reverse("kb:annotation-import", args=[ctx["paper"].pk]), "scholar", 5),
    "orphan-list": (lambda ctx: reverse("kb:orphan-list"), "editor", 5),
    "claim-list": (lambda ctx: reverse("kb:claim-list"), "anonymous", 5),
    # + the authors of the papers its evidence quotes (their references)
    "claim-detail": (lambda ctx: ctx["claim"].get_absolute_url(), "anonymous", 10),
    "claim-graph": (lambda ctx: reverse("kb:claim-graph"), "anonymous", 5),
    "claim-list-filtered": (  # a cell of the comparison matrix's claims mode
        lambda ctx: reverse("kb:claim-list") + f"?paper={ctx['paper'].pk}&concept={ctx['concept'].slug}",
        "anonymous",
        7,  # the claim list's 5, and the concept and the paper it is narrowed to
    ),
    "concept-claims": (lambda ctx: reverse("kb:concept-claims", args=[ctx["concept"].slug]), "anonymous", 6),
    # Claims across papers: the concept autocomplete and the claim picker (JSON, bounded answers).
    "api-concept-suggest": (lambda ctx: reverse("kb:api-concept-suggest") + "?q=数字", "anonymous", 5),
    "api-claim-search": (lambda ctx: reverse("kb:api-claim-search"), "editor", 4),
    "history": (lambda ctx: reverse("kb:history", args=["claim", ctx["claim"].pk]), "editor", 12),
    "history-annotation": (
        lambda ctx: reverse("kb:history", args=["annotation", ctx["annotation"].pk]),
        "editor",
        12,
    ),
    # The read API's documentation page and the API token page (the API's JSON: tests/kb/api).
    "openapi-docs": (lambda ctx: reverse("api:openapi-view"), "anonymous", 3),
    "token-list": (lambda ctx: reverse("kb:token-list"), "editor", 6),
    # My notes and the colours' names.
    "my-notes": (lambda ctx: reverse("kb:my-notes"), "scholar", 12),
    "my-notes-filtered": (
        lambda ctx: reverse("kb:my-notes") + f"?paper={ctx['paper'].pk}&color=red&tag=x&since=2020-01-01",
        "scholar",
        12,
    ),
    "color-names": (lambda ctx: reverse("kb:color-names"), "scholar", 8),
    # Research groups: the scholar owns the group, the editor is a member, the admin manages all.
    "group-list": (lambda ctx: reverse("kb:group-list"), "scholar", 7),
    "group-create": (lambda ctx: reverse("kb:group-create"), "editor", 6),
    "group-detail": (lambda ctx: reverse("kb:group-detail", args=[ctx["group"].pk]), "scholar", 8),
}
RANK = {"anonymous": 0, "scholar": 1, "editor": 2, "admin": 3}


@pytest.fixture
def role_ctx(ctx, admin_user, editor, scholar):
    """``ctx`` plus a suggested and a confirmed cross-reference, a candidate, a parsed upload, an
    annotation with a reply and an edit, and a claim with evidence, an edit and a relation."""
    passage = ctx["paper"].passages.get(order=1)
    annotation = annotation_services.annotation_create(
        user=editor, passage=passage, start=0, end=4, exact="数字鸿沟", body="公开", visibility="public"
    )
    annotation_services.annotation_reply(user=editor, parent=annotation, body="回复")
    annotation_services.annotation_update(user=editor, annotation=annotation, body="公开，改过")
    claims = [
        claim_services.claim_create(
            user=editor,
            paper=ctx["paper"],
            statement=statement,
            concepts=[ctx["concept"]],
            evidence=[{"passage": passage, "start": 0, "end": 4, "exact": "数字鸿沟"}],
        )
        for statement in ("数字鸿沟阻碍共同富裕。", "数字鸿沟正在缩小。")
    ]
    claim_services.claim_relation_create(
        user=editor, source=claims[0], target=claims[1], relation="contradicts"
    )
    claim_services.claim_update(
        user=editor,
        claim=claims[0],
        statement="数字鸿沟明显阻碍共同富裕。",
        kind="thesis",
        concepts=[ctx["concept"]],
    )
    other = f.PassageFactory(text="数字鸿沟也见于另一篇论文。")
    CrossReference.objects.create(source_passage=passage, target_passage=other, score=0.4)
    CrossReference.objects.create(
        source_passage=other, target_passage=passage, status=CrossRefStatus.CONFIRMED, relation="supports"
    )
    ConceptCandidate.objects.create(term="平台经济", score=1, frequency=9, paper_count=2)
    data = "数字鸿沟与共同富裕\n\n张三\n\n摘要：数字鸿沟是社会不平等的新形态。\n\n一、引言\n\n正文段落。\n".encode()
    parsed = parse_bytes(data, filename="paper.txt")
    upload = Upload.objects.create(
        batch=uuid.uuid4(),
        filename="paper.txt",
        format="txt",
        size=len(data),
        sha256=parsed.source.sha256,
        uploaded_by=admin_user,
        state=UploadState.PARSED,
        progress=100,
        preview=parsed.to_json(),
    )
    group = group_services.group_create(user=admin_user, name="数字治理读书会", owner=scholar)
    group_services.group_add_member(user=scholar, group=group, member=editor)
    for _ in range(3):  # more members cost no more queries
        group_services.group_add_member(user=scholar, group=group, member=f.UserFactory(role="Scholar"))
    return {**ctx, "upload": upload, "annotation": annotation, "claim": claims[0], "group": group}


@pytest.mark.parametrize("page", sorted(ROLE_PAGES))
def test_concepts_and_upload_pages_for_every_persona(page, persona, role_ctx, django_assert_max_num_queries):
    name, client = persona
    url, lowest, max_queries = ROLE_PAGES[page]
    with django_assert_max_num_queries(max_queries):
        response = client.get(url(role_ctx))
    if RANK[name] >= RANK[lowest]:
        assert response.status_code == 200, (name, page, response.status_code)
        expected = "text/csv" if page.endswith("-csv") else "text/html"
        expected = "application/json" if page.startswith("api-") else expected
        assert response["Content-Type"].startswith(expected)
    elif name == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == 403, (name, page, response.status_code)


@pytest.mark.parametrize(
    "page", ["home", "paper-list", "paper-detail", "author-detail", "concept-list", "concept-detail"]
)
def test_anonymous_is_sent_to_login_when_public_reading_is_off(page, ctx, anonymous_client, settings):
    settings.KB_PUBLIC_READ = False
    response = anonymous_client.get(PAGES[page][0](ctx))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_user_without_role_is_forbidden_when_public_reading_is_off(ctx, client, settings):
    settings.KB_PUBLIC_READ = False
    client.force_login(f.UserFactory(username="norole"))
    assert client.get(ctx["paper"].get_absolute_url()).status_code == 403


def test_scholar_reads_when_public_reading_is_off(ctx, scholar_client, settings):
    settings.KB_PUBLIC_READ = False
    assert scholar_client.get(ctx["paper"].get_absolute_url()).status_code == 200


def test_reader_query_count_does_not_grow_with_passages(
    paper_with_text, client, django_assert_max_num_queries
):
    revision = paper_with_text.revisions.get()
    for order in range(5, 205):
        f.PassageFactory(revision=revision, order=order, text=f"第{order}段：数字治理与公共价值。[1]")
    with django_assert_max_num_queries(14):
        response = client.get(paper_with_text.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('class="passage passage--paragraph"') == 202


@pytest.mark.parametrize(
    ("who", "expected"), [("anonymous", 302), ("scholar", 302), ("editor", 302), ("admin", 200)]
)
def test_only_admins_reach_the_django_admin(who, expected, client, db):
    if who != "anonymous":
        client.force_login(f.UserFactory(username=who, role=who.capitalize()))
    response = client.get(reverse("admin:index"))
    assert response.status_code == expected
    if expected == 302:
        assert reverse("admin:login") in response["Location"]


def test_admin_can_open_paper_change_form(admin_client_, paper_with_text):
    url = reverse("admin:papers_paper_change", args=[paper_with_text.pk])
    assert admin_client_.get(url).status_code == 200


def test_missing_paper_is_404(client, db):
    assert client.get(reverse("papers:paper-detail", args=[999999])).status_code == 404


def test_draft_paper_hidden_from_scholar_but_shown_to_admin(scholar_client, admin_client_, db):
    draft = f.PaperFactory(status="draft", title="草稿论文")
    assert scholar_client.get(draft.get_absolute_url()).status_code == 404
    assert admin_client_.get(draft.get_absolute_url()).status_code == 200
    assert "草稿论文" not in scholar_client.get(reverse("papers:paper-list")).content.decode()


def test_merged_concept_redirects_to_its_target(client, db):
    target = f.ConceptFactory(label_zh="数字鸿沟", slug="数字鸿沟")
    old = f.ConceptFactory(label_zh="数字落差", slug="数字落差", merged_into=target)
    response = client.get(old.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == target.get_absolute_url()


def test_home_counts_every_concept_not_only_those_shown(client, db):
    for i in range(30):
        f.ConceptFactory(label_zh=f"测试概念{i}", slug=f"c{i}")
    html = client.get(reverse("home")).content.decode()
    assert "<strong>30</strong>" in html


def test_page_view_query_count_is_bounded(persona, django_assert_max_num_queries):
    from papers.services import paper_save_parsed
    from tests.papers.pagepdf import two_page_parsed, two_page_pdf

    name, client = persona
    paper = paper_save_parsed(parsed=two_page_parsed(two_page_pdf()), data=two_page_pdf()).paper
    passage = paper.passages.get(order=1)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("papers:page-view", args=[paper.pk, 1]) + f"?passage={passage.pk}")
    assert response.status_code == 200, name
    assert 'class="pageview__region is-selected"' in response.content.decode()


def test_my_notes_query_count_does_not_grow_with_notes(scholar, scholar_client, paper_with_text):
    """The page asks the same queries for 1 note as for a full page of them, on many papers."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kb.selectors.notes import NOTES_PER_PAGE

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = scholar_client.get(reverse("kb:my-notes"))
        assert response.status_code == 200
        return len(queries)

    def note(paper) -> None:
        if paper == paper_with_text:
            passage = paper.passages.get(order=1)
        else:
            passage = f.PassageFactory(revision=f.RevisionFactory(paper=paper), order=1)
        annotation_services.annotation_create(
            user=scholar, passage=passage, start=0, end=4, exact=passage.text[:4], tags=["方法"], color="red"
        )

    note(paper_with_text)
    one = count()
    for _ in range(NOTES_PER_PAGE + 5):
        note(f.PaperFactory())
    assert count() == one
    assert len(scholar_client.get(reverse("kb:my-notes")).context["notes"].page) == NOTES_PER_PAGE


@pytest.mark.parametrize(
    "url",
    [
        reverse("kb:concept-graph"),
        reverse("kb:paper-concept-graph"),
        reverse("kb:comparison"),
        reverse("kb:comparison") + "?mode=claims",
    ],
)
def test_graph_and_matrix_queries_do_not_grow_with_papers(url, editor, scholar_client):
    """The graphs and the matrix read the page aggregates, a bounded page of them: the same
    queries for 3 papers as for 50 (the first visit lays the graph out and stores it)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kb.services.aggregates import aggregates_refresh

    concepts = [f.ConceptFactory(label_zh=f"概念{i}", slug=f"k{i}") for i in range(6)]

    def add(n: int) -> None:
        papers = []
        for p in range(n):
            paper = f.PaperFactory(year=2000 + p % 20)
            passage = f.PassageFactory(revision=f.RevisionFactory(paper=paper), text="数字治理与公共价值。")
            for concept in concepts[p % 3 :]:
                f.MentionFactory(concept=concept, passage=passage)
            claim = f.ClaimFactory(paper=paper, creator=editor)
            claim.concepts.set(concepts[:2])
            papers.append(paper)
        aggregates_refresh(paper_ids=[p.pk for p in papers])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert scholar_client.get(url).status_code == 200
        return len(queries)

    add(3)
    first = count()  # lays the graph out and stores it
    assert first <= 12
    few = count()
    add(47)
    count()  # the graph changed: served from storage, one recompute queued
    # (with fewer dated papers than it shows, the paper graph also reads the undated: one more)
    assert count() <= few <= 9
