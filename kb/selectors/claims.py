"""Reads of claims: the claim page, lists, the per-concept comparison and the claim graph."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.http import Http404

from kb.lib import roles
from kb.lib.graphlayout import grouped_circle_layout
from kb.models import Claim, ClaimKind, Concept, CrossReference, Evidence
from kb.models.anchors import SHOWN_STATUSES
from kb.models.claims import CLAIM_RELATIONS, Stance, claim_relations
from kb.models.crossrefs import Relation
from kb.selectors.claim_evidence import evidence_by_paper, visible_claims
from kb.selectors.graph_labels import claim_graph_labels
from kb.services.claims import can_review
from papers.models import Paper


def _visible_claims(user):
    return visible_claims(user)


def claim_get(*, pk: int, user) -> Claim:
    claim = _visible_claims(user).select_related("paper", "creator", "reviewed_by").filter(pk=pk).first()
    if claim is None:
        raise Http404("no such claim")
    return claim


def claim_detail(*, pk: int, user) -> dict:
    claim = claim_get(pk=pk, user=user)
    visible = _visible_claims(user)
    groups, tally = evidence_by_paper(claim=claim, user=user)
    outgoing = list(
        CrossReference.objects.filter(source_claim=claim, target_claim__in=visible)
        .select_related("target_claim__paper", "creator")
        .order_by("relation", "pk")
    )
    incoming = list(
        CrossReference.objects.filter(target_claim=claim, source_claim__in=visible)
        .select_related("source_claim__paper", "creator")
        .order_by("relation", "pk")
    )
    concepts = list(claim.concepts.order_by("label_zh"))
    candidates = []
    if roles.is_editor(user):
        candidates = list(
            visible.exclude(pk=claim.pk).select_related("paper").order_by("paper__title", "pk")[:300]
        )
    return {
        "claim": claim,
        "evidence_groups": groups,
        "evidence_count": sum(len(g.items) for g in groups),
        "tally": tally,
        "stances": Stance.choices,
        "concepts": concepts,
        "outgoing": outgoing,
        "incoming": incoming,
        "candidates": candidates,
        "relations": [(v, label) for v, label in Relation.choices if v in CLAIM_RELATIONS],
        "kinds": ClaimKind.choices,
        "can_review": claim.status == "proposed" and can_review(user, claim),
        "can_edit": roles.is_editor(user),
    }


def claim_list(*, user, status: str = "", concept: Concept | None = None):
    claims = _visible_claims(user).select_related("paper", "creator").prefetch_related("concepts")
    if status:
        claims = claims.filter(status=status)
    if concept is not None:
        claims = claims.filter(concepts=concept)
    return claims.order_by("-created_at", "pk")


@dataclass
class ComparisonRow:
    kind: str
    label: str
    cells: list[list[tuple[Claim, Evidence | None]]] = field(default_factory=list)  # one per paper


def _own_quote(claim: Claim) -> Evidence | None:
    """The first quote from the claim's own paper (its column), else its first quote at all."""
    own = [
        ev
        for ev in claim.shown_evidence
        if ev.revision is not None and ev.revision.paper_id == claim.paper_id
    ]
    return (own or claim.shown_evidence or [None])[0]


def concept_claim_comparison(*, slug: str, user) -> dict:
    """Which papers claim what about a concept: kinds as rows, papers as columns, quotes in cells."""
    concept = Concept.objects.filter(slug=slug).first()
    if concept is None:
        raise Http404("no such concept")
    shown = (
        Evidence.objects.filter(anchor_status__in=SHOWN_STATUSES)
        .select_related("revision")
        .order_by("start", "pk")
    )
    claims = list(
        _visible_claims(user)
        .filter(concepts=concept)
        .select_related("paper")
        .prefetch_related(Prefetch("evidence", queryset=shown, to_attr="shown_evidence"))
        .order_by("paper__year", "paper__title", "pk")
    )
    papers: list[Paper] = []
    for c in claims:
        if c.paper not in papers:
            papers.append(c.paper)
    rows = []
    for kind, label in ClaimKind.choices:
        of_kind = [c for c in claims if c.kind == kind]
        if not of_kind:
            continue
        row = ComparisonRow(kind=kind, label=label)
        for paper in papers:
            row.cells.append([(c, _own_quote(c)) for c in of_kind if c.paper_id == paper.pk])
        rows.append(row)
    return {"concept": concept, "papers": papers, "rows": rows, "claim_count": len(claims)}


@dataclass
class GraphNode:
    claim: Claim
    x: float
    y: float
    label: dict = field(default_factory=dict)  # placed by kb.selectors.graph_labels


@dataclass
class GraphEdge:
    crossref: CrossReference
    x1: float
    y1: float
    x2: float
    y2: float


def claim_graph(*, user, concept_slug: str = "", width: int = 900, height: int = 640) -> dict:
    """Claims linked by relations, grouped by paper, positioned for an SVG drawing."""
    visible = _visible_claims(user)
    concept = None
    if concept_slug:
        concept = Concept.objects.filter(slug=concept_slug).first()
        if concept is None:
            raise Http404("no such concept")
        visible = visible.filter(concepts=concept)
    edges_qs = claim_relations().filter(source_claim__in=visible, target_claim__in=visible)
    edges = list(edges_qs.order_by("pk")[:500])
    linked = {e.source_claim_id for e in edges} | {e.target_claim_id for e in edges}
    node_filter = Q(pk__in=linked) | Q(concepts=concept) if concept else Q(pk__in=linked)
    claims = list(
        visible.filter(node_filter).distinct().select_related("paper").order_by("paper_id", "pk")[:200]
    )
    groups: dict[int, list[int]] = {}
    for c in claims:
        groups.setdefault(c.paper_id, []).append(c.pk)
    pos = grouped_circle_layout(list(groups.values()), width=width, height=height)
    nodes = [GraphNode(c, *pos[c.pk]) for c in claims]
    drawn = [
        GraphEdge(e, *pos[e.source_claim_id], *pos[e.target_claim_id])
        for e in edges
        if e.source_claim_id in pos and e.target_claim_id in pos
    ]
    claim_graph_labels(nodes, drawn, width=width, height=height)
    papers = {c.paper_id: c.paper for c in claims}
    return {
        "concept": concept,
        "nodes": nodes,
        "edges": drawn,
        "papers": list(papers.values()),
        "width": width,
        "height": height,
        "relations": [(v, label) for v, label in Relation.choices if v in CLAIM_RELATIONS],
    }
