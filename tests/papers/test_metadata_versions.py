"""Paper metadata: no lost updates (the edit form carries the version; a stale save is refused
with what changed, and the user's input is kept), and no bidi override characters in what the
edit form or ingest saves. Two sessions of real clients."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.test import Client
from django.urls import reverse

from papers.forms import PaperMetadataForm
from papers.ingest.types import AuthorInfo, ParsedPaper, PassageInfo, SectionInfo, SourceInfo
from papers.models import Paper
from papers.services import paper_save_parsed
from papers.services.metadata import paper_update_metadata
from papers.versions import StaleEdit
from tests import factories as f

RLO, LRI, PDI = "\u202e", "\u2066", "\u2069"


def _session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form_from_page(html: str) -> dict:
    """What the edit page's form would post as it stands (inputs and textareas; no select)."""
    data = dict(re.findall(r'<input type="(?:text|number|hidden)" name="(\w+)" value="([^"]*)"', html))
    data.update(re.findall(r'<textarea name="(\w+)"[^>]*>\n?([^<]*)</textarea>', html))
    data.pop("csrfmiddlewaretoken", None)
    return {**data, "language": "zh", "status": "published"}


@pytest.fixture
def second_admin(db):
    return f.UserFactory(username="admin2", role="Admin")


def test_the_edit_page_carries_the_version(paper_with_text, admin_client_):
    html = admin_client_.get(reverse("papers:paper-edit", args=[paper_with_text.pk])).content.decode()
    assert f'<input type="hidden" name="version" value="{paper_with_text.version}"' in html
    assert "version" not in PaperMetadataForm.for_preview({"title": "题"}).fields


def test_two_admins_edit_one_paper_the_second_gets_the_conflict(paper_with_text, admin_user, second_admin):
    url = reverse("papers:paper-edit", args=[paper_with_text.pk])
    abstract = paper_with_text.abstract
    one, two = _session(admin_user), _session(second_admin)
    first_form = _form_from_page(one.get(url).content.decode())
    second_form = _form_from_page(two.get(url).content.decode())  # both opened version 1
    assert first_form["version"] == second_form["version"] == "1"

    assert one.post(url, {**first_form, "title": "第一位的标题", "venue": "社会学研究"}).status_code == 302
    response = two.post(url, {**second_form, "abstract": "第二位写的摘要"})

    assert response.status_code == 409
    html = response.content.decode()
    assert "第二位写的摘要" in html  # the user's input, kept in the form
    assert "数字鸿沟与共同富裕" in html and "第一位的标题" in html  # what changed: before and after
    assert "admin" in html  # who saved
    paper = Paper.objects.get(pk=paper_with_text.pk)
    assert (paper.title, paper.venue, paper.abstract) == ("第一位的标题", "社会学研究", abstract)
    assert paper.version == 2
    # The conflict page's form is based on the version now: saving again is a conscious choice.
    assert 'name="version" value="2"' in html
    retry = _form_from_page(html)
    assert two.post(url, retry).status_code == 302
    paper.refresh_from_db()
    assert paper.abstract == "第二位写的摘要" and paper.version == 3


def test_a_stale_service_call_writes_nothing_and_says_what_changed(paper_with_text, admin_user):
    paper_update_metadata(
        paper=Paper.objects.get(pk=paper_with_text.pk), user=admin_user, version=1, year=2020
    )
    stale = Paper.objects.get(pk=paper_with_text.pk)
    with pytest.raises(StaleEdit) as caught:
        paper_update_metadata(paper=stale, user=admin_user, version=1, year=1999, authors=["新作者"])
    assert (caught.value.base, caught.value.current) == (1, 2)
    assert [(c.field, c.before, c.after) for c in caught.value.changes] == [("year", 2023, 2020)]
    paper = Paper.objects.get(pk=paper_with_text.pk)
    assert paper.year == 2020 and paper.version == 2
    assert "新作者" not in [a.author.name for a in paper.authorships.all()]


def test_an_unversioned_write_still_makes_open_forms_stale(paper_with_text, admin_user):
    paper_update_metadata(paper=paper_with_text, user=admin_user, title="管理后台的修改")  # the admin
    with pytest.raises(StaleEdit):
        paper_update_metadata(paper=paper_with_text, user=admin_user, version=1, title="旧表单")


def test_the_edit_form_strips_bidi_overrides(paper_with_text, admin_client_):
    url = reverse("papers:paper-edit", args=[paper_with_text.pk])
    form = _form_from_page(admin_client_.get(url).content.decode())
    posted = {
        **form,
        "title": f"发票{RLO}fdp.exe",
        "authors": f"{LRI}王五{PDI}\n赵六",
        "abstract": f"摘要{RLO}文字",
        "keywords": f"甲{RLO}乙；丙",
    }
    assert admin_client_.post(url, posted).status_code == 302
    paper = Paper.objects.get(pk=paper_with_text.pk)
    assert (paper.title, paper.abstract, paper.keywords) == ("发票fdp.exe", "摘要文字", ["甲乙", "丙"])
    assert [a.author.name for a in paper.authorships.order_by("order")] == ["王五", "赵六"]


@pytest.mark.django_db
def test_ingest_saves_metadata_without_bidi_overrides():
    body = "数字鸿沟是新的不平等。"
    parsed = ParsedPaper(
        source=SourceInfo(filename="b.txt", sha256=hashlib.sha256(body.encode()).hexdigest(), format="txt"),
        title=f"数字治理{RLO}与共同富裕",
        title_en=f"Digital {LRI}governance{PDI}",
        abstract=f"摘要{RLO}",
        keywords=[f"治理{RLO}"],
        authors=[AuthorInfo(name=f"王{RLO}佃利", affiliation=f"山东{LRI}大学")],
        sections=[SectionInfo(number="一、", heading="引言")],
        passages=[
            PassageInfo(kind="heading", text="一、引言", section=0),
            PassageInfo(kind="paragraph", text=body, section=0),
        ],
    )
    paper = paper_save_parsed(parsed=parsed).paper
    paper.refresh_from_db()
    assert (paper.title, paper.title_en, paper.abstract) == (
        "数字治理与共同富裕",
        "Digital governance",
        "摘要",
    )
    assert paper.keywords == ["治理"]
    authorship = paper.authorships.select_related("author").get()
    assert (authorship.author.name, authorship.affiliation) == ("王佃利", "山东大学")
    assert parsed.title == f"数字治理{RLO}与共同富裕"  # the pipeline's object is left as it was
