"""Cross-references made through the site record who made them in their history."""

import pytest
from django.urls import reverse

from kb.models import CrossReference
from tests import factories as f

pytestmark = pytest.mark.django_db


def _two_papers():
    a = f.PassageFactory(text="数字鸿沟是新的不平等。")
    b = f.PassageFactory(text="弥合数字鸿沟需要数字素养。")
    return a, b


def test_crossref_created_by_hand_names_its_editor_in_history(editor_client, editor):
    a, b = _two_papers()
    response = editor_client.post(
        reverse("kb:api-crossref-create", args=[a.paper_id]),
        {"passage": a.pk, "target_paper": b.paper_id, "target_order": b.order, "relation": "supports"},
        content_type="application/json",
    )
    assert response.status_code == 201
    crossref = CrossReference.objects.get(source_passage=a, target_passage=b)
    assert crossref.history.latest().history_user == editor


def test_reader_api_uses_the_same_write_path_and_refuses_same_paper(editor_client):
    a, _ = _two_papers()
    other = f.PassageFactory(revision=a.revision, order=a.order + 1, text="同一篇论文的另一段。")
    response = editor_client.post(
        reverse("kb:api-crossref-create", args=[a.paper_id]),
        {"passage": a.order, "target_paper": a.paper_id, "target_order": other.order, "relation": "supports"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not CrossReference.objects.exists()
