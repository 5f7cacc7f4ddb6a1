"""Views of a paper's original pages: the page view, the page image, a passage's citation.

Thin: check, select, render. Every view answers 404 for a paper the user may not see,
exactly as the reader does, and the page image is served from the disk cache by this
permission-checked view, never from a public media URL.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from kb.lib.params import int_or_none
from papers import cite, pageimage, pageview, selectors
from papers.access import reader_required
from papers.models import Passage

# The image of a page never changes for a source file (named by its sha256); the browser may
# keep it, but no shared cache may: who may see it is checked per request.
IMAGE_MAX_AGE = 7 * 24 * 3600
MAX_PAGE = 100_000


def _passage_citation(paper, passage: Passage | None) -> dict | None:
    if passage is None:
        return None
    work = cite.passage_work(cite.cited_work(paper), passage.cited_page)
    return cite.citation(work)


@reader_required
@require_safe
def page_view(request, pk: int, page: int):
    """Page ``page`` of the paper's PDF with the regions of ``?passage=<id>`` highlighted."""
    if page > MAX_PAGE:
        raise Http404("no such page")
    view = pageview.page_view(
        paper_id=pk, page=page, user=request.user, passage_id=int_or_none(request.GET.get("passage"))
    )
    return render(
        request,
        "papers/page_view.html",
        {"view": view, "paper": view.paper, "citation": _passage_citation(view.paper, view.passage)},
    )


@reader_required
@require_safe
def page_image(request, pk: int, page: int):
    """The PNG of a page, rendered once and cached on disk (404 for a page the PDF lacks)."""
    if page > MAX_PAGE:
        raise Http404("no such page")
    source = pageview.page_source(paper_id=pk, user=request.user)
    try:
        path = pageimage.page_image(source=source, page=page)
    except pageimage.PageImageError as exc:
        raise Http404("no such page") from exc
    etag = f'"{path.stem}"'
    response: HttpResponse
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        # Read whole (a page is a few hundred KB): no file handle outlives the request.
        response = HttpResponse(path.read_bytes(), content_type="image/png")
    response["ETag"] = etag
    patch_cache_control(response, private=True, max_age=IMAGE_MAX_AGE)
    return response


@reader_required
@require_safe
def passage_cite(request, pk: int, passage_pk: int, fmt: str):
    """One passage's citation (the paper's reference at the passage's page) as RIS, BibTeX or CSL-JSON."""
    if fmt not in cite.EXPORTS:
        raise Http404("unknown citation format")
    paper = selectors.paper_visible(paper_id=pk, user=request.user, authors=True)
    passage = Passage.objects.filter(pk=passage_pk, paper=paper).only("pk", "page", "page_label").first()
    if passage is None:
        raise Http404("no such passage")
    content_type, extension = cite.EXPORTS[fmt]
    work = cite.passage_work(cite.cited_work(paper), passage.cited_page)
    response = HttpResponse(
        cite.export(fmt, [(work, f"tanyuan{paper.pk}p{passage.pk}")]), content_type=content_type
    )
    response["Content-Disposition"] = f'attachment; filename="tanyuan-{paper.pk}-p{passage.pk}.{extension}"'
    return response
