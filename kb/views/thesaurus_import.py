"""Importing a SKOS thesaurus (editors and admins): upload or paste → preview → apply or cancel.

The file waits between the preview and the apply under a token
(``kb.services.concepts.skos_apply.thesaurus_file_stash``); the session lists this user's
tokens, so nobody else can see or apply another's preview.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kb.forms.thesaurus_import import ThesaurusImportForm
from kb.services.concepts import skos_apply
from kb.services.concepts import skos_import as services
from kb.views.common import report_errors
from papers.access import editor_required

SESSION_KEY = "thesaurus_imports"
MAX_PENDING = 5
MAX_MESSAGES = 20  # problems listed after an apply; the preview showed them all


def _pending(request) -> dict:
    return dict(request.session.get(SESSION_KEY, {}))


def _owned(request, token: str) -> str | None:
    pending = _pending(request)
    if token not in pending:
        messages.error(request, str(services.ERROR_EXPIRED))
        return None
    return pending[token] or _("粘贴的文本")


def _forget(request, token: str) -> None:
    pending = _pending(request)
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    skos_apply.thesaurus_file_discard(token=token)


@require_http_methods(["GET", "POST"])
@editor_required
def thesaurus_import(request):
    post = request.method == "POST"
    form = ThesaurusImportForm(request.POST, request.FILES) if post else ThesaurusImportForm()
    if post and form.is_valid():
        try:
            token = skos_apply.thesaurus_file_stash(data=form.cleaned_data["data"], user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            pending = _pending(request)
            for old in list(pending)[: max(0, len(pending) - MAX_PENDING + 1)]:
                pending.pop(old)
                skos_apply.thesaurus_file_discard(token=old)
            request.session[SESSION_KEY] = {**pending, token: form.cleaned_data["name"]}
            return redirect("kb:thesaurus-import-preview", token=token)
    return render(request, "kb/thesaurus_import.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET"])
@editor_required
def thesaurus_import_preview(request, token: str):
    name = _owned(request, token)
    if name is None:
        return redirect("kb:thesaurus-import")
    try:
        data = skos_apply.thesaurus_file_load(token=token)
        plan = services.thesaurus_import_preview(data=data, user=request.user)
    except ValidationError as exc:
        report_errors(request, exc)
        _forget(request, token)
        return redirect("kb:thesaurus-import")
    return render(request, "kb/thesaurus_import_preview.html", {"plan": plan, "token": token, "name": name})


@require_POST
@editor_required
def thesaurus_import_apply(request, token: str):
    if _owned(request, token) is None:
        return redirect("kb:thesaurus-import")
    try:
        data = skos_apply.thesaurus_file_load(token=token)
        report = skos_apply.thesaurus_import_apply(data=data, user=request.user)
    except ValidationError as exc:
        report_errors(request, exc)
        return redirect("kb:thesaurus-import")
    _forget(request, token)
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
    if _owned(request, token) is not None:
        _forget(request, token)
        messages.info(request, _("已取消导入，没有任何改动。"))
    return redirect("kb:thesaurus-import")
