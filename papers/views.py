"""Pages of published papers: list, reader, author. Thin: check, select, render."""

from __future__ import annotations

from django.shortcuts import render

from kb.lib.params import int_or_none
from papers import selectors
from papers.access import reader_required


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
    return render(
        request, "papers/paper_detail.html", {"reader": reader, "paper": reader.paper, **reader.context}
    )


@reader_required
def author_detail(request, pk: int):
    author, papers, coauthors = selectors.author_detail(author_id=pk, user=request.user)
    return render(
        request, "papers/author_detail.html", {"author": author, "papers": papers, "coauthors": coauthors}
    )
