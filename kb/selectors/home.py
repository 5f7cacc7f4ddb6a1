"""The home page summary."""

from __future__ import annotations

from kb.models import Concept
from kb.selectors.concepts import concept_list
from papers.models import Author, Paper, Passage


def home_summary(*, user) -> dict:
    papers = Paper.objects.visible_to(user)
    return {
        "recent_papers": list(
            papers.prefetch_related("authorships__author").order_by("-created_at", "-pk")[:8]
        ),
        "paper_count": papers.count(),
        "passage_count": Passage.objects.current().filter(paper__in=papers).count(),
        "author_count": Author.objects.filter(authorships__paper__in=papers).distinct().count(),
        "concepts": concept_list(user=user)[:24],
        "concept_count": Concept.objects.filter(merged_into=None).count(),
    }
