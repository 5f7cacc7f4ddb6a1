"""W3C Web Annotation export (JSON-LD) and import (W3C or Hypothesis-style JSON).

Export (``annotation_collection``): an ``AnnotationCollection`` whose first
page embeds every annotation. Each annotation has the anno.jsonld context, an
IRI id, a motivation, ``created``/``modified`` in UTC, a Person creator, a
Markdown ``TextualBody`` (commenting), one ``TextualBody`` per tag (tagging),
a linked concept as an identifying ``SpecificResource`` body, and a ``SpecificResource`` target on
the paper with a TextQuoteSelector and a TextPositionSelector (code points in
the canonical text). Replies target the annotation they answer. A highlight
colour is the target's ``styleClass`` (``yellow`` …), defined by the
annotation's embedded ``CssStylesheet`` (W3C model 4.4).

Import: ``kb.services.w3c_import`` (Hypothesis export and API files, W3C
annotations, pages and collections; a colour comes back from the target's
``styleClass`` or a ``color:<name>`` tag).
"""

from __future__ import annotations

from datetime import UTC

from django.urls import reverse

from kb.lib import annotation_formats
from kb.models import Annotation
from kb.services import w3c_import
from kb.services.colors import HEX

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
NOT_JSON_ANNOTATIONS = annotation_formats.NOT_ANNOTATIONS
NO_QUOTE = annotation_formats.NO_QUOTE
NOT_ANCHORED = w3c_import.QUOTE_NOT_FOUND
NO_TEXT = w3c_import.NO_TEXT


def _iso(dt) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def annotation_iri(annotation: Annotation, *, base: str) -> str:
    return base + reverse("kb:annotation-detail", args=[annotation.pk])


def annotation_to_w3c(annotation: Annotation, *, base: str) -> dict:
    """One annotation as W3C JSON-LD (``base``: scheme and host, no trailing slash)."""
    data: dict = {
        "@context": CONTEXT,
        "id": annotation_iri(annotation, base=base),
        "type": "Annotation",
        "motivation": annotation.motivation,
        "created": _iso(annotation.created_at),
        "modified": _iso(annotation.updated_at),
        "creator": {"type": "Person", "nickname": annotation.creator.get_username()},
    }
    bodies: list[dict] = []
    if annotation.body.strip():
        bodies.append(
            {
                "type": "TextualBody",
                "value": annotation.body,
                "format": "text/markdown",
                "purpose": "replying" if annotation.parent_id else "commenting",
            }
        )
    bodies += [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in annotation.tag_list]
    if annotation.concept_id:
        bodies.append(
            {
                "type": "SpecificResource",
                "source": base + annotation.concept.get_absolute_url(),
                "purpose": "identifying",
            }
        )
    if bodies:
        data["body"] = bodies if len(bodies) > 1 else bodies[0]
    if annotation.parent_id:
        data["target"] = base + reverse("kb:annotation-detail", args=[annotation.parent_id])
        return data
    selectors: list[dict] = []
    if annotation.exact:
        quote = {"type": "TextQuoteSelector", "exact": annotation.exact}
        if annotation.prefix:
            quote["prefix"] = annotation.prefix
        if annotation.suffix:
            quote["suffix"] = annotation.suffix
        selectors.append(quote)
    if annotation.start is not None and annotation.end is not None:
        selectors.append({"type": "TextPositionSelector", "start": annotation.start, "end": annotation.end})
    source = base + (annotation.paper.get_absolute_url() if annotation.paper_id else "/")
    target: dict = {"type": "SpecificResource", "source": source}
    if selectors:
        target["selector"] = selectors if len(selectors) > 1 else selectors[0]
    if annotation.color in HEX:
        target["styleClass"] = annotation.color
        data["stylesheet"] = {
            "type": "CssStylesheet",
            "value": f".{annotation.color} {{ background-color: {HEX[annotation.color]}; }}",
        }
    data["target"] = target
    return data


def annotation_collection(*, annotations, base: str, collection_id: str, label: str) -> dict:
    items = [annotation_to_w3c(a, base=base) for a in annotations]
    return {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": label,
        "total": len(items),
        "first": {
            "id": collection_id + ("&" if "?" in collection_id else "?") + "page=0",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }


# --- import (kb.services.w3c_import; these names stay here for existing callers) -----------

annotations_import = w3c_import.annotations_import
ImportItem, ImportReport = w3c_import.ImportItem, w3c_import.ImportReport
