"""Citing in Chromium: a scholar opens “引用本文” on a paper, copies the GB/T 7714 entry to the
clipboard and downloads the RIS file. Screenshot: test-artifacts/cite.png."""

from __future__ import annotations

from pathlib import Path

import pytest

from papers import cite
from tests.e2e.conftest import login, screenshot

expect = pytest.importorskip("playwright.sync_api").expect


def test_scholar_copies_a_citation_and_downloads_ris(paper_with_text, scholar, new_page, live_server):
    page = new_page(permissions=["clipboard-read", "clipboard-write"], accept_downloads=True)
    login(page, live_server, scholar)
    page.goto(f"{live_server.url}/papers/{paper_with_text.pk}/")
    box = page.locator("details.cite-box")
    box.locator("summary").click()
    entry = cite.gbt7714(cite.cited_work(paper_with_text))
    expect(box.locator("#cite-gbt7714")).to_have_text(entry)
    screenshot(page, "cite", full_page=False)

    box.get_by_role("button", name="复制").first.click()
    expect(box.get_by_role("button", name="已复制")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == entry

    with page.expect_download() as download:
        box.get_by_role("link", name="RIS").click()
    assert download.value.suggested_filename == f"tanyuan-{paper_with_text.pk}.ris"
    assert "TI  - 数字鸿沟与共同富裕" in Path(download.value.path()).read_text(encoding="utf-8")
