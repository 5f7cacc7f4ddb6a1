"""Concept pages: list, detail, and the editors' forms (create, edit, merge, candidates, mentions)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kb.forms.concepts import CandidateAcceptForm, ConceptForm, ConceptMergeForm, MentionCreateForm
from kb.lib import roles
from kb.lib.params import int_or_none
from kb.lib.skos import skos_jsonld
from kb.selectors import concepts as selectors
from kb.selectors import skos as skos_iris
from kb.services import concepts as services
from kb.services import mentions as mention_services
from kb.views.common import button_post, form_save, redirect_back
from papers.access import editor_required, reader_required


@reader_required
def thesaurus_skos(request):
    """The thesaurus as a SKOS concept scheme in JSON-LD (a download)."""
    response = JsonResponse(
        skos_jsonld(
            selectors.thesaurus_skos(),
            scheme_uri=skos_iris.scheme_iri(),
            concept_uri=skos_iris.concept_iri,
            title_zh="探源概念词表",
            title_en="Tanyuan thesaurus",
        ),
        json_dumps_params={"ensure_ascii": False, "indent": 1},
        content_type="application/ld+json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="tanyuan-thesaurus.jsonld"'
    return response


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
    page = selectors.concept_detail(
        slug=slug,
        user=request.user,
        paper_id=int_or_none(request.GET.get("paper")),
        page=int_or_none(request.GET.get("page")) or 1,
    )
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
    concept = form_save(
        request,
        form,
        lambda data: services.concept_create(
            user=request.user, **{k: v for k, v in data.items() if k != "version"}
        ),
        success=_("已创建概念并检测了它的提及。"),
    )
    if concept is not None:
        return redirect(concept)
    return render(request, "kb/concept_form.html", {"form": form, "concept": None})


@editor_required
def concept_edit(request, slug: str):
    concept = selectors.concept_for_edit(slug=slug)
    form = ConceptForm(request.POST or None, concept=concept, initial=ConceptForm.initial_for(concept))
    saved = form_save(
        request,
        form,
        lambda data: services.concept_edit(concept=concept, user=request.user, **data),
        success=_("概念已保存。"),
    )
    if saved is not None:
        return redirect(saved)
    return render(request, "kb/concept_form.html", {"form": form, "concept": concept})


@editor_required
def concept_merge(request, slug: str):
    concept = selectors.concept_for_edit(slug=slug)
    form = ConceptMergeForm(request.POST or None, concept=concept)
    target = form_save(
        request,
        form,
        lambda data: services.concept_merge(source=concept, target=data["target"], user=request.user),
        success=_("已合并：原概念的提及与链接都已移到这里。"),
    )
    if target is not None:
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
    candidate = selectors.candidate_get_open(pk=pk)
    if action == "accept":
        concept = button_post(
            request,
            lambda data: services.concept_candidate_accept(candidate=candidate, user=request.user, **data),
            form=CandidateAcceptForm(request.POST),
            invalid=_("无法采纳：请检查英文名和分组。"),
            success=_("已采纳为新概念。"),
        )
        return redirect(concept or "kb:concept-candidates")
    if action == "dismiss":
        button_post(
            request,
            lambda data: services.concept_candidate_dismiss(candidate=candidate, user=request.user),
            success=_("已忽略该候选词。"),
        )
        return redirect("kb:concept-candidates")
    raise Http404("no such action")


@editor_required
@require_POST
def mention_reject(request, pk: int):
    mention = selectors.mention_get(pk=pk)
    button_post(
        request,
        lambda data: mention_services.mention_reject(mention=mention, user=request.user),
        success=_("已否决该提及；重新检测时不会再出现。"),
    )
    return redirect_back(request, mention.concept.get_absolute_url())


@editor_required
@require_POST
def mention_create(request):
    form = MentionCreateForm(request.POST)
    button_post(
        request,
        lambda data: mention_services.mention_create(user=request.user, **data),
        form=form,
        invalid=_("无法添加提及：请选择段落中的文字和一个概念。"),
        success=_("已添加提及。"),
    )
    passage = form.cleaned_data.get("passage") if form.is_valid() else None
    return redirect_back(request, passage.get_absolute_url() if passage else "/")
