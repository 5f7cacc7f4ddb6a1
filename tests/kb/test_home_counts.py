"""The home page's counts are the stored library counts: published papers only, no count over passages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kb.services.followups import paper_loaded
from papers.models import PaperStatus
from papers.services.ingest import LOADED, IngestOutcome
from tests import factories as f

pytestmark = pytest.mark.django_db


def _load(status=PaperStatus.PUBLISHED, passages=3):
    paper = f.PaperFactory(status=status)
    revision = f.RevisionFactory(paper=paper)
    for i in range(passages):
        f.PassageFactory(revision=revision, order=i)
    paper_loaded(IngestOutcome(status=LOADED, paper=paper, revision=revision), crossrefs=False, index=False)
    return paper


def test_home_counts_published_papers_and_their_passages(scholar_client):
    _load(passages=3)
    _load(passages=2)
    _load(status=PaperStatus.DRAFT, passages=4)
    html = scholar_client.get(reverse("home")).content.decode()
    assert "<strong>2</strong> 篇论文" in html.replace("\n", "").replace("  ", "")
    assert "<strong>5</strong>" in html
