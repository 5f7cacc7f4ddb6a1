"""Exports of the knowledge layer: one concept's papers for a reference manager, and one paper's
annotations and claims as Markdown notes. Thin: check, select, hand over."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_safe

from kb.selectors import exports as selectors
from kb.services.paper_notes_export import paper_notes_markdown
from papers.access import reader_required
from papers.selectors import paper_visible
from papers.views_export import export_response


@reader_required
@require_safe
def concept_export(request, slug: str, fmt: str):
    """The papers that mention a concept (those the user may see), as RIS, BibTeX or CSL-JSON."""
    concept = selectors.concept_for_export(slug=slug)
    papers = selectors.concept_papers(concept=concept, user=request.user)
    return export_response(fmt=fmt, papers=papers, filename=f"tanyuan-concept-{concept.pk}")


@reader_required
@require_safe
def paper_notes_export(request, paper_pk: int):
    """A paper's annotations and claims the user may see, as a Markdown file."""
    paper = paper_visible(paper_id=paper_pk, user=request.user, authors=True)
    text = paper_notes_markdown(paper=paper, user=request.user, base=request.build_absolute_uri("/")[:-1])
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tanyuan-{paper.pk}-notes.md"'
    return response
