"""Concept list and concept page reads (each in a fixed number of queries).

Counts come from the page aggregates (``kb.models.aggregates``: published papers' current
passages), so a page costs what it shows, not what the library holds: the concept page lists
its papers ``PAPERS_PER_PAGE`` at a time, with at most ``MENTIONS_PER_PAPER`` snippets each.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Prefetch, Q, Window
from django.db.models.functions import Coalesce, RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.html import format_html

from kb.lib.skos import SkosConcept
from kb.lib.spans import Span, render_spans
from kb.models import Claim, Concept, CrossReference, CrossRefStatus, Mention, MentionStatus
from kb.models.aggregates import ConceptPair, ConceptStat, ConceptYear, LibraryStat, PaperConceptCount
from kb.models.concepts import CandidateStatus, ConceptCandidate
from papers.models import Paper
from papers.selectors import paper_visible

SNIPPET_CHARS = 48
PAPERS_PER_PAGE = 20
MENTIONS_PER_PAPER = 3
MAX_MENTIONS = PAPERS_PER_PAGE * MENTIONS_PER_PAPER
COOCCURRENCE_LIMIT = 15
CROSSREFS_SHOWN = 20
CLAIMS_SHOWN = 20


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
    """Unmerged concepts with their mentions in published papers (stored counts), most mentioned first."""
    concepts = Concept.objects.filter(merged_into=None).prefetch_related(
        Prefetch("broader", queryset=Concept.objects.order_by("label_zh"))
    )
    if group:
        concepts = concepts.filter(group=group)
    return concepts.annotate(mention_count=Coalesce("stat__mentions", 0)).order_by(
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


def associations(*, concept: Concept, user=None, limit: int = COOCCURRENCE_LIMIT) -> list[Association]:
    """Concepts that share passages with ``concept``, ranked by NPMI (stored counts; three queries).

    Passage-level: the probability of a concept is the share of mentioning passages that
    mention it; pairs sharing fewer than two passages are left out.
    """
    total = LibraryStat.objects.filter(key="mentioned_passages").values_list("value", flat=True).first() or 0
    pairs = {
        (b if a == concept.pk else a): n
        for a, b, n in ConceptPair.objects.filter(Q(a=concept) | Q(b=concept), passages__gte=2).values_list(
            "a_id", "b_id", "passages"
        )
    }
    counts = dict(
        ConceptStat.objects.filter(concept_id__in=[concept.pk, *pairs]).values_list("concept_id", "passages")
    )
    mine = counts.get(concept.pk, 0)
    if not mine or total <= 0:
        return []
    rows = []
    for other_id, both in pairs.items():
        theirs = counts.get(other_id, 0)
        if not theirs:
            continue
        p_xy = both / total
        pmi = math.log(p_xy / ((mine / total) * (theirs / total)))
        denominator = -math.log(p_xy)
        npmi = pmi / denominator if denominator > 0 else 1.0
        rows.append((other_id, both, npmi, both / (mine + theirs - both)))
    rows.sort(key=lambda r: (-r[2], -r[1], r[0]))
    rows = rows[:limit]
    by_id = Concept.objects.filter(merged_into=None).in_bulk([r[0] for r in rows])
    return [
        Association(concept=by_id[r[0]], together=r[1], npmi=round(r[2], 3), jaccard=round(r[3], 3))
        for r in rows
        if r[0] in by_id
    ]


def _year_rows(concept: Concept) -> tuple[list[dict], int]:
    rows = list(
        ConceptYear.objects.filter(concept=concept, papers__gt=0).values_list("year", "mentions", "papers")
    )
    year_rows = [
        {"year": year or None, "mentions": mentions, "papers": papers}
        for year, mentions, papers in sorted(rows, key=lambda r: (r[0] == 0, r[0]))
    ]
    top = max((r["mentions"] for r in year_rows), default=1) or 1
    for row in year_rows:
        row["width"] = round(100 * row["mentions"] / top)
    return year_rows, sum(r["mentions"] for r in year_rows)


def _mention_groups(
    *, concept: Concept, user, paper_filter: Paper | None, page: int
) -> tuple[list[dict], int]:
    """One page of the papers mentioning ``concept`` (newest first), with a few snippets each."""
    counts = PaperConceptCount.objects.filter(concept=concept, paper__in=Paper.objects.visible_to(user))
    if paper_filter is not None:
        counts = counts.filter(paper=paper_filter)
        papers_total = counts.count()
    else:
        # The stored count: the aggregates hold published papers only, which every reader sees.
        papers_total = (
            ConceptStat.objects.filter(concept=concept).values_list("papers", flat=True).first() or 0
        )
    pages = max(1, math.ceil(papers_total / PAPERS_PER_PAGE))
    page = min(max(page, 1), pages)
    shown = list(
        counts.order_by("-paper__year", "paper_id").values_list("paper_id", "mentions")[
            (page - 1) * PAPERS_PER_PAGE : page * PAPERS_PER_PAGE
        ]
    )
    ids = [paper_id for paper_id, _n in shown]
    per_paper = MENTIONS_PER_PAPER if paper_filter is None else MAX_MENTIONS
    # At most ``per_paper`` snippets of each paper: numbered within the paper, cut in the database.
    listed = list(
        active_mentions(user=user)
        .filter(concept=concept, passage__paper_id__in=ids)
        .annotate(
            nth=Window(
                RowNumber(), partition_by=F("passage__paper_id"), order_by=[F("passage__order"), F("start")]
            )
        )
        .filter(nth__lte=per_paper)
        .select_related("passage__paper")
        .order_by("passage__paper_id", "passage__order", "start")
    )
    by_paper: dict[int, dict] = {}
    for m in listed:
        group = by_paper.setdefault(m.passage.paper_id, {"paper": m.passage.paper, "mentions": []})
        group["mentions"].append({"mention": m, "snippet": snippet(m.passage.text, m.start, m.end)})
    groups = []
    for paper_id, n in shown:
        if paper_id in by_paper:
            group = by_paper[paper_id]
            group["count"] = n
            group["more"] = n > len(group["mentions"])
            groups.append(group)
    return groups, pages


def concept_detail(*, slug: str, user, paper_id: int | None = None, page: int = 1) -> ConceptPage:
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
    paper_filter = paper_visible(paper_id=paper_id, user=user) if paper_id is not None else None
    groups, pages = _mention_groups(concept=concept, user=user, paper_filter=paper_filter, page=page)
    year_rows, total = _year_rows(concept)
    if paper_filter is not None:
        total = sum(g["count"] for g in groups)
    visible = Paper.objects.visible_to(user)
    mentioning = Mention.objects.filter(concept=concept, status=MentionStatus.ACTIVE)
    # The newest confirmed cross-references, each checked for a mention: bounded by what is shown.
    crossrefs = list(
        CrossReference.objects.filter(status=CrossRefStatus.CONFIRMED, source_passage__isnull=False)
        .filter(
            Exists(mentioning.filter(passage_id=OuterRef("source_passage_id")))
            | Exists(mentioning.filter(passage_id=OuterRef("target_passage_id")))
        )
        .filter(source_passage__paper__in=visible, target_passage__paper__in=visible)
        .select_related("source_passage__paper", "target_passage__paper")
        .order_by("-updated_at")[:CROSSREFS_SHOWN]
    )
    # The same visibility as the claim pages: no rejected claim for readers, no claim on a draft.
    claims = list(
        Claim.objects.visible_to(user)
        .filter(concepts=concept, paper__in=visible)
        .select_related("paper")
        .order_by("-created_at")[:CLAIMS_SHOWN]
    )
    return ConceptPage(
        concept=concept,
        narrower=list(concept.narrower.filter(merged_into=None).order_by("label_zh")),
        related=list(concept.related.filter(merged_into=None).order_by("label_zh")),
        merged_from=list(concept.merged_from.order_by("label_zh")),
        mention_groups=groups,
        mention_total=total,
        associations=associations(concept=concept),
        years=year_rows,
        crossrefs=crossrefs,
        claims=claims,
        paper_filter=paper_filter,
        extra={"page": min(max(page, 1), pages), "pages": pages},
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
