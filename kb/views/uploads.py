"""The admin upload pages: upload files, follow the parse, correct the preview, publish or discard.

Every view is admin only. The progress fragment returns the same partial
(``kb/_upload_progress.html``) that the list and detail pages include.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kb.forms.uploads import CorrectionForm, UploadForm
from kb.selectors import uploads as selectors
from kb.services import uploads as services
from papers.access import admin_required


def _validation_messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


@require_GET
@admin_required
def upload_list(request):
    try:
        batch = str(uuid.UUID(request.GET["batch"]))
    except (KeyError, ValueError):
        batch = None
    uploads = selectors.upload_list(batch=batch)
    return render(request, "kb/upload_list.html", {"uploads": uploads, "form": UploadForm(), "batch": batch})


@require_http_methods(["GET", "POST"])
@admin_required
def upload_create(request):
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_bound and form.is_valid():
        try:
            uploads = services.upload_create(files=form.cleaned_data["files"], user=request.user)
        except ValidationError as exc:
            form.add_error("files", exc.messages)
        else:
            messages.success(request, _("已上传 %(count)d 个文件，正在后台解析。") % {"count": len(uploads)})
            if len(uploads) == 1:
                return redirect(uploads[0])
            return redirect(f"{reverse('kb:upload-list')}?batch={uploads[0].batch}")
    return render(request, "kb/upload_create.html", {"form": form}, status=400 if form.errors else 200)


def _render_detail(request, upload, form=None, status=200):
    preview = selectors.upload_preview(upload=upload)
    if form is None and preview["preview"]:
        form = CorrectionForm(initial=CorrectionForm.initial_from(preview["meta"]))
    return render(
        request, "kb/upload_detail.html", {"upload": upload, "form": form, **preview}, status=status
    )


@require_GET
@admin_required
def upload_detail(request, pk: int):
    return _render_detail(request, selectors.upload_get(pk=pk))


@never_cache
@require_GET
@admin_required
def upload_progress(request, pk: int):
    upload = selectors.upload_get(pk=pk, with_preview=False)
    return render(request, "kb/_upload_progress.html", {"upload": upload})


@require_POST
@admin_required
def upload_update(request, pk: int):
    upload = selectors.upload_get(pk=pk)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            services.upload_update_preview(upload=upload, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存修改。"))
            return redirect(upload)
    return _render_detail(request, upload, form=form, status=400)


@require_POST
@admin_required
def upload_publish(request, pk: int):
    upload = selectors.upload_get(pk=pk, with_preview=False)
    try:
        result = services.upload_publish(upload=upload, user=request.user)
    except ValidationError as exc:
        for message in _validation_messages(exc):
            messages.error(request, message)
        return redirect(upload)
    text = {
        "loaded": _("已发布为新论文。"),
        "revised": _("已发布为已有论文的新修订版本；旧文本上的批注与证据将等待重新定位。"),
        "unchanged": _("文件与已有论文完全相同，未做任何改动。"),
    }.get(result.status, _("已发布。"))
    messages.success(request, text)
    return redirect("papers:paper-detail", pk=result.paper_id)


@require_POST
@admin_required
def upload_retry(request, pk: int):
    upload = selectors.upload_get(pk=pk, with_preview=False)
    try:
        services.upload_retry(upload=upload, user=request.user)
    except ValidationError as exc:
        for message in _validation_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("已重新排队解析。"))
    return redirect(upload)


@require_POST
@admin_required
def upload_discard(request, pk: int):
    upload = selectors.upload_get(pk=pk, with_preview=False)
    try:
        services.upload_discard(upload=upload, user=request.user)
    except ValidationError as exc:
        for message in _validation_messages(exc):
            messages.error(request, message)
        return redirect(upload)
    messages.success(request, _("已放弃上传：%(name)s") % {"name": upload.filename})
    return redirect("kb:upload-list")
