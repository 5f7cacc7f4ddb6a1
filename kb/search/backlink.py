"""The way back from a search hit to its result list ("返回搜索结果").

A hit's link into the reader carries where it came from: ``from=search``, the query,
the result page and the filters (``encode``). The reader turns those parameters back
into the result page's URL (``decode``), after checking every one of them: the names are
a fixed list, the query and values are cut to a bound, the page is a number in range.
Nothing of the request is echoed that was not validated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import urlencode

from django.urls import reverse

FROM = "search"
MAX_QUERY = 200  # characters of the query carried in a link
MAX_VALUES = 10  # values per filter
MAX_VALUE = 100  # characters per filter value
MAX_PAGE = 50  # the search's own deepest page
# The filters of the search page (``kb.search.selectors.FACET_FIELDS`` and tags).
FILTERS = ("type", "paper", "year", "author", "concept", "kind", "tag")


def encode(*, query: str, page: int, filters: Mapping[str, Sequence[str]] | None = None) -> str:
    """The query string a hit's reader link carries (empty without a query)."""
    query = (query or "").strip()[:MAX_QUERY]
    if not query:
        return ""
    params: list[tuple[str, str]] = [("from", FROM), ("q", query)]
    if page and page > 1:
        params.append(("page", str(min(int(page), MAX_PAGE))))
    for name in FILTERS:
        for value in list((filters or {}).get(name, ()))[:MAX_VALUES]:
            value = str(value).strip()[:MAX_VALUE]
            if value:
                params.append((name, value))
    return urlencode(params)


def decode(params) -> str:
    """The result page's URL for a reader request's GET parameters, or "" when they are not a hit's."""
    if params.get("from") != FROM:
        return ""
    query = " ".join(params.get("q", "").split())[:MAX_QUERY]
    if not query:
        return ""
    out: list[tuple[str, str]] = [("q", query)]
    for name in FILTERS:
        for value in params.getlist(name)[:MAX_VALUES]:
            value = value.strip()[:MAX_VALUE]
            if value:
                out.append((name, value))
    page = params.get("page", "")
    if page.isdigit() and 1 < int(page) <= MAX_PAGE:
        out.append(("page", page))
    return f"{reverse('kb:search')}?{urlencode(out)}"
