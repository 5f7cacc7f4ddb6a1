"""The reader's extension point.

The paper reader belongs to ``papers`` (what was published), but the
knowledge layer wants to draw on it: concept mentions, annotation highlights,
cross-references in the margin. ``papers`` must not import ``kb``, so the
knowledge layer registers *overlay providers* here (in its AppConfig.ready).
A provider receives the paper, its current passages and the user, and returns
an ``Overlay``: extra spans per passage and extra context for the template.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from kb.lib.spans import Span


@dataclass
class Overlay:
    spans: dict[int, list[Span]] = field(default_factory=dict)  # passage id -> spans
    context: dict = field(default_factory=dict)  # merged into the reader's template context
    margin_templates: list[str] = field(default_factory=list)  # partials included beside the text
    tool_templates: list[str] = field(default_factory=list)  # partials of the bar above the paper
    section_templates: list[str] = field(default_factory=list)  # partials after the reference list


OverlayProvider = Callable[..., Overlay]
_PROVIDERS: list[OverlayProvider] = []


def register_overlay(provider: OverlayProvider) -> OverlayProvider:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def overlays_for(*, paper, passages: Iterable, user) -> list[Overlay]:
    passages = list(passages)
    return [provider(paper=paper, passages=passages, user=user) for provider in _PROVIDERS]
