"""Search in Chromium: the header search box finds 数字鸿沟 in the sample papers, and 數字鴻溝
(traditional) finds the same; snippets mark the matches; a hit opens the reader at its
passage with the terms marked there. Screenshots: test-artifacts/search-results.png,
search-results-traditional.png, search-reader.png.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import login, screenshot

expect = pytest.importorskip("playwright.sync_api").expect


def _search_from_header(page, query: str) -> None:
    box = page.locator("header .site-search input[name=q]")
    box.fill(query)
    with page.expect_navigation():
        box.press("Enter")


def test_header_search_highlights_and_jumps_into_the_reader(
    indexed_corpus, scholar, page, live_server, console_errors
):
    login(page, live_server, scholar)
    page.goto(f"{live_server.url}/")

    _search_from_header(page, "数字鸿沟")
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    hits = page.locator(".search-hit")
    expect(hits.first).to_be_visible()
    assert hits.count() >= 5
    marks = page.locator(".search-hit__snippet mark")
    expect(marks.first).to_have_text("数字鸿沟")
    expect(page.locator(".search-total")).to_contain_text("条结果")
    expect(page.locator(".search-facets .facet").first).to_be_visible()
    total = page.locator(".search-total").inner_text()
    first_url = hits.first.locator("a").first.get_attribute("href")
    screenshot(page, "search-results")

    _search_from_header(page, "數字鴻溝")
    expect(page.locator(".search-hit__snippet mark").first).to_have_text("数字鸿沟")
    assert page.locator(".search-total").inner_text() == total
    assert page.locator(".search-hit").first.locator("a").first.get_attribute("href") == first_url
    screenshot(page, "search-results-traditional")

    passage_link = page.locator(".search-hit--passage .search-hit__snippet a").first
    href = passage_link.get_attribute("href")
    anchor = href.rsplit("#", 1)[1]
    passage_link.click()
    expect(page).to_have_url(re.compile(rf"/papers/\d+/\?hl=.*#{anchor}$"))
    target = page.locator(f"#{anchor}")
    expect(target).to_have_class(re.compile(r"\bsearch-target\b"))
    expect(target.locator("mark.search-hl").first).to_be_visible()
    assert "数字鸿沟" in target.locator("mark.search-hl").all_inner_texts()
    # Every occurrence in the paper is marked; the bar steps through them from this passage on.
    marks = page.locator(".paper-body mark.search-hl")
    total_marks = marks.count()
    assert total_marks > target.locator("mark.search-hl").count()
    current = page.locator("mark.search-hl--current")
    expect(current).to_have_count(1)
    assert current.evaluate(f"(m) => document.getElementById('{anchor}').contains(m)")
    nav = page.get_by_role("region", name="检索词")
    counter = nav.locator(".hl-nav__count")
    before = int(counter.inner_text().split("/")[0])
    nav.get_by_role("button", name="下一处（]）").click()
    expect(counter).to_have_text(f"{before % total_marks + 1} / {total_marks} 处")
    page.keyboard.press("[")
    expect(counter).to_have_text(f"{before} / {total_marks} 处")
    screenshot(page, "search-reader", full_page=False)

    # Searching within the paper from the reader's sidebar keeps to that paper.
    paper_id = re.search(r"/papers/(\d+)/", page.url).group(1)
    box = page.get_by_role("searchbox", name="在本文中搜索")
    box.fill("治理")
    with page.expect_navigation():
        box.press("Enter")
    assert f"paper={paper_id}" in page.url
    hrefs = page.locator(".search-hit--passage .search-hit__snippet a").evaluate_all(
        "(a) => a.map((x) => x.href)"
    )
    assert hrefs and all(f"/papers/{paper_id}/" in h for h in hrefs)
    assert console_errors == []
