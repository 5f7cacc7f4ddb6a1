"""The comparison matrix (HTML and CSV) and the two concept graphs."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from kb.lib.spreadsheet import SafeWriter
from kb.selectors import concept_maps as selectors
from kb.selectors.concepts import concept_groups
from papers.access import reader_required


@reader_required
def comparison(request):
    group = request.GET.get("group", "")
    matrix = selectors.comparison_matrix(user=request.user, group=group)
    return render(
        request, "kb/comparison.html", {"matrix": matrix, "groups": concept_groups(), "group": group}
    )


@reader_required
def comparison_csv(request):
    matrix = selectors.comparison_matrix(user=request.user, group=request.GET.get("group", ""))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="tanyuan-papers-concepts.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read the Chinese as UTF-8
    writer = SafeWriter(response)  # a title starting with "=" stays text in a spreadsheet
    writer.writerow(["paper_id", "title", "year", *(f"{c.label_zh} ({c.label_en})" for c in matrix.concepts)])
    for row in matrix.rows:
        paper = row["paper"]
        writer.writerow(
            [paper.pk, paper.display_title, paper.year or "", *(cell["count"] for cell in row["cells"])]
        )
    return response


def _graph_page(request, build, mode: str):
    group = request.GET.get("group", "")
    return render(
        request,
        "kb/concept_graph.html",
        {
            "graph": build(user=request.user, group=group),
            "groups": concept_groups(),
            "group": group,
            "mode": mode,
        },
    )


@reader_required
def concept_graph(request):
    return _graph_page(request, selectors.concept_graph, "concepts")


@reader_required
def paper_concept_graph(request):
    return _graph_page(request, selectors.paper_concept_graph, "papers")
