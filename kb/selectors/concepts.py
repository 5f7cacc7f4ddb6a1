"""Concept list and concept page reads."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404

from kb.models import Concept, MentionStatus
from papers.models import Paper


def concept_list(*, user):
    active = Q(mentions__status=MentionStatus.ACTIVE, mentions__passage__revision__is_current=True)
    return (
        Concept.objects.filter(merged_into=None)
        .annotate(mention_count=Count("mentions", filter=active))
        .order_by("-mention_count", "label_zh")
    )


def concept_detail(*, slug: str, user) -> tuple[Concept, dict]:
    concept = Concept.objects.select_related("broader", "merged_into").filter(slug=slug).first()
    if concept is None:
        raise Http404("no such concept")
    mentions = (
        concept.mentions.filter(
            status=MentionStatus.ACTIVE,
            passage__revision__is_current=True,
            passage__paper__in=Paper.objects.visible_to(user),
        )
        .select_related("passage__paper")
        .order_by("passage__paper__title", "passage__order", "start")
    )
    by_paper: dict[int, dict] = {}
    for m in mentions[:500]:
        group = by_paper.setdefault(m.passage.paper_id, {"paper": m.passage.paper, "mentions": []})
        group["mentions"].append(m)
    return concept, {
        "narrower": list(concept.narrower.order_by("label_zh")),
        "related": list(concept.related.order_by("label_zh")),
        "mention_groups": list(by_paper.values()),
    }
