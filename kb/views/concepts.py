"""Concept list and concept pages."""

from django.shortcuts import redirect, render

from kb.selectors import concepts as selectors
from papers.access import reader_required


@reader_required
def concept_list(request):
    return render(request, "kb/concept_list.html", {"concepts": selectors.concept_list(user=request.user)})


@reader_required
def concept_detail(request, slug: str):
    concept, parts = selectors.concept_detail(slug=slug, user=request.user)
    if concept.merged_into_id:
        return redirect(concept.merged_into)
    return render(request, "kb/concept_detail.html", {"concept": concept, **parts})
