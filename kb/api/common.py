"""What the API's routers share: limit/offset paging, the documented error answers, small references.

Paging is bounded (``MAX_LIMIT`` items a page, ``MAX_OFFSET``); a page costs one COUNT and
one SELECT (plus the prefetches its router asks for), whatever the data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Path, Schema

from kb.api.schemas import BadInput, Error, ValidationErrors

# A path's object id: validated by the API (422 in JSON), not by Django's URL converter
# (whose refusal would be an HTML 404 page).
ObjectId = Annotated[int, Path(..., ge=1, le=2**31 - 1, description="The object's id")]

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 100_000

# The answers every operation may give besides 200 (documented, so clients and checks know them).
ERRORS: dict[int, Any] = {400: BadInput, 401: Error, 403: Error, 422: ValidationErrors}
ERRORS_404: dict[int, Any] = {**ERRORS, 404: Error}


class PageParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Items per page (at most {MAX_LIMIT})")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip")


def page_url(request: HttpRequest, offset: int | None) -> str | None:
    if offset is None:
        return None
    query = request.GET.copy()
    query["offset"] = str(offset)
    return request.build_absolute_uri(request.path + "?" + query.urlencode())


def neighbours(*, count: int, limit: int, offset: int) -> tuple[int | None, int | None]:
    """The offsets of the next and previous pages, or None."""
    following = offset + limit if offset + limit < count and offset + limit <= MAX_OFFSET else None
    previous = max(0, offset - limit) if offset > 0 else None
    return following, previous


def paginate(
    request: HttpRequest, rows: QuerySet, paging: PageParams, present: Callable[[Any], dict]
) -> dict:
    """One page of ``rows`` (already filtered and ordered), each item made by ``present``."""
    count = rows.count()
    items: Iterable = rows[paging.offset : paging.offset + paging.limit] if paging.offset < count else []
    following, previous = neighbours(count=count, limit=paging.limit, offset=paging.offset)
    return {
        "count": count,
        "limit": paging.limit,
        "offset": paging.offset,
        "next": page_url(request, following),
        "previous": page_url(request, previous),
        "items": [present(row) for row in items],
    }


def absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def paper_ref(paper) -> dict:
    return {"id": paper.pk, "title": str(paper.display_title), "year": paper.year}


def passage_ref(passage) -> dict:
    return {"id": passage.pk, "order": passage.order, "page": passage.page, "page_label": passage.page_label}
