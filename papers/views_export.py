"""Reference exports of many papers, streamed: everything the user may see, or any set of papers.

``export_response`` turns a queryset of papers into a streamed RIS, BibTeX or CSL-JSON file: the
papers are read in chunks of ``EXPORT_CHUNK`` with their authors (two queries a chunk, whatever
the library's size) and written one at a time, so memory stays bounded. The knowledge layer uses it
for one concept's papers (``kb.views.concept_export``).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.http import Http404, StreamingHttpResponse
from django.views.decorators.http import require_safe

from papers import cite, selectors
from papers.access import reader_required
from papers.models import Paper

EXPORT_CHUNK = 200


def _rows(papers) -> Iterator[tuple[cite.CitedWork, str]]:
    for paper in selectors.papers_streamed(papers=papers, chunk_size=EXPORT_CHUNK):
        yield cite.cited_work(paper), f"tanyuan{paper.pk}"


def export_response(*, fmt: str, papers, filename: str) -> StreamingHttpResponse:
    """``papers`` (a queryset the caller already limited to what the user may see) as a streamed
    file in ``fmt`` (404 for an unknown format), downloaded as ``filename.<extension>``."""
    if fmt not in cite.EXPORTS:
        raise Http404("unknown citation format")
    content_type, extension = cite.EXPORTS[fmt]
    response = StreamingHttpResponse(
        (chunk.encode() for chunk in cite.iter_export(fmt, _rows(papers))), content_type=content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    return response


@reader_required
@require_safe
def paper_export(request, fmt: str):
    """Every paper the user may see, for a reference manager."""
    return export_response(fmt=fmt, papers=Paper.objects.visible_to(request.user), filename="tanyuan-papers")
