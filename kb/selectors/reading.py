"""Reads for reading in place: "continue reading" and the reader's remembered settings."""

from __future__ import annotations

from kb.models import ReadingPosition
from papers.models import Paper

CONTINUE_LIMIT = 5


def continue_reading(*, user, limit: int = CONTINUE_LIMIT) -> list[ReadingPosition]:
    """The papers ``user`` read most recently, with where they stopped (one query; [] when anonymous)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        ReadingPosition.objects.filter(
            user=user, passage__isnull=False, paper__in=Paper.objects.visible_to(user)
        )
        .select_related("paper", "passage")
        .only("updated_at", "paper__id", "paper__title", "paper__title_en", "passage__order", "passage__text")
        .order_by("-updated_at", "-pk")[: max(1, min(limit, 20))]
    )
