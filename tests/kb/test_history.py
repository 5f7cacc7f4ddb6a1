"""History: every change recorded with who, when, before/after; pages by persona; restore."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from kb.models import Annotation, Claim, CrossReference
from kb.services import annotations as annotation_services
from kb.services import claims as claim_services
from kb.services import history as services
from tests import factories as f


@pytest.fixture
def annotation(paper_with_text, editor):
    passage = paper_with_text.passages.get(order=1)
    a = annotation_services.annotation_create(
        user=editor,
        passage=passage,
        start=0,
        end=4,
        exact="数字鸿沟",
        body="初稿",
        tags=["甲"],
        visibility="editors",
    )
    return annotation_services.annotation_update(user=editor, annotation=a, body="改稿", tags=["乙"])


def test_changes_are_recorded_with_before_and_after(annotation, editor):
    entries = services.history_entries(model=Annotation, pk=annotation.pk)
    assert [e.kind for e in entries] == ["changed", "created"]
    assert entries[0].record.history_user == editor
    changes = {c.field: (c.before, c.after) for c in entries[0].changes}
    assert changes == {"body": ("初稿", "改稿"), "tag_list": (["甲"], ["乙"])}


def test_restore_brings_back_body_tags_and_cache(annotation, admin_user):
    first = services.history_entries(model=Annotation, pk=annotation.pk)[-1].record
    services.history_restore(user=admin_user, model=Annotation, pk=annotation.pk, history_id=first.history_id)
    annotation.refresh_from_db()
    assert (annotation.body, annotation.body_html, sorted(annotation.tags.names())) == (
        "初稿",
        "<p>初稿</p>",
        ["甲"],
    )
    latest = annotation.history.first()
    assert (latest.history_user, latest.history_change_reason) == (
        admin_user,
        f"restored #{first.history_id}",
    )


def test_restore_recreates_a_deleted_annotation(annotation, editor):
    pk = annotation.pk
    annotation_services.annotation_delete(user=editor, annotation=annotation)
    record = Annotation.history.filter(id=pk, history_type="~").first()
    services.history_restore(user=editor, model=Annotation, pk=pk, history_id=record.history_id)
    assert Annotation.objects.get(pk=pk).body == "改稿"


def test_scholar_cannot_restore(annotation, scholar):
    with pytest.raises(PermissionDenied):
        services.history_restore(
            user=scholar, model=Annotation, pk=annotation.pk, history_id=annotation.history.last().history_id
        )


def test_claim_and_relation_history(paper_with_text, editor, other_editor):
    passage = paper_with_text.passages.get(order=1)
    claim = claim_services.claim_create(
        user=editor,
        paper=paper_with_text,
        statement="原陈述",
        evidence=[{"passage": passage, "start": 0, "end": 4, "exact": "数字鸿沟"}],
    )
    other = f.ClaimFactory(paper=paper_with_text, creator=editor)
    rel = claim_services.claim_relation_create(user=editor, source=claim, target=other, relation="supports")
    claim_services.claim_review(user=other_editor, claim=claim, decision="approved")
    entries = services.history_entries(model=Claim, pk=claim.pk)
    assert {c.field: (c.before, c.after) for c in entries[0].changes}["status"] == ("proposed", "approved")
    assert entries[0].record.history_user == other_editor
    rel_pk = rel.pk
    claim_services.relation_delete(user=editor, crossref=rel)
    kinds = [e.kind for e in services.history_entries(model=CrossReference, pk=rel_pk)]
    assert kinds == ["deleted", "created"]
    first = services.history_entries(model=Claim, pk=claim.pk)[-1].record
    services.history_restore(user=editor, model=Claim, pk=claim.pk, history_id=first.history_id)
    assert Claim.objects.get(pk=claim.pk).status == "proposed"


@pytest.mark.parametrize(
    ("name", "status"), [("anonymous", 302), ("scholar", 403), ("editor", 200), ("admin", 200)]
)
def test_history_page_by_persona(annotation, name, status, request):
    client = Client()
    if name != "anonymous":
        client.force_login(request.getfixturevalue({"admin": "admin_user"}.get(name, name)))
    response = client.get(reverse("kb:history", args=["annotation", annotation.pk]))
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "初稿" in html and "改稿" in html and "恢复到此版本" in html


def test_private_annotation_history_hidden_from_other_editors(paper_with_text, editor, other_editor):
    passage = paper_with_text.passages.get(order=1)
    a = annotation_services.annotation_create(
        user=editor, passage=passage, start=0, end=4, exact="数字鸿沟", body="秘密", visibility="private"
    )
    client = Client()
    client.force_login(other_editor)
    assert client.get(reverse("kb:history", args=["annotation", a.pk])).status_code == 404
    restore = reverse("kb:history-restore", args=["annotation", a.pk, a.history.get().history_id])
    assert client.post(restore).status_code == 404
    pk = a.pk
    annotation_services.annotation_delete(user=editor, annotation=a)
    assert client.get(reverse("kb:history", args=["annotation", pk])).status_code == 404


def test_restore_view(annotation, editor_client):
    first = annotation.history.last()
    url = reverse("kb:history-restore", args=["annotation", annotation.pk, first.history_id])
    assert editor_client.post(url).status_code == 302
    assert Annotation.objects.get(pk=annotation.pk).body == "初稿"


def test_unknown_model_is_404(editor_client):
    assert editor_client.get(reverse("kb:history", args=["user", 1])).status_code == 404
