"""Admins correct a paper's metadata and author list in the site (the same service the Django
admin uses); everyone else is refused."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kb.models import Upload, UploadState
from kb.services import uploads
from papers.models import Author, Paper
from papers.services import metadata
from papers.services.metadata import AUTHOR_DUPLICATE, paper_update_metadata
from tests import factories as f


def _form(paper: Paper, **overrides) -> dict:
    data = {
        "title": paper.title,
        "subtitle": "",
        "title_en": "",
        "authors": "\n".join(a.author.name for a in paper.authorships.order_by("order")),
        "year": paper.year or "",
        "venue": paper.venue,
        "volume": "",
        "issue": "",
        "pages": "",
        "doi": "",
        "keywords": "",
        "keywords_en": "",
        "abstract": "",
        "abstract_en": "",
        "language": "zh",
        "status": "published",
    }
    return {**data, **overrides}


def test_admin_corrects_title_authors_and_keywords(paper_with_text, admin_client_):
    paper = paper_with_text
    first = paper.authorships.get(order=0)
    first.affiliation = "某大学"
    first.save()
    url = reverse("papers:paper-edit", args=[paper.pk])
    page = admin_client_.get(url).content.decode()
    assert first.author.name in page and paper.title in page
    response = admin_client_.post(
        url,
        _form(
            paper,
            title="数字鸿沟的测量",
            authors=f"新作者\n{first.author.name}",
            keywords="数字鸿沟；测量, 共同富裕",
            doi="10.1234/abc.1",
            year="2021",
        ),
    )
    assert response.status_code == 302 and response["Location"] == paper.get_absolute_url()
    paper.refresh_from_db()
    assert (paper.title, paper.year, paper.doi) == ("数字鸿沟的测量", 2021, "10.1234/abc.1")
    assert paper.keywords == ["数字鸿沟", "测量", "共同富裕"]
    authorships = list(paper.authorships.order_by("order").select_related("author"))
    assert [(a.author.name, a.affiliation) for a in authorships] == [
        ("新作者", ""),
        (first.author.name, "某大学"),
    ]
    assert authorships[1].author_id == first.author_id  # the same person, not a copy
    reader = admin_client_.get(paper.get_absolute_url()).content.decode()
    assert "数字鸿沟的测量" in reader and url in reader


def test_a_duplicate_doi_or_author_is_shown_on_the_form_and_nothing_changes(paper_with_text, admin_client_):
    f.PaperFactory(doi="10.1234/taken")
    url = reverse("papers:paper-edit", args=[paper_with_text.pk])
    response = admin_client_.post(url, _form(paper_with_text, title="改了", doi="10.1234/taken"))
    assert response.status_code == 200
    assert "DOI" in response.content.decode() and 'class="field-error"' in response.content.decode()
    response = admin_client_.post(url, _form(paper_with_text, title="改了", authors="甲\n甲"))
    assert (AUTHOR_DUPLICATE % {"name": "甲"}) in response.content.decode()
    paper_with_text.refresh_from_db()
    assert paper_with_text.title == "数字鸿沟与共同富裕"
    assert paper_with_text.authorships.count() == 2


def test_only_admins_see_the_link_and_the_page(
    paper_with_text, scholar_client, editor_client, anonymous_client
):
    url = reverse("papers:paper-edit", args=[paper_with_text.pk])
    for client in (scholar_client, editor_client):
        assert url not in client.get(paper_with_text.get_absolute_url()).content.decode()
        assert client.get(url).status_code == 403
        assert client.post(url, _form(paper_with_text, title="x")).status_code == 403
    assert anonymous_client.get(url).status_code in (302, 403)


def test_the_service_reuses_known_authors(db, admin_user):
    known = f.AuthorFactory(name="王佃利")
    paper = f.PaperFactory()
    paper_update_metadata(paper=paper, user=admin_user, authors=["王 佃利", "  滕蕾 "])
    assert [a.author.name for a in paper.authorships.order_by("order")] == ["王佃利", "滕蕾"]
    assert paper.authorships.get(order=0).author == known
    assert Author.objects.filter(name="王佃利").count() == 1
    with pytest.raises(ValidationError):
        paper_update_metadata(paper=paper, user=admin_user, authors=["甲" * 201])


def test_edit_page_queries_are_bounded(paper_with_text, admin_client_, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        admin_client_.get(reverse("papers:paper-edit", args=[paper_with_text.pk]))


BAD = {"doi": "not a doi", "year": 3000, "title": "题" * 501, "authors": "甲\n甲"}


def test_the_service_refuses_what_the_upload_preview_refuses(db, admin_user):
    paper = f.PaperFactory(title="原标题", year=2020)
    with pytest.raises(ValidationError) as excinfo:
        paper_update_metadata(paper=paper, user=admin_user, **BAD)
    assert excinfo.value.message_dict == {
        "doi": [str(metadata.METADATA_DOI)],
        "year": [str(metadata.METADATA_YEAR)],
        "title": [str(metadata.METADATA_TOO_LONG % {"limit": 500})],
        "authors": [str(metadata.AUTHOR_DUPLICATE % {"name": "甲"})],
    }
    paper.refresh_from_db()
    assert (paper.title, paper.year, paper.doi) == ("原标题", 2020, None)


def test_the_upload_preview_refuses_the_same_with_the_same_messages(db, admin_user, monkeypatch):
    seen = {}

    def clean(changes, *, allowed):
        try:
            return metadata.metadata_clean(changes, allowed=allowed)
        except ValidationError as exc:
            seen.update(exc.message_dict)
            raise

    monkeypatch.setattr(uploads, "metadata_clean", clean)
    upload = Upload.objects.create(
        batch=uuid.uuid4(),
        filename="a.txt",
        format="txt",
        size=1,
        sha256="0" * 64,
        uploaded_by=admin_user,
        state=UploadState.PARSED,
    )
    with pytest.raises(ValidationError):
        uploads.upload_update_preview(upload=upload, user=admin_user, **BAD)
    paper = f.PaperFactory()
    with pytest.raises(ValidationError) as excinfo:
        paper_update_metadata(paper=paper, user=admin_user, **BAD)
    assert seen == excinfo.value.message_dict


def test_both_pages_use_the_one_form(paper_with_text, admin_client_):
    from papers.forms import PaperMetadataForm

    page = admin_client_.get(reverse("papers:paper-edit", args=[paper_with_text.pk]))
    assert type(page.context["form"]) is PaperMetadataForm
    preview = PaperMetadataForm.for_preview({"title": "题", "authors": ["甲", "乙"], "keywords": ["a"]})
    assert list(preview.fields) == list(metadata.PREVIEW_FIELDS)
    assert preview.initial["authors"] == "甲\n乙"
