"""Every user-text input refuses control characters (400 and a message: PostgreSQL cannot store
NUL), drops bidi controls, keeps to its size limit; pages show stored bidi controls visibly."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from kb.lib.usertext import CONTROL_CHARS, LIMITS
from kb.models import Annotation, Claim, Concept
from kb.services import annotations as annotation_services
from tests import factories as f


def _post_json(client, url, payload, method="post"):
    return getattr(client, method)(url, data=json.dumps(payload), content_type="application/json")


def _annotation_payload(paper, body, **extra):
    passage = paper.passages.get(order=1)
    return {"passage": passage.pk, "start": 0, "end": 4, "exact": "数字鸿沟", "body": body, **extra}


@pytest.mark.parametrize(
    "payload",
    [{"body": "笔记\x00"}, {"body": "笔记", "tags": ["标签\x00"]}, {"body": "\x1b[2J清屏"}],
    ids=["body", "tag", "escape"],
)
def test_annotation_api_refuses_control_characters(editor_client, paper_with_text, payload):
    url = reverse("kb:api-paper-annotations", args=[paper_with_text.pk])
    response = _post_json(editor_client, url, _annotation_payload(paper_with_text, **payload))
    assert response.status_code == 400
    assert response.json()["errors"] == [CONTROL_CHARS]
    assert not Annotation.objects.exists()


def test_annotation_patch_refuses_nul(editor_client, editor, paper_with_text):
    passage = paper_with_text.passages.get(order=1)
    a = annotation_services.annotation_create(user=editor, passage=passage, start=0, end=4, exact="数字鸿沟")
    response = _post_json(editor_client, reverse("kb:api-annotation", args=[a.pk]), {"body": "\x00"}, "patch")
    assert response.status_code == 400
    a.refresh_from_db()
    assert a.body == ""


@pytest.mark.parametrize("route", ["annotation-edit", "annotation-reply"])
def test_annotation_forms_refuse_nul_with_a_page(editor_client, editor, paper_with_text, route):
    passage = paper_with_text.passages.get(order=1)
    a = annotation_services.annotation_create(user=editor, passage=passage, start=0, end=4, exact="数字鸿沟")
    response = editor_client.post(reverse(f"kb:{route}", args=[a.pk]), {"body": "回复\x00", "tags": ""})
    assert response.status_code == 400
    assert "控制字符" in response.content.decode()
    assert Annotation.objects.count() == 1 and Annotation.objects.get().body == ""


def test_claim_api_refuses_nul_statement(editor_client, paper_with_text):
    passage = paper_with_text.passages.get(order=1)
    payload = {
        "statement": "论断\x00",
        "evidence": [{"passage": passage.pk, "start": 0, "end": 4, "exact": "数字鸿沟"}],
    }
    response = _post_json(editor_client, reverse("kb:api-claim-create", args=[paper_with_text.pk]), payload)
    assert response.status_code == 400
    assert not Claim.objects.exists()


def test_concept_form_refuses_nul(editor_client):
    response = editor_client.post(reverse("kb:concept-create"), {"label_zh": "数字\x00治理"})
    assert response.status_code == 400
    assert not Concept.objects.exists()


@pytest.mark.parametrize("route", ["kb:search", "kb:search-api"])
def test_search_refuses_nul(scholar_client, route):
    response = scholar_client.get(reverse(route), {"q": "数字\x00鸿沟"})
    assert response.status_code == 400


def test_bidi_controls_are_dropped_from_input(editor_client, paper_with_text):
    url = reverse("kb:api-paper-annotations", args=[paper_with_text.pk])
    response = _post_json(
        editor_client, url, _annotation_payload(paper_with_text, "看\u202eabc", tags=["甲\u2066"])
    )
    assert response.status_code == 201
    a = Annotation.objects.get()
    assert (a.body, a.tag_list) == ("看abc", ["甲"])


def test_an_annotation_body_has_a_size_limit(editor_client, paper_with_text):
    url = reverse("kb:api-paper-annotations", args=[paper_with_text.pk])
    too_long = "字" * (LIMITS["body"] + 1)
    response = _post_json(editor_client, url, _annotation_payload(paper_with_text, too_long))
    assert response.status_code == 400
    assert "最多 20000 个字符" in response.json()["errors"][0]


def test_a_title_with_a_bidi_override_is_shown_marked(scholar_client):
    paper = f.PaperFactory(title="数字鸿沟\u202e研究")
    html = scholar_client.get(reverse("papers:paper-detail", args=[paper.pk])).content.decode()
    assert "\u202e" not in html
    assert "数字鸿沟[U+202E]研究" in html
