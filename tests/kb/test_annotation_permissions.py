"""Every write endpoint of annotations, claims and history refuses anonymous visitors; scholars
write only their own notes (never an editor's public annotation, a claim, a cross-reference or
history); with public reading off, anonymous visitors read nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kb.models import Annotation, Claim, CrossReference
from kb.services import annotations as annotation_services
from kb.services import claims as claim_services
from tests import factories as f


@pytest.fixture
def objects(paper_with_text, editor):
    passage = paper_with_text.passages.get(order=1)
    annotation = annotation_services.annotation_create(
        user=editor, passage=passage, start=0, end=4, exact="数字鸿沟", body="公开", visibility="public"
    )
    claim = claim_services.claim_create(
        user=editor,
        paper=paper_with_text,
        statement="s",
        evidence=[{"passage": passage, "start": 0, "end": 4, "exact": "数字鸿沟"}],
    )
    other = f.ClaimFactory(paper=paper_with_text, creator=editor)
    relation = claim_services.claim_relation_create(
        user=editor, source=claim, target=other, relation="supports"
    )
    return {
        "paper": paper_with_text,
        "annotation": annotation,
        "claim": claim,
        "other": other,
        "relation": relation,
    }


def _writes(o):
    a, c = o["annotation"], o["claim"]
    return [
        ("post", reverse("kb:api-paper-annotations", args=[o["paper"].pk]), {}),
        ("patch", reverse("kb:api-annotation", args=[a.pk]), {}),
        ("delete", reverse("kb:api-annotation", args=[a.pk]), {}),
        ("post", reverse("kb:annotation-reply", args=[a.pk]), {"body": "x"}),
        ("post", reverse("kb:annotation-edit", args=[a.pk]), {"body": "x"}),
        ("post", reverse("kb:claim-edit", args=[c.pk]), {"statement": "x", "kind": "thesis"}),
        ("post", reverse("kb:api-evidence-add", args=[c.pk]), {}),
        ("post", reverse("kb:orphan-reattach", args=["annotation", a.pk]), {"order": 1, "exact": "数字"}),
        ("get", reverse("kb:orphan-list"), {}),
        ("post", reverse("kb:annotation-import", args=[o["paper"].pk]), {"json": "[]"}),
        ("post", reverse("kb:api-claim-create", args=[o["paper"].pk]), {}),
        ("post", reverse("kb:api-crossref-create", args=[o["paper"].pk]), {}),
        ("post", reverse("kb:claim-review", args=[c.pk]), {"decision": "approved"}),
        (
            "post",
            reverse("kb:claim-relation-create", args=[c.pk]),
            {"target": o["other"].pk, "relation": "contradicts"},
        ),
        ("post", reverse("kb:relation-delete", args=[o["relation"].pk]), {}),
        ("get", reverse("kb:history", args=["annotation", a.pk]), {}),
        ("post", reverse("kb:history-restore", args=["annotation", a.pk, a.history.get().history_id]), {}),
    ]


@pytest.mark.parametrize("persona_name", ["anonymous", "scholar"])
def test_readers_cannot_write(objects, persona_name, request):
    client = request.getfixturevalue(f"{persona_name}_client")
    for method, url, data in _writes(objects):
        if persona_name == "scholar" and url.endswith(f"/papers/{objects['paper'].pk}/annotations/"):
            continue  # a scholar's own new note (tests/kb/test_annotations.py, tests/kb/test_groups.py)
        if persona_name == "scholar" and url.endswith("/annotations/import/"):
            continue  # a scholar imports into their own notes (tests/kb/test_hypothesis_import.py)
        response = (
            getattr(client, method)(url, data=data) if method != "patch" else client.patch(url, data="{}")
        )
        assert response.status_code in (302, 403), (method, url, response.status_code)
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"], url
    assert Annotation.objects.count() == 1 and Annotation.objects.get().body == "公开"
    assert Claim.objects.get(pk=objects["claim"].pk).status == "proposed"
    assert CrossReference.objects.count() == 1


def test_private_reading_hides_everything_from_anonymous(objects, client, settings):
    settings.KB_PUBLIC_READ = False
    a = objects["annotation"]
    for url in [
        reverse("kb:api-paper-annotations", args=[objects["paper"].pk]),
        reverse("kb:api-annotation", args=[a.pk]),
        reverse("kb:annotation-detail", args=[a.pk]),
        reverse("kb:annotation-export"),
        reverse("kb:api-tags"),
        reverse("kb:claim-list"),
        reverse("kb:claim-detail", args=[objects["claim"].pk]),
        reverse("kb:claim-graph"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_django_admin_does_not_show_others_private_annotations(paper_with_text, editor, admin_client_):
    passage = paper_with_text.passages.get(order=1)
    private = annotation_services.annotation_create(
        user=editor, passage=passage, start=0, end=4, exact="数字鸿沟", body="秘密", visibility="private"
    )
    annotation_services.annotation_create(
        user=editor, passage=passage, start=None, end=None, exact="新形态", visibility="editors"
    )
    listing = admin_client_.get(reverse("admin:kb_annotation_changelist")).content.decode()
    assert "新形态" in listing and "数字鸿沟" not in listing
    assert admin_client_.get(reverse("admin:kb_annotation_change", args=[private.pk])).status_code == 302
