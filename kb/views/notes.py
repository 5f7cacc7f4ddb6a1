""" "My notes" (我的笔记): the list across papers, its Markdown export, the colours' names.

Signed-in users with a role only (``member_required``), even while public reading is on:
these are one's own notes.
Views validate the filters, call one selector or service, and render.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kb.forms.notes import ColorNamesForm, NotesFilterForm
from kb.selectors import notes as selectors
from kb.services import colors as color_services
from kb.services.notes_export import notes_markdown
from papers.access import member_required


def _filters(request) -> NotesFilterForm:
    form = NotesFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    return form


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@member_required
@require_GET
def my_notes(request):
    form = _filters(request)
    notes = selectors.notes_page(user=request.user, filters=form.filters(), page=request.GET.get("page"))
    context = {"form": form, "notes": notes, "query": _query_without_page(request)}
    return render(request, "kb/my_notes.html", context)


@member_required
@require_GET
def notes_export(request):
    """The filtered notes (all pages, up to ``EXPORT_MAX``) as a Markdown file."""
    form = _filters(request)
    rows, truncated = selectors.notes_for_export(user=request.user, filters=form.filters())
    text = notes_markdown(annotations=rows, user=request.user, base=request.build_absolute_uri("/")[:-1])
    if truncated:
        text += (
            "\n"
            + _("（只导出了最新的 %(n)d 条笔记，请用筛选缩小范围。）") % {"n": selectors.EXPORT_MAX}
            + "\n"
        )
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    name = f"tanyuan-notes-{timezone.localtime().strftime('%Y%m%d')}.md"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@member_required
@require_http_methods(["GET", "POST"])
def color_names(request):
    palette = color_services.color_palette(user=request.user)
    form = ColorNamesForm(request.POST or None, palette=palette)
    if request.method == "POST" and form.is_valid():
        try:
            color_services.color_names_update(user=request.user, names=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("颜色名称已保存。"))
            return redirect("kb:color-names")
    return render(request, "kb/color_names.html", {"form": form})
