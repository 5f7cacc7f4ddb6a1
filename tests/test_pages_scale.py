"""Every page of the scale benchmark costs the same number of queries in a library of 4 papers
as in one of 40: the pages read stored aggregates and bounded pages of rows, never the library.

Each page is visited twice before and twice after the library grows (the first visit may lay
out a graph or fill a cache), and the second counts are compared."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kb.models import CrossReference, CrossRefStatus, Relation
from kb.services.aggregates import aggregates_refresh
from tests import factories as f

pytestmark = pytest.mark.django_db

PAGES = {
    "home": lambda w: reverse("home"),
    "concept (most mentioned)": lambda w: w["concepts"][0].get_absolute_url(),
    "concept (rare)": lambda w: w["concepts"][-1].get_absolute_url(),
    "concept list": lambda w: reverse("kb:concept-list"),
    "comparison matrix": lambda w: reverse("kb:comparison"),
    "concept graph": lambda w: reverse("kb:concept-graph"),
    "paper–concept graph": lambda w: reverse("kb:paper-concept-graph"),
    "claim list": lambda w: reverse("kb:claim-list"),
    "cross-reference review": lambda w: reverse("kb:crossref-review"),
    "paper list": lambda w: reverse("papers:paper-list"),
    "reader": lambda w: w["first"].get_absolute_url(),
    "author": lambda w: w["author"].get_absolute_url(),
}

TEXT = "数字鸿沟是数字时代社会不平等的新形态，弥合数字鸿沟是实现共同富裕的重要路径，公共价值由此彰显。"


@pytest.fixture
def world(editor):
    concepts = [f.ConceptFactory(label_zh=f"概念{i}", slug=f"k{i}") for i in range(6)]
    author = f.AuthorFactory(name="王伟")
    return {"concepts": concepts, "author": author, "editor": editor, "papers": [], "first": None}


def grow(world: dict, n: int) -> None:
    """Add ``n`` papers: three passages each, mentions of most concepts, a claim, the author,
    and suggested and confirmed cross-references to the paper before."""
    concepts, new = world["concepts"], []
    for _ in range(n):
        i = len(world["papers"])
        paper = f.PaperFactory(year=2010 + i % 15)
        f.AuthorshipFactory(paper=paper, author=world["author"])
        revision = f.RevisionFactory(paper=paper)
        passages = [f.PassageFactory(revision=revision, order=k, text=TEXT) for k in range(3)]
        for k, passage in enumerate(passages):
            for concept in concepts[(i + k) % 3 :]:
                f.MentionFactory(concept=concept, passage=passage, start=0, end=4)
        claim = f.ClaimFactory(paper=paper, creator=world["editor"])
        claim.concepts.set(concepts[:2])
        if world["papers"]:
            before = world["papers"][-1]
            target = before.passages.order_by("order").first()
            for status, passage in (
                (CrossRefStatus.SUGGESTED, passages[0]),
                (CrossRefStatus.CONFIRMED, passages[1]),
            ):
                CrossReference.objects.create(
                    source_passage=passage,
                    target_passage=target,
                    relation=Relation.SAME_TOPIC,
                    status=status,
                    score=0.5,
                )
        world["papers"].append(paper)
        new.append(paper)
    world["first"] = world["first"] or world["papers"][0]
    aggregates_refresh(paper_ids=[p.pk for p in new])


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_queries_do_not_grow_with_the_library(page, world, editor_client):
    grow(world, 4)
    url = PAGES[page](world)
    queries(editor_client, url)
    small = queries(editor_client, url)
    grow(world, 36)
    queries(editor_client, url)
    large = queries(editor_client, url)
    assert large <= small, f"{page}: {small} queries with 4 papers, {large} with 40"
    assert small <= 25, f"{page}: {small} queries"
