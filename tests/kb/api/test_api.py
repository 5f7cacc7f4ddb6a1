"""The read API: permissions per persona, pagination bounds, shapes, tokens and query counts."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from kb.api.auth import BAD_TOKEN, NO_CREDENTIALS
from kb.api.common import MAX_LIMIT
from kb.models import ApiToken
from kb.search.service import search_index_rebuild
from kb.services import tokens
from kb.services.tokens import token_create
from papers.models import Paper
from tests import factories as f

PAPERS = reverse("api:paper-list")
CLAIMS = reverse("api:claim-list")
ANNOTATIONS = reverse("api:annotation-list")
CROSSREFS = reverse("api:crossref-list")
CONCEPTS = reverse("api:concept-list")
LISTS = [PAPERS, CLAIMS, ANNOTATIONS, CROSSREFS, CONCEPTS]


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


# -- who may read -------------------------------------------------------------------------------


@pytest.mark.parametrize("url", LISTS)
def test_anonymous_is_refused_when_public_reading_is_off(api_world, settings, url):
    settings.KB_PUBLIC_READ = False
    response = Client().get(url)
    assert response.status_code == 401
    assert response.json() == {"detail": NO_CREDENTIALS}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_anonymous_reads_published_papers_when_public_reading_is_on(api_world, settings):
    settings.KB_PUBLIC_READ = True
    ids = _ids(Client().get(PAPERS))
    assert ids == set(Paper.objects.published().values_list("pk", flat=True))
    assert api_world.paper.pk in ids and api_world.draft.pk not in ids


def test_a_user_without_role_is_forbidden_when_public_reading_is_off(api_world, settings):
    settings.KB_PUBLIC_READ = False
    response = _client(f.UserFactory(username="norole")).get(PAPERS)
    assert response.status_code == 403


def test_drafts_are_404_except_for_admins(api_world, scholar, admin_user, bearer):
    url = reverse("api:paper-detail", args=[api_world.draft.pk])
    assert _client(scholar).get(url).status_code == 404
    assert Client().get(url, **bearer).status_code == 404  # an editor's token
    assert _client(admin_user).get(url).json()["status"] == "draft"
    assert api_world.draft.pk in _ids(_client(admin_user).get(PAPERS + "?limit=100"))


def test_rejected_claims_are_hidden_from_non_editors(api_world, scholar, bearer, settings):
    settings.KB_PUBLIC_READ = True
    for client in (Client(), _client(scholar)):
        assert _ids(client.get(CLAIMS)) == {api_world.claim.pk}
        assert _ids(client.get(CLAIMS + "?status=rejected")) == set()
        assert client.get(reverse("api:claim-detail", args=[api_world.rejected.pk])).status_code == 404
        # The relation to the rejected claim is not shown either.
        detail = client.get(reverse("api:claim-detail", args=[api_world.claim.pk])).json()
        assert detail["relations_out"] == []
    assert _ids(Client().get(CLAIMS, **bearer)) == {api_world.claim.pk, api_world.rejected.pk}
    detail = Client().get(reverse("api:claim-detail", args=[api_world.claim.pk]), **bearer).json()
    assert [r["claim_id"] for r in detail["relations_out"]] == [api_world.rejected.pk]


def test_private_and_editors_annotations_are_hidden(api_world, scholar, other_editor, bearer):
    notes = api_world.notes
    ids = {name: note.pk for name, note in notes.items()}

    def seen(client, **extra):
        response = client.get(ANNOTATIONS + "?limit=100", **extra)
        assert response.status_code == 200, response.content
        return {int(item["id"].rstrip("/").rsplit("/", 1)[-1]) for item in response.json()["items"]}

    assert seen(_client(scholar)) == {ids["public"]}
    assert seen(_client(other_editor)) == {ids["public"], ids["editors"]}
    assert seen(Client(), **bearer) == set(ids.values())  # the author sees their private note
    private = reverse("api:annotation-detail", args=[ids["private"]])
    assert _client(other_editor).get(private).status_code == 404
    assert _client(scholar).get(reverse("api:annotation-detail", args=[ids["editors"]])).status_code == 404


def test_suggested_crossrefs_are_for_editors_only(api_world, scholar, bearer):
    assert _ids(_client(scholar).get(CROSSREFS)) == {api_world.confirmed.pk}
    assert _ids(_client(scholar).get(CROSSREFS + "?status=suggested")) == set()
    assert _ids(Client().get(CROSSREFS + "?status=suggested", **bearer)) == {api_world.suggested.pk}


def test_mentions_in_drafts_are_not_counted_for_readers(api_world, scholar, admin_user):
    url = reverse("api:concept-detail", args=[api_world.concept.slug])
    assert _client(scholar).get(url).json()["mention_count"] == 1
    assert _client(admin_user).get(url).json()["mention_count"] == 2
    mentions = reverse("api:concept-mentions", args=[api_world.concept.slug])
    assert _ids(_client(scholar).get(mentions)) == {api_world.mention.pk}


# -- shapes -------------------------------------------------------------------------------------


def test_paper_detail_has_authors_and_metadata(api_world, scholar):
    data = _client(scholar).get(reverse("api:paper-detail", args=[api_world.paper.pk])).json()
    assert data["title"] == "数字鸿沟与共同富裕"
    assert data["year"] == 2023
    assert [a["order"] for a in data["authorships"]] == [0, 1]
    assert data["authorships"][0]["affiliation"]
    assert data["passage_count"] == 5
    assert data["html_url"].endswith(api_world.paper.get_absolute_url())


def test_passages_have_pages_and_sections(api_world, scholar):
    url = reverse("api:paper-passages", args=[api_world.paper.pk])
    data = _client(scholar).get(url + "?limit=2&offset=1").json()
    assert data["count"] == 5
    first = data["items"][0]
    assert (first["order"], first["page"], first["section"]["heading"]) == (1, 1, "数字鸿沟的内涵")
    assert data["next"].endswith("offset=3") and data["previous"].endswith("offset=0")
    kinds = {p["kind"] for p in _client(scholar).get(url + "?kind=heading").json()["items"]}
    assert kinds == {"heading"}


def test_paper_filters(api_world, scholar):
    client = _client(scholar)
    assert _ids(client.get(PAPERS + "?year=2023")) == {api_world.paper.pk}
    assert _ids(client.get(PAPERS + "?q=鸿沟")) == {api_world.paper.pk}
    assert _ids(client.get(PAPERS + "?doc_type=thesis")) == set()
    assert client.get(PAPERS + "?doc_type=novel").status_code == 422


def test_concept_detail_has_labels_aliases_and_links(api_world, scholar):
    data = _client(scholar).get(reverse("api:concept-detail", args=["digital-divide"])).json()
    assert (data["label_zh"], data["label_en"]) == ("数字鸿沟", "digital divide")
    assert data["aliases"] == ["數字鴻溝", "信息鸿沟"]
    assert data["broader"] == ["digitalisation"]
    assert _ids(_client(scholar).get(CONCEPTS + "?q=信息")) == {api_world.concept.pk}


def test_claim_detail_has_evidence_with_stance_passage_and_paper(api_world, scholar):
    data = _client(scholar).get(reverse("api:claim-detail", args=[api_world.claim.pk])).json()
    [evidence] = data["evidence"]
    assert evidence["stance"] == "supports"
    assert evidence["exact"] == "数字鸿沟"
    assert evidence["passage"]["id"] == api_world.passage.pk
    assert evidence["paper"]["id"] == api_world.paper.pk
    assert evidence["section"] == "数字鸿沟的内涵"
    assert [c["slug"] for c in data["concepts"]] == ["digital-divide"]


def test_annotations_are_w3c_json_ld(api_world, scholar):
    data = _client(scholar).get(ANNOTATIONS).json()
    assert data["type"] == "AnnotationPage"
    assert data["partOf"]["total"] == 1
    [note] = data["items"]
    assert note["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert note["type"] == "Annotation"
    selectors = {s["type"]: s for s in note["target"]["selector"]}
    assert selectors["TextQuoteSelector"]["exact"] == "数字鸿沟"
    assert {"type": "TextualBody", "value": "定义", "purpose": "tagging"} in note["body"]


# -- pagination ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", [f"limit={MAX_LIMIT + 1}", "limit=0", "offset=-1", "offset=100001", "limit=x"]
)
def test_pagination_is_bounded(api_world, scholar, query):
    response = _client(scholar).get(PAPERS + "?" + query)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_an_offset_past_the_end_is_an_empty_page(api_world, scholar):
    data = _client(scholar).get(PAPERS + "?offset=500").json()
    assert data["items"] == [] and data["next"] is None and data["count"] == 2


# -- tokens -------------------------------------------------------------------------------------


def test_a_token_stores_only_its_hash(editor):
    token, key = token_create(user=editor, name="导出")
    assert key.startswith("ty_") and len(key) > 40
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:10]
    assert key not in str(ApiToken.objects.filter(pk=token.pk).values().get())


def test_token_authenticates_then_revoked_token_is_refused(api_world, editor, editor_token, bearer, client):
    assert client.get(PAPERS, **bearer).status_code == 200
    token = ApiToken.objects.get(user=editor)
    assert token.last_used_at is not None
    client.force_login(editor)  # the token page's revoke button
    response = client.post(reverse("kb:token-revoke", args=[token.pk]))
    assert response.status_code == 302
    response = Client().get(PAPERS, **bearer)
    assert response.status_code == 401
    assert response.json() == {"detail": BAD_TOKEN}


def test_a_bad_token_is_refused_even_with_a_session(api_world, scholar):
    response = _client(scholar).get(PAPERS, HTTP_AUTHORIZATION="Bearer ty_not-a-real-key")
    assert response.status_code == 401


def test_a_token_of_a_demoted_editor_no_longer_works(api_world, editor, bearer):
    editor.groups.clear()
    assert Client().get(PAPERS, **bearer).status_code == 401


def test_token_page_shows_the_key_once(editor_client, editor):
    url = reverse("kb:token-list")
    response = editor_client.post(url, {"name": "每周导出"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=editor, name="每周导出")
    key = response.context["new_key"]
    assert key.startswith(token.prefix) and key in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")
    again = editor_client.get(url).content.decode()
    assert key not in again and token.prefix in again


def test_token_page_is_for_editors(scholar_client, editor, client):
    assert scholar_client.get(reverse("kb:token-list")).status_code == 403
    assert scholar_client.post(reverse("kb:token-list"), {"name": "x"}).status_code == 403
    token, _key = token_create(user=editor, name="别人的")
    other = f.UserFactory(username="editor3", role="Editor")
    client.force_login(other)
    assert client.post(reverse("kb:token-revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_name_is_required(editor_client):
    response = editor_client.post(reverse("kb:token-list"), {"name": "   "})
    assert response.status_code == 200 and response.context["new_key"] is None
    assert not ApiToken.objects.exists()


# -- the API is read-only; the document and its page ---------------------------------------------


def test_the_api_refuses_writes(api_world, editor, bearer):
    assert Client().post(PAPERS, **bearer).status_code == 405
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(editor)
    assert csrf.post(PAPERS).status_code == 403


def test_docs_page_renders_every_operation_without_scripts(scholar_client):
    response = scholar_client.get(reverse("api:openapi-view"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script" not in html.split("</footer>")[0]
    document = scholar_client.get(reverse("api:openapi-json")).json()
    for path in document["paths"]:
        assert f"<code>{path}</code>" in html
    assert "cdn" not in html.lower()
    assert 'id="schema-PaperDetail"' in html


def test_the_document_needs_a_reader(api_world, settings, bearer):
    settings.KB_PUBLIC_READ = False
    assert Client().get(reverse("api:openapi-json")).status_code == 401
    assert Client().get(reverse("api:openapi-json"), **bearer).status_code == 200
    assert Client().get(reverse("api:openapi-view"))["Location"].startswith(reverse("login"))


# -- query counts ---------------------------------------------------------------------------------


def test_list_query_counts_do_not_grow(api_world, editor, bearer, django_assert_max_num_queries):
    passage = api_world.passage
    for _ in range(30):
        paper = f.PaperFactory()
        f.AuthorshipFactory(paper=paper, order=0)
        f.AuthorshipFactory(paper=paper, order=1)
        f.ClaimFactory(paper=paper, creator=editor).concepts.add(api_world.concept)
        f.AnnotationFactory(passage=passage, creator=editor, tags=None)
        f.MentionFactory(
            concept=api_world.concept, passage=f.PassageFactory(revision=f.RevisionFactory(paper=paper))
        )
    urls = {
        PAPERS: 8,
        CLAIMS: 8,
        ANNOTATIONS: 8,
        CROSSREFS: 6,
        CONCEPTS: 7,
        reverse("api:concept-mentions", args=[api_world.concept.slug]): 8,
        reverse("api:paper-passages", args=[api_world.paper.pk]): 7,
    }
    for url, most in urls.items():
        with django_assert_max_num_queries(most):
            response = Client().get(url + "?limit=50", **bearer)
        assert response.status_code == 200, url
        assert response.json().get("items"), url


# -- search ---------------------------------------------------------------------------------------


def test_search_filters_by_type_and_respects_visibility(api_world, search_index, scholar, bearer):
    search_index_rebuild()
    url = reverse("api:search")
    data = _client(scholar).get(url, {"q": "鸿沟", "type": "passage"}).json()
    assert data["total"] >= 1
    assert {hit["type"] for hit in data["hits"]} == {"passage"}
    assert "<mark>" in data["hits"][0]["snippet"]
    claims = _client(scholar).get(url, {"q": "驳回", "type": "claim"}).json()
    assert claims["hits"] == []  # the rejected claim
    claims = Client().get(url, {"q": "驳回", "type": "claim"}, **bearer).json()
    assert [hit["id"] for hit in claims["hits"]] == [api_world.rejected.pk]
    assert _client(scholar).get(url, {"q": "x", "type": "novel"}).status_code == 422


def test_only_editors_create_tokens_and_only_so_many(scholar, editor):
    with pytest.raises(PermissionDenied) as refused:
        token_create(user=scholar, name="x")
    assert str(refused.value) == str(tokens.NOT_EDITOR)
    for n in range(tokens.MAX_ACTIVE_TOKENS):
        token_create(user=editor, name=f"脚本{n}")
    with pytest.raises(ValidationError) as too_many:
        token_create(user=editor, name="再一个")
    assert too_many.value.messages == [str(tokens.TOO_MANY)]
    tokens.token_revoke(token=ApiToken.objects.filter(user=editor).first(), user=editor)
    token_create(user=editor, name="撤销一个之后")  # a revoked token frees its place


def test_last_used_is_written_at_most_once_a_minute(editor, django_assert_max_num_queries):
    token, key = token_create(user=editor, name="频繁")
    assert tokens.token_authenticate(raw_key=key) == editor
    token.refresh_from_db()
    first = token.last_used_at
    with django_assert_max_num_queries(2):  # the token with its user, the user's roles: no write
        assert tokens.token_authenticate(raw_key=key) == editor
    token.refresh_from_db()
    assert token.last_used_at == first
