"""Exports in Chromium: the cite box names what a reference lacks; a scholar downloads a paper's
notes as Markdown from the reader's bar, everything from the paper list, and a concept's papers.
Screenshots: test-artifacts/cite-missing.png, export-notes.png, export-list.png, export-concept.png."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.services import annotations as annotation_services
from tests import factories as f
from tests.e2e.conftest import login, screenshot

expect = pytest.importorskip("playwright.sync_api").expect


def test_cite_box_names_missing_elements(scholar, new_page, live_server):
    paper = f.PaperFactory(title="数字社会主义初探", venue="", year=None)
    page = new_page()
    login(page, live_server, scholar)
    page.goto(f"{live_server.url}/papers/{paper.pk}/")
    box = page.locator("details.cite-box")
    box.locator("summary").click()
    expect(box.locator(".cite-box__missing")).to_contain_text("缺少期刊名和年份")
    expect(box.locator("#cite-gbt7714")).to_have_count(0)
    screenshot(page, "cite-missing", full_page=False)


def test_scholar_downloads_notes_and_exports(paper_with_text, scholar, editor, new_page, live_server):
    passage = paper_with_text.passages.get(order=1)
    annotation_services.annotation_create(
        user=editor, passage=passage, start=0, end=4, exact="数字鸿沟", body="公开的批注", visibility="public"
    )
    concept = f.ConceptFactory(label_zh="数字鸿沟", slug="digital-divide")
    f.MentionFactory(concept=concept, passage=passage, start=0, end=4)
    page = new_page(accept_downloads=True)
    login(page, live_server, scholar)

    page.goto(f"{live_server.url}/papers/{paper_with_text.pk}/")
    screenshot(page, "export-notes", full_page=False)
    with page.expect_download() as download:
        page.get_by_role("link", name="导出笔记与主张（Markdown）").click()
    notes = Path(download.value.path()).read_text(encoding="utf-8")
    assert notes.startswith("# 笔记与主张：数字鸿沟与共同富裕") and "> 数字鸿沟" in notes

    page.goto(f"{live_server.url}/papers/")
    screenshot(page, "export-list", full_page=False)
    with page.expect_download() as download:
        page.locator(".list-export").get_by_role("link", name="RIS").click()
    assert download.value.suggested_filename == "tanyuan-papers.ris"
    assert "TI  - 数字鸿沟与共同富裕" in Path(download.value.path()).read_text(encoding="utf-8")

    page.goto(f"{live_server.url}{concept.get_absolute_url()}")
    screenshot(page, "export-concept", full_page=False)
    with page.expect_download() as download:
        page.locator(".concept-head__export").get_by_role("link", name="BibTeX").click()
    assert "title = {{数字鸿沟与共同富裕}}" in Path(download.value.path()).read_text(encoding="utf-8")
