"""W3C Web Annotation export (JSON-LD collections) and import (W3C or Hypothesis JSON)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from kb.lib.params import int_or_none
from kb.models import Visibility
from kb.selectors import annotations as selectors
from kb.services import w3c as services
from papers.access import editor_required, reader_required
from papers.selectors import paper_visible

JSONLD = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
MAX_IMPORT_BYTES = 5 * 1024 * 1024


@reader_required
def export(request):
    """All visible annotations, or one paper's (``?paper=``), or one user's (``?user=``)."""
    paper = creator = None
    label = _("探源批注")
    if request.GET.get("paper"):
        paper = paper_visible(paper_id=int_or_none(request.GET["paper"]) or 0, user=request.user)
        label = f"{label}：{paper.display_title}"
    if request.GET.get("user"):
        creator = get_object_or_404(get_user_model(), username=request.GET["user"])
        label = f"{label}：{creator.get_username()}"
    annotations = selectors.annotation_list(user=request.user, paper=paper, creator=creator)
    base = request.build_absolute_uri("/").rstrip("/")
    collection = services.annotation_collection(
        annotations=annotations, base=base, collection_id=request.build_absolute_uri(), label=str(label)
    )
    response = JsonResponse(collection, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Type"] = JSONLD
    return response


@editor_required
def import_annotations(request, paper_pk: int):
    paper = paper_visible(paper_id=paper_pk, user=request.user)
    report = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        raw = upload.read(MAX_IMPORT_BYTES + 1) if upload else request.POST.get("json", "").encode()
        visibility = request.POST.get("visibility", Visibility.PRIVATE)
        try:
            if len(raw) > MAX_IMPORT_BYTES:
                raise ValidationError(_("文件过大。"))
            try:
                data = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise ValidationError(services.NOT_JSON_ANNOTATIONS) from exc
            if visibility not in Visibility.values:
                visibility = Visibility.PRIVATE
            report = services.annotations_import(
                paper=paper, data=data, user=request.user, visibility=visibility
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
    return render(
        request,
        "kb/annotation_import.html",
        {"paper": paper, "report": report, "visibilities": Visibility.choices},
    )
