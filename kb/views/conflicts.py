"""The page a stale edit gets: what changed since the user opened the form, and their text kept.

A plain form (no script needed) posting to the same edit URL with the current version, so a
second save is a conscious choice; 409 Conflict.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.shortcuts import render

from kb.services.versions import StaleEdit


@dataclass
class Field:
    name: str
    label: str
    value: str
    kind: str = "text"  # text, textarea, hidden


def conflict_page(request, exc: StaleEdit, *, action: str, back: str, fields: list[Field]):
    return render(
        request,
        "kb/edit_conflict.html",
        {"stale": exc, "action": action, "back": back, "fields": fields},
        status=409,
    )
