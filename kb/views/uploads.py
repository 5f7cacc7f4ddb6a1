"""The admin upload pages: upload files, follow the parse, correct the preview, publish or discard.

Every view is admin only. The progress fragment returns the same partial
(``kb/_upload_progress.html``) that the list and detail pages include.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kb.forms.uploads import UploadForm
from kb.lib.params import int_or_none
from kb.models import UploadState
from kb.selectors import uploads as selectors
from kb.services import uploads as services
from kb.views.common import button_post, form_save
from papers.access import admin_required
from papers.forms import PaperMetadataForm


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
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
    else:  # "上传全文" on a metadata-only paper names it: the text will be attached to it
        form = UploadForm(initial={"record": int_or_none(request.GET.get("record"))})
    batch = form_save(
        request,
        form,
        lambda data: services.upload_create(
            files=data["files"], user=request.user, record=data["record"].pk if data.get("record") else None
        ),
        success=lambda batch: _("已上传 %(count)d 个文件，正在后台解析。") % {"count": len(batch)},
        error_field="files",
    )
    if not batch:
        return render(request, "kb/upload_create.html", {"form": form}, status=400 if form.errors else 200)
    # The browser keeps an oversize file back (kb/_upload_form.html) and names it here.
    refused = [*batch.refused, *form.refused_by_browser()]
    if refused:
        messages.warning(
            request,
            ngettext(
                "%(count)d 个文件未上传（其余文件已上传）：",
                "%(count)d 个文件未上传（其余文件已上传）：",
                len(refused),
            )
            % {"count": len(refused)},
        )
        for reason in refused:
            messages.warning(request, reason)
    if len(batch) == 1 and not refused:
        return redirect(batch.uploads[0])
    return redirect(f"{reverse('kb:upload-list')}?batch={batch.uploads[0].batch}")


def _render_detail(request, upload, form=None, status=200):
    preview = selectors.upload_preview(upload=upload)
    if form is None and preview["preview"]:
        form = PaperMetadataForm.for_preview(preview["meta"])
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
    form = PaperMetadataForm.for_preview(data=request.POST)
    saved = form_save(
        request,
        form,
        lambda data: services.upload_update_preview(upload=upload, user=request.user, **data),
        success=_("已保存修改。"),
    )
    if saved is not None:
        return redirect(upload)
    return _render_detail(request, upload, form=form, status=400)


PUBLISHED = {
    "loaded": gettext_lazy("已发布为新论文。"),
    "revised": gettext_lazy("已发布为已有论文的新修订版本；旧文本上的批注与证据将等待重新定位。"),
    "unchanged": gettext_lazy("文件与已有论文完全相同，未做任何改动。"),
}


@require_POST
@admin_required
def upload_publish(request, pk: int):
    upload = selectors.upload_get(pk=pk, with_preview=False)
    queued = button_post(
        request,
        lambda data: services.upload_publish_request(upload=upload, user=request.user),
        success=lambda queued: str(
            PUBLISHED.get(queued.outcome, _("已发布。"))
            if queued.state == UploadState.PUBLISHED
            else _("正在后台发布，完成后自动打开论文。")
        ),
    )
    if queued is not None and queued.state == UploadState.PUBLISHED and queued.paper_id:
        return redirect("papers:paper-detail", pk=queued.paper_id)
    return redirect(upload)


@require_POST
@admin_required
def upload_retry(request, pk: int):
    upload = selectors.upload_get(pk=pk, with_preview=False)
    button_post(
        request,
        lambda data: services.upload_retry(upload=upload, user=request.user),
        success=_("已重新排队解析。"),
    )
    return redirect(upload)


@require_POST
@admin_required
def upload_discard(request, pk: int):
    upload = selectors.upload_get(pk=pk, with_preview=False)
    discarded = button_post(
        request,
        lambda data: services.upload_discard(upload=upload, user=request.user),
        success=_("已放弃上传：%(name)s") % {"name": upload.filename},
    )
    return redirect("kb:upload-list" if discarded else upload)
