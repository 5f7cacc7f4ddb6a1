"""The sample papers in Chromium: a scholar logs in, reads a paper and follows its table of contents.

The five papers are loaded through the real ``ingest`` command. Screenshots go
to test-artifacts/ (reader.png, reader-toc-target.png, home.png, reader-mobile.png)
for a human to look at.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from papers.models import Paper
from tests.e2e.conftest import MOBILE, REPO, login, screenshot, watch_errors

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e

CORPUS = REPO.parent / "shared" / "corpus"
CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture
def sample_corpus(transactional_db):
    if not CORPUS.is_dir():
        pytest.skip(f"sample corpus not found at {CORPUS} (expected ../shared beside the repo)")
    call_command("ingest", str(CORPUS), verbosity=0)
    assert Paper.objects.count() == 5


@pytest.fixture
def paper(sample_corpus) -> Paper:
    """The sample paper with a Chinese title and the longest table of contents."""
    candidates = [
        p
        for p in Paper.objects.filter(sections__isnull=False).distinct().order_by("pk")
        if CJK.search(p.title)
    ]
    if not candidates:
        pytest.fail("no sample paper has both a Chinese title and section headings (a table of contents)")
    return max(candidates, key=lambda p: p.sections.count())


def cjk_glyphs(page, selector: str) -> int:
    """How many glyphs of the element Chromium drew with a CJK font (a missing font draws none)."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        cdp.detach()
    return sum(font["glyphCount"] for font in fonts if "CJK" in font["familyName"])


def test_scholar_follows_table_of_contents(paper, scholar, page, console_errors, live_server):
    login(page, live_server, scholar)
    page.goto(live_server.url + paper.get_absolute_url())

    title = page.locator("h1.paper-head__title")
    expect(title).to_have_text(paper.title)
    assert cjk_glyphs(page, "h1.paper-head__title") >= len(CJK.findall(paper.title))

    links = page.locator("nav.toc a[href^='#p-']")
    expect(links.first).to_be_visible()
    # The last section lies far below the fold, so following its link must scroll.
    link = links.nth(links.count() - 1)
    anchor = link.get_attribute("href")
    target = page.locator(anchor)
    expect(target).not_to_be_in_viewport()
    # Taken from the top: a full-page capture after scrolling leaves the sticky outline mid-page.
    screenshot(page, "reader")

    link.click()

    expect(page).to_have_url(re.compile(re.escape(anchor) + "$"))
    expect(target).to_be_in_viewport()
    expect(target).to_have_class(re.compile(r"\bpassage\b"))
    screenshot(page, "reader-toc-target", full_page=False)
    assert console_errors == []


def test_home_lists_the_sample_papers(paper, scholar, page, console_errors, live_server):
    login(page, live_server, scholar)
    page.goto(live_server.url + "/")

    expect(page.locator(".stats li").first).to_contain_text("5")
    expect(page.locator(".paper-list")).to_contain_text(paper.title)
    screenshot(page, "home")
    assert console_errors == []


def test_reader_fits_a_phone_screen(paper, scholar, new_page, live_server):
    page = new_page(viewport=MOBILE, is_mobile=True, has_touch=True, device_scale_factor=2)
    errors = watch_errors(page)
    login(page, live_server, scholar)
    page.goto(live_server.url + paper.get_absolute_url())

    expect(page.locator("h1.paper-head__title")).to_have_text(paper.title)
    # Nothing sticks out sideways: no horizontal scrolling on a 390px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
    screenshot(page, "reader-mobile", full_page=False)
    assert errors == []
