"""Cross-reference review (editors): suggestions with score and reason; confirm or reject.

A cross-reference is made by hand in the reader (``kb.views.claims.api_crossref_create``)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kb.forms.crossrefs import CrossrefDecisionForm
from kb.lib.params import int_or_none
from kb.models import CrossRefStatus
from kb.selectors import crossrefs as selectors
from kb.services import crossrefs as services
from kb.services.versions import parse_version
from kb.views.common import button_post, redirect_back
from papers.access import editor_required

REVIEW = "kb:crossref-review"


@editor_required
def crossref_review(request):
    status = request.GET.get("status", CrossRefStatus.SUGGESTED)
    if status not in CrossRefStatus.values:
        status = CrossRefStatus.SUGGESTED
    page = selectors.crossref_review(
        user=request.user,
        status=status,
        paper_id=int_or_none(request.GET.get("paper")),
        passage_id=int_or_none(request.GET.get("passage")),
        page=int_or_none(request.GET.get("page")) or 1,
    )
    return render(
        request,
        "kb/crossref_review.html",
        {"page": page, "status": status, "statuses": CrossRefStatus.choices, "form": CrossrefDecisionForm()},
    )


@editor_required
@require_POST
def crossref_decide(request, pk: int, action: str):
    if action not in ("confirm", "reject"):
        raise Http404("no such action")
    crossref = selectors.crossref_get_suggested(pk=pk)
    version = parse_version(request.POST.get("version"))
    if action == "confirm":
        button_post(
            request,
            lambda data: services.crossref_confirm(
                crossref=crossref, user=request.user, version=version, **data
            ),
            form=CrossrefDecisionForm(request.POST),
            invalid=services.CROSSREF_BAD_RELATION,
            success=_("已确认交叉引用，两篇论文的旁注中都会显示。"),
        )
    else:
        button_post(
            request,
            lambda data: services.crossref_reject(crossref=crossref, user=request.user, version=version),
            success=_("已否决该建议。"),
        )
    return redirect_back(request, REVIEW)
