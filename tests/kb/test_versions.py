"""No lost updates: edits carry the version they were based on; a stale save is refused with what
changed, and the user's text is kept. Two sessions of real clients, over forms and the API."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from kb.models import Annotation, Claim, Concept, CrossReference
from kb.services import annotations as annotation_services
from kb.services import claims as claim_services
from kb.services import concepts as concept_services
from kb.services import crossrefs as crossref_services
from kb.services.versions import StaleEdit
from tests import factories as f


def _session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def annotation(paper_with_text, editor):
    passage = paper_with_text.passages.get(order=1)
    return annotation_services.annotation_create(
        user=editor, passage=passage, start=0, end=4, exact="数字鸿沟", body="初稿", visibility="editors"
    )


def test_annotation_form_stale_save_is_refused_and_keeps_the_text(annotation, editor):
    laptop, phone = _session(editor), _session(editor)  # the same author, two windows
    url = reverse("kb:annotation-edit", args=[annotation.pk])
    base = {"version": annotation.version, "tags": "", "visibility": "editors"}
    assert laptop.post(url, {**base, "body": "笔记本上的改动"}).status_code == 302
    response = phone.post(url, {**base, "body": "手机上的改动"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "手机上的改动" in html  # the user's text, kept in the form
    assert "笔记本上的改动" in html and "初稿" in html  # what changed: before and after
    assert Annotation.objects.get(pk=annotation.pk).body == "笔记本上的改动"
    # Saving again from the conflict page (it carries the current version) is a conscious overwrite.
    current = Annotation.objects.get(pk=annotation.pk).version
    assert phone.post(url, {**base, "version": current, "body": "手机上的改动"}).status_code == 302
    assert Annotation.objects.get(pk=annotation.pk).body == "手机上的改动"


def test_annotation_api_stale_patch_gets_409_with_the_changes(annotation, editor):
    one, two = _session(editor), _session(editor)
    url = reverse("kb:api-annotation", args=[annotation.pk])
    version = one.get(url).json()["version"]
    first = one.patch(url, json.dumps({"body": "甲", "version": version}), content_type="application/json")
    assert first.status_code == 200 and first.json()["version"] == version + 1
    stale = two.patch(url, json.dumps({"body": "乙", "version": version}), content_type="application/json")
    assert stale.status_code == 409
    data = stale.json()
    assert data["version"] == version + 1
    assert {"field": "body", "before": "初稿", "after": "甲"} in data["changes"]
    assert Annotation.objects.get(pk=annotation.pk).body == "甲"


def test_claim_edit_by_two_editors(paper_with_text, editor, other_editor):
    passage = paper_with_text.passages.get(order=1)
    claim = claim_services.claim_create(
        user=editor,
        paper=paper_with_text,
        statement="原陈述",
        evidence=[{"passage": passage, "start": 0, "end": 4, "exact": "数字鸿沟"}],
    )
    url = reverse("kb:claim-edit", args=[claim.pk])
    form = {"version": claim.version, "kind": "thesis", "concepts": ""}
    assert _session(editor).post(url, {**form, "statement": "编辑甲的陈述"}).status_code == 302
    response = _session(other_editor).post(url, {**form, "statement": "编辑乙的陈述"})
    assert response.status_code == 409
    assert "编辑乙的陈述" in response.content.decode() and "编辑甲的陈述" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).statement == "编辑甲的陈述"


def test_concept_form_stale_save_keeps_the_text_and_moves_the_version(editor, other_editor):
    concept = concept_services.concept_create(label_zh="数字治理", detect=False)
    url = reverse("kb:concept-edit", args=[concept.slug])
    form = {"label_zh": "数字治理", "version": concept.version}
    assert _session(editor).post(url, {**form, "definition": "甲的定义"}).status_code == 302
    response = _session(other_editor).post(url, {**form, "definition": "乙的定义"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "乙的定义" in html and "甲的定义" in html and "保存未完成" in html
    assert f'name="version" value="{concept.version + 1}"' in html
    assert Concept.objects.get(pk=concept.pk).definition == "甲的定义"


def test_crossref_decision_on_a_stale_version_is_refused(editor, other_editor):
    a = f.PassageFactory(text="数字鸿沟是新的不平等。")
    b = f.PassageFactory(text="弥合数字鸿沟需要数字素养。")
    ref = CrossReference.objects.create(source_passage=a, target_passage=b, status="suggested")
    crossref_services.crossref_confirm(crossref=ref, relation="supports", user=editor, version=ref.version)
    stale = CrossReference.objects.get(pk=ref.pk)
    with pytest.raises(StaleEdit):
        crossref_services.crossref_reject(crossref=stale, user=other_editor, version=1)
    assert CrossReference.objects.get(pk=ref.pk).status == "confirmed"


def test_an_edit_made_with_an_object_read_before_another_save_is_stale(annotation, editor):
    """Two requests load the same row; the second to save loses, whatever it holds in memory."""
    first, second = Annotation.objects.get(pk=annotation.pk), Annotation.objects.get(pk=annotation.pk)
    annotation_services.annotation_update(user=editor, annotation=first, body="一", version=first.version)
    with pytest.raises(StaleEdit) as caught:
        annotation_services.annotation_update(
            user=editor, annotation=second, body="二", version=second.version
        )
    assert [c.field for c in caught.value.changes] == ["body"]
    assert Annotation.objects.get(pk=annotation.pk).body == "一"


def test_edit_forms_carry_the_version(paper_with_text, editor, annotation):
    concept = concept_services.concept_create(label_zh="数字治理", detect=False)
    claim = f.ClaimFactory(paper=paper_with_text, creator=editor)
    client = _session(editor)
    pages = [
        reverse("kb:concept-edit", args=[concept.slug]),
        reverse("kb:claim-detail", args=[claim.pk]),
        reverse("kb:annotation-margin", args=[paper_with_text.pk]),
    ]
    for url in pages:
        assert 'name="version" value="1"' in client.get(url).content.decode(), url
