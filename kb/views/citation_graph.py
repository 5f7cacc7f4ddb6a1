"""The citation graph page (``kb:citation-graph``): papers and cited works linked by citation,
filtered by concept (papers mentioning it) and by the citing papers' years."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from kb.lib.params import int_or_none
from kb.selectors import citation_graph as selectors
from kb.selectors.concept_names import concepts_resolve, split_names
from papers.access import reader_required

CONCEPT_CHARS = 400
FOCUS_CHARS = 100
MAX_FILTER_CONCEPTS = 5
TOO_MANY_FILTER_CONCEPTS = _("最多按 %(limit)s 个概念筛选。")


def _year(request, name: str) -> int | None:
    year = int_or_none(request.GET.get(name))
    return year if year is not None and 0 < year < 10_000 else None


def _filters(request) -> tuple[selectors.Filters, str, list[str]]:
    """The filters asked for, the concept names as typed, and what was wrong with them."""
    typed = request.GET.get("concept", "")[:CONCEPT_CHARS]
    years = sorted(y for y in (_year(request, "from"), _year(request, "to")) if y is not None)
    year_from = _year(request, "from")
    year_to = _year(request, "to")
    if len(years) == 2:  # a reversed range means the same years
        year_from, year_to = years
    errors: list[str] = []
    concepts: list = []
    if len(split_names(typed)) > MAX_FILTER_CONCEPTS:
        errors.append(str(TOO_MANY_FILTER_CONCEPTS % {"limit": MAX_FILTER_CONCEPTS}))
    else:
        try:
            concepts = concepts_resolve(names=typed)
        except ValidationError as error:
            errors.extend(error.messages)
    filters = selectors.Filters(concepts=tuple(concepts), year_from=year_from, year_to=year_to)
    return filters, typed, errors


@reader_required
@require_safe
def citation_graph(request):
    filters, typed, errors = _filters(request)
    graph = None
    if not errors:
        graph = selectors.citation_graph(
            user=request.user, filters=filters, focus=request.GET.get("focus", "")[:FOCUS_CHARS]
        )
    context = {"graph": graph, "filters": filters, "concept_typed": typed, "concept_errors": errors}
    return render(request, "kb/citation_graph.html", context)
