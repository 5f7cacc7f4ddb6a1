"""Annotations as W3C Web Annotation JSON-LD (``kb.services.w3c``), pages as ``AnnotationPage``.

Visibility is ``Annotation.objects.visible_to`` on readable papers, through the same
selectors as the pages and the export (``kb.selectors.annotations``): public notes for
every reader, editors' notes for editors, group notes for the group's members, private
notes for their author. One the caller may not see is 404.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from kb.api.auth import caller
from kb.api.common import ERRORS, ERRORS_404, ObjectId, PageParams, neighbours, page_url
from kb.api.schemas import TEXT_PATTERN, W3CAnnotation, W3CAnnotationPage
from kb.models import Motivation
from kb.selectors import annotations as selectors
from kb.services.w3c import CONTEXT, annotation_to_w3c

router = Router(tags=["annotations"])


class AnnotationFilters(Schema):
    paper: int | None = Field(None, ge=1, le=2**31 - 1, description="Annotations on this paper")
    creator: str | None = Field(
        None, pattern=TEXT_PATTERN, max_length=150, description="Username of the author"
    )
    tag: str | None = Field(None, pattern=TEXT_PATTERN, max_length=200, description="Tag")
    motivation: Motivation | None = Field(None, description="W3C motivation")


def _base(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@router.get(
    "",
    response={200: W3CAnnotationPage, **ERRORS},
    by_alias=True,
    exclude_none=True,
    url_name="annotation-list",
    summary=_("批注列表（W3C JSON-LD）"),
    description=_("调用者可见的批注（含回复），以 W3C AnnotationPage 分页返回，最早的在前。"),
)
def annotation_list(request, filters: Query[AnnotationFilters], paging: Query[PageParams]):
    # Filters narrow what the caller may see: an unknown paper or user is an empty page.
    rows = selectors.annotation_list(user=caller(request))
    if filters.paper:
        rows = rows.filter(paper_id=filters.paper)
    if filters.creator:
        rows = rows.filter(creator__username=filters.creator)
    if filters.tag:
        rows = rows.filter(tags__name=filters.tag)
    if filters.motivation:
        rows = rows.filter(motivation=filters.motivation)
    count = rows.count()
    items = list(rows[paging.offset : paging.offset + paging.limit]) if paging.offset < count else []
    base = _base(request)
    following, previous = neighbours(count=count, limit=paging.limit, offset=paging.offset)
    collection = request.build_absolute_uri(request.path)
    page = {
        "@context": CONTEXT,
        "id": page_url(request, paging.offset),
        "type": "AnnotationPage",
        "partOf": {"id": collection, "total": count},
        "startIndex": paging.offset,
        "items": [annotation_to_w3c(a, base=base) for a in items],
    }
    if following is not None:
        page["next"] = page_url(request, following)
    if previous is not None:
        page["prev"] = page_url(request, previous)
    return page


@router.get(
    "/{annotation_id}",
    response={200: W3CAnnotation, **ERRORS_404},
    by_alias=True,
    exclude_none=True,
    url_name="annotation-detail",
    summary=_("批注详情（W3C JSON-LD）"),
    description=_(
        "一条批注，W3C Web Annotation 格式：正文、标签、关联概念、TextQuote 与 TextPosition 选择器。"
    ),
)
def annotation_detail(request, annotation_id: ObjectId):
    annotation = selectors.annotation_get(pk=annotation_id, user=caller(request))
    return annotation_to_w3c(annotation, base=_base(request))
