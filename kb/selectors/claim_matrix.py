"""Claims per paper × concept: the comparison matrix's claims mode and the claim list it links to.

A claim counts for a paper when it was made on that paper or quotes evidence from one of its
passages (a claim such as "数字技术赋能共同富裕" gathers evidence from several papers), and for
every concept it is tagged with. Rejected claims count only for editors, like everywhere
else (``Claim.objects.visible_to``). The counts come from one query (a UNION of the two ways
a claim meets a paper, distinct triples, counted here), so the page's query count does not
grow with the data. The matrix asks for one page of cells at a time: its papers and its
columns (``claim_concepts``, ``papers_with_claims``), so the cells it reads are bounded too.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404

from kb.models import Claim, Concept
from papers.models import Paper
from papers.selectors import paper_visible

MAX_LISTED = 500


def _visible_claims(user):
    return Claim.objects.visible_to(user).filter(paper__in=Paper.objects.visible_to(user))


def claim_counts(
    *, user, group: str = "", paper_ids: list[int] | None = None, concept_ids: list[int] | None = None
) -> dict[tuple[int, int], int]:
    """(paper id, concept id) -> number of distinct visible claims, in one query; ``paper_ids``
    and ``concept_ids`` narrow it to the cells of one page of the matrix."""
    # One filter() call, so that the conditions and the values below share one join of the concepts.
    tagged = {"concepts__isnull": False, "concepts__merged_into": None}
    if group:
        tagged["concepts__group"] = group
    if concept_ids is not None:
        tagged["concepts__in"] = concept_ids
    claims = _visible_claims(user).filter(**tagged)
    own = claims if paper_ids is None else claims.filter(paper_id__in=paper_ids)
    own = own.order_by().values_list("paper_id", "concepts", "pk")
    quoting = Paper.objects.visible_to(user)
    if paper_ids is not None:
        quoting = quoting.filter(pk__in=paper_ids)
    quoted = (
        claims.filter(evidence__passage__paper__in=quoting)
        .order_by()
        .values_list("evidence__passage__paper_id", "concepts", "pk")
    )
    # UNION (not UNION ALL) drops the duplicates: a claim quoting its own paper counts once.
    return dict(Counter((paper_id, concept_id) for paper_id, concept_id, _ in own.union(quoted)))


def claim_concepts(*, user, group: str = "", limit: int) -> list[Concept]:
    """The ``limit`` concepts most visible claims are tagged with (the claims mode's columns)."""
    concepts = Concept.objects.filter(merged_into=None, claims__in=_visible_claims(user))
    if group:
        concepts = concepts.filter(group=group)
    return list(
        concepts.annotate(matrix_total=Count("claims", distinct=True)).order_by(
            "-matrix_total", "label_zh", "pk"
        )[:limit]
    )


def papers_with_claims(*, user, concept_ids: list[int]):
    """Visible papers a visible claim about one of ``concept_ids`` was made on or quotes."""
    claims = _visible_claims(user).filter(concepts__in=concept_ids)
    return Paper.objects.visible_to(user).filter(
        Exists(claims.filter(paper_id=OuterRef("pk")))
        | Exists(claims.filter(evidence__passage__paper_id=OuterRef("pk")))
    )


def claims_touching(claims, *, paper_id: int):
    """The claims made on the paper or quoting one of its passages."""
    return claims.filter(Q(paper_id=paper_id) | Q(evidence__passage__paper_id=paper_id)).distinct()


def claim_list_filtered(
    *, user, status: str = "", concept_slug: str = "", paper_id: int | None = None
) -> dict:
    """The claim list, optionally narrowed to a concept and a paper (the matrix's cells link here).

    An unknown concept or a paper the user may not read is a 404, like their own pages.
    """
    claims = _visible_claims(user).select_related("paper", "creator").prefetch_related("concepts")
    concept = paper = None
    if status:
        claims = claims.filter(status=status)
    if concept_slug:
        concept = Concept.objects.filter(slug=concept_slug).first()
        if concept is None:
            raise Http404("no such concept")
        claims = claims.filter(concepts=concept)
    if paper_id is not None:
        if not 0 < paper_id < 2**63:  # beyond the database's integers: no such paper
            raise Http404("no such paper")
        paper = paper_visible(paper_id=paper_id, user=user)
        claims = claims_touching(claims, paper_id=paper.pk)
    kept = {"paper": paper.pk if paper else None, "concept": concept.slug if concept else None}
    return {
        "claims": claims.order_by("-created_at", "pk")[:MAX_LISTED],
        "filter_concept": concept,
        "filter_paper": paper,
        # The narrowing, kept by the status links: "paper=3&concept=…" (or "").
        "filter_query": urlencode({k: v for k, v in kept.items() if v is not None}),
    }
