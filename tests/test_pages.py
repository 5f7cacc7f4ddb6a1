"""The role x page matrix: every page for every persona, with bounded query counts."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from kb.models import CrossReference, CrossRefStatus, Upload, UploadState
from kb.models.concepts import ConceptCandidate
from kb.services import annotations as annotation_services
from kb.services import claims as claim_services
from papers.ingest import parse_bytes
from tests import factories as f

# page name -> (url builder, max queries)
PAGES = {
    "home": (lambda ctx: reverse("home"), 14),
    "paper-list": (lambda ctx: reverse("papers:paper-list"), 12),
    "paper-list-filtered": (
        lambda ctx: reverse("papers:paper-list") + f"?year=2023&author={ctx['author'].pk}",
        12,
    ),
    "paper-detail": (lambda ctx: ctx["paper"].get_absolute_url(), 16),  # + annotation and evidence overlays
    "author-detail": (lambda ctx: ctx["author"].get_absolute_url(), 12),
    "concept-list": (lambda ctx: reverse("kb:concept-list"), 10),
    "concept-detail": (lambda ctx: ctx["concept"].get_absolute_url(), 14),
    "login": (lambda ctx: reverse("login"), 8),
}


@pytest.fixture
def ctx(paper_with_text):
    concept = f.ConceptFactory(label_zh="数字鸿沟", slug="数字鸿沟", label_en="digital divide")
    passage = paper_with_text.passages.get(order=1)
    f.MentionFactory(concept=concept, passage=passage, start=0, end=4)
    return {
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
    "concept-graph": (lambda ctx: reverse("kb:concept-graph"), "anonymous", 8),
    "paper-concept-graph": (lambda ctx: reverse("kb:paper-concept-graph"), "anonymous", 9),
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
    "paper-edit": (lambda ctx: reverse("papers:paper-edit", args=[ctx["paper"].pk]), "admin", 5),
    # Annotations, claims and history.
    "annotation-detail": (lambda ctx: ctx["annotation"].get_absolute_url(), "anonymous", 15),
    "annotation-margin": (
        lambda ctx: reverse("kb:annotation-margin", args=[ctx["paper"].pk]),
        "anonymous",
        8,
    ),
    "annotation-import": (lambda ctx: reverse("kb:annotation-import", args=[ctx["paper"].pk]), "editor", 4),
    "orphan-list": (lambda ctx: reverse("kb:orphan-list"), "editor", 5),
    "claim-list": (lambda ctx: reverse("kb:claim-list"), "anonymous", 5),
    "claim-detail": (lambda ctx: ctx["claim"].get_absolute_url(), "anonymous", 9),
    "claim-graph": (lambda ctx: reverse("kb:claim-graph"), "anonymous", 5),
    "concept-claims": (lambda ctx: reverse("kb:concept-claims", args=[ctx["concept"].slug]), "anonymous", 6),
    "history": (lambda ctx: reverse("kb:history", args=["claim", ctx["claim"].pk]), "editor", 12),
    "history-annotation": (
        lambda ctx: reverse("kb:history", args=["annotation", ctx["annotation"].pk]),
        "editor",
        12,
    ),
}
RANK = {"anonymous": 0, "scholar": 1, "editor": 2, "admin": 3}


@pytest.fixture
def role_ctx(ctx, admin_user, editor):
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
    return {**ctx, "upload": upload, "annotation": annotation, "claim": claims[0]}


@pytest.mark.parametrize("page", sorted(ROLE_PAGES))
def test_concepts_and_upload_pages_for_every_persona(page, persona, role_ctx, django_assert_max_num_queries):
    name, client = persona
    url, lowest, max_queries = ROLE_PAGES[page]
    with django_assert_max_num_queries(max_queries):
        response = client.get(url(role_ctx))
    if RANK[name] >= RANK[lowest]:
        assert response.status_code == 200, (name, page, response.status_code)
        expected = "text/csv" if page.endswith("-csv") else "text/html"
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
