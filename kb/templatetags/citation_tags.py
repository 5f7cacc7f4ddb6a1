"""Template tags of the citation network: a concept's most-cited works (the concept page)."""

from __future__ import annotations

from django import template

from kb.selectors.citations import concept_cited_works

register = template.Library()


@register.simple_tag(takes_context=True)
def most_cited_works(context, concept) -> list:
    """The works the papers mentioning ``concept`` cite most, for the requesting user."""
    request = context.get("request")
    if request is None:
        return []
    return concept_cited_works(concept_id=concept.pk, user=request.user)
