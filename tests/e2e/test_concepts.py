"""Concepts and cross-references in Chromium: an editor opens 数字鸿沟, follows a mention into
paper 003, confirms a suggested cross-reference to another paper with a relation and a note,
and sees it in both readers. Screenshots of the graphs and the comparison matrix go to
test-artifacts/ (concept-graph.png, paper-concept-graph.png, comparison.png, concept-page.png).
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from kb.models import CrossReference, CrossRefStatus
from papers.models import Paper
from tests.e2e.conftest import REPO, login, screenshot, watch_errors

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e

CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture
def corpus(transactional_db):
    if not CORPUS.is_dir():
        pytest.skip(f"sample corpus not found at {CORPUS}")
    call_command("load_thesaurus", verbosity=0)
    call_command("ingest", str(CORPUS), verbosity=0)
    return {p.sources.first().filename[:3]: p for p in Paper.objects.prefetch_related("sources")}


def test_editor_confirms_a_crossref_from_a_concept_mention(corpus, editor, page, live_server):
    errors = watch_errors(page)
    paper_003 = corpus["003"]
    login(page, live_server, editor)

    page.goto(f"{live_server.url}/concepts/")
    page.get_by_role("link", name="数字鸿沟", exact=True).first.click()
    expect(page.locator("h1")).to_contain_text("数字鸿沟")
    screenshot(page, "concept-page")

    page.locator(f"a.mention-link[data-paper='{paper_003.pk}']").first.click()
    expect(page).to_have_url(re.compile(rf"/papers/{paper_003.pk}/#p-\d+$"))
    expect(page.locator("a.mention[data-concept='digital-divide']").first).to_be_visible()

    page.get_by_role("link", name="审核本文的交叉引用建议").click()
    item = page.locator("li.crossref-item").first
    expect(item).to_be_visible()
    crossref_id = int(item.get_attribute("data-crossref"))
    ref = CrossReference.objects.select_related("source_passage__paper", "target_passage__paper").get(
        pk=crossref_id
    )
    papers = {ref.source_passage.paper_id, ref.target_passage.paper_id}
    assert paper_003.pk in papers and len(papers) == 2
    item.locator("select[name=relation]").select_option("supports")
    item.locator("input[name=note]").fill("两文都讨论数字鸿沟带来的不平等")
    item.get_by_role("button", name="确认").click()
    expect(page.locator(".messages")).to_contain_text("已确认交叉引用")

    ref.refresh_from_db()
    assert (ref.status, ref.relation) == (CrossRefStatus.CONFIRMED, "supports")
    for paper_id in papers:
        page.goto(f"{live_server.url}/papers/{paper_id}/")
        margin = page.locator(f".margin-crossrefs li[data-crossref='{crossref_id}']")
        expect(margin).to_contain_text("两文都讨论数字鸿沟带来的不平等")
        expect(margin).to_contain_text("支持")
        margin.locator("a.crossref-note__other").click()
        expect(page).to_have_url(re.compile(r"/papers/\d+/#p-\d+$"))
    screenshot(page, "reader-crossref", full_page=False)
    assert errors == []


def test_graphs_and_comparison_render_and_link(corpus, scholar, page, live_server):
    errors = watch_errors(page)
    login(page, live_server, scholar)
    page.goto(f"{live_server.url}/graphs/concepts/")
    nodes = page.locator("svg.graph__svg a.graph__node")
    assert nodes.count() >= 50
    screenshot(page, "concept-graph")
    page.goto(f"{live_server.url}/graphs/papers/")
    assert page.locator("a.graph__node--paper").count() == 5
    screenshot(page, "paper-concept-graph")
    page.locator("a.graph__node--concept").first.click()
    expect(page.locator(".concept-head h1")).to_be_visible()
    page.goto(f"{live_server.url}/compare/")
    screenshot(page, "comparison")
    page.locator("td.matrix__cell a").first.click()
    expect(page.locator(".concept-mentions .notice")).to_be_visible()
    assert errors == []
