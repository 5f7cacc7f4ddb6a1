"""The role x page matrix: every page for every persona, with bounded query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

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
