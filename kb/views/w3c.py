"""W3C Web Annotation export (JSON-LD collections) and import (Hypothesis or W3C JSON).

The import (``kb.services.w3c_import``) is previewed first: the file waits under a
token listed in the session (so nobody else can apply it) while the page shows what
a dry run would do; applying or cancelling forgets it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kb.lib.annotation_formats import MAX_ANNOTATIONS, MAX_BYTES
from kb.lib.params import int_or_none
from kb.models import Visibility
from kb.selectors import annotations as selectors
from kb.services import w3c as services
from kb.services import w3c_import as importer
from kb.services.audiences import audience_choices
from kb.views.common import report_errors
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


SESSION_KEY = "annotation_imports"  # token → paper id: only the user who previewed may apply


def _upload(request) -> bytes:
    upload = request.FILES.get("file")
    return upload.read(MAX_BYTES + 1) if upload else request.POST.get("json", "").encode()


def _owned_token(request, token: str, paper) -> str:
    if request.session.get(SESSION_KEY, {}).get(token) != paper.pk:
        raise ValidationError(importer.EXPIRED)
    return token


def _forget(request, token: str) -> None:
    pending = dict(request.session.get(SESSION_KEY, {}))
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    importer.annotation_file_discard(token=token)


def _run(request, paper, *, action: str, token: str, visibility: str):
    """Preview (a dry run of the stashed file), apply, or cancel; returns (report, token)."""
    if action == "cancel":
        _forget(request, token)
        messages.info(request, _("已取消导入，没有任何改动。"))
        return None, ""
    if token:
        raw = importer.annotation_file_load(token=_owned_token(request, token, paper))
    else:
        raw = _upload(request)
    options = {"paper": paper, "user": request.user, "visibility": visibility}
    if action == "preview":
        if not token:
            token = importer.annotation_file_stash(raw=raw, user=request.user)
            pending = dict(request.session.get(SESSION_KEY, {}))
            request.session[SESSION_KEY] = {**dict(list(pending.items())[-4:]), token: paper.pk}
        return importer.annotations_import_file(raw=raw, dry_run=True, **options), token
    report = importer.annotations_import_file(raw=raw, **options)
    if token:
        _forget(request, token)
    return report, ""


@require_http_methods(["GET", "POST"])
@member_required
def import_annotations(request, paper_pk: int):
    """Upload or paste a Hypothesis or W3C file → preview (nothing saved) → apply or cancel."""
    paper = paper_visible(paper_id=paper_pk, user=request.user)
    report, token = None, ""
    visibility = request.POST.get("visibility", Visibility.PRIVATE)
    if request.method == "POST":
        try:
            report, token = _run(
                request,
                paper,
                action=request.POST.get("action", "apply"),
                token=request.POST.get("token", ""),
                visibility=visibility,
            )
        except ValidationError as exc:
            report_errors(request, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
    context = {
        "paper": paper,
        "report": report,
        "token": token,
        "visibility": visibility,
        "visibilities": audience_choices(user=request.user),
        "max_mb": MAX_BYTES // 2**20,
        "max_annotations": MAX_ANNOTATIONS,
    }
    return render(request, "kb/annotation_import.html", context)
