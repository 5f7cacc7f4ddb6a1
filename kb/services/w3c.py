"""W3C Web Annotation export (JSON-LD) and import (W3C or Hypothesis-style JSON).

Export (``annotation_collection``): an ``AnnotationCollection`` whose first
page embeds every annotation. Each annotation has the anno.jsonld context, an
IRI id, a motivation, ``created``/``modified`` in UTC, a Person creator, a
Markdown ``TextualBody`` (commenting), one ``TextualBody`` per tag (tagging),
a linked concept as an identifying ``SpecificResource`` body, and a ``SpecificResource`` target on
the paper with a TextQuoteSelector and a TextPositionSelector (code points in
the canonical text). Replies target the annotation they answer.

Import (``annotations_import``): accepts one annotation, a list, an
``AnnotationPage``/``AnnotationCollection``, or a Hypothesis search result
(``rows``). Each annotation is anchored in the paper's current text by its
quote (``kb.lib.anchoring``); one that cannot anchor is still saved, as an
orphan for editors to re-attach, and is listed in the report. Items without
any quote are reported as skipped. Nothing is silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kb.lib import anchoring, roles
from kb.lib.markdown import render_markdown
from kb.lib.usertext import check_tree, clean_text
from kb.models import AnchorStatus, Annotation, Motivation, Visibility
from kb.search.service import search_index_enqueue
from kb.services.anchoring import NOT_EDITOR
from kb.services.annotations import MAX_TAG_LENGTH, MAX_TAGS, clean_tags
from papers.models import Paper, Passage, TextRevision

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
NOT_JSON_ANNOTATIONS = _("文件中没有可识别的批注。")
NO_QUOTE = _("没有 TextQuoteSelector 引文。")
NOT_ANCHORED = _("在当前文本中找不到该引文，已作为孤立批注保存。")
NO_TEXT = _("该论文还没有文本。")


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


# --- import ----------------------------------------------------------------------


@dataclass
class ImportItem:
    index: int
    quote: str
    reason: str = ""
    annotation: Annotation | None = None


@dataclass
class ImportReport:
    anchored: list[ImportItem] = field(default_factory=list)
    orphaned: list[ImportItem] = field(default_factory=list)
    skipped: list[ImportItem] = field(default_factory=list)


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _items(data) -> list:
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        raise ValidationError(NOT_JSON_ANNOTATIONS, code="format")
    if "rows" in data:  # Hypothesis search API
        return _as_list(data["rows"])
    if "items" in data:  # AnnotationPage
        return _as_list(data["items"])
    if isinstance(data.get("first"), dict):  # AnnotationCollection with an embedded page
        return _as_list(data["first"].get("items"))
    if "target" in data:
        return [data]
    raise ValidationError(NOT_JSON_ANNOTATIONS, code="format")


def _selectors(item: dict) -> tuple[dict | None, dict | None]:
    quote = position = None
    for target in _as_list(item.get("target")):
        if not isinstance(target, dict):
            continue
        for selector in _as_list(target.get("selector")):
            if not isinstance(selector, dict):
                continue
            if selector.get("type") == "TextQuoteSelector" and quote is None:
                quote = selector
            elif selector.get("type") == "TextPositionSelector" and position is None:
                position = selector
    return quote, position


def _body_and_tags(item: dict) -> tuple[str, list[str]]:
    texts: list[str] = []
    tags = [str(t) for t in _as_list(item.get("tags"))]  # Hypothesis
    if isinstance(item.get("text"), str):  # Hypothesis
        texts.append(item["text"])
    if isinstance(item.get("bodyValue"), str):
        texts.append(item["bodyValue"])
    for body in _as_list(item.get("body")):
        if not isinstance(body, dict) or not isinstance(body.get("value"), str):
            continue
        if body.get("purpose") == "tagging":
            tags.append(body["value"])
        else:
            texts.append(body["value"])
    return "\n\n".join(t for t in texts if t.strip()), tags


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@transaction.atomic
def annotations_import(*, paper: Paper, data, user, visibility: str = Visibility.PRIVATE) -> ImportReport:
    if not roles.is_editor(user):
        raise PermissionDenied(NOT_EDITOR)
    revision = TextRevision.objects.filter(paper=paper, is_current=True).first()
    if revision is None:
        raise ValidationError(NO_TEXT, code="no_text")
    passages = list(Passage.objects.filter(revision=revision).order_by("start"))
    check_tree(data)  # a control character anywhere refuses the file, with the message
    report = ImportReport()
    for index, item in enumerate(_items(data)):
        if not isinstance(item, dict):
            report.skipped.append(ImportItem(index, "", NOT_JSON_ANNOTATIONS))
            continue
        quote, position = _selectors(item)
        exact = str((quote or {}).get("exact") or "")
        if not exact:
            report.skipped.append(ImportItem(index, "", NO_QUOTE))
            continue
        selector = anchoring.Selector(
            exact=exact,
            prefix=str(quote.get("prefix") or ""),
            suffix=str(quote.get("suffix") or ""),
            start=_int((position or {}).get("start")),
            end=_int((position or {}).get("end")),
        )
        body, tags = _body_and_tags(item)
        try:
            body = clean_text(body, limit="body")
        except ValidationError as exc:
            report.skipped.append(ImportItem(index, exact, exc.messages[0]))
            continue
        tags = clean_tags([t for t in tags if len(t.strip()) <= MAX_TAG_LENGTH][:MAX_TAGS])
        match = anchoring.anchor(revision.text, selector)
        passage = next((p for p in passages if match and p.start <= match.start and match.end <= p.end), None)
        annotation = Annotation(
            paper=paper,
            body=body,
            motivation=Motivation.COMMENTING if body else Motivation.HIGHLIGHTING,
            visibility=visibility,
            creator=user,
            tag_list=tags,
        )
        if match is not None and passage is not None:
            described = anchoring.describe(revision.text, match.start, match.end)
            annotation.passage, annotation.revision = passage, revision
            annotation.exact, annotation.prefix, annotation.suffix = (
                described.exact,
                described.prefix,
                described.suffix,
            )
            annotation.start, annotation.end = match.start, match.end
            annotation.anchor_status = AnchorStatus.ANCHORED
        else:
            annotation.exact, annotation.prefix, annotation.suffix = (
                selector.exact,
                selector.prefix,
                selector.suffix,
            )
            annotation.anchor_status = AnchorStatus.ORPHANED
        annotation.body_html = render_markdown(body)
        annotation._history_user = user
        annotation._change_reason = "import"
        annotation.full_clean(exclude=["tags"])
        annotation.save()
        annotation.tags.set(tags)
        entry = ImportItem(index, exact, "" if annotation.passage_id else NOT_ANCHORED, annotation)
        (report.anchored if annotation.passage_id else report.orphaned).append(entry)
    # One task for the paper's documents however many came in; orphans (on no passage) are
    # not among them, so each of those gets its own.
    if report.anchored:
        search_index_enqueue(obj=paper)
    for item in report.orphaned:
        search_index_enqueue(obj=item.annotation)
    return report
