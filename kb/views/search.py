"""The search page, the JSON endpoint and the export: validate, call ``search_query``, present."""

from __future__ import annotations

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render

from kb.search.hits import hit_json
from kb.search.selectors import FACET_FIELDS, search_paper_ids, search_query
from papers import cite
from papers.access import reader_required
from papers.selectors import papers_for_citation


def _params(request) -> tuple[str, int, dict[str, list[str]]]:
    query = request.GET.get("q", "")[:2000]
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    filters = {
        name: request.GET.getlist(name)[:10] for name in (*FACET_FIELDS, "tag") if request.GET.get(name)
    }
    return query, page, filters


@reader_required
def search(request):
    query, page, filters = _params(request)
    results = search_query(query=query, user=request.user, page=page, filters=filters)
    return render(request, "kb/search.html", {"results": results, "q": query})


@reader_required
def search_api(request):
    query, page, filters = _params(request)
    r = search_query(query=query, user=request.user, page=page, filters=filters)
    return JsonResponse(
        {
            "query": r.query,
            "total": r.total,
            "page": r.page,
            "num_pages": r.num_pages,
            "rebuilding": r.rebuilding,
            "unavailable": r.unavailable,  # the index was unreadable and is being rebuilt
            "highlight": r.highlight,
            "hits": [
                {
                    **hit_json(h),
                    "url": h.url,
                    **({"cited": {"title": h.cited_label, "url": h.cited_url}} if h.cited_label else {}),
                }
                for h in r.hits
            ],
            "groups": [
                {"paper_id": g.paper_id or None, "count": g.count, "hits": len(g.hits)} for g in r.groups
            ],
            "facets": {
                name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
                for name, values in r.facets.items()
            },
        },
        json_dumps_params={"ensure_ascii": False},
    )


@reader_required
def search_export(request, fmt: str):
    """The references of the papers a search matches (up to 200), for a reference manager."""
    if fmt not in cite.EXPORTS:
        raise Http404("unknown citation format")
    query, _page, filters = _params(request)
    papers = papers_for_citation(paper_ids=search_paper_ids(query=query, user=request.user, filters=filters))
    content_type, extension = cite.EXPORTS[fmt]
    body = cite.export(fmt, [(cite.cited_work(paper), f"tanyuan{paper.pk}") for paper in papers])
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="tanyuan-search.{extension}"'
    return response
