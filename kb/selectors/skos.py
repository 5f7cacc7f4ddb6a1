"""Stable IRIs of the thesaurus: ``KB_BASE_URL`` plus the concept's path, never the request host.

The SKOS export writes them as ``@id``; the SKOS import reads a concept's slug back from one.
"""

from __future__ import annotations

from urllib.parse import unquote

from django.conf import settings
from django.urls import reverse


def base_url() -> str:
    return settings.KB_BASE_URL.rstrip("/")


def concept_iri(slug: str) -> str:
    return base_url() + reverse("kb:concept-detail", args=[slug])


def scheme_iri() -> str:
    return base_url() + reverse("kb:concept-list")


def slug_from_iri(iri: str) -> str | None:
    """The slug of one of our concept IRIs (under ``KB_BASE_URL``), else None."""
    prefix = scheme_iri()
    if not iri.startswith(prefix):
        return None
    rest = unquote(iri[len(prefix) :]).strip("/")
    return rest if rest and "/" not in rest else None
