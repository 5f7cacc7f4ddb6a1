"""Importing bibliographic records (editors and admins): upload or paste → preview → apply or cancel.

The uploaded file waits between the preview and the apply under a token
(``papers.services.records.RECORD_UPLOADS``, ``kb.views.staging``); the session lists the
tokens of this user, so nobody else can apply or see another's preview.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kb.forms.imports import RecordImportForm
from kb.views.staging import staged_apply, staged_cancel, staged_preview, staged_upload
from papers.access import editor_required
from papers.records import FORMAT_LABELS
from papers.services import records as services


@require_http_methods(["GET", "POST"])
@editor_required
def record_import(request):
    form = RecordImportForm.from_request(request)
    if token := staged_upload(request, form, stash=services.record_file_stash):
        return redirect("kb:record-preview", token=token)
    status = 400 if form.errors else 200
    return render(request, "kb/record_import.html", {"form": form}, status=status)


@require_http_methods(["GET"])
@editor_required
def record_preview(request, token: str):
    staged = staged_preview(request, services.RECORD_UPLOADS, token, services.records_preview)
    if staged is None:
        return redirect("kb:record-import")
    name, plan = staged
    context = {"plan": plan, "token": token, "name": name, "format_label": FORMAT_LABELS[plan.format]}
    return render(request, "kb/record_preview.html", context)


@require_POST
@editor_required
def record_apply(request, token: str):
    report = staged_apply(request, services.RECORD_UPLOADS, token, services.records_apply)
    if report is None:
        return redirect("kb:record-import")
    messages.success(
        request,
        _("导入完成：新建 %(created)d 篇，补充 %(enriched)d 篇，跳过 %(skipped)d 条。")
        % {
            "created": len(report.created),
            "enriched": len(report.enriched),
            "skipped": report.plan.count(services.SKIP),
        },
    )
    for error in [*report.plan.errors, *report.errors]:
        messages.error(
            request, _("第 %(line)d 行：%(message)s") % {"line": error.line, "message": error.message}
        )
    return redirect(reverse("papers:paper-list") + "?sort=added")


@require_POST
@editor_required
def record_cancel(request, token: str):
    staged_cancel(request, services.RECORD_UPLOADS, token)
    return redirect("kb:record-import")
