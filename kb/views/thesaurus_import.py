"""Importing a SKOS thesaurus (editors and admins): upload or paste → preview → apply or cancel.

The file waits between the preview and the apply under a token
(``kb.services.concepts.skos_apply.THESAURUS_UPLOADS``, ``kb.views.staging``); the session
lists this user's tokens, so nobody else can see or apply another's preview.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kb.forms.imports import ThesaurusImportForm
from kb.services.concepts import skos_apply
from kb.services.concepts import skos_import as services
from kb.views.staging import staged_apply, staged_cancel, staged_preview, staged_upload
from papers.access import editor_required

UPLOADS = skos_apply.THESAURUS_UPLOADS
MAX_MESSAGES = 20  # problems listed after an apply; the preview showed them all


@require_http_methods(["GET", "POST"])
@editor_required
def thesaurus_import(request):
    form = ThesaurusImportForm.from_request(request)
    if token := staged_upload(request, form, stash=skos_apply.thesaurus_file_stash):
        return redirect("kb:thesaurus-import-preview", token=token)
    return render(request, "kb/thesaurus_import.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET"])
@editor_required
def thesaurus_import_preview(request, token: str):
    staged = staged_preview(request, UPLOADS, token, services.thesaurus_import_preview)
    if staged is None:
        return redirect("kb:thesaurus-import")
    name, plan = staged
    return render(request, "kb/thesaurus_import_preview.html", {"plan": plan, "token": token, "name": name})


@require_POST
@editor_required
def thesaurus_import_apply(request, token: str):
    report = staged_apply(request, UPLOADS, token, skos_apply.thesaurus_import_apply)
    if report is None:
        return redirect("kb:thesaurus-import")
    messages.success(
        request,
        _("词表导入完成：新建 %(created)d 个概念，更新 %(updated)d 个，跳过 %(skipped)d 个。")
        % {
            "created": len(report.created),
            "updated": len(report.updated),
            "skipped": report.plan.count(services.SKIP),
        },
    )
    problems = [*report.plan.problems, *report.errors]
    for index, message in problems[:MAX_MESSAGES]:
        messages.error(request, _("第 %(index)d 个概念：%(message)s") % {"index": index, "message": message})
    if len(problems) > MAX_MESSAGES:
        messages.error(request, _("另有 %(n)d 个问题未列出。") % {"n": len(problems) - MAX_MESSAGES})
    return redirect("kb:concept-list")


@require_POST
@editor_required
def thesaurus_import_cancel(request, token: str):
    staged_cancel(request, UPLOADS, token)
    return redirect("kb:thesaurus-import")
