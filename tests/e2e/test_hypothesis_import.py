"""Annotation import in Chromium: a scholar uploads a Hypothesis export, reviews the preview
(counts and reasons, nothing saved), applies it, and finds the notes in the reader's margin
with their origin ("导入自 Hypothesis · 原作者 …"). Screenshot: test-artifacts/hypothesis-import.png."""

from __future__ import annotations

import json

import pytest

from kb.models import Annotation
from tests.e2e.conftest import login, screenshot
from tests.kb.test_hypothesis_import import EXPORT, _paper

expect = pytest.importorskip("playwright.sync_api").expect


def test_scholar_imports_a_hypothesis_export(scholar, page, live_server, console_errors, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    paper = _paper()
    login(page, live_server, scholar)
    page.goto(f"{live_server.url}/papers/{paper.pk}/annotations/import/")
    data = json.dumps(EXPORT, ensure_ascii=False).encode("utf-8")
    page.get_by_label("JSON 文件").set_input_files(
        files=[{"name": "hypothesis-export.json", "mimeType": "application/json", "buffer": data}]
    )
    page.get_by_role("button", name="预览").click()

    expect(page.get_by_role("heading", name="预览：尚未保存")).to_be_visible()
    counts = page.locator(".import-report__counts")
    expect(counts).to_contain_text("已锚定 4 条")
    expect(counts).to_contain_text("回复 2 条")
    expect(page.get_by_text("回复的上级不在文件中")).to_be_visible()
    screenshot(page, "hypothesis-import")
    assert not Annotation.objects.exists()  # the preview wrote nothing

    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_role("heading", name="导入结果")).to_be_visible()
    assert Annotation.objects.filter(creator=scholar).count() == 8
    page.get_by_role("link", name="回到论文").click()
    margin = page.locator("#annotation-margin")
    expect(margin).to_contain_text("页面批注（整篇论文）")
    expect(margin).to_contain_text("导入自 Hypothesis · 原作者 王晓丽")
    assert console_errors == []
