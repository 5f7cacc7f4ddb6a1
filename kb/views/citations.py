"""The citation network's pages: a cited work with the library papers citing it, and the
editors' decisions (a reference's link to a library paper; a citing statement's stance;
promoting a cited work to a metadata-only paper)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from kb.lib import roles
from kb.models import CitationStance, CitedWork
from kb.selectors import citation_exports as export_selectors
from kb.selectors import citations as selectors
from kb.services import citations as services
from kb.services.versions import parse_version
from kb.views.common import button_post, redirect_back
from papers.access import editor_required, reader_required
from papers.models import Paper

PAPER_NOT_FOUND = gettext_lazy("没有找到该论文：请填写本库论文的编号或链接。")
_PAPER_REF = re.compile(r"(?:/papers/)?(\d{1,12})/?(?:[#?].*)?$")


def _paper_from(value: str, user) -> Paper | None:
    match = _PAPER_REF.search((value or "").strip()[:200])
    if match is None:
        return None
    return Paper.objects.visible_to(user).filter(pk=int(match.group(1))).first()


@reader_required
def cited_work_detail(request, pk: int):
    work, citing, library_paper = selectors.cited_work_detail(pk=pk, user=request.user)
    context = {
        "work": work,
        "citing": citing,
        "library_paper": library_paper,
        "is_editor": roles.is_editor(request.user),
        "stances": CitationStance.choices,
    }
    return render(request, "kb/cited_work_detail.html", context)


@editor_required
@require_POST
def reference_link_decide(request, pk: int, action: str):
    link = selectors.link_get(pk=pk)
    version = parse_version(request.POST.get("version"))
    user = request.user
    if action == "confirm":
        button_post(
            request,
            lambda data: services.reference_link_confirm(link=link, user=user, version=version),
            success=_("已确认该参考文献与本库论文的关联。"),
        )
    elif action == "reject":
        button_post(
            request,
            lambda data: services.reference_link_reject(link=link, user=user, version=version),
            success=_("已否决；这篇论文不会再被建议给这条参考文献。"),
        )
    elif action == "set":
        paper = _paper_from(request.POST.get("paper", ""), user)
        if paper is None:
            messages.error(request, PAPER_NOT_FOUND)
        else:
            button_post(
                request,
                lambda data: services.reference_link_set(link=link, paper=paper, user=user, version=version),
                success=_("已指定这条参考文献所引的本库论文。"),
            )
    else:
        raise Http404("no such action")
    return redirect_back(request, link.citing_paper.get_absolute_url())


@editor_required
@require_POST
def citation_stance(request, pk: int):
    statement = selectors.statement_get(pk=pk)
    button_post(
        request,
        lambda data: services.statement_set_stance(
            statement=statement,
            stance=request.POST.get("stance", "")[:32],
            user=request.user,
            version=parse_version(request.POST.get("version")),
        ),
        success=_("已保存引用立场。"),
    )
    return redirect_back(request, statement.citing_paper.get_absolute_url())


@editor_required
@require_POST
def cited_work_promote(request, pk: int):
    work = CitedWork.objects.filter(pk=pk).first()
    if work is None:
        raise Http404("no such cited work")
    paper = button_post(
        request,
        lambda data: services.cited_work_promote(work=work, user=request.user),
        success=_("已创建仅有题录的论文；引用它的参考文献已关联到它。"),
    )
    return redirect_back(request, paper.get_absolute_url() if paper else work.get_absolute_url())


@reader_required
@require_safe
def citation_network_export(request, fmt: str):
    """The citation network of the papers the user may see, as CSV (edge list) or GraphML."""
    if fmt not in ("csv", "graphml"):
        raise Http404("no such format")
    network = export_selectors.citation_network(user=request.user)
    if fmt == "csv":
        body, content_type = "\ufeff" + export_selectors.network_csv(network), "text/csv; charset=utf-8"
    else:
        body, content_type = (
            export_selectors.network_graphml(network),
            "application/graphml+xml; charset=utf-8",
        )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="tanyuan-citations.{fmt}"'
    return response
