"""Annotations: services, the JSON API, visibility by persona, threads, tags, CSRF, query bounds."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from kb.models import AnchorStatus, Annotation, Visibility
from kb.services import anchoring as anchoring_services
from kb.services import annotations as services
from kb.services import audiences
from tests import factories as f


def _passage(paper, order=1):
    return paper.passages.get(order=order)


def _create(user, paper, quote="社会不平等", visibility=Visibility.PUBLIC, **extra):
    passage = _passage(paper)
    start = passage.text.index(quote)
    return services.annotation_create(
        user=user,
        passage=passage,
        start=start,
        end=start + len(quote),
        exact=quote,
        visibility=visibility,
        **extra,
    )


def _api_post(client, paper, payload, **extra):
    return client.post(
        reverse("kb:api-paper-annotations", args=[paper.pk]),
        data=json.dumps(payload),
        content_type="application/json",
        **extra,
    )


# --- service -----------------------------------------------------------------------


def test_create_stores_w3c_selectors_in_canonical_offsets(paper_with_text, editor):
    a = _create(
        editor, paper_with_text, body="**重要** <script>x</script>", tags=["不平等", " 不平等 ", "数字鸿沟"]
    )
    passage = _passage(paper_with_text)
    revision = passage.revision
    assert revision.text[a.start : a.end] == "社会不平等" == a.exact
    assert a.start == passage.start + passage.text.index("社会不平等")
    assert a.prefix == "数字鸿沟是数字时代"
    assert a.suffix.startswith("的新形态①。")
    assert (a.passage, a.revision, a.paper, a.anchor_status) == (
        passage,
        revision,
        paper_with_text,
        "anchored",
    )
    assert a.body_html == "<p><strong>重要</strong> &lt;script&gt;x&lt;/script&gt;</p>"
    assert sorted(a.tags.names()) == ["不平等", "数字鸿沟"] and a.tag_list == ["不平等", "数字鸿沟"]
    assert a.motivation == "commenting"
    record = a.history.get()
    assert (record.history_type, record.history_user) == ("+", editor)


def test_motivation_follows_what_was_given(paper_with_text, editor):
    assert _create(editor, paper_with_text).motivation == "highlighting"
    assert _create(editor, paper_with_text, tags=["x"]).motivation == "tagging"
    concept = f.ConceptFactory(label_zh="数字鸿沟", slug="数字鸿沟")
    assert _create(editor, paper_with_text, concept=concept).motivation == "linking"


def test_offsets_that_do_not_hold_the_quote_fall_back_to_the_quote(paper_with_text, editor):
    passage = _passage(paper_with_text)
    a = services.annotation_create(user=editor, passage=passage, start=0, end=2, exact="新形态")
    assert a.exact == "新形态" and passage.revision.text[a.start : a.end] == "新形态"


def test_quote_missing_from_passage_is_rejected(paper_with_text, editor):
    with pytest.raises(ValidationError) as exc:
        services.annotation_create(
            user=editor, passage=_passage(paper_with_text), start=None, end=None, exact="不存在"
        )
    assert exc.value.messages == [anchoring_services.SELECTION_NOT_FOUND]


def test_selection_on_old_revision_is_rejected(paper_with_text, editor):
    passage = _passage(paper_with_text)
    passage.revision.is_current = False
    passage.revision.save()
    with pytest.raises(ValidationError) as exc:
        services.annotation_create(user=editor, passage=passage, start=0, end=2, exact="")
    assert exc.value.messages == [anchoring_services.SELECTION_STALE]


def test_scholar_cannot_write(paper_with_text, scholar):
    with pytest.raises(PermissionDenied):
        _create(scholar, paper_with_text)


def test_only_author_updates(paper_with_text, editor, other_editor):
    a = _create(editor, paper_with_text)
    with pytest.raises(PermissionDenied) as exc:
        services.annotation_update(user=other_editor, annotation=a, body="x")
    assert str(exc.value) == services.NOT_AUTHOR


def test_reply_carries_thread_visibility_and_follows_changes(paper_with_text, editor, other_editor):
    root = _create(editor, paper_with_text, visibility=Visibility.EDITORS)
    reply = services.annotation_reply(user=other_editor, parent=root, body="同意")
    assert (reply.parent, reply.visibility, reply.motivation) == (root, "editors", "replying")
    services.annotation_update(user=editor, annotation=root, visibility=Visibility.PUBLIC)
    reply.refresh_from_db()
    assert reply.visibility == "public"


def test_cannot_reply_to_what_one_cannot_see(paper_with_text, editor, other_editor):
    root = _create(editor, paper_with_text, visibility=Visibility.PRIVATE)
    with pytest.raises(PermissionDenied):
        services.annotation_reply(user=other_editor, parent=root, body="?")


def test_empty_reply_is_rejected(paper_with_text, editor):
    root = _create(editor, paper_with_text)
    with pytest.raises(ValidationError) as exc:
        services.annotation_reply(user=editor, parent=root, body="  ")
    assert exc.value.messages == [services.EMPTY_REPLY]


def test_too_many_or_too_long_tags_are_rejected():
    with pytest.raises(ValidationError) as exc:
        services.clean_tags(["x" * 51])
    assert exc.value.messages == [services.TAG_TOO_LONG]
    with pytest.raises(ValidationError) as exc:
        services.clean_tags([str(i) for i in range(13)])
    assert exc.value.messages == [services.TOO_MANY_TAGS]


# --- API ---------------------------------------------------------------------------


def test_api_create_and_list(paper_with_text, editor_client):
    passage = _passage(paper_with_text)
    start = passage.text.index("新形态")
    response = _api_post(
        editor_client,
        paper_with_text,
        {
            "passage": passage.pk,
            "start": start,
            "end": start + 3,
            "exact": "新形态",
            "body": "评论",
            "tags": "甲,乙",
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["passage_start"], data["passage_end"], data["tags"]) == (start, start + 3, ["甲", "乙"])
    listed = editor_client.get(reverse("kb:api-paper-annotations", args=[paper_with_text.pk])).json()
    assert [a["id"] for a in listed["annotations"]] == [data["id"]]


def test_api_create_forbidden_for_anonymous(paper_with_text, anonymous_client):
    response = _api_post(
        anonymous_client, paper_with_text, {"passage": _passage(paper_with_text).pk, "exact": "新形态"}
    )
    assert response.status_code == 403
    assert Annotation.objects.count() == 0


@pytest.mark.parametrize("visibility", ["public", "editors"])
def test_api_scholar_writes_private_notes_but_never_public_knowledge(
    paper_with_text, scholar, scholar_client, visibility
):
    data = {"passage": _passage(paper_with_text).pk, "exact": "新形态"}
    response = _api_post(scholar_client, paper_with_text, {**data, "visibility": visibility})
    assert response.status_code == 403
    assert response.json()["errors"] == [str(audiences.PUBLIC_NEEDS_EDITOR)]
    assert Annotation.objects.count() == 0
    response = _api_post(scholar_client, paper_with_text, data)
    assert response.status_code == 201, response.content
    assert Annotation.objects.get().visibility == "private" and Annotation.objects.get().creator == scholar


def test_api_rejects_bad_json_and_foreign_passage(paper_with_text, editor_client):
    url = reverse("kb:api-paper-annotations", args=[paper_with_text.pk])
    assert editor_client.post(url, data="{", content_type="application/json").status_code == 400
    other = f.PassageFactory()
    response = _api_post(editor_client, paper_with_text, {"passage": other.pk, "exact": "数字"})
    assert response.status_code == 400


def test_api_requires_csrf_token(paper_with_text, editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = _api_post(
        client, paper_with_text, {"passage": _passage(paper_with_text).pk, "exact": "新形态"}
    )
    assert response.status_code == 403
    client.get(reverse("papers:paper-detail", args=[paper_with_text.pk]))
    token = client.cookies["csrftoken"].value
    response = _api_post(
        client,
        paper_with_text,
        {"passage": _passage(paper_with_text).pk, "exact": "新形态"},
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 201


def test_api_update_and_delete(paper_with_text, editor, editor_client, other_editor):
    a = _create(editor, paper_with_text)
    url = reverse("kb:api-annotation", args=[a.pk])
    response = editor_client.patch(
        url, data=json.dumps({"body": "改过", "tags": ["新"]}), content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["body_html"] == "<p>改过</p>"
    other = Client()
    other.force_login(other_editor)
    assert other.delete(url).status_code == 403
    assert editor_client.delete(url).status_code == 204
    assert not Annotation.objects.filter(pk=a.pk).exists()
    assert a.history.filter(history_type="-").exists()


def test_admin_may_delete_any_annotation(paper_with_text, editor, admin_client_):
    a = _create(editor, paper_with_text)
    assert admin_client_.delete(reverse("kb:api-annotation", args=[a.pk])).status_code == 204


# --- visibility by persona ------------------------------------------------------------


@pytest.fixture
def three_annotations(paper_with_text, editor):
    return {
        vis: _create(editor, paper_with_text, quote=quote, visibility=vis, body=f"{vis} 批注")
        for vis, quote in [("private", "数字鸿沟"), ("editors", "数字时代"), ("public", "新形态")]
    }


EXPECTED = {
    "anonymous": {"public"},
    "scholar": {"public"},
    "other_editor": {"public", "editors"},
    "editor": {"public", "editors", "private"},
    "admin": {"public", "editors"},
}


@pytest.fixture(params=list(EXPECTED))
def viewer(request, db):
    name = request.param
    client = Client()
    if name != "anonymous":
        user = request.getfixturevalue({"admin": "admin_user"}.get(name, name))
        client.force_login(user)
    return name, client


def test_every_url_respects_visibility(three_annotations, paper_with_text, viewer):
    name, client = viewer
    expected = EXPECTED[name]
    listed = client.get(reverse("kb:api-paper-annotations", args=[paper_with_text.pk])).json()
    assert {a["visibility"] for a in listed["annotations"]} == expected
    for vis, a in three_annotations.items():
        want = 200 if vis in expected else 404
        assert client.get(reverse("kb:api-annotation", args=[a.pk])).status_code == want
        assert client.get(reverse("kb:annotation-detail", args=[a.pk])).status_code == want
    page = client.get(reverse("papers:paper-detail", args=[paper_with_text.pk])).content.decode()
    margin = client.get(reverse("kb:annotation-margin", args=[paper_with_text.pk])).content.decode()
    export = client.get(reverse("kb:annotation-export")).content.decode()
    for vis, a in three_annotations.items():
        for html in (page, margin, export):
            assert (f"{vis} 批注" in html) == (vis in expected), (name, vis)
        assert (f'data-annotation="{a.pk}"' in page) == (vis in expected)


def test_reader_shows_highlight_on_the_quoted_characters(three_annotations, paper_with_text, editor_client):
    html = editor_client.get(reverse("papers:paper-detail", args=[paper_with_text.pk])).content.decode()
    a = three_annotations["public"]
    assert f'<mark class="anno anno--public" data-annotation="{a.pk}">新形态</mark>' in html
    assert 'id="annotator"' in html and "js/annotator.js" in html


def test_reader_gives_scholars_the_note_toolbar_without_editor_tools(
    three_annotations, paper_with_text, scholar_client, anonymous_client
):
    html = scholar_client.get(reverse("papers:paper-detail", args=[paper_with_text.pk])).content.decode()
    assert 'id="annotator"' in html and 'data-action="comment"' in html
    assert 'data-action="claim"' not in html and 'data-action="crossref"' not in html
    annotator = html.split('id="annotator"')[1]
    assert '<option value="public">' not in annotator and '<option value="private">' in annotator
    html = anonymous_client.get(reverse("papers:paper-detail", args=[paper_with_text.pk])).content.decode()
    assert 'id="annotator"' not in html and "anno-margin" in html


def test_reply_form_posts_a_reply(three_annotations, editor_client, paper_with_text):
    root = three_annotations["public"]
    response = editor_client.post(reverse("kb:annotation-reply", args=[root.pk]), {"body": "一条 *回复*"})
    assert response.status_code == 302
    reply = root.replies.get()
    assert reply.body_html == "<p>一条 <em>回复</em></p>"
    page = editor_client.get(reverse("papers:paper-detail", args=[paper_with_text.pk])).content.decode()
    assert "一条 <em>回复</em>" in page


def test_scholar_cannot_reply(three_annotations, scholar_client):
    root = three_annotations["public"]
    assert (
        scholar_client.post(reverse("kb:annotation-reply", args=[root.pk]), {"body": "x"}).status_code == 403
    )


def test_tag_suggestions_come_only_from_visible_annotations(
    paper_with_text, editor, scholar_client, editor_client
):
    _create(editor, paper_with_text, visibility="private", tags=["秘密标签"])
    _create(editor, paper_with_text, quote="新形态", visibility="public", tags=["公开标签", "公共"])
    url = reverse("kb:api-tags")
    assert scholar_client.get(url, {"q": "标签"}).json()["tags"] == ["公开标签"]
    assert sorted(editor_client.get(url, {"q": "标签"}).json()["tags"]) == ["公开标签", "秘密标签"]
    assert scholar_client.get(url).json()["tags"] == ["公共", "公开标签"]


def test_reader_query_count_does_not_grow_with_annotations(
    paper_with_text, editor, editor_client, django_assert_max_num_queries
):
    url = reverse("papers:paper-detail", args=[paper_with_text.pk])
    _create(editor, paper_with_text, tags=["a"])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        editor_client.get(url)
    for i in range(8):
        root = _create(editor, paper_with_text, quote="数字时代", tags=[f"t{i}"], body=f"b{i}")
        services.annotation_reply(user=editor, parent=root, body="r")
    with django_assert_max_num_queries(len(few)):
        assert editor_client.get(url).status_code == 200


def test_orphans_page_for_editors_only(paper_with_text, editor, editor_client, scholar_client):
    a = _create(editor, paper_with_text, quote="新形态")
    Annotation.objects.filter(pk=a.pk).update(anchor_status=AnchorStatus.ORPHANED)
    url = reverse("kb:orphan-list")
    assert scholar_client.get(url).status_code == 403
    assert "新形态" in editor_client.get(url).content.decode()


def test_orphan_reattach(paper_with_text, editor, editor_client):
    a = _create(editor, paper_with_text, quote="新形态")
    Annotation.objects.filter(pk=a.pk).update(anchor_status=AnchorStatus.ORPHANED)
    target = paper_with_text.passages.get(order=3)
    response = editor_client.post(
        reverse("kb:orphan-reattach", args=["annotation", a.pk]), {"order": 3, "exact": "共同富裕"}
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.passage, a.exact, a.anchor_status) == (target, "共同富裕", "moved")
    assert a.history.first().history_change_reason == anchoring_services.REASON_REATTACH


def test_orphans_page_offers_where_the_quote_may_have_gone(
    paper_with_text, editor, editor_client, django_assert_max_num_queries
):
    a = _create(editor, paper_with_text, quote="新形态")
    # The text changed: the quote is gone, a close variant sits in passage 1.
    Annotation.objects.filter(pk=a.pk).update(anchor_status=AnchorStatus.ORPHANED, exact="不平等新形态")
    url = reverse("kb:orphan-list")
    with django_assert_max_num_queries(12):
        html = editor_client.get(url).content.decode()
    assert "可能的位置" in html and "¶ 1" in html
    assert 'name="exact" value="不平等的新形态"' in html
    response = editor_client.post(
        reverse("kb:orphan-reattach", args=["annotation", a.pk]), {"order": 1, "exact": "不平等的新形态"}
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.passage.order, a.exact, a.anchor_status) == (1, "不平等的新形态", "moved")
    assert "可能的位置" not in editor_client.get(url).content.decode()


def test_margin_edit_form_updates_own_annotation(paper_with_text, editor, editor_client, other_editor):
    a = _create(editor, paper_with_text, visibility="editors", body="旧")
    url = reverse("kb:annotation-edit", args=[a.pk])
    html = editor_client.get(reverse("papers:paper-detail", args=[paper_with_text.pk])).content.decode()
    assert url in html
    response = editor_client.post(url, {"body": "新 *内容*", "tags": "甲，乙", "visibility": "public"})
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.body_html, a.tag_list, a.visibility) == ("<p>新 <em>内容</em></p>", ["甲", "乙"], "public")
    other = Client()
    other.force_login(other_editor)
    assert other.post(url, {"body": "x"}).status_code == 403
