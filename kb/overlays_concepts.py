"""Reader overlays of the concepts layer: mention highlights and cross-references in the margin.

Registered with ``papers.reader`` in ``KbConfig.ready``. Each provider runs a fixed
number of queries for all the paper's passages (mentions: one, plus one for an
editor's concept picker; cross-references: one).
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from kb.lib import roles
from kb.lib.spans import Span
from kb.models import Concept, CrossReference, CrossRefStatus, Mention, MentionStatus
from papers.models import Paper
from papers.reader import Overlay


def mention_overlay(*, paper, passages, user) -> Overlay:
    ids = [p.pk for p in passages]
    spans: dict[int, list[Span]] = {}
    mentions = (
        Mention.objects.filter(passage_id__in=ids, status=MentionStatus.ACTIVE, concept__merged_into=None)
        .select_related("concept")
        .order_by("passage_id", "start")
    )
    for m in mentions:
        url = reverse("kb:concept-detail", args=[m.concept.slug])
        attrs = (
            ("class", "mention"),
            ("href", url),
            (
                "title",
                f"{m.concept.label_zh} · {m.concept.label_en}" if m.concept.label_en else m.concept.label_zh,
            ),
            ("data-concept", m.concept.slug),
            ("data-mention", str(m.pk)),
        )
        spans.setdefault(m.passage_id, []).append(Span(m.start, m.end, "a", attrs))
    context: dict = {"kb_reader_paper": paper}
    if roles.is_editor(user):
        context["kb_mention_tools"] = True
        context["kb_concept_choices"] = list(
            Concept.objects.filter(merged_into=None).order_by("label_zh").values_list("pk", "label_zh")
        )
    return Overlay(spans=spans, context=context, margin_templates=["kb/_reader_concepts.html"])


def crossref_overlay(*, paper, passages, user) -> Overlay:
    ids = [p.pk for p in passages]
    visible = Paper.objects.visible_to(user)
    refs = (
        CrossReference.objects.filter(status=CrossRefStatus.CONFIRMED)
        .filter(Q(source_passage_id__in=ids) | Q(target_passage_id__in=ids))
        .filter(source_passage__paper__in=visible, target_passage__paper__in=visible)
        .select_related("source_passage__paper", "target_passage__paper", "creator")
        .order_by("source_passage__order", "pk")
    )
    here = set(ids)
    items = []
    for ref in refs:
        outgoing = ref.source_passage_id in here
        local, other = (
            (ref.source_passage, ref.target_passage) if outgoing else (ref.target_passage, ref.source_passage)
        )
        items.append({"ref": ref, "local": local, "other": other, "outgoing": outgoing})
    items.sort(key=lambda item: (item["local"].order, item["ref"].pk))
    return Overlay(
        context={"kb_crossrefs": items}, margin_templates=["kb/_reader_crossrefs.html"] if items else []
    )
