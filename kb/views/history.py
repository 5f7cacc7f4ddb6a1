"""History pages: who changed what and when, before and after; owners (or admins) restore a version."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kb.models import Annotation
from kb.selectors import annotations as annotation_selectors
from kb.selectors import claims as claim_selectors
from kb.services import history as services
from papers.access import editor_required


def _check_visible(request, model_name: str, pk: int):
    """The object must be one the user may see (a deleted one: judged by its last record)."""
    model = services.TRACKED.get(model_name)
    if model is None:
        raise Http404("not tracked")
    if model is Annotation:
        last = model.history.filter(id=pk).order_by("-history_date").first()
        if last is None:
            raise Http404("no history")
        if last.history_type == "-":
            if not services.version_visible(last, request.user):  # private, or a group's
                raise Http404("no history")
        else:
            annotation_selectors.annotation_get(pk=pk, user=request.user)
    elif model_name == "claim" and model.objects.filter(pk=pk).exists():
        claim_selectors.claim_get(pk=pk, user=request.user)
    return model


@editor_required
def history_detail(request, model_name: str, pk: int):
    model = _check_visible(request, model_name, pk)
    entries = services.history_entries(model=model, pk=pk, user=request.user)
    if not entries:
        raise Http404("no history")
    current = model.objects.filter(pk=pk).first()
    context = {
        "entries": entries,
        "model_name": model_name,
        "model_label": services.MODEL_LABELS[model_name],
        "pk": pk,
        "current": current,
        "can_restore": services.can_restore(request.user, entries[0].record),
    }
    return render(request, "kb/history_detail.html", context)


@editor_required
@require_POST
def history_restore(request, model_name: str, pk: int, history_id: int):
    model = _check_visible(request, model_name, pk)
    try:
        services.history_restore(user=request.user, model=model, pk=pk, history_id=history_id)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("已恢复到所选版本。"))
    return redirect("kb:history", model_name=model_name, pk=pk)
