"""Concept pages: list, detail, and the editors' forms (create, edit, merge, candidates, mentions)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kb.forms.concepts import CandidateAcceptForm, ConceptForm, ConceptMergeForm, MentionCreateForm
from kb.lib import roles
from kb.models import Mention
from kb.models.concepts import CandidateStatus, ConceptCandidate
from kb.selectors import concepts as selectors
from kb.services import concepts as services
from kb.services import mentions as mention_services
from papers.access import editor_required, reader_required


def _int(value) -> int | None:
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


@reader_required
def concept_list(request):
    group = request.GET.get("group", "")
    return render(
        request,
        "kb/concept_list.html",
        {
            "concepts": selectors.concept_list(user=request.user, group=group),
            "groups": selectors.concept_groups(),
            "group": group,
            "can_edit": roles.is_editor(request.user),
        },
    )


@reader_required
def concept_detail(request, slug: str):
    page = selectors.concept_detail(slug=slug, user=request.user, paper_id=_int(request.GET.get("paper")))
    if page.concept.merged_into_id:
        return redirect(page.concept.merged_into)
    return render(
        request,
        "kb/concept_detail.html",
        {"page": page, "concept": page.concept, "can_edit": roles.is_editor(request.user)},
    )


@editor_required
def concept_create(request):
    form = ConceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            concept = services.concept_create(
                label_zh=data["label_zh"],
                label_en=data["label_en"],
                aliases=data["aliases"],
                definition=data["definition"],
                group=data["group"],
                broader=data["broader"],
                user=request.user,
            )
            if data["related"]:
                services.concept_update(concept=concept, related=data["related"], user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已创建概念并检测了它的提及。"))
            return redirect(concept)
    return render(request, "kb/concept_form.html", {"form": form, "concept": None})


@editor_required
def concept_edit(request, slug: str):
    concept = selectors.concept_for_edit(slug=slug)
    form = ConceptForm(request.POST or None, concept=concept, initial=ConceptForm.initial_for(concept))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rename = data["label_zh"] != concept.label_zh
            if rename:
                services.concept_rename(concept=concept, label_zh=data["label_zh"], user=request.user)
            services.concept_update(
                concept=concept,
                user=request.user,
                label_en=data["label_en"],
                aliases=[
                    *data["aliases"],
                    *([a for a in concept.aliases if a not in data["aliases"]] if rename else []),
                ],
                definition=data["definition"],
                group=data["group"],
                broader=data["broader"],
                related=data["related"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("概念已保存。"))
            return redirect(concept)
    return render(request, "kb/concept_form.html", {"form": form, "concept": concept})


@editor_required
def concept_merge(request, slug: str):
    concept = selectors.concept_for_edit(slug=slug)
    form = ConceptMergeForm(request.POST or None, concept=concept)
    if request.method == "POST" and form.is_valid():
        try:
            target = services.concept_merge(
                source=concept, target=form.cleaned_data["target"], user=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已合并：原概念的提及与链接都已移到这里。"))
            return redirect(target)
    return render(request, "kb/concept_merge.html", {"form": form, "concept": concept})


@editor_required
def candidate_list(request):
    if request.method == "POST":
        count = services.concept_candidates_refresh()
        messages.success(request, _("已重新计算候选概念：%(n)s 个。") % {"n": count})
        return redirect("kb:concept-candidates")
    return render(
        request,
        "kb/concept_candidates.html",
        {
            "candidates": selectors.candidate_list(),
            "groups": selectors.concept_groups(),
            "form": CandidateAcceptForm(),
        },
    )


@editor_required
@require_POST
def candidate_decide(request, pk: int, action: str):
    if action not in ("accept", "dismiss"):
        raise Http404("no such action")
    candidate = get_object_or_404(ConceptCandidate, pk=pk, status=CandidateStatus.OPEN)
    form = CandidateAcceptForm(request.POST)
    try:
        if action == "accept" and form.is_valid():
            concept = services.concept_candidate_accept(
                candidate=candidate, user=request.user, **form.cleaned_data
            )
            messages.success(request, _("已采纳为新概念。"))
            return redirect(concept)
        services.concept_candidate_dismiss(candidate=candidate, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("kb:concept-candidates")


@editor_required
@require_POST
def mention_reject(request, pk: int):
    mention = get_object_or_404(Mention.objects.select_related("passage", "concept"), pk=pk)
    mention_services.mention_reject(mention=mention, user=request.user)
    messages.success(request, _("已否决该提及；重新检测时不会再出现。"))
    return _back(request, mention.concept.get_absolute_url())


@editor_required
@require_POST
def mention_create(request):
    form = MentionCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("无法添加提及：请选择段落中的文字和一个概念。"))
        return _back(request, "/")
    data = form.cleaned_data
    try:
        mention_services.mention_create(
            passage=data["passage"],
            concept=data["concept"],
            start=data["start"],
            end=data["end"],
            user=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已添加提及。"))
    return _back(request, data["passage"].get_absolute_url())
