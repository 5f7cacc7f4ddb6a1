"""Claims with their evidence and relations, and cross-references between passages.

Claims: ``Claim.objects.visible_to`` on papers the caller may read (rejected claims only
for editors), as the claim pages. Cross-references: confirmed ones between two readable
papers for every reader, as the reader's margin; suggested and rejected ones only for
editors, as the review page.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from kb.api.auth import caller
from kb.api.common import ERRORS, ERRORS_404, ObjectId, PageParams, absolute, paginate, paper_ref, passage_ref
from kb.api.schemas import TEXT_PATTERN, ClaimDetail, ClaimPage, CrossRefPage
from kb.lib import roles
from kb.models import Claim, ClaimKind, ClaimStatus, Concept, CrossReference, CrossRefStatus, Relation
from papers.models import Paper

router = Router(tags=["claims"])
crossref_router = Router(tags=["cross-references"])

ID = {"ge": 1, "le": 2**31 - 1}


class ClaimFilters(Schema):
    paper: int | None = Field(None, description="Claims about this paper", **ID)
    concept: str | None = Field(None, pattern=TEXT_PATTERN, max_length=200, description="Concept slug")
    status: ClaimStatus | None = Field(None, description="Review status (rejected: editors only)")
    kind: ClaimKind | None = Field(None, description="Kind of claim")


class CrossRefFilters(Schema):
    paper: int | None = Field(None, description="Links from or to this paper", **ID)
    passage: int | None = Field(None, description="Links from or to this passage", **ID)
    relation: Relation | None = Field(None, description="Relation")
    status: CrossRefStatus | None = Field(
        None, description="confirmed (default); suggested and rejected: editors only"
    )


def _visible_claims(user):
    return Claim.objects.visible_to(user).filter(paper__in=Paper.objects.visible_to(user))


def _summary(request, claim: Claim) -> dict:
    return {
        "id": claim.pk,
        "statement": claim.statement,
        "kind": claim.kind,
        "status": claim.status,
        "paper": paper_ref(claim.paper),
        "concepts": [
            {"slug": c.slug, "label_zh": c.label_zh, "label_en": c.label_en} for c in claim.concepts.all()
        ],
        "creator": claim.creator.get_username(),
        "created_at": claim.created_at,
        "reviewed_at": claim.reviewed_at,
        "html_url": absolute(request, claim.get_absolute_url()),
    }


def _claims(user):
    concepts = Prefetch("concepts", queryset=Concept.objects.order_by("label_zh"))
    return _visible_claims(user).select_related("paper", "creator").prefetch_related(concepts)


@router.get(
    "",
    response={200: ClaimPage, **ERRORS},
    url_name="claim-list",
    summary=_("论断列表"),
    description=_("调用者可见的论断（已驳回的仅编辑可见），最新在前；可按论文、概念、状态和类型筛选。"),
)
def claim_list(request, filters: Query[ClaimFilters], paging: Query[PageParams]):
    claims = _claims(caller(request))
    if filters.paper:
        claims = claims.filter(paper_id=filters.paper)
    if filters.concept:
        claims = claims.filter(concepts__slug=filters.concept)
    if filters.status:
        claims = claims.filter(status=filters.status)
    if filters.kind:
        claims = claims.filter(kind=filters.kind)
    claims = claims.order_by("-created_at", "-pk")
    return paginate(request, claims, paging, lambda c: _summary(request, c))


def _relation(ref: CrossReference, other: Claim) -> dict:
    return {
        "id": ref.pk,
        "relation": ref.relation,
        "note": ref.note,
        "claim_id": other.pk,
        "statement": other.statement,
    }


@router.get(
    "/{claim_id}",
    response={200: ClaimDetail, **ERRORS_404},
    url_name="claim-detail",
    summary=_("论断详情"),
    description=_("论断及其证据（立场、引文、所在论文、段落、页码和章节）和与其他论断的关系。"),
)
def claim_detail(request, claim_id: ObjectId):
    user = caller(request)
    claim = _claims(user).filter(pk=claim_id).first()
    if claim is None:
        raise Http404("no such claim")
    data = _summary(request, claim)
    data["evidence"] = [
        {
            "id": ev.pk,
            "stance": ev.stance,
            "exact": ev.exact,
            "prefix": ev.prefix,
            "suffix": ev.suffix,
            "start": ev.start,
            "end": ev.end,
            "anchor_status": ev.anchor_status,
            "paper": paper_ref(ev.passage.paper) if ev.passage else None,
            "passage": passage_ref(ev.passage) if ev.passage else None,
            "section": ev.passage.section.heading if ev.passage and ev.passage.section else "",
        }
        for ev in claim.evidence.select_related("passage__paper", "passage__section").order_by("start", "pk")
    ]
    visible = _visible_claims(user)
    data["relations_out"] = [
        _relation(ref, ref.target_claim)
        for ref in CrossReference.objects.filter(source_claim=claim, target_claim__in=visible)
        .select_related("target_claim")
        .order_by("relation", "pk")
    ]
    data["relations_in"] = [
        _relation(ref, ref.source_claim)
        for ref in CrossReference.objects.filter(target_claim=claim, source_claim__in=visible)
        .select_related("source_claim")
        .order_by("relation", "pk")
    ]
    return data


def _end(passage) -> dict:
    return {"paper": paper_ref(passage.paper), "passage": passage_ref(passage), "text": passage.text}


def _crossref(ref: CrossReference) -> dict:
    return {
        "id": ref.pk,
        "relation": ref.relation,
        "status": ref.status,
        "note": ref.note,
        "score": ref.score,
        "reason": ref.reason if isinstance(ref.reason, dict) else {},
        "source": _end(ref.source_passage),
        "target": _end(ref.target_passage),
        "created_at": ref.created_at,
        "updated_at": ref.updated_at,
    }


@crossref_router.get(
    "",
    response={200: CrossRefPage, **ERRORS},
    url_name="crossref-list",
    summary=_("交叉引用"),
    description=_("两篇论文段落之间的交叉引用。所有读者可见已确认的；系统建议和已否决的仅编辑可见。"),
)
def crossref_list(request, filters: Query[CrossRefFilters], paging: Query[PageParams]):
    user = caller(request)
    status = filters.status or CrossRefStatus.CONFIRMED
    if status != CrossRefStatus.CONFIRMED and not roles.is_editor(user):
        refs = CrossReference.objects.none()
    else:
        visible = Paper.objects.visible_to(user)
        refs = CrossReference.objects.filter(
            status=status,
            source_passage__isnull=False,
            source_passage__paper__in=visible,
            target_passage__paper__in=visible,
        )
    if filters.paper:
        refs = refs.filter(
            Q(source_passage__paper_id=filters.paper) | Q(target_passage__paper_id=filters.paper)
        )
    if filters.passage:
        refs = refs.filter(Q(source_passage_id=filters.passage) | Q(target_passage_id=filters.passage))
    if filters.relation:
        refs = refs.filter(relation=filters.relation)
    refs = refs.select_related("source_passage__paper", "target_passage__paper").order_by(
        "-updated_at", "-pk"
    )
    return paginate(request, refs, paging, _crossref)
