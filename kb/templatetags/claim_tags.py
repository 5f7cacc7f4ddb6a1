"""Template helpers of the claim forms: the evidence stances to choose from."""

from __future__ import annotations

from django import template

from kb.models.claims import Stance

register = template.Library()


@register.simple_tag
def stance_choices() -> list[tuple[str, str]]:
    """(value, label) of every stance: supports, contradicts, qualifies."""
    return list(Stance.choices)
