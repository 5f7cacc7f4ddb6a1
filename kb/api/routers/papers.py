"""Papers, their passages and their concept mentions.

The same reads as the pages: ``Paper.objects.visible_to`` (admins also see drafts and
archived papers), ``paper_visible`` for one paper (404, never 403, for a paper the caller
may not see), current passages only, active mentions of unmerged concepts.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from kb.api.auth import caller
from kb.api.common import ERRORS, ERRORS_404, ObjectId, PageParams, absolute, paginate, paper_ref, passage_ref
from kb.api.schemas import TEXT_PATTERN, MentionPage, PaperDetail, PaperPage, PassagePage
from kb.selectors.concepts import active_mentions
from papers.models import Authorship, DocType, Paper, Passage, PassageKind
from papers.selectors import paper_visible

router = Router(tags=["papers"])

MAX_QUERY = 200


class PaperFilters(Schema):
    year: int | None = Field(None, ge=0, le=9999, description="Publication year")
    year_min: int | None = Field(None, ge=0, le=9999, description="Published in or after this year")
    year_max: int | None = Field(None, ge=0, le=9999, description="Published in or before this year")
    venue: str | None = Field(
        None, pattern=TEXT_PATTERN, max_length=300, description="Journal or venue name (exact, any case)"
    )
    doc_type: DocType | None = Field(None, description="Document type")
    author: int | None = Field(None, ge=1, le=2**31 - 1, description="Author id")
    q: str | None = Field(
        None,
        pattern=TEXT_PATTERN,
        max_length=MAX_QUERY,
        description="Words in the title (any part, any case)",
    )


class PassageFilters(Schema):
    kind: PassageKind | None = Field(None, description="Passage kind")
    section: int | None = Field(None, ge=1, le=2**31 - 1, description="Section id")
    page: int | None = Field(None, ge=1, le=100_000, description="PDF page")


def _authorships():
    return Prefetch("authorships", queryset=Authorship.objects.select_related("author").order_by("order"))


def _summary(request, paper: Paper) -> dict:
    return {
        "id": paper.pk,
        "title": paper.title,
        "title_en": paper.title_en,
        "year": paper.year,
        "venue": paper.venue,
        "doc_type": paper.doc_type,
        "doi": paper.doi,
        "authors": [a.author.name or a.author.name_en for a in paper.authorships.all()],
        "html_url": absolute(request, paper.get_absolute_url()),
    }


@router.get(
    "",
    response={200: PaperPage, **ERRORS},
    url_name="paper-list",
    summary=_("论文列表"),
    description=_("调用者可见的论文，可按年份、刊物、文献类型、作者和标题筛选，按年份倒序。"),
)
def paper_list(request, filters: Query[PaperFilters], paging: Query[PageParams]):
    papers = Paper.objects.visible_to(caller(request))
    if filters.year is not None:
        papers = papers.filter(year=filters.year)
    if filters.year_min is not None:
        papers = papers.filter(year__gte=filters.year_min)
    if filters.year_max is not None:
        papers = papers.filter(year__lte=filters.year_max)
    if filters.venue:
        papers = papers.filter(venue__iexact=filters.venue.strip())
    if filters.doc_type:
        papers = papers.filter(doc_type=filters.doc_type)
    if filters.author:
        papers = papers.filter(authorships__author_id=filters.author)
    if filters.q and filters.q.strip():
        words = filters.q.split()[:10]
        for word in words:
            papers = papers.filter(
                Q(title__icontains=word) | Q(title_en__icontains=word) | Q(subtitle__icontains=word)
            )
    papers = papers.order_by("-year", "title", "pk").prefetch_related(_authorships())
    return paginate(request, papers, paging, lambda p: _summary(request, p))


@router.get(
    "/{paper_id}",
    response={200: PaperDetail, **ERRORS_404},
    url_name="paper-detail",
    summary=_("论文详情"),
    description=_("一篇论文的全部著录信息、作者（含单位）和当前文本的段落数。"),
)
def paper_detail(request, paper_id: ObjectId):
    paper = paper_visible(paper_id=paper_id, user=caller(request), authors=True)
    data = _summary(request, paper)
    data.update(
        {
            field: getattr(paper, field)
            for field in (
                "subtitle",
                "abstract",
                "abstract_en",
                "volume",
                "issue",
                "pages",
                "language",
                "issn",
                "url",
                "published",
                "publisher",
                "place",
                "online_only",
                "institution",
                "degree",
                "advisor",
                "status",
                "created_at",
                "updated_at",
            )
        }
    )
    data["keywords"] = [str(k) for k in paper.keywords or []]
    data["keywords_en"] = [str(k) for k in paper.keywords_en or []]
    data["authorships"] = [
        {
            "order": a.order,
            "affiliation": a.affiliation,
            "author": {
                "id": a.author.pk,
                "name": a.author.name,
                "name_en": a.author.name_en,
                "orcid": a.author.orcid,
            },
        }
        for a in paper.authorships.all()
    ]
    data["passage_count"] = Passage.objects.current().filter(paper=paper).count()
    return data


def _passage(request, passage: Passage) -> dict:
    section = passage.section
    return {
        "id": passage.pk,
        "order": passage.order,
        "kind": passage.kind,
        "section": None
        if section is None
        else {"id": section.pk, "number": section.number, "heading": section.heading, "level": section.level},
        "page": passage.page,
        "page_label": passage.page_label,
        "text": passage.text,
        "start": passage.start,
        "end": passage.end,
        "ocr_conf": passage.ocr_conf,
        "html_url": absolute(request, passage.get_absolute_url()),
    }


@router.get(
    "/{paper_id}/passages",
    response={200: PassagePage, **ERRORS_404},
    url_name="paper-passages",
    summary=_("论文段落"),
    description=_("论文当前文本的段落（按阅读顺序），含页码、印刷页码和所在章节。"),
)
def paper_passages(request, paper_id: ObjectId, filters: Query[PassageFilters], paging: Query[PageParams]):
    paper = paper_visible(paper_id=paper_id, user=caller(request))
    passages = Passage.objects.current().filter(paper=paper).select_related("section")
    if filters.kind:
        passages = passages.filter(kind=filters.kind)
    if filters.section:
        passages = passages.filter(section_id=filters.section)
    if filters.page:
        passages = passages.filter(page=filters.page)
    return paginate(request, passages.order_by("order"), paging, lambda p: _passage(request, p))


def present_mention(mention) -> dict:
    concept, passage = mention.concept, mention.passage
    return {
        "id": mention.pk,
        "concept": {"slug": concept.slug, "label_zh": concept.label_zh, "label_en": concept.label_en},
        "paper": paper_ref(passage.paper),
        "passage": passage_ref(passage),
        "start": mention.start,
        "end": mention.end,
        "surface": mention.surface,
        "origin": mention.origin,
        "status": mention.status,
    }


@router.get(
    "/{paper_id}/mentions",
    response={200: MentionPage, **ERRORS_404},
    url_name="paper-mentions",
    summary=_("论文中的概念提及"),
    description=_("论文当前文本中有效的概念提及，按段落顺序。"),
)
def paper_mentions(request, paper_id: ObjectId, paging: Query[PageParams]):
    user = caller(request)
    paper = paper_visible(paper_id=paper_id, user=user)
    mentions = (
        active_mentions(user=user)
        .filter(passage__paper=paper)
        .select_related("concept", "passage__paper")
        .order_by("passage__order", "start", "pk")
    )
    return paginate(request, mentions, paging, present_mention)
