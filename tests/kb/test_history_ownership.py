"""History respects ownership and visibility: only the owner (or an admin) restores or brings
back an object; a version is shown only to those who could see it when it was current."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from kb.models import Annotation, Claim, Concept
from kb.services import annotations as annotation_services
from kb.services import claims as claim_services
from kb.services import concepts as concept_services
from kb.services import history as services


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def shared_after_private(paper_with_text, editor):
    """Written privately first ("私下草稿"), then rewritten and shared with editors and the public."""
    passage = paper_with_text.passages.get(order=1)
    a = annotation_services.annotation_create(
        user=editor, passage=passage, start=0, end=4, exact="数字鸿沟", body="私下草稿", visibility="private"
    )
    a = annotation_services.annotation_update(
        user=editor, annotation=a, body="公开的看法", visibility="editors"
    )
    return annotation_services.annotation_update(
        user=editor, annotation=a, body="公开的看法", visibility="public"
    )


@pytest.mark.parametrize(
    ("name", "allowed"), [("editor", True), ("other_editor", False), ("admin_user", True)]
)
def test_only_author_or_admin_restores_an_annotation(shared_after_private, name, allowed, request):
    user = request.getfixturevalue(name)
    editors_version = shared_after_private.history.filter(visibility="editors").get()
    restore = reverse(
        "kb:history-restore", args=["annotation", shared_after_private.pk, editors_version.history_id]
    )
    response = _client(user).post(restore)
    assert response.status_code == (302 if allowed else 403)
    shared_after_private.refresh_from_db()
    assert shared_after_private.visibility == ("editors" if allowed else "public")


def test_other_editor_cannot_bring_back_a_deleted_annotation(shared_after_private, editor, other_editor):
    pk = shared_after_private.pk
    annotation_services.annotation_delete(user=editor, annotation=shared_after_private)
    record = Annotation.history.filter(id=pk, visibility="public").exclude(history_type="-").first()
    with pytest.raises(PermissionDenied):
        services.history_restore(user=other_editor, model=Annotation, pk=pk, history_id=record.history_id)
    assert not Annotation.objects.filter(pk=pk).exists()
    services.history_restore(user=editor, model=Annotation, pk=pk, history_id=record.history_id)
    assert Annotation.objects.get(pk=pk).body == "公开的看法"


@pytest.mark.parametrize(
    ("name", "sees_private"), [("editor", True), ("other_editor", False), ("admin_user", False)]
)
def test_a_private_body_stays_private_in_history(shared_after_private, name, sees_private, request):
    response = _client(request.getfixturevalue(name)).get(
        reverse("kb:history", args=["annotation", shared_after_private.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "公开的看法" in html
    assert ("私下草稿" in html) is sees_private


def test_nobody_but_the_author_restores_a_private_version(shared_after_private, admin_user):
    private = shared_after_private.history.filter(visibility="private").get()
    with pytest.raises(PermissionDenied):
        services.history_restore(
            user=admin_user, model=Annotation, pk=shared_after_private.pk, history_id=private.history_id
        )


def test_other_editor_gets_no_restore_button(shared_after_private, other_editor, editor):
    url = reverse("kb:history", args=["annotation", shared_after_private.pk])
    assert "恢复到此版本" not in _client(other_editor).get(url).content.decode()
    assert "恢复到此版本" in _client(editor).get(url).content.decode()


def test_claims_are_restored_by_their_author_or_an_admin(paper_with_text, editor, other_editor, admin_user):
    passage = paper_with_text.passages.get(order=1)
    claim = claim_services.claim_create(
        user=editor,
        paper=paper_with_text,
        statement="原陈述",
        evidence=[{"passage": passage, "start": 0, "end": 4, "exact": "数字鸿沟"}],
    )
    claim_services.claim_update(user=editor, claim=claim, statement="新陈述", kind="thesis", concepts=[])
    first = claim.history.last()
    for user in (other_editor,):
        with pytest.raises(PermissionDenied):
            services.history_restore(user=user, model=Claim, pk=claim.pk, history_id=first.history_id)
    services.history_restore(user=admin_user, model=Claim, pk=claim.pk, history_id=first.history_id)
    assert Claim.objects.get(pk=claim.pk).statement == "原陈述"


def test_concept_edits_have_history_and_restore(db, editor, other_editor):
    shared = concept_services.concept_create(label_zh="数字治理", label_en="digital governance", detect=False)
    concept_services.concept_update(concept=shared, user=editor, definition="新的定义", detect=False)
    entries = services.history_entries(model=Concept, pk=shared.pk, user=other_editor)
    assert [e.kind for e in entries] == ["changed", "created"]
    assert {c.field: c.after for c in entries[0].changes} == {"definition": "新的定义"}
    # A thesaurus concept has no owner: any editor restores it.
    services.history_restore(
        user=other_editor, model=Concept, pk=shared.pk, history_id=entries[1].record.history_id
    )
    assert Concept.objects.get(pk=shared.pk).definition == ""
    owned = concept_services.concept_create(label_zh="数字素养", user=editor, detect=False)
    concept_services.concept_update(concept=owned, user=editor, definition="某人的定义", detect=False)
    with pytest.raises(PermissionDenied):
        services.history_restore(
            user=other_editor, model=Concept, pk=owned.pk, history_id=owned.history.last().history_id
        )


@pytest.mark.parametrize(("name", "status"), [("scholar", 403), ("editor", 200), ("admin_user", 200)])
def test_concept_history_page_by_persona(db, name, status, request):
    concept = concept_services.concept_create(label_zh="数字鸿沟", detect=False)
    response = _client(request.getfixturevalue(name)).get(reverse("kb:history", args=["concept", concept.pk]))
    assert response.status_code == status
