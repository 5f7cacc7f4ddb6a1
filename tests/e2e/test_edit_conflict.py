"""No lost updates, in the browser: two editors open the same concept; the second to save is told
what the first changed, keeps their own text, and may then save it on purpose. Logging in goes
through the real form (with login throttling on). Screenshot: test-artifacts/edit-conflict.png."""

from __future__ import annotations

import pytest

from kb.models import Concept
from kb.services.concepts import concept_create
from tests.e2e.conftest import login, screenshot, watch_errors

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e


def test_second_editor_sees_the_conflict_and_keeps_their_text(
    transactional_db, editor, other_editor, new_page, live_server
):
    concept = concept_create(label_zh="数字治理", label_en="digital governance", detect=False)
    first, second = new_page(), new_page()
    errors = watch_errors(first) + watch_errors(second)
    login(first, live_server, editor)
    login(second, live_server, other_editor)
    url = f"{live_server.url}/concepts/{concept.slug}/edit/"
    first.goto(url)
    second.goto(url)

    first.fill("#id_definition", "甲：以数字技术重塑治理。")
    first.get_by_role("button", name="保存").click()
    expect(first.locator(".messages, .notice").first).to_be_visible()

    second.fill("#id_definition", "乙：政府运用数据的治理方式。")
    second.get_by_role("button", name="保存").click()
    alert = second.locator("[role=alert]").first
    expect(alert).to_contain_text("保存未完成")
    expect(alert).to_contain_text("甲：以数字技术重塑治理。")
    expect(second.locator("#id_definition")).to_have_value("乙：政府运用数据的治理方式。")
    screenshot(second, "edit-conflict")
    assert Concept.objects.get(pk=concept.pk).definition == "甲：以数字技术重塑治理。"

    second.get_by_role("button", name="保存").click()  # a conscious second save
    expect(second.locator("h1")).to_contain_text("数字治理")
    assert Concept.objects.get(pk=concept.pk).definition == "乙：政府运用数据的治理方式。"
    assert errors == []
