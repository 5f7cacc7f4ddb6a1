"""Reads for the cross-reference review page."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404

from kb.lib.paging import PeekPage
from kb.models import CrossReference, CrossRefStatus
from papers.models import Paper

PAGE_SIZE = 30


def crossref_review(
    *,
    user,
    status: str = CrossRefStatus.SUGGESTED,
    paper_id: int | None = None,
    passage_id: int | None = None,
    page: int = 1,
):
    visible = Paper.objects.visible_to(user)
    refs = CrossReference.objects.filter(
        status=status,
        source_passage__isnull=False,
        source_passage__paper__in=visible,
        target_passage__paper__in=visible,
    )
    if paper_id:
        refs = refs.filter(Q(source_passage__paper_id=paper_id) | Q(target_passage__paper_id=paper_id))
    if passage_id:
        refs = refs.filter(Q(source_passage_id=passage_id) | Q(target_passage_id=passage_id))
    order = ["-score", "pk"] if status == CrossRefStatus.SUGGESTED else ["-updated_at", "pk"]
    refs = refs.select_related("source_passage__paper", "target_passage__paper", "creator").order_by(*order)
    return PeekPage(refs, number=page, size=PAGE_SIZE)


def crossref_get_suggested(*, pk: int) -> CrossReference:
    """An open suggestion (a decided one is 404: a second click must not decide it again)."""
    return get_object_or_404(CrossReference, pk=pk, status=CrossRefStatus.SUGGESTED)
