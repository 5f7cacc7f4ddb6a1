"""Importing bibliographic records (editors and admins): upload or paste → preview → apply or cancel.

The uploaded file waits between the preview and the apply under a token
(``papers.services.records.record_file_stash``); the session lists the tokens of this
user, so nobody else can apply or see another's preview.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kb.forms.records import RecordImportForm
from kb.views.common import report_errors
from papers.access import editor_required
from papers.records import FORMAT_LABELS
from papers.services import records as services

SESSION_KEY = "record_imports"
MAX_PENDING = 5


def _pending(request) -> dict:
    return dict(request.session.get(SESSION_KEY, {}))


def _owned(request, token: str) -> str | None:
    """The file name of this user's pending import ``token``, or None (with a message)."""
    pending = _pending(request)
    if token not in pending:
        messages.error(request, str(services.ERROR_EXPIRED))
        return None
    return pending[token] or _("粘贴的文本")


def _forget(request, token: str) -> None:
    pending = _pending(request)
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    services.record_file_discard(token=token)


@require_http_methods(["GET", "POST"])
@editor_required
def record_import(request):
    form = RecordImportForm(request.POST, request.FILES) if request.method == "POST" else RecordImportForm()
    if request.method == "POST" and form.is_valid():
        try:
            token = services.record_file_stash(data=form.cleaned_data["data"], user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            pending = _pending(request)
            for old in list(pending)[: max(0, len(pending) - MAX_PENDING + 1)]:
                pending.pop(old)
                services.record_file_discard(token=old)
            request.session[SESSION_KEY] = {**pending, token: form.cleaned_data["name"]}
            return redirect("kb:record-preview", token=token)
    status = 400 if form.errors else 200
    return render(request, "kb/record_import.html", {"form": form}, status=status)


@require_http_methods(["GET"])
@editor_required
def record_preview(request, token: str):
    name = _owned(request, token)
    if name is None:
        return redirect("kb:record-import")
    try:
        plan = services.records_preview(data=services.record_file_load(token=token), user=request.user)
    except ValidationError as exc:
        report_errors(request, exc)
        _forget(request, token)
        return redirect("kb:record-import")
    context = {"plan": plan, "token": token, "name": name, "format_label": FORMAT_LABELS[plan.format]}
    return render(request, "kb/record_preview.html", context)


@require_POST
@editor_required
def record_apply(request, token: str):
    if _owned(request, token) is None:
        return redirect("kb:record-import")
    try:
        report = services.records_apply(data=services.record_file_load(token=token), user=request.user)
    except ValidationError as exc:
        report_errors(request, exc)
        return redirect("kb:record-import")
    _forget(request, token)
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
    if _owned(request, token) is not None:
        _forget(request, token)
        messages.info(request, _("已取消导入，没有任何改动。"))
    return redirect("kb:record-import")
