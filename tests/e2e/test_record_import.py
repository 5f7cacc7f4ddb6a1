"""Record import in Chromium: an editor uploads CNKI's EndNote export (GBK, Windows line ends),
reviews the preview (create / enrich old → new / skip) and applies it; the new papers are
listed as metadata-only and open with "仅有题录，尚无全文". Screenshot: test-artifacts/record-import.png."""

from __future__ import annotations

from pathlib import Path

import pytest

from papers.models import Paper
from tests import factories as f
from tests.e2e.conftest import login, screenshot

expect = pytest.importorskip("playwright.sync_api").expect

FIXTURE = Path(__file__).resolve().parents[1] / "papers" / "records" / "fixtures" / "cnki_endnote.txt"
DOI = "10.16637/j.cnki.23-1360/d.2023.01.012"


def test_editor_imports_a_cnki_endnote_file(editor, page, live_server, console_errors, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    existing = f.PaperFactory(title="已在库中的论文", doi=DOI, abstract="", keywords=[], venue="")
    data = FIXTURE.read_text(encoding="utf-8").replace("\n", "\r\n").encode("gbk")
    login(page, live_server, editor)
    page.goto(f"{live_server.url}/records/import/")
    page.get_by_label("题录文件").set_input_files(
        files=[{"name": "CNKI-20240315.txt", "mimeType": "text/plain", "buffer": data}]
    )
    page.get_by_role("button", name="预览").click()

    expect(page.get_by_role("heading", name="题录导入预览")).to_be_visible()
    expect(page.locator("[data-record-summary]")).to_contain_text("将新建 2 篇，补充 1 篇，跳过 0 条")
    rows = page.locator("tr.record-row")
    expect(rows).to_have_count(3)
    enrich = page.locator("tr[data-action=enrich]")
    expect(enrich).to_contain_text("已在库中的论文")
    expect(enrich.locator(".record-changes")).to_contain_text("行政论坛")
    expect(page.locator("tr[data-action=create]").first).to_contain_text(
        "共同富裕视域下农村老年群体数字鸿沟问题研究"
    )
    screenshot(page, "record-import")
    assert Paper.objects.count() == 1  # the preview wrote nothing

    page.get_by_role("button", name="应用（写入 3 条）").click()
    expect(page.get_by_text("导入完成：新建 2 篇，补充 1 篇，跳过 0 条。")).to_be_visible()
    existing.refresh_from_db()
    assert (existing.venue, existing.issn) == ("行政论坛", "1005-460X")
    newspaper = Paper.objects.get(title="以数字化助力共同富裕")
    assert (newspaper.doc_type, newspaper.published) == ("newspaper", "2022-03-15")
    item = page.locator("li.paper-item", has_text="以数字化助力共同富裕")
    expect(item).to_contain_text("仅有题录")
    item.get_by_role("link", name="以数字化助力共同富裕").click()
    expect(page.locator("[data-record-only]")).to_contain_text("仅有题录，尚无全文")
    screenshot(page, "record-only-paper", full_page=False)
    assert console_errors == []
