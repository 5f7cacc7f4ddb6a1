"""Reads for claims across papers: the reader's claim picker, the claim page's evidence
grouped by paper with its tally, and the passage or evidence an edit names.

- ``claim_search``: claims ``user`` can see whose statement matches what was typed, through
  the search index (claims are indexed with their statement and quotes), topped up by a
  bounded ``icontains`` on the statement for a half-typed word the index cannot match yet.
- ``evidence_by_paper``: the claim's evidence grouped by the paper it quotes (the claim's
  own paper first), and ``StanceTally``: how many papers support, contradict, qualify (a
  paper counts under each stance it has evidence for). A fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, prefetch_related_objects
from django.http import Http404

from kb.lib.spans import Span, render_spans
from kb.models import Claim, Evidence
from kb.models.anchors import SHOWN_STATUSES
from kb.models.claims import Stance
from kb.search.selectors import search_query
from papers import cite
from papers.models import Authorship, Paper, Passage

SEARCH_LIMIT = 10
MAX_QUERY_CHARS = 200


def visible_claims(user):
    """Claims ``user`` can see, on papers ``user`` can see."""
    return Claim.objects.visible_to(user).filter(paper__in=Paper.objects.visible_to(user))


def claim_search(*, user, query: str, limit: int = SEARCH_LIMIT) -> list[Claim]:
    """Up to ``limit`` claims ``user`` can see matching ``query``, best first (index, then statement)."""
    query = " ".join(query[:MAX_QUERY_CHARS].split())
    limit = max(1, min(limit, 50))
    if len(query) < 1:
        return []
    visible = visible_claims(user)
    ranked: list[int] = []
    # The query's own filters (type:, paper: …) are not the user's to add: quote-free words only.
    words = query.replace(":", " ").replace('"', " ")
    results = search_query(query=f"type:claim {words}", user=user, per_page=limit, facets=False)
    ranked = list(dict.fromkeys(h.obj_id for h in results.hits if h.type == "claim"))
    if len(ranked) < limit:
        more = visible.filter(statement__icontains=query).exclude(pk__in=ranked).order_by("-created_at", "pk")
        ranked += list(more.values_list("pk", flat=True)[: limit - len(ranked)])
    found = visible.filter(pk__in=ranked).select_related("paper")
    by_pk = {c.pk: c for c in found}
    return [by_pk[pk] for pk in ranked if pk in by_pk][:limit]


def passage_for_evidence(*, pk: int | None, user) -> Passage | None:
    """The passage with this id in the current text of a paper ``user`` can see, or None."""
    if pk is None:
        return None
    return (
        Passage.objects.filter(pk=pk, revision__is_current=True, paper__in=Paper.objects.visible_to(user))
        .select_related("revision")
        .first()
    )


def evidence_get(*, pk: int, user) -> Evidence:
    """Evidence of a claim ``user`` can see, else 404."""
    evidence = Evidence.objects.filter(pk=pk, claim__in=visible_claims(user)).select_related("claim").first()
    if evidence is None:
        raise Http404("no such evidence")
    return evidence


@dataclass
class EvidenceInContext:
    evidence: Evidence
    html: str  # the passage with the quote marked, or the quote alone when it is not anchored
    shown: bool


@dataclass
class PaperEvidence:
    paper: Paper | None  # None: the quote lost its paper (its revision was deleted)
    reference: str
    items: list[EvidenceInContext] = field(default_factory=list)
    stances: set[str] = field(default_factory=set)


@dataclass
class StanceTally:
    supports: int = 0
    contradicts: int = 0
    qualifies: int = 0

    @property
    def papers(self) -> int:
        return max(self.supports, self.contradicts, self.qualifies)


def _in_context(ev: Evidence) -> EvidenceInContext:
    span = ev.passage_span() if ev.anchor_status in SHOWN_STATUSES else None
    if span:
        html = render_spans(ev.passage.text, [Span(span[0], span[1], "mark", (("class", "evidence"),))])
    else:
        html = render_spans(ev.exact)
    return EvidenceInContext(evidence=ev, html=html, shown=bool(span))


def evidence_by_paper(*, claim: Claim, user) -> tuple[list[PaperEvidence], StanceTally]:
    """The claim's evidence grouped by the paper each quote comes from, and the stance tally.

    The claim's own paper comes first, then the others by year. Quotes from papers ``user``
    cannot see (a draft, for a reader) are left out; a quote whose revision is gone is kept,
    in a group without a paper, and counts in no tally."""
    visible = Paper.objects.visible_to(user)
    evidence = list(
        claim.evidence.select_related("passage", "revision__paper")
        .filter(Q(revision__isnull=True) | Q(revision__paper__in=visible))
        .order_by("revision__paper_id", "start", "pk")
    )
    by_id = {ev.revision.paper_id: ev.revision.paper for ev in evidence if ev.revision is not None}
    authorships = Authorship.objects.select_related("author").order_by("order")
    prefetch_related_objects(list(by_id.values()), Prefetch("authorships", queryset=authorships))
    groups: dict[int | None, PaperEvidence] = {}
    for ev in evidence:
        paper = by_id.get(ev.revision.paper_id) if ev.revision is not None else None
        key = paper.pk if paper is not None else None
        group = groups.get(key)
        if group is None:
            reference = _reference(paper) if paper is not None else ""
            group = groups[key] = PaperEvidence(paper, reference)
        group.items.append(_in_context(ev))
        if paper is not None:
            group.stances.add(ev.stance)
    ordered = sorted(
        groups.values(),
        key=lambda g: (
            g.paper is None,
            g.paper is not None and g.paper.pk != claim.paper_id,
            _year(g),
            _pk(g),
        ),
    )
    tally = StanceTally(
        supports=sum(Stance.SUPPORTS in g.stances for g in ordered),
        contradicts=sum(Stance.CONTRADICTS in g.stances for g in ordered),
        qualifies=sum(Stance.QUALIFIES in g.stances for g in ordered),
    )
    return ordered, tally


def _reference(paper: Paper) -> str:
    """The paper's GB/T 7714 reference; when its record lacks what the standard needs (no
    venue, say), authors, title and year all the same."""
    full = cite.gbt7714(cite.cited_work(paper))
    if full:
        return full
    names = "、".join(a.author.name for a in paper.authorships.all() if a.author.name)
    return ". ".join(str(part) for part in (names, paper.display_title, paper.year) if part) + "."


def _year(group: PaperEvidence) -> int:
    return (group.paper.year or 0) if group.paper is not None else 0


def _pk(group: PaperEvidence) -> int:
    return group.paper.pk if group.paper is not None else 0
