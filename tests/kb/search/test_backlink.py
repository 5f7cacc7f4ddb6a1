"""A search hit's link into the reader carries the way back to its result page (kb.search.backlink)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from kb.search.selectors import search_query
from tests.kb.search.conftest import make_paper

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(reindex):
    papers = [make_paper(f"数字鸿沟论文{i}", [("paragraph", f"数字鸿沟第{i}段。")])[0] for i in range(25)]
    reindex()
    return papers


def test_passage_hit_links_back_to_its_query_page_and_filters(indexed, scholar):
    results = search_query(query="数字鸿沟", user=scholar, page=2, filters={"type": ["passage"]})
    hit = results.hits[0]
    url = urlsplit(hit.url)
    params = parse_qs(url.query)
    assert params["from"] == ["search"] and params["q"] == ["数字鸿沟"]
    assert params["page"] == ["2"] and params["type"] == ["passage"]
    assert "hl" in params and url.fragment.startswith("p-")


def test_reader_opened_from_a_hit_offers_the_way_back(indexed, scholar, scholar_client):
    hit = search_query(query="数字鸿沟", user=scholar, page=2, filters={"type": ["passage"]}).hits[0]
    html = scholar_client.get(hit.url.split("#")[0]).content.decode()
    assert (
        'class="reader-tools__back" href="/search/?q=%E6%95%B0%E5%AD%97%E9%B8%BF%E6%B2%9F&amp;type=passage&amp;page=2"'
        in html
    )
