"""Reads for the knowledge layer's exports: one concept's papers, one paper's notes and claims.

Every read is limited to what the user may see: papers (``Paper.objects.visible_to``),
annotations (``Annotation.objects.visible_to``), claims (``Claim.objects.visible_to``) and
evidence quoted from other papers only where that paper is visible too.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from kb.models import Annotation, Claim, Concept, Evidence
from kb.selectors.concepts import active_mentions
from papers.models import Paper


def concept_for_export(*, slug: str) -> Concept:
    """The concept of ``slug`` (a merged one: the concept it was merged into), else 404."""
    concept = Concept.objects.select_related("merged_into").filter(slug=slug).first()
    if concept is None:
        raise Http404("no such concept")
    return concept.merged_into or concept


def concept_papers(*, concept: Concept, user) -> QuerySet[Paper]:
    """The papers the user may see with an active mention of ``concept`` (a queryset, not run)."""
    paper_ids = active_mentions(user=user).filter(concept=concept).values("passage__paper_id")
    return Paper.objects.visible_to(user).filter(pk__in=paper_ids)


def paper_annotations(*, paper: Paper, user) -> QuerySet[Annotation]:
    """The annotations on ``paper`` the user may see (replies included)."""
    return Annotation.objects.visible_to(user).filter(paper=paper)


def paper_claims(*, paper: Paper, user) -> list[Claim]:
    """The claims about ``paper`` the user may see, with their evidence (passages and, for quotes
    from other papers, those papers with their authors), in three queries."""
    evidence = Evidence.objects.select_related("passage__paper").order_by("pk")
    return list(
        Claim.objects.visible_to(user)
        .filter(paper=paper)
        .prefetch_related(
            Prefetch("evidence", queryset=evidence),
        )
        .order_by("created_at", "pk")
    )


def visible_paper_ids(*, paper_ids: set[int], user) -> set[int]:
    """Which of ``paper_ids`` the user may see (one query)."""
    return set(Paper.objects.visible_to(user).filter(pk__in=paper_ids).values_list("pk", flat=True))
