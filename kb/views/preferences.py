"""Remembered choices of a signed-in user: the reader's note filter."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.views.decorators.http import require_POST

from kb.services.preferences import preference_update
from kb.views.common import redirect_back, report_errors
from papers.access import member_required


@member_required
@require_POST
def note_scope(request):
    """全部 / 只看我的 / 某小组 / 公开: remembered (``UserPreference.note_scope``), then back."""
    try:
        preference_update(user=request.user, note_scope=request.POST.get("scope", ""))
    except ValidationError as exc:
        report_errors(request, exc)
    return redirect_back(request, "home")
