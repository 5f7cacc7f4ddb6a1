"""Claim pages and endpoints: create from a selection, claim page, review, relations,
per-concept comparison, claim graph, and passage cross-references from the reader."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kb.forms.claims import ClaimEditForm
from kb.lib.params import int_or_none
from kb.models import ClaimStatus, CrossReference
from kb.models.claims import Stance
from kb.selectors import claim_matrix, lookups
from kb.selectors import claims as selectors
from kb.selectors.claim_evidence import passage_for_evidence
from kb.selectors.concept_names import concepts_resolve
from kb.services import anchoring as anchoring_services
from kb.services import claims as services
from kb.services import crossrefs as crossref_services
from kb.services.versions import StaleEdit
from kb.views.api import BadRequest, api_errors, json_body
from kb.views.conflicts import Field, conflict_page
from papers.access import editor_required, reader_required
from papers.models import Passage
from papers.selectors import paper_visible

MAX_EVIDENCE = 20  # quotes in one new claim


def _stance(value) -> str:
    return str(value or Stance.SUPPORTS)


def _passage(paper, value) -> Passage:
    passage = lookups.passage_current(paper_id=paper.pk, pk=int_or_none(value))
    if passage is None:
        raise BadRequest(anchoring_services.SELECTION_NOT_FOUND)
    return passage


@editor_required
@require_POST
@api_errors
def api_claim_create(request, paper_pk: int):
    paper = paper_visible(paper_id=paper_pk, user=request.user)
    data = json_body(request)
    items = data.get("evidence") if isinstance(data.get("evidence"), list) else []
    evidence = [
        {
            "passage": _passage(paper, item.get("passage")),
            "start": int_or_none(item.get("start")),
            "end": int_or_none(item.get("end")),
            "exact": str(item.get("exact") or ""),
            "stance": _stance(item.get("stance")),
        }
        for item in items[:MAX_EVIDENCE]
        if isinstance(item, dict)
    ]
    # By label, alias or slug; a name that matches no concept is a 400 naming it.
    concepts = concepts_resolve(names=data.get("concepts"))
    claim = services.claim_create(
        user=request.user,
        paper=paper,
        statement=str(data.get("statement") or ""),
        kind=str(data.get("kind") or "thesis"),
        concepts=concepts,
        evidence=evidence,
    )
    return _claim_created(claim)


def _claim_created(claim, *, evidence=None) -> JsonResponse:
    body = {"id": claim.pk, "url": claim.get_absolute_url(), "status": claim.status}
    if evidence is not None:
        body.update(evidence=evidence.pk, stance=evidence.stance)
    return JsonResponse(body, status=201)


@editor_required
@require_POST
@api_errors
def api_evidence_add(request, pk: int):
    """Another evidence quote for an existing claim, from a selection in any paper the editor reads."""
    claim = selectors.claim_get(pk=pk, user=request.user)
    data = json_body(request)
    passage = passage_for_evidence(pk=int_or_none(data.get("passage")), user=request.user)
    if passage is None:
        raise BadRequest(anchoring_services.SELECTION_NOT_FOUND)
    evidence = services.evidence_add(
        user=request.user,
        claim=claim,
        passage=passage,
        start=int_or_none(data.get("start")),
        end=int_or_none(data.get("end")),
        exact=str(data.get("exact") or ""),
        stance=_stance(data.get("stance")),
    )
    return _claim_created(claim, evidence=evidence)


@editor_required
@require_POST
@api_errors
def api_crossref_create(request, paper_pk: int):
    """A cross-reference from a selected passage to a passage of another paper (``p-<order>``)."""
    paper = paper_visible(paper_id=paper_pk, user=request.user)
    data = json_body(request)
    source = _passage(paper, data.get("passage"))
    target_paper = paper_visible(paper_id=int_or_none(data.get("target_paper")) or 0, user=request.user)
    target = lookups.passage_current(paper_id=target_paper.pk, order=int_or_none(data.get("target_order")))
    if target is None:
        raise BadRequest(anchoring_services.SELECTION_NOT_FOUND)
    crossref = crossref_services.crossref_create(
        user=request.user,
        source=source,
        target=target,
        relation=str(data.get("relation") or "same_topic"),
        note=str(data.get("note") or ""),
    )
    return JsonResponse({"id": crossref.pk, "target_url": target.get_absolute_url()}, status=201)


@reader_required
def claim_list(request):
    status = request.GET.get("status", "")
    status = status if status in ClaimStatus.values else ""
    context = claim_matrix.claim_list_filtered(  # narrowed by the comparison matrix's claim cells
        user=request.user,
        status=status,
        concept_slug=request.GET.get("concept", "")[:200],
        paper_id=int_or_none(request.GET.get("paper")),
    )
    return render(
        request, "kb/claim_list.html", {**context, "status": status, "statuses": ClaimStatus.choices}
    )


def _edit_form(claim, concepts) -> ClaimEditForm:
    names = "，".join(c.label_zh for c in concepts)
    initial = {"statement": claim.statement, "kind": claim.kind, "concepts": names, "version": claim.version}
    return ClaimEditForm(initial=initial)


@reader_required
def claim_detail(request, pk: int):
    context = selectors.claim_detail(pk=pk, user=request.user)
    context["edit_form"] = _edit_form(context["claim"], context["concepts"])
    return render(request, "kb/claim_detail.html", context)


@editor_required
@require_POST
def claim_review(request, pk: int):
    claim = selectors.claim_get(pk=pk, user=request.user)
    try:
        services.claim_review(user=request.user, claim=claim, decision=request.POST.get("decision", ""))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect(claim)


@editor_required
@require_POST
def claim_edit(request, pk: int):
    """The claim page's edit form. Invalid input (an unknown concept name …) shows the page
    again with the form open, the errors and the text as typed."""
    claim = selectors.claim_get(pk=pk, user=request.user)
    form = ClaimEditForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors)
        services.claim_update(
            user=request.user,
            claim=claim,
            statement=form.cleaned_data["statement"],
            kind=form.cleaned_data["kind"],
            concepts=form.cleaned_data["concepts"],
            version=form.cleaned_data["version"],
        )
    except StaleEdit as exc:
        fields = [
            Field("statement", _("论断陈述"), request.POST.get("statement", ""), "textarea"),
            Field("kind", "", request.POST.get("kind", ""), "hidden"),
            Field("concepts", _("概念（名称，逗号分隔）"), request.POST.get("concepts", "")),
        ]
        action = reverse("kb:claim-edit", args=[pk])
        return conflict_page(request, exc, action=action, back=claim.get_absolute_url(), fields=fields)
    except ValidationError as exc:
        if not form.errors:
            form.add_error(None, exc)
        context = selectors.claim_detail(pk=pk, user=request.user)
        context["edit_form"] = form
        return render(request, "kb/claim_detail.html", context, status=400)
    return redirect(claim)


@editor_required
@require_POST
def claim_relation_create(request, pk: int):
    claim = selectors.claim_get(pk=pk, user=request.user)
    target_pk = int_or_none(request.POST.get("target"))
    target = selectors.claim_get(pk=target_pk, user=request.user) if target_pk else None
    try:
        if target is None:
            raise ValidationError(services.BAD_RELATION)
        services.claim_relation_create(
            user=request.user,
            source=claim,
            target=target,
            relation=request.POST.get("relation", ""),
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("已添加关系。"))
    return redirect(claim)


@editor_required
@require_POST
def relation_delete(request, pk: int):
    crossref = get_object_or_404(CrossReference, pk=pk, source_claim__isnull=False)
    claim = selectors.claim_get(pk=crossref.source_claim_id, user=request.user)
    services.relation_delete(user=request.user, crossref=crossref)
    return redirect(claim)


@reader_required
def concept_claims(request, slug: str):
    return render(
        request, "kb/concept_claims.html", selectors.concept_claim_comparison(slug=slug, user=request.user)
    )


@reader_required
def claim_graph(request):
    context = selectors.claim_graph(user=request.user, concept_slug=request.GET.get("concept", ""))
    return render(request, "kb/claim_graph.html", context)
