"""Search over passages, papers, claims, annotations and concepts (``kb.search.selectors.search_query``).

The same query language, ranking and visibility as the search page. Results come in
pages of ``limit`` hits (at most 50, and at most ``MAX_PAGE`` pages deep), as the page.
"""

from __future__ import annotations

from typing import Literal

from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from kb.api.auth import caller
from kb.api.common import ERRORS, absolute
from kb.api.schemas import TEXT_PATTERN, SearchOut
from kb.search.hits import hit_json
from kb.search.selectors import MAX_PAGE, search_query

router = Router(tags=["search"])

MAX_PER_PAGE = 50
SearchType = Literal["passage", "paper", "claim", "annotation", "concept", "citation"]


class SearchParams(Schema):
    q: str = Field(
        ...,
        min_length=1,
        pattern=TEXT_PATTERN,
        max_length=2000,
        description='Query (words, "phrases", field:value)',
    )
    type: SearchType | None = Field(None, description="Only hits of this type")
    year: int | None = Field(None, ge=0, le=9999, description="Only hits in papers of this year")
    paper: int | None = Field(None, ge=1, le=2**31 - 1, description="Only hits in this paper")
    page: int = Field(1, ge=1, le=MAX_PAGE, description=f"Page (at most {MAX_PAGE})")
    limit: int = Field(20, ge=1, le=MAX_PER_PAGE, description=f"Hits per page (at most {MAX_PER_PAGE})")


@router.get(
    "",
    response={200: SearchOut, **ERRORS},
    url_name="search",
    summary=_("搜索"),
    description=_(
        "在段落、论文、论断、批注和概念中检索（中文分词、同义词、繁简与全半角折叠），按相关度排序。"
    ),
)
def search(request, params: Query[SearchParams]):
    filters = {
        name: [str(value)]
        for name, value in (("type", params.type), ("year", params.year), ("paper", params.paper))
        if value is not None
    }
    results = search_query(
        query=params.q,
        user=caller(request),
        page=params.page,
        filters=filters,
        per_page=params.limit,
        facets=False,
    )
    return {
        "query": results.query,
        "total": results.total,
        "page": results.page,
        "limit": params.limit,
        "num_pages": results.num_pages,
        "rebuilding": results.rebuilding,
        "hits": [
            {**hit_json(hit), "html_url": absolute(request, hit.url) if hit.url else ""}
            for hit in results.hits
        ],
    }
