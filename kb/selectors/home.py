"""The home page summary: stored counts (``kb.models.aggregates``), never a count over the library."""

from __future__ import annotations

from kb.models import Concept
from kb.selectors.concepts import concept_list
from kb.services.aggregates import library_counts
from papers.models import Author, Paper


def home_summary(*, user) -> dict:
    papers = Paper.objects.visible_to(user)
    counts = library_counts()
    return {
        "recent_papers": list(
            papers.prefetch_related("authorships__author").order_by("-created_at", "-pk")[:8]
        ),
        "paper_count": counts.get("papers", 0),
        "passage_count": counts.get("passages", 0),
        "author_count": Author.objects.count(),
        "concepts": concept_list(user=user)[:24],
        "concept_count": Concept.objects.filter(merged_into=None).count(),
    }
