"""Template tags of reading in place: the way back to search results, "continue reading"."""

from __future__ import annotations

from django import template

from kb.search import backlink
from kb.selectors.reading import continue_reading as _continue_reading

register = template.Library()


@register.simple_tag
def search_back_url(request) -> str:
    """The result page a reader link came from (``?from=search&q=…``), validated; else ""."""
    return backlink.decode(request.GET) if request is not None else ""


@register.simple_tag(takes_context=True)
def continue_reading(context, limit: int = 5) -> list:
    """The signed-in user's recently read papers with the passage where they stopped (one query)."""
    request = context.get("request")
    return _continue_reading(user=request.user, limit=limit) if request is not None else []
