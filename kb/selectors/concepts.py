"""Concept list and concept page reads (each in a fixed number of queries)."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.html import format_html

from kb.lib.skos import SkosConcept
from kb.lib.spans import Span, render_spans
from kb.models import Claim, Concept, CrossReference, CrossRefStatus, Mention, MentionStatus
from kb.models.concepts import CandidateStatus, ConceptCandidate
from papers.models import Paper
from papers.selectors import paper_visible

SNIPPET_CHARS = 48
MAX_MENTIONS = 400
COOCCURRENCE_LIMIT = 15


def active_mentions(*, user):
    """Active mentions in current passages of papers the user may read, of unmerged concepts."""
    return Mention.objects.filter(
        status=MentionStatus.ACTIVE,
        passage__revision__is_current=True,
        passage__paper__in=Paper.objects.visible_to(user),
        concept__merged_into=None,
    )


def concept_groups() -> list[str]:
    """The thematic groups in use, for the filters."""
    return list(
        Concept.objects.filter(merged_into=None)
        .exclude(group="")
        .order_by("group")
        .values_list("group", flat=True)
        .distinct()
    )


def thesaurus_skos() -> list[SkosConcept]:
    """Every unmerged concept with its links, for the SKOS export (three queries)."""
    live = Concept.objects.filter(merged_into=None)
    concepts = live.order_by("slug").prefetch_related(
        Prefetch("broader", queryset=live.only("slug")), Prefetch("related", queryset=live.only("slug"))
    )
    return [
        SkosConcept(
            slug=c.slug,
            label_zh=c.label_zh,
            label_en=c.label_en,
            aliases=[a for a in c.aliases or [] if isinstance(a, str)],
            definition=c.definition,
            broader=[b.slug for b in c.broader.all()],
            related=[r.slug for r in c.related.all()],
        )
        for c in concepts
    ]


def concept_list(*, user, group: str = ""):
    """Unmerged concepts with the number of their mentions the user can read, most mentioned first."""
    active = Q(
        mentions__status=MentionStatus.ACTIVE,
        mentions__passage__revision__is_current=True,
        mentions__passage__paper__in=Paper.objects.visible_to(user),
    )
    concepts = Concept.objects.filter(merged_into=None).prefetch_related(
        Prefetch("broader", queryset=Concept.objects.order_by("label_zh"))
    )
    if group:
        concepts = concepts.filter(group=group)
    return concepts.annotate(mention_count=Count("mentions", filter=active)).order_by(
        "-mention_count", "label_zh"
    )


def snippet(text: str, start: int, end: int, width: int = SNIPPET_CHARS):
    """The mention with ``width`` characters either side, escaped, the mention wrapped in <mark>."""
    left = max(0, start - width)
    right = min(len(text), end + width)
    html = render_spans(text[left:right], [Span(start - left, end - left, "mark")])
    return format_html("{}{}{}", "…" if left else "", html, "…" if right < len(text) else "")


@dataclass
class Association:
    concept: Concept
    together: int  # passages with both concepts
    npmi: float  # normalised pointwise mutual information, -1..1
    jaccard: float


@dataclass
class ConceptPage:
    concept: Concept
    narrower: list[Concept]
    related: list[Concept]
    merged_from: list[Concept]
    mention_groups: list[dict]
    mention_total: int
    associations: list[Association]
    years: list[dict]
    crossrefs: list[CrossReference]
    claims: list
    paper_filter: Paper | None = None
    extra: dict = field(default_factory=dict)


def associations(*, concept: Concept, user, limit: int = COOCCURRENCE_LIMIT) -> list[Association]:
    """Concepts that share passages with ``concept``, ranked by NPMI (two queries)."""
    mentions = active_mentions(user=user)
    pairs = set(mentions.values_list("passage_id", "concept_id").distinct())
    passages_of: dict[int, set[int]] = defaultdict(set)
    for passage_id, concept_id in pairs:
        passages_of[concept_id].add(passage_id)
    mine = passages_of.get(concept.pk, set())
    total = len({p for p, _ in pairs})
    if not mine or total == 0:
        return []
    rows = []
    for other_id, theirs in passages_of.items():
        both = len(mine & theirs)
        if other_id == concept.pk or both < 2:
            continue
        p_xy = both / total
        pmi = math.log(p_xy / ((len(mine) / total) * (len(theirs) / total)))
        denominator = -math.log(p_xy)
        npmi = pmi / denominator if denominator > 0 else 1.0
        rows.append((other_id, both, npmi, both / len(mine | theirs)))
    rows.sort(key=lambda r: (-r[2], -r[1]))
    rows = rows[:limit]
    by_id = Concept.objects.in_bulk([r[0] for r in rows])
    return [
        Association(concept=by_id[r[0]], together=r[1], npmi=round(r[2], 3), jaccard=round(r[3], 3))
        for r in rows
        if r[0] in by_id
    ]


def concept_detail(*, slug: str, user, paper_id: int | None = None) -> ConceptPage:
    """Everything the concept page shows, in a fixed number of queries (``paper_id`` narrows the mentions)."""
    concept = (
        Concept.objects.select_related("merged_into", "definition_source__paper")
        .prefetch_related(
            Prefetch("broader", queryset=Concept.objects.filter(merged_into=None).order_by("label_zh"))
        )
        .filter(slug=slug)
        .first()
    )
    if concept is None:
        raise Http404("no such concept")
    if concept.merged_into_id:
        return ConceptPage(concept, [], [], [], [], 0, [], [], [], [])
    mentions = active_mentions(user=user).filter(concept=concept)
    paper_filter = None
    if paper_id is not None:
        paper_filter = paper_visible(paper_id=paper_id, user=user)
        mentions = mentions.filter(passage__paper=paper_filter)
    listed = list(
        mentions.select_related("passage__paper").order_by(
            "-passage__paper__year", "passage__paper_id", "passage__order", "start"
        )[:MAX_MENTIONS]
    )
    by_paper: dict[int, dict] = {}
    for m in listed:
        group = by_paper.setdefault(m.passage.paper_id, {"paper": m.passage.paper, "mentions": []})
        group["mentions"].append({"mention": m, "snippet": snippet(m.passage.text, m.start, m.end)})
    per_paper = dict(
        mentions.values("passage__paper_id").annotate(n=Count("pk")).values_list("passage__paper_id", "n")
    )
    for paper_id_, group in by_paper.items():
        group["count"] = per_paper.get(paper_id_, len(group["mentions"]))
    years = Counter()
    papers_by_year: dict[int | None, set[int]] = defaultdict(set)
    for row in mentions.values("passage__paper__year", "passage__paper_id").annotate(n=Count("pk")):
        years[row["passage__paper__year"]] += row["n"]
        papers_by_year[row["passage__paper__year"]].add(row["passage__paper_id"])
    year_rows = [
        {"year": y, "mentions": years[y], "papers": len(papers_by_year[y])}
        for y in sorted(years, key=lambda y: (y is None, y or 0))
    ]
    top = max(years.values(), default=1)
    for row in year_rows:
        row["width"] = round(100 * row["mentions"] / top)
    passage_ids = mentions.values("passage_id")
    crossrefs = list(
        CrossReference.objects.filter(status=CrossRefStatus.CONFIRMED)
        .filter(Q(source_passage_id__in=passage_ids) | Q(target_passage_id__in=passage_ids))
        .filter(
            source_passage__paper__in=Paper.objects.visible_to(user),
            target_passage__paper__in=Paper.objects.visible_to(user),
        )
        .select_related("source_passage__paper", "target_passage__paper")
        .order_by("-updated_at")[:50]
    )
    # The same visibility as the claim pages: no rejected claim for readers, no claim on a draft.
    claims = list(
        Claim.objects.visible_to(user)
        .filter(concepts=concept, paper__in=Paper.objects.visible_to(user))
        .select_related("paper")
        .order_by("-created_at")[:20]
    )
    return ConceptPage(
        concept=concept,
        narrower=list(concept.narrower.filter(merged_into=None).order_by("label_zh")),
        related=list(concept.related.filter(merged_into=None).order_by("label_zh")),
        merged_from=list(concept.merged_from.order_by("label_zh")),
        mention_groups=list(by_paper.values()),
        mention_total=sum(years.values()),
        associations=associations(concept=concept, user=user),
        years=year_rows,
        crossrefs=crossrefs,
        claims=claims,
        paper_filter=paper_filter,
    )


def concept_for_edit(*, slug: str) -> Concept:
    """An unmerged concept, for the editors' forms (a merged one is 404: it redirects elsewhere)."""
    concept = Concept.objects.filter(slug=slug, merged_into=None).first()
    if concept is None:
        raise Http404("no such concept")
    return concept


def candidate_list():
    """The open candidates, best first (the page shows at most 100)."""
    return list(ConceptCandidate.objects.filter(status=CandidateStatus.OPEN).order_by("-score", "term")[:100])


def candidate_get_open(*, pk: int) -> ConceptCandidate:
    return get_object_or_404(ConceptCandidate, pk=pk, status=CandidateStatus.OPEN)


def mention_get(*, pk: int) -> Mention:
    return get_object_or_404(Mention.objects.select_related("passage", "concept"), pk=pk)
