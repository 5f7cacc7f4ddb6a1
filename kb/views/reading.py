"""Reading in place: the reader's position recorder and the concept-underline setting.

Both are small POST endpoints for a signed-in reader (any role), called by ``static/js/reading.js``
(the setting also works as a plain form without scripts).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from kb.services.preferences import preference_update
from kb.services.reading import reading_position_record
from kb.views.common import redirect_back
from papers.access import member_required

ERR_BAD_PASSAGE = _("段落编号无效。")
ERR_BAD_SETTING = _("设置值无效。")
_BOOL = {"1": True, "true": True, "on": True, "0": False, "false": False, "off": False}


@require_POST
@member_required
def reading_position(request):
    passage = request.POST.get("passage", "")
    if not passage.isdigit() or len(passage) > 18:
        return JsonResponse({"error": str(ERR_BAD_PASSAGE)}, status=400)
    try:
        position = reading_position_record(user=request.user, passage_id=int(passage))
    except ValidationError as exc:
        return JsonResponse({"error": exc.messages[0]}, status=400)
    return JsonResponse({"paper": position.paper_id, "passage": position.passage_id})


@require_POST
@member_required
def reading_preferences(request):
    value = _BOOL.get(request.POST.get("show_concepts", "").lower())
    wants_json = "application/json" in request.headers.get("Accept", "")
    if value is None:
        if wants_json:
            return JsonResponse({"error": str(ERR_BAD_SETTING)}, status=400)
        return redirect_back(request, "papers:paper-list")
    prefs = preference_update(user=request.user, show_concepts=value)
    if wants_json:
        return JsonResponse({"show_concepts": prefs.show_concepts})
    return redirect_back(request, "papers:paper-list")
