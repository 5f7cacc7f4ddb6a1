"""The citation graph in Chromium: library papers and cited works drawn with arrows, zoom and
pan through the toolbar, the concept filter, and a node that opens its page.

Screenshot: test-artifacts/citation-graph.png.
"""

from __future__ import annotations

import pytest

from kb.models import CitedWork, ReferenceLink
from kb.models.aggregates import PaperConceptCount
from papers.models import Reference
from tests import factories as f
from tests.e2e.conftest import login, screenshot, watch_errors

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def network(transactional_db):
    """10 library papers citing 15 works and each other; half of them mention 数字包容."""
    concept = f.ConceptFactory(label_zh="数字包容", slug="digital-inclusion", label_en="digital inclusion")
    works = [
        CitedWork.objects.create(title=f"数字治理与公共价值研究文献第{i:02d}号", year=2010) for i in range(15)
    ]
    papers = []
    for p in range(10):
        paper = f.PaperFactory(title=f"数字技术与基层社会治理研究（第{p:02d}篇）", year=2014 + p)
        revision = f.RevisionFactory(paper=paper)
        cited = works[p : p + 2 + p % 5]
        f.references_to_works(paper=paper, revision=revision, works=cited)
        if papers:  # each paper also cites the one before it, resolved to it
            reference = Reference.objects.create(
                paper=paper,
                revision=revision,
                order=99,
                marker="[99]",
                raw=papers[-1].title,
                title=papers[-1].title,
            )
            ReferenceLink.objects.create(
                reference=reference, citing_paper=paper, paper=papers[-1], status="confirmed"
            )
        if p % 2 == 0:
            PaperConceptCount.objects.create(paper=paper, concept=concept, mentions=2, passages=1)
        papers.append(paper)
    return {"papers": papers, "works": works}


def test_citation_graph_draws_zooms_filters_and_links(network, scholar, page, live_server):
    errors = watch_errors(page)
    login(page, live_server, scholar)
    page.goto(f"{live_server.url}/papers/")
    page.get_by_role("link", name="概念").first.click()
    page.get_by_role("link", name="引文网络图").click()
    expect(page.get_by_role("heading", name="引文网络图")).to_be_visible()
    papers = page.locator("a.citation-graph__node--paper")
    works = page.locator("a.citation-graph__node--work")
    expect(papers).to_have_count(10)
    expect(works).to_have_count(15)
    assert page.locator("svg.graph__svg line[marker-end]").count() > 15

    svg = page.locator("svg.graph__svg")
    page.get_by_role("button", name="放大").click()
    assert float(svg.get_attribute("viewBox").split()[2]) < 1100
    page.get_by_role("button", name="复位").click()
    assert svg.get_attribute("viewBox") == "0 0 1100 780"
    screenshot(page, "citation-graph")

    # Only the papers mentioning the concept (the even ones) and what they cite.
    page.get_by_label("概念（提及它的论文）").fill("数字包容")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("a.citation-graph__node")).not_to_have_count(25)
    assert "concept=" in page.url
    titles = page.locator("a.citation-graph__node--paper title").all_text_contents()
    assert any("第02篇" in t for t in titles) and not any("第09篇" in t for t in titles)

    # A cited work opens its page.
    work = network["works"][2]
    page.locator(f'a.citation-graph__node--work[href="{work.get_absolute_url()}"]').focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}{work.get_absolute_url()}")
    assert errors == []
