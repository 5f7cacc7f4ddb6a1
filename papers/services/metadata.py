"""Admins correcting a paper's metadata.

``AFTER_UPDATE`` holds what must follow a change (the knowledge layer registers the
search index there: titles, years and authors are copied into every document of the
paper); ``papers`` calls it without knowing what it is.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from papers.models import Paper

EDITABLE_FIELDS = (
    "title",
    "subtitle",
    "title_en",
    "abstract",
    "abstract_en",
    "keywords",
    "keywords_en",
    "year",
    "venue",
    "volume",
    "issue",
    "pages",
    "doi",
    "language",
    "status",
    "needs_review",
)


AFTER_UPDATE: list[Callable[[Paper], None]] = []


@transaction.atomic
def paper_update_metadata(*, paper: Paper, user, **changes) -> Paper:
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    for field, value in changes.items():
        setattr(paper, field, value)
    if paper.doi == "":
        paper.doi = None
    paper.full_clean()
    paper.save()
    for hook in AFTER_UPDATE:
        hook(paper)
    return paper
