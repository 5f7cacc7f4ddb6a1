"""Pages of published papers: list, reader, author. Thin: check, select, render."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render

from kb.lib.params import int_or_none
from papers import cite, selectors
from papers.access import reader_required

# Export formats: (content type, file extension, render(work, key)).
CITE_FORMATS = {
    "ris": ("application/x-research-info-systems; charset=utf-8", "ris", lambda work, key: cite.ris(work)),
    "bib": ("application/x-bibtex; charset=utf-8", "bib", cite.bibtex),
    "json": ("application/vnd.citationstyles.csl+json; charset=utf-8", "json", cite.csl_json_text),
}


@reader_required
def paper_list(request):
    year = int_or_none(request.GET.get("year"))
    author_id = int_or_none(request.GET.get("author"))
    papers = selectors.paper_list(user=request.user, year=year, author_id=author_id)
    return render(
        request,
        "papers/paper_list.html",
        {
            "papers": papers,
            "years": selectors.paper_years(user=request.user),
            "authors": selectors.author_facets(user=request.user),
            "year": year,
            "author_id": author_id,
        },
    )


@reader_required
def paper_detail(request, pk: int):
    reader = selectors.paper_reader(paper_id=pk, user=request.user)
    work = cite.cited_work(reader.paper)
    citation = {"gbt7714": cite.gbt7714(work), "apa": cite.apa(work), "formats": list(CITE_FORMATS)}
    return render(
        request,
        "papers/paper_detail.html",
        {"reader": reader, "paper": reader.paper, "citation": citation, **reader.context},
    )


@reader_required
def paper_cite(request, pk: int, fmt: str):
    """The paper's reference as a file for a reference manager (RIS, BibTeX, CSL-JSON)."""
    if fmt not in CITE_FORMATS:
        raise Http404("unknown citation format")
    paper = selectors.paper_for_citation(paper_id=pk, user=request.user)
    content_type, extension, render_as = CITE_FORMATS[fmt]
    response = HttpResponse(
        render_as(cite.cited_work(paper), f"tanyuan{paper.pk}"), content_type=content_type
    )
    response["Content-Disposition"] = f'attachment; filename="tanyuan-{paper.pk}.{extension}"'
    return response


@reader_required
def author_detail(request, pk: int):
    author, papers, coauthors = selectors.author_detail(author_id=pk, user=request.user)
    return render(
        request, "papers/author_detail.html", {"author": author, "papers": papers, "coauthors": coauthors}
    )
