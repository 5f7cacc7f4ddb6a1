"""The Django admin writes only through the services, or does not offer the write.

Every model of the project in the admin is walked: POSTs to its add and delete views and
its bulk delete, as an admin, are refused and change no row. The writes it does offer (a
paper's metadata, an author's name) go through the metadata services: validated like the
site, and followed by the reindex.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from kb.services import followups
from papers.models import Author, Paper, Passage, TextRevision
from papers.services import metadata
from tests import factories as f
from tests.test_url_permissions import fingerprint

pytestmark = pytest.mark.django_db

APPS = ("papers", "kb", "taggit")


def _models():
    return [model for model in admin.site._registry if model._meta.app_label in APPS]


@pytest.fixture
def world(paper_with_text, editor):
    annotation = f.AnnotationFactory(passage=paper_with_text.passages.get(order=1), creator=editor)
    annotation.tags.add("待核实")
    f.ClaimFactory(paper=paper_with_text, creator=editor)
    f.ConceptFactory(label_zh="数字鸿沟", slug="digital-divide")
    return paper_with_text


def _object(model):
    return model._default_manager.order_by("pk").first()


@pytest.mark.parametrize("model", _models(), ids=lambda m: m._meta.label)
def test_no_add_or_delete_is_offered(model, world, admin_client_, admin_user):
    opts = model._meta
    obj = _object(model)
    urls = [reverse(f"admin:{opts.app_label}_{opts.model_name}_add")]
    if obj is not None:
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk]))
    before = fingerprint()
    for url in urls:
        response = admin_client_.post(url, {"post": "yes"})
        assert response.status_code == 403, (url, response.status_code)
    if obj is not None:
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        admin_client_.post(
            changelist, {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
        )
    assert fingerprint() == before


def test_the_current_revision_cannot_be_deleted(world, admin_client_):
    revision = TextRevision.objects.get(paper=world, is_current=True)
    passages = Passage.objects.filter(revision=revision).count()
    response = admin_client_.post(
        reverse("admin:papers_textrevision_delete", args=[revision.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Passage.objects.filter(revision=revision).count() == passages > 0


def test_renaming_an_author_reindexes_their_papers(world, admin_client_, monkeypatch):
    reindexed = []
    monkeypatch.setattr(followups, "search_index_enqueue", lambda *, obj: reindexed.append(obj))
    author = world.authorships.get(order=0).author
    url = reverse("admin:papers_author_change", args=[author.pk])
    response = admin_client_.post(url, {"name": "王 佃利", "name_en": "Wang Dianli", "orcid": ""})
    assert response.status_code == 302
    author.refresh_from_db()
    assert (author.name, author.name_en) == ("王佃利", "Wang Dianli")
    assert reindexed == [world]


def test_a_paper_saved_in_the_admin_is_validated_like_the_site(world, admin_client_, monkeypatch):
    reindexed = []
    monkeypatch.setattr(followups, "search_index_enqueue", lambda *, obj: reindexed.append(obj))
    url = reverse("admin:papers_paper_change", args=[world.pk])
    page = admin_client_.get(url).context
    form = page["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    for inline in page["inline_admin_formsets"]:  # shown read only; its management form still posts
        management = inline.formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
    data["keywords"] = "[]"
    data["keywords_en"] = "[]"
    data["needs_review"] = ""
    response = admin_client_.post(url, {**data, "doi": "not a doi", "year": "3000"})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["doi"] == [str(metadata.METADATA_DOI)] and errors["year"] == [str(metadata.METADATA_YEAR)]
    world.refresh_from_db()
    assert world.doi is None and world.year == 2023
    response = admin_client_.post(
        url, {**data, "title": "数字鸿沟的测量", "doi": "https://doi.org/10.1234/ab.1"}
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    world.refresh_from_db()
    assert (world.title, world.doi) == ("数字鸿沟的测量", "10.1234/ab.1")
    assert reindexed == [world]
    assert Paper.objects.count() == 1 and Author.objects.count() == 2
