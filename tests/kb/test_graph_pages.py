"""The three graph pages are zoomable (svgzoom.js, a focusable drawing, the toolbar) and draw
their labels where kb.lib.labelplace put them."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from kb.models import ClaimStatus
from kb.services import claims as claim_services
from kb.services.aggregates import aggregates_refresh
from tests import factories as f


@pytest.fixture
def drawn(db, editor):
    concepts = [f.ConceptFactory(label_zh=f"数字治理概念{i}", slug=f"c-{i}") for i in range(6)]
    paper = f.PaperFactory(title="数字治理研究")
    revision = f.RevisionFactory(paper=paper)
    passages = [f.PassageFactory(paper=paper, revision=revision, order=k) for k in range(3)]
    for passage in passages:
        for concept in concepts:
            f.MentionFactory(concept=concept, passage=passage, start=0, end=4)
    aggregates_refresh(paper_ids=[paper.pk])  # the graphs read the page aggregates
    claims = [
        claim_services.claim_create(
            user=editor,
            paper=paper,
            statement=f"数字技术提升了基层治理效能（{i}）。",
            concepts=concepts[:1],
            evidence=[{"passage": passages[0], "start": 0, "end": 4, "exact": passages[0].text[:4]}],
        )
        for i in range(3)
    ]
    claim_services.claim_relation_create(user=editor, source=claims[0], target=claims[1], relation="supports")
    claim_services.claim_relation_create(
        user=editor, source=claims[1], target=claims[2], relation="contradicts"
    )
    return claims


@pytest.mark.parametrize("name", ["kb:concept-graph", "kb:paper-concept-graph", "kb:claim-graph"])
def test_graph_pages_are_zoomable(drawn, scholar_client, name):
    html = scholar_client.get(reverse(name)).content.decode()
    assert "js/svgzoom.js" in html and "data-svgzoom" in html
    assert re.search(r'<svg class="[^"]*" viewBox="0 0 \d+ \d+" role="group" tabindex="0"', html)
    assert 'data-zoom="in"' in html and 'data-zoom="reset"' in html
    labels = re.findall(r'<text[^>]* x="([\d.]+)" y="([\d.]+)" text-anchor="(start|middle|end)"', html)
    assert len(labels) >= 3 and all(x and y for x, y, _ in labels)


def test_claim_graph_labels_hide_only_what_does_not_fit(drawn, scholar_client):
    html = scholar_client.get(reverse("kb:claim-graph")).content.decode()
    assert html.count("数字技术提升了基层治理…") == 3  # twelve characters, cut with an ellipsis
    assert 'class="label--hover"' not in html  # three claims: room for every label


def test_rejected_claims_stay_out_of_the_claim_graph_for_scholars(
    drawn, scholar_client, editor_client, admin_user
):
    claim_services.claim_review(user=admin_user, claim=drawn[2], decision=ClaimStatus.REJECTED)
    label = "数字技术提升了基层治理…"  # a statement cut to twelve characters
    assert scholar_client.get(reverse("kb:claim-graph")).content.decode().count(label) == 2
    assert editor_client.get(reverse("kb:claim-graph")).content.decode().count(label) == 3
