"""Group notes in Chromium: a scholar selects a sentence and writes a note for their group from
the reader's toolbar; a scholar outside the group does not see it; a member does, until they
leave the group on its page; the note filter ("只看我的") is remembered across reloads.

Screenshots: test-artifacts/group-notes-*.png (the owner's reader, the outsider's, the member's,
the group page).
"""

from __future__ import annotations

import pytest

from kb.models import Annotation, Visibility
from kb.services import groups as group_services
from tests import factories as f
from tests.e2e.conftest import SELECT_JS, login, screenshot, watch_errors

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e

QUOTE = "数字时代社会不平等"
NOTE = "读书会：这里的“新形态”值得下周讨论。"


def test_a_group_note_is_seen_by_members_only(paper_with_text, admin_user, new_page, live_server):
    owner = f.UserFactory(username="owner", role="Scholar")
    member = f.UserFactory(username="member", role="Scholar")
    outsider = f.UserFactory(username="outsider", role="Scholar")
    group = group_services.group_create(user=admin_user, name="数字治理读书会", owner=owner)
    group_services.group_add_member(user=owner, group=group, member=member)
    passage = paper_with_text.passages.get(order=1)
    url = f"{live_server.url}/papers/{paper_with_text.pk}/"

    # 1. The owner, a scholar, selects a sentence and writes a note for the group.
    page = new_page()
    errors = watch_errors(page)
    login(page, live_server, owner)
    page.goto(url)
    page.evaluate(SELECT_JS, [passage.pk, QUOTE])
    toolbar = page.locator("#annotator .annotator__toolbar")
    expect(toolbar).to_be_visible()
    expect(toolbar.get_by_role("button", name="提出论断")).to_have_count(0)  # editors' work
    toolbar.get_by_role("button", name="评论").click()
    form = page.locator('#annotator [data-form="annotation"]')
    form.locator("textarea[name=body]").fill(NOTE)
    visibility = form.locator("select[name=visibility]")
    expect(visibility.locator('option[value="public"]')).to_have_count(0)
    visibility.select_option(f"group:{group.pk}")
    form.get_by_role("button", name="保存").click()
    card = page.locator(".anno-card").filter(has_text="下周讨论")
    expect(card).to_be_visible()
    expect(card.locator(".badge--group")).to_have_text("小组：数字治理读书会")
    note = Annotation.objects.get()
    assert (note.visibility, note.group_id, note.exact) == (Visibility.GROUP, group.pk, QUOTE)
    expect(page.locator(f'mark[data-annotation="{note.pk}"]').first).to_be_visible()
    screenshot(page, "group-notes-owner")
    page.goto(f"{live_server.url}/groups/{group.pk}/")
    expect(page.get_by_role("heading", name="添加成员")).to_be_visible()  # the owner manages it
    screenshot(page, "group-notes-owner-group-page")
    assert errors == []

    # 2. A scholar outside the group sees neither the note nor its highlight.
    other = new_page()
    login(other, live_server, outsider)
    other.goto(url)
    expect(other.locator("#annotation-margin")).to_be_visible()
    expect(other.get_by_text("下周讨论")).to_have_count(0)
    expect(other.locator(f'mark[data-annotation="{note.pk}"]')).to_have_count(0)
    screenshot(other, "group-notes-outsider")

    # 3. A member sees both, and filters the margin to their own notes (remembered).
    third = new_page()
    third_errors = watch_errors(third)
    login(third, live_server, member)
    third.goto(url)
    expect(third.locator(".anno-card").filter(has_text="下周讨论")).to_be_visible()
    expect(third.locator(f'mark[data-annotation="{note.pk}"]').first).to_be_visible()
    screenshot(third, "group-notes-member")
    with third.expect_navigation():
        third.locator("form[data-note-scope] select").select_option("mine")
    expect(third.get_by_text("下周讨论")).to_have_count(0)
    third.reload()
    expect(third.locator("form[data-note-scope] select")).to_have_value("mine")
    expect(third.get_by_text("下周讨论")).to_have_count(0)
    with third.expect_navigation():
        third.locator("form[data-note-scope] select").select_option("all")
    expect(third.locator(".anno-card").filter(has_text="下周讨论")).to_be_visible()

    # 4. The member leaves the group on its page: the note is gone from their reader at once.
    third.goto(f"{live_server.url}/groups/{group.pk}/")
    screenshot(third, "group-notes-group-page")
    with third.expect_navigation():
        third.get_by_role("button", name="退出小组").click()
    expect(third.get_by_role("status")).to_contain_text("您已退出该小组")
    third.goto(url)
    expect(third.get_by_text("下周讨论")).to_have_count(0)
    assert third_errors == []
