"""A search hit as JSON: the fields the search page's JSON endpoint and the REST API share."""

from __future__ import annotations

from kb.search.selectors import Hit

# The hit types that sit at a passage: their ``order`` is the reader's ¶ number.
AT_PASSAGE = ("passage", "annotation", "citation")


def hit_json(hit: Hit) -> dict:
    """The hit's type, ids, year, kind, ¶ number, slug, score, and its title and snippet (HTML:
    escaped text with ``<mark>`` around the matches). Its link is left to the caller."""
    return {
        "type": hit.type,
        "id": hit.obj_id,
        "paper_id": hit.paper_id or None,
        "year": hit.year or None,
        "kind": hit.kind or None,
        "order": hit.order if hit.type in AT_PASSAGE else None,
        "slug": hit.slug or None,
        "score": round(hit.score, 4),
        "title": str(hit.label),
        "snippet": str(hit.snippet),
    }
