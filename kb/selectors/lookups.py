"""Small lookups the JSON and form endpoints share: a passage of a paper's current text,
a concept named by slug (by label or alias: ``kb.selectors.concept_names``). Views call these
instead of querying models themselves."""

from __future__ import annotations

from kb.models import Concept
from papers.models import Passage


def passage_current(*, paper_id: int, pk: int | None = None, order: int | None = None) -> Passage | None:
    """The passage of the paper's current revision with this id (or, given ``order``, at ``#p-<order>``).

    Annotations, evidence and cross-references are made on the text the reader shows, never
    on an older revision's passages."""
    if pk is None and order is None:
        return None
    found = Passage.objects.filter(paper_id=paper_id, revision__is_current=True)
    found = found.filter(pk=pk) if pk is not None else found.filter(order=order)
    return found.first()


def concept_with_slug(*, slug: str | None) -> Concept | None:
    return Concept.objects.filter(slug=slug).first() if slug else None
