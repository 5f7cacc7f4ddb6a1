"""Cross-reference review (editors): suggestions with score and reason; confirm, reject, create."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kb.forms.concepts import CrossrefCreateForm, CrossrefDecisionForm
from kb.models import CrossReference, CrossRefStatus
from kb.selectors import crossrefs as selectors
from kb.services import crossrefs as services
from papers.access import editor_required


def _int(value) -> int | None:
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("kb:crossref-review")


@editor_required
def crossref_review(request):
    status = request.GET.get("status", CrossRefStatus.SUGGESTED)
    if status not in CrossRefStatus.values:
        status = CrossRefStatus.SUGGESTED
    page = selectors.crossref_review(
        user=request.user,
        status=status,
        paper_id=_int(request.GET.get("paper")),
        passage_id=_int(request.GET.get("passage")),
        page=_int(request.GET.get("page")) or 1,
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
    crossref = get_object_or_404(CrossReference, pk=pk, status=CrossRefStatus.SUGGESTED)
    form = CrossrefDecisionForm(request.POST)
    try:
        if action == "confirm":
            if not form.is_valid():
                raise ValidationError(services.CROSSREF_BAD_RELATION)
            services.crossref_confirm(crossref=crossref, user=request.user, **form.cleaned_data)
            messages.success(request, _("已确认交叉引用，两篇论文的旁注中都会显示。"))
        else:
            services.crossref_reject(crossref=crossref, user=request.user)
            messages.success(request, _("已否决该建议。"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _back(request)


@editor_required
@require_POST
def crossref_create(request):
    form = CrossrefCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("无法创建交叉引用：请检查两个段落和关系类型。"))
        return _back(request)
    data = form.cleaned_data
    try:
        services.crossref_create(
            source=data["source"],
            target=data["target"],
            relation=data["relation"],
            note=data["note"],
            user=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已创建交叉引用。"))
    return _back(request)
