"""Citation statements in search, in Chromium: from a cited work's page, "在搜索中查看施引语句"
lists the sentences citing it, each with its stance badge, its citing passage and the cited
work linked. Screenshot: test-artifacts/citation-search.png."""

from __future__ import annotations

import re

import pytest

from kb.models import CitationStatement
from kb.search import dictionary
from kb.search.index import forget_index
from kb.search.service import search_index_rebuild
from kb.services import loading
from tests.e2e.conftest import login, screenshot
from tests.kb.citation_samples import CITED, CITING

expect = pytest.importorskip("playwright.sync_api").expect


@pytest.fixture
def citing_statements(transactional_db, settings, tmp_path):
    settings.KB_SEARCH_INDEX_DIR = str(tmp_path / "search-index")
    settings.KB_SEARCH_THESAURUS_TTL = 0
    dictionary.thesaurus_changed()
    citing = loading.paper_load(data=CITING.encode(), filename="a.txt").paper_id
    loading.paper_load(data=CITED.encode(), filename="b.txt")
    assert search_index_rebuild() > 0
    yield citing
    forget_index(settings.KB_SEARCH_INDEX_DIR)


def test_cited_work_page_opens_its_citation_statements_in_search(
    citing_statements, scholar, page, live_server, console_errors
):
    statement = CitationStatement.objects.select_related("reference__link").get(
        citing_paper_id=citing_statements, citation__marker="[3]"
    )
    work_id = statement.reference.link.cited_work_id
    login(page, live_server, scholar)
    page.goto(live_server.url + statement.reference.link.cited_work.get_absolute_url())
    with page.expect_navigation():
        page.get_by_role("link", name="在搜索中查看施引语句").click()
    expect(page).to_have_url(re.compile(r"/search/\?q=type:citation"))
    hit = page.locator(".search-hit--citation")
    expect(hit).to_have_count(1)
    expect(hit.locator(".stance-badge")).to_have_text("使用方法")
    expect(hit.locator(".search-hit__snippet")).to_contain_text("熵值法")
    expect(hit.locator(".search-hit__cited a")).to_have_attribute("href", re.compile(rf"/{work_id}/?$"))
    screenshot(page, "citation-search")
    with page.expect_navigation():
        hit.locator(".search-hit__snippet a").click()
    expect(page).to_have_url(re.compile(rf"#p-{statement.passage.order}$"))
    assert console_errors == []
