""" "My notes": one's annotations across papers, filtered, searched through the index, paged,
limited to what the user may see, and exported as Markdown with each paper's reference."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kb.forms.notes import DATE_ORDER
from kb.models import Annotation, GroupMembership, ResearchGroup
from kb.search import dictionary
from kb.search.index import forget_index
from kb.search.service import search_index_rebuild
from kb.selectors.notes import NOTES_PER_PAGE, NoteFilters, notes_filtered
from kb.services import annotations as annotation_services
from kb.services import colors
from kb.services.notes_export import md_escape, notes_markdown
from tests import factories as f

URL = "/notes/"


@pytest.fixture(autouse=True)
def search_settings(settings, tmp_path):
    settings.KB_SEARCH_INDEX_DIR = str(tmp_path / "search-index")
    settings.KB_SEARCH_THESAURUS_TTL = 0
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }
    dictionary.thesaurus_changed()
    yield settings
    forget_index(settings.KB_SEARCH_INDEX_DIR)


@pytest.fixture
def text_paper(db):
    """A Markdown-like source: passages without pages."""
    paper = f.PaperFactory(title="平台治理的公共价值", year=2021, venue="公共管理学报")
    f.AuthorshipFactory(paper=paper, order=0, author=f.AuthorFactory(name="李明"))
    revision = f.RevisionFactory(paper=paper)
    section = f.SectionFactory(revision=revision, order=0, heading="引言")
    f.passages_for(revision, [("paragraph", section, "平台治理需要回应公共价值的诉求。")])
    return paper


def _note(user, paper, exact, *, order=1, **kw):
    passage = paper.passages.get(order=order)
    start = passage.text.index(exact)
    return annotation_services.annotation_create(
        user=user, passage=passage, start=start, end=start + len(exact), exact=exact, **kw
    )


@pytest.fixture
def notes(scholar, editor, paper_with_text, text_paper):
    return {
        "divide": _note(
            scholar, paper_with_text, "数字鸿沟", body="**定义**很清楚", tags=["方法"], color="yellow"
        ),
        "path": _note(scholar, paper_with_text, "共同富裕", order=3, body="路径", tags=["反驳"], color="red"),
        "value": _note(scholar, text_paper, "公共价值", order=0, body="价值维度", color="red"),
        "editors": _note(editor, paper_with_text, "社会不平等", body="编辑的公开批注", visibility="public"),
        "hidden": _note(editor, paper_with_text, "新形态", body="编辑的私密批注"),
    }


def _listed(client, **params) -> list[int]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return [a.pk for a in response.context["notes"].page]


def test_lists_only_ones_own_notes_newest_first(scholar_client, notes):
    mine = [notes["value"].pk, notes["path"].pk, notes["divide"].pk]
    assert _listed(scholar_client) == mine
    html = scholar_client.get(URL).content.decode()
    # Each note opens the reader at its passage; the page and the colour's name are shown.
    assert f'href="/papers/{notes["divide"].paper_id}/#p-1"' in html
    assert "p. 1" in html and "红色" in html and "编辑的公开批注" not in html


def test_replies_are_not_listed_as_notes(scholar_client, scholar, notes):
    annotation_services.annotation_reply(user=scholar, parent=notes["divide"], body="我的回复")
    assert len(_listed(scholar_client)) == 3


def test_filters(scholar_client, notes, paper_with_text, text_paper):
    assert _listed(scholar_client, paper=text_paper.pk) == [notes["value"].pk]
    assert _listed(scholar_client, tag="反驳") == [notes["path"].pk]
    assert _listed(scholar_client, color="red") == [notes["value"].pk, notes["path"].pk]
    assert _listed(scholar_client, color="red", paper=paper_with_text.pk) == [notes["path"].pk]
    old = timezone.now() - timedelta(days=40)
    Annotation.objects.filter(pk=notes["divide"].pk).update(created_at=old)
    today = timezone.localdate()
    assert notes["divide"].pk not in _listed(scholar_client, since=today.isoformat())
    assert _listed(scholar_client, until=(today - timedelta(days=30)).isoformat()) == [notes["divide"].pk]


def test_bad_filters_say_so_and_never_fail(scholar_client, notes):
    response = scholar_client.get(
        URL, {"since": "2024-05-01", "until": "2024-01-01", "color": "teal", "paper": "x"}
    )
    assert response.status_code == 200
    assert str(DATE_ORDER) in response.content.decode()
    assert len(response.context["notes"].page) == 3  # the bad filters are left out


def test_filter_choices_come_from_ones_notes(scholar_client, notes, paper_with_text, text_paper):
    page = scholar_client.get(URL).context["notes"]
    assert {p.pk for p in page.papers} == {paper_with_text.pk, text_paper.pk}
    assert sorted(page.tags) == ["反驳", "方法"]


def test_search_goes_through_the_index(scholar_client, notes):
    assert _listed(scholar_client, search="价值维度") == []  # not indexed yet: no LIKE scan behind it
    search_index_rebuild()
    assert _listed(scholar_client, search="价值维度") == [notes["value"].pk]  # the note's text
    assert _listed(scholar_client, search="数字鸿沟") == [notes["divide"].pk]  # the quote
    assert _listed(scholar_client, search="反驳") == [notes["path"].pk]  # a tag
    assert _listed(scholar_client, search="私密批注") == []  # someone else's private note
    assert _listed(scholar_client, search="公开批注") == []  # someone else's public note: not mine


def test_group_notes_for_members_only(scholar, editor, notes, paper_with_text, client):
    group = ResearchGroup.objects.create(name="数字治理课题组")
    GroupMembership.objects.create(group=group, user=editor, role="owner")
    GroupMembership.objects.create(group=group, user=scholar)
    shared = _note(editor, paper_with_text, "时代", body="组内共享", visibility="group", group=group)
    filters = NoteFilters(group=group.pk)
    assert [a.pk for a in notes_filtered(user=scholar, filters=filters)[0]] == [shared.pk]
    outsider = f.UserFactory(username="outsider", role="Scholar")
    assert list(notes_filtered(user=outsider, filters=filters)[0]) == []
    client.force_login(scholar)
    page = client.get(URL, {"group": group.pk})
    assert [a.pk for a in page.context["notes"].page] == [shared.pk]
    assert "数字治理课题组" in page.content.decode()
    search_index_rebuild()
    assert _listed(client, group=group.pk, search="组内共享") == [shared.pk]  # searched as a member
    GroupMembership.objects.filter(group=group, user=scholar).delete()  # leaving hides them at once
    assert _listed(client, group=group.pk) == []


def test_paginated(scholar_client, scholar, paper_with_text):
    for _ in range(NOTES_PER_PAGE + 3):
        _note(scholar, paper_with_text, "数字鸿沟")
    first = scholar_client.get(URL)
    assert len(first.context["notes"].page) == NOTES_PER_PAGE
    assert 'rel="next" href="?page=2"' in first.content.decode()
    assert len(scholar_client.get(URL, {"page": 2, "color": ""}).context["notes"].page) == 3


@pytest.mark.parametrize("name", ["kb:my-notes", "kb:notes-export"])
def test_anonymous_is_sent_to_login_even_with_public_reading(name, client, db, settings):
    settings.KB_PUBLIC_READ = True
    response = client.get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# -- Markdown ---------------------------------------------------------------------------


def test_markdown_export(scholar, notes, paper_with_text, text_paper):
    colors.color_names_update(user=scholar, names={"red": "反驳"})
    mine = [notes["divide"], notes["path"], notes["value"]]
    text = notes_markdown(annotations=mine, user=scholar, base="https://kb.example")
    assert text.startswith("# 我的笔记\n")
    first, second = text.split("\n## ")[1:]
    # One section per paper, headed by its GB/T 7714 reference; notes in reading order.
    author = paper_with_text.authorships.order_by("order").first().author.name
    assert first.startswith("数字鸿沟与共同富裕\n")
    assert f"\n{author}, " in first and "数字鸿沟与共同富裕\\[J\\]. 社会科学研究, 2023." in first
    assert first.index("> 数字鸿沟") < first.index("> 共同富裕")
    assert "> 数字鸿沟\n\np. 1 · [¶ 1](https://kb.example/papers/" in first
    assert "**定义**很清楚" in first  # the note's own Markdown, kept
    assert "标签：#方法 · 颜色：黄色 · " in first and "颜色：红色（反驳）" in first
    assert second.startswith("平台治理的公共价值\n\n李明. 平台治理的公共价值\\[J\\]. 公共管理学报, 2021.")
    assert "> 公共价值\n\n[¶ 0](" in second  # a text source: no page
    assert "p. " not in second


def test_markdown_export_leaves_out_what_the_user_may_not_see(scholar, notes):
    text = notes_markdown(annotations=[notes["hidden"], notes["editors"], notes["value"]], user=scholar)
    assert "私密" not in text and "编辑的公开批注" in text and "价值维度" in text
    assert "](/papers/" in text  # relative links without a base


def test_markdown_keeps_replies_with_their_thread(scholar, notes):
    reply = annotation_services.annotation_reply(user=scholar, parent=notes["divide"], body="补充\n这个定义")
    text = notes_markdown(annotations=[notes["divide"], reply], user=scholar)
    assert "- scholar：补充 这个定义" in text and "1 条笔记" in text


def test_markdown_escapes_quotes_and_titles():
    assert md_escape("# [链接](x) *强调* <b>") == "\\# \\[链接\\](x) \\*强调\\* \\<b\\>"


def test_export_view_downloads_the_filtered_notes(scholar_client, notes):
    response = scholar_client.get(reverse("kb:notes-export"), {"color": "red"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="tanyuan-notes-')
    text = response.content.decode()
    assert "> 共同富裕" in text and "> 公共价值" in text and "> 数字鸿沟" not in text
    assert "](http://testserver/papers/" in text


def test_a_user_without_a_role_is_refused(client, db, settings):
    settings.KB_PUBLIC_READ = True
    client.force_login(f.UserFactory(username="norole"))
    assert client.get(reverse("kb:my-notes")).status_code == 403
    assert client.get(reverse("kb:color-names")).status_code == 403


def test_markdown_says_what_an_incomplete_record_lacks_instead_of_a_blank_reference(
    scholar, notes, text_paper
):
    text_paper.venue = ""
    text_paper.year = None
    text_paper.save()
    text = notes_markdown(annotations=[notes["value"]], user=scholar)
    section = text.split("\n## ")[1]
    assert section.startswith("平台治理的公共价值\n\n缺少期刊名和年份，无法生成规范的参考文献。")
