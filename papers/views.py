"""Pages of published papers: list, reader, author. Thin: check, select, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from kb.lib.params import int_or_none
from papers import cite, selectors
from papers.access import admin_required, reader_required
from papers.forms import PaperMetadataForm
from papers.services.metadata import paper_update_metadata
from papers.versions import StaleEdit

SORT_LABELS = [
    ("year", gettext_lazy("年份（新→旧）")),
    ("title", gettext_lazy("标题")),
    ("added", gettext_lazy("最近导入")),
]


@reader_required
def paper_list(request):
    year = int_or_none(request.GET.get("year"))
    author_id = int_or_none(request.GET.get("author"))
    sort = request.GET.get("sort", "year")
    sort = sort if sort in selectors.PAPER_SORTS else "year"
    page = selectors.paper_list(
        user=request.user, year=year, author_id=author_id, sort=sort, page=request.GET.get("page", 1)
    )
    return render(
        request,
        "papers/paper_list.html",
        {
            "page": page,
            "papers": page.object_list,
            "years": selectors.paper_years(user=request.user),
            "authors": selectors.author_facets(user=request.user),
            "year": year,
            "author_id": author_id,
            "sort": sort,
            "sorts": SORT_LABELS,
        },
    )


@reader_required
def paper_detail(request, pk: int):
    reader = selectors.paper_reader(paper_id=pk, user=request.user)
    work = cite.cited_work(reader.paper)
    citation = cite.citation(work)
    return render(
        request,
        "papers/paper_detail.html",
        {"reader": reader, "paper": reader.paper, "citation": citation, **reader.context},
    )


@reader_required
def paper_cite(request, pk: int, fmt: str):
    """The paper's reference as a file for a reference manager (RIS, BibTeX, CSL-JSON)."""
    if fmt not in cite.EXPORTS:
        raise Http404("unknown citation format")
    paper = selectors.paper_visible(paper_id=pk, user=request.user, authors=True)
    content_type, extension = cite.EXPORTS[fmt]
    response = HttpResponse(
        cite.export(fmt, [(cite.cited_work(paper), f"tanyuan{paper.pk}")]), content_type=content_type
    )
    response["Content-Disposition"] = f'attachment; filename="tanyuan-{paper.pk}.{extension}"'
    return response


@reader_required
def author_detail(request, pk: int):
    author, papers, coauthors = selectors.author_detail(author_id=pk, user=request.user)
    return render(
        request, "papers/author_detail.html", {"author": author, "papers": papers, "coauthors": coauthors}
    )


@admin_required
@require_http_methods(["GET", "POST"])
def paper_edit(request, pk: int):
    """Admins correct a paper's metadata and author list."""
    paper = selectors.paper_visible(paper_id=pk, user=request.user, authors=True)
    form = PaperMetadataForm.for_paper(paper, data=request.POST if request.method == "POST" else None)
    stale = None
    if form.is_bound and form.is_valid():
        try:
            paper_update_metadata(paper=paper, user=request.user, **form.changes())
        except StaleEdit as exc:
            stale = exc
            form.keep_for_retry(exc.current)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("元数据已保存。"))
            return redirect(paper)
    context = {"paper": paper, "form": form, "stale": stale}
    return render(request, "papers/paper_edit.html", context, status=409 if stale else 200)
