"""W3C Web Annotation export (JSON-LD collections) and import (Hypothesis or W3C JSON).

The import (``kb.services.w3c_import``) is previewed first: the file waits under a
token listed in the session (``ANNOTATION_UPLOADS``, a ``papers.staging.Stage``: nobody
else can apply it) while the page shows what a dry run would do; applying or cancelling
forgets it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kb.forms.imports import AnnotationImportForm
from kb.lib.annotation_formats import MAX_ANNOTATIONS, MAX_BYTES
from kb.lib.params import int_or_none
from kb.models import Visibility
from kb.selectors import annotations as selectors
from kb.services import w3c as services
from kb.services import w3c_import as importer
from kb.services.audiences import audience_choices
from kb.views.common import report_errors
from kb.views.staging import staged_cancel
from papers.access import member_required, reader_required
from papers.selectors import paper_visible

JSONLD = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


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


UPLOADS = importer.ANNOTATION_UPLOADS  # token → paper id: only the user who previewed may apply


def _staged(request, token: str, paper) -> bytes:
    if UPLOADS.recall(request.session, token=token) != paper.pk:
        raise ValidationError(UPLOADS.expired, code="expired")
    return UPLOADS.load(token=token)


def _run(request, paper, form, *, action: str, token: str, visibility: str):
    """Preview (a dry run of the staged file), apply, or cancel; returns (report, token)."""
    if action == "cancel":
        staged_cancel(request, UPLOADS, token)
        return None, ""
    if token:
        raw = _staged(request, token, paper)
    elif form.is_valid():
        raw = form.cleaned_data["data"]
    else:
        return None, ""  # the form shows its errors
    options = {"paper": paper, "user": request.user, "visibility": visibility}
    if action == "preview":
        if not token:
            token = importer.annotation_file_stash(raw=raw, user=request.user)
            UPLOADS.remember(request.session, token=token, value=paper.pk)
        return importer.annotations_import_file(raw=raw, dry_run=True, **options), token
    report = importer.annotations_import_file(raw=raw, **options)
    if token:
        UPLOADS.forget(request.session, token=token)
    return report, ""


@require_http_methods(["GET", "POST"])
@member_required
def import_annotations(request, paper_pk: int):
    """Upload or paste a Hypothesis or W3C file → preview (nothing saved) → apply or cancel."""
    paper = paper_visible(paper_id=paper_pk, user=request.user)
    report, token = None, ""
    visibility = request.POST.get("visibility", Visibility.PRIVATE)
    form = AnnotationImportForm.from_request(request)
    action, staged = request.POST.get("action", "apply"), request.POST.get("token", "")
    if request.method == "POST":
        try:
            report, token = _run(request, paper, form, action=action, token=staged, visibility=visibility)
        except ValidationError as exc:
            report_errors(request, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
    if report is not None or staged or action == "cancel":
        form = AnnotationImportForm()  # the pasted text stays only while it has not been imported
    context = {
        "paper": paper,
        "form": form,
        "report": report,
        "token": token,
        "visibility": visibility,
        "visibilities": audience_choices(user=request.user),
        "max_mb": MAX_BYTES // 2**20,
        "max_annotations": MAX_ANNOTATIONS,
    }
    return render(request, "kb/annotation_import.html", context)
