"""Reads of annotations: the reader overlay and margin, lists, tags, orphans.

Every read goes through ``Annotation.objects.visible_to(user)``, so no URL or
API shows anyone another person's private annotation. The reader overlay asks
a fixed number of queries for all passages of a paper at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from taggit.models import Tag

from kb.lib import anchoring, roles
from kb.lib.spans import Span
from kb.models import (
    AnchorStatus,
    Annotation,
    Claim,
    ClaimKind,
    Evidence,
    Visibility,
)
from kb.models.anchors import SHOWN_STATUSES
from kb.models.claims import CLAIM_RELATIONS
from kb.models.crossrefs import Relation
from kb.selectors.groups import note_scope_choices, user_groups
from kb.services.audiences import audience_choices, audience_value, can_annotate
from kb.services.colors import Swatch, color_palette, color_title
from kb.services.preferences import NOTE_SCOPE_GROUP, preference_get
from papers.models import Paper, Passage
from papers.reader import Overlay
from papers.selectors import paper_visible

MARGIN_TEMPLATE = "kb/_reader_annotations.html"


@dataclass
class ClaimOnPaper:
    claim: Claim
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class AnnotationMargin:
    paper: Paper
    threads: list[Annotation]  # root annotations, replies prefetched as ``thread``
    claims: list[ClaimOnPaper]
    can_edit: bool
    passage_orders: dict[int, int]
    palette: list[Swatch] = field(default_factory=list)  # the highlight colours, with the user's names
    can_annotate: bool = False  # any signed-in user with a role writes their own notes
    audiences: list[tuple[str, str]] = field(default_factory=list)  # whom the user may share with
    scope: str = "all"  # which notes are shown (``UserPreference.note_scope``)
    scope_choices: list[tuple[str, str]] = field(default_factory=list)
    visibilities = Visibility.choices
    kinds = ClaimKind.choices
    relations = [(value, label) for value, label in Relation.choices if value in CLAIM_RELATIONS]

    @property
    def audience_values(self) -> set[str]:
        return {value for value, _label in self.audiences}


def _replies(user):
    return Prefetch(
        "replies",
        queryset=Annotation.objects.visible_to(user).select_related("creator").order_by("created_at", "pk"),
        to_attr="thread",
    )


def note_scope(*, user, groups: list) -> str:
    """The reader's remembered note filter; a group the user has left falls back to all."""
    if not can_annotate(user):
        return "all"
    scope = preference_get(user=user).note_scope or "all"
    mine = {f"{NOTE_SCOPE_GROUP}{g.pk}" for g in groups}
    if scope.startswith(NOTE_SCOPE_GROUP) and scope not in mine:
        return "all"
    return scope


def scope_filter(queryset, *, scope: str, user):
    """Narrow visible annotations to the reader's note filter ("all", "mine", "public", "group:<id>")."""
    if scope == "mine":
        return queryset.filter(creator=user)
    if scope == "public":
        return queryset.filter(visibility=Visibility.PUBLIC)
    if scope.startswith(NOTE_SCOPE_GROUP):
        return queryset.filter(visibility=Visibility.GROUP, group_id=int(scope[len(NOTE_SCOPE_GROUP) :]))
    return queryset


def reader_annotations(*, paper: Paper, passages: list[Passage], user) -> Overlay:
    """The reader's overlay provider: highlights, evidence marks and the margin partial."""
    by_id = {p.pk: p for p in passages}
    groups = user_groups(user=user)
    scope = note_scope(user=user, groups=groups)
    roots = list(
        scope_filter(Annotation.objects.visible_to(user), scope=scope, user=user)
        # A page note (an imported Hypothesis note on the whole paper) has no passage and no quote.
        .filter(Q(passage_id__in=list(by_id)) | Q(paper=paper, passage=None, exact=""))
        .filter(parent=None, anchor_status__in=SHOWN_STATUSES)
        .select_related("creator", "concept", "group")
        .prefetch_related(_replies(user))
        .order_by("start", "created_at", "pk")
    )
    roots.sort(key=lambda a: a.passage_id is not None)  # page notes first, on every database
    evidence = list(
        Evidence.objects.filter(
            passage_id__in=list(by_id),
            anchor_status__in=SHOWN_STATUSES,
            # Evidence quoted here for a claim of any paper (claims gather quotes across papers).
            claim__in=Claim.objects.visible_to(user).filter(paper__in=Paper.objects.visible_to(user)),
        )
        .select_related("claim")
        .order_by("start", "pk")
    )
    spans: dict[int, list[Span]] = {}
    palette = color_palette(user=user)
    for a in roots:
        a.audience = audience_value(a.visibility, a.group_id)
        a.color_title = color_title(a.color, palette)
        if a.passage_id is None:
            continue
        a.passage = by_id[a.passage_id]
        rel = a.passage_span()
        if rel:
            attrs: tuple[tuple[str, str], ...] = (
                ("class", f"anno anno--{a.visibility}" + (f" anno--c-{a.color}" if a.color else "")),
                ("data-annotation", str(a.pk)),
            )
            if a.color:  # the colour's name too, never the hue alone
                attrs += (("title", a.color_title),)
            spans.setdefault(a.passage_id, []).append(Span(rel[0], rel[1], "mark", attrs))
    claims: dict[int, ClaimOnPaper] = {}
    for ev in evidence:
        ev.passage = by_id[ev.passage_id]
        rel = ev.passage_span()
        if rel:
            attrs = (("class", f"evidence evidence--{ev.claim.status}"), ("data-claim", str(ev.claim_id)))
            spans.setdefault(ev.passage_id, []).append(Span(rel[0], rel[1], "mark", attrs))
        claims.setdefault(ev.claim_id, ClaimOnPaper(claim=ev.claim)).evidence.append(ev)
    margin = AnnotationMargin(
        paper=paper,
        threads=roots,
        claims=sorted(claims.values(), key=lambda c: c.evidence[0].start or 0),
        can_edit=roles.is_editor(user),
        passage_orders={p.pk: p.order for p in passages},
        palette=palette,
        can_annotate=can_annotate(user),
        audiences=audience_choices(user=user, groups=groups),
        scope=scope,
        scope_choices=note_scope_choices(groups) if can_annotate(user) else [],
    )
    return Overlay(spans=spans, context={"annotation_margin": margin}, margin_templates=[MARGIN_TEMPLATE])


def annotation_margin(*, paper_id: int, user) -> AnnotationMargin:
    """The margin alone (the fragment the reader's script reloads)."""
    paper = paper_visible(paper_id=paper_id, user=user)
    passages = list(Passage.objects.filter(paper=paper, revision__is_current=True).order_by("order"))
    return reader_annotations(paper=paper, passages=passages, user=user).context["annotation_margin"]


def annotation_get(*, pk: int, user) -> Annotation:
    """One annotation the user may see, or 404 (never 403: existence is not revealed)."""
    annotation = (
        Annotation.objects.visible_to(user)
        .filter(pk=pk, paper__in=Paper.objects.visible_to(user))
        .select_related("creator", "paper", "passage", "parent", "concept")
        .first()
    )
    if annotation is None:
        raise Http404("no such annotation")
    return annotation


def annotation_list(*, user, paper: Paper | None = None, creator=None):
    """Visible annotations (roots and replies), oldest first, for the API and the export."""
    qs = (
        Annotation.objects.visible_to(user)
        .filter(paper__in=Paper.objects.visible_to(user))
        .select_related("creator", "paper", "concept")
        .order_by("created_at", "pk")
    )
    if paper is not None:
        qs = qs.filter(paper=paper)
    if creator is not None:
        qs = qs.filter(creator=creator)
    return qs


def tag_suggestions(*, user, q: str = "", limit: int = 10) -> list[str]:
    """Tag names used on annotations the user can see, most used first."""
    visible = Annotation.objects.visible_to(user).values("pk")
    tags = Tag.objects.filter(
        taggit_taggeditem_items__content_type=ContentType.objects.get_for_model(Annotation),
        taggit_taggeditem_items__object_id__in=visible,
    )
    if q:
        tags = tags.filter(name__icontains=q)
    rows = tags.annotate(n=Count("taggit_taggeditem_items")).order_by("-n", "name")[:limit]
    return [t.name for t in rows]


def orphan_list(*, user) -> tuple[list[Annotation], list[Evidence]]:
    """Orphaned annotations (that the user can see) and evidence, for editors to re-attach."""
    annotations = list(
        Annotation.objects.visible_to(user)
        .filter(anchor_status=AnchorStatus.ORPHANED, parent=None)
        .select_related("paper", "creator", "revision")
        .order_by("paper_id", "pk")
    )
    evidence = list(
        Evidence.objects.filter(anchor_status=AnchorStatus.ORPHANED)
        .select_related("claim__paper", "revision__paper")
        .order_by("revision__paper_id", "pk")
    )
    _attach_candidates([(a, a.paper_id) for a in annotations] + [(e, e.quoted_paper_id) for e in evidence])
    return annotations, evidence


# Candidates are looked for for this many orphans of a page at most (a few ms each).
ORPHAN_CANDIDATES_MAX = 200


def _attach_candidates(pairs: list[tuple]) -> None:
    """Set ``.candidates`` (``kb.lib.anchoring.Candidate``, key = ¶ number) on each orphan of
    ``pairs`` ((orphan, paper id)): where in its paper's current text the lost quote may have
    gone. One query for all the papers."""
    pairs, rest = pairs[:ORPHAN_CANDIDATES_MAX], pairs[ORPHAN_CANDIDATES_MAX:]
    texts: dict[int, list[tuple[int, str]]] = {}
    rows = Passage.objects.current().filter(paper_id__in={paper_id for _, paper_id in pairs})
    for paper_id, order, text in rows.values_list("paper_id", "order", "text"):
        texts.setdefault(paper_id, []).append((order, text))
    for target, paper_id in pairs:
        target.candidates = anchoring.candidates(target.exact, texts.get(paper_id, []))
    for target, _ in rest:
        target.candidates = []
