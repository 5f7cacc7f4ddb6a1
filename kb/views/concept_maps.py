"""The comparison matrix (HTML, paged, and CSV, streamed) and the two concept graphs."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.shortcuts import render

from kb.lib.params import int_or_none
from kb.lib.spreadsheet import SafeWriter
from kb.selectors import concept_graphs as graphs
from kb.selectors import concept_maps as selectors
from kb.selectors.concepts import concept_groups
from papers.access import reader_required

GROUP_CHARS = 40
FOCUS_CHARS = 100


def _group(request) -> str:
    return request.GET.get("group", "")[:GROUP_CHARS]


def _year(request, name: str) -> int | None:
    year = int_or_none(request.GET.get(name))
    return year if year is not None and 0 < year < 10_000 else None


@reader_required
def comparison(request):
    group = _group(request)
    matrix = selectors.comparison_matrix(
        user=request.user,
        group=group,
        mode=request.GET.get("mode", ""),
        page=int_or_none(request.GET.get("page")) or 1,
    )
    return render(
        request, "kb/comparison.html", {"matrix": matrix, "groups": concept_groups(), "group": group}
    )


class _Echo:
    """A file-like object whose write() hands the line back, for streaming CSV."""

    def write(self, value: str) -> str:
        return value


@reader_required
def comparison_csv(request):
    mode = "claims" if request.GET.get("mode") == "claims" else "mentions"
    rows = selectors.matrix_csv_rows(user=request.user, group=_group(request), mode=mode)
    writer = SafeWriter(_Echo())  # a title starting with "=" stays text in a spreadsheet

    def lines():
        yield "\ufeff"  # so that spreadsheet programs read the Chinese as UTF-8
        for row in rows:
            yield writer.writerow(row)

    name = "tanyuan-papers-concepts-claims" if mode == "claims" else "tanyuan-papers-concepts"
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _graph_page(request, graph, mode: str, **extra):
    return render(
        request,
        "kb/concept_graph.html",
        {"graph": graph, "groups": concept_groups(), "group": _group(request), "mode": mode, **extra},
    )


@reader_required
def concept_graph(request):
    graph = graphs.concept_graph(group=_group(request), focus=request.GET.get("focus", "")[:FOCUS_CHARS])
    return _graph_page(request, graph, "concepts")


@reader_required
def paper_concept_graph(request):
    years = (_year(request, "from"), _year(request, "to"))
    graph = graphs.paper_concept_graph(
        user=request.user,
        group=_group(request),
        years=years,
        focus=request.GET.get("focus", "")[:FOCUS_CHARS],
    )
    return _graph_page(request, graph, "papers", year_from=years[0], year_to=years[1])
