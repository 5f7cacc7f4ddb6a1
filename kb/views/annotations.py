"""Annotation endpoints: the JSON API, the reader margin fragment, reply form, orphans page.

Reading needs reader access and returns only what ``visible_to`` allows (an
annotation the user may not see is a 404, never a 403). Writing one's own
notes needs a signed-in user with a role; the services decide who may change
what and share with whom (``kb.services.audiences``).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kb.lib.params import int_or_none
from kb.models import Evidence
from kb.selectors import annotations as selectors
from kb.selectors import lookups
from kb.services import anchoring as anchoring_services
from kb.services import annotations as services
from kb.services.audiences import NOT_SIGNED_IN, can_annotate
from kb.services.versions import StaleEdit, parse_version
from kb.views.api import BadRequest, api_errors, json_body
from kb.views.conflicts import Field, conflict_page
from papers.access import editor_required, reader_required
from papers.selectors import paper_visible


def annotation_json(a) -> dict:
    rel = a.passage_span() if a.passage_id else None
    return {
        "id": a.pk,
        "paper": a.paper_id,
        "passage": a.passage_id,
        "start": a.start,
        "end": a.end,
        "passage_start": rel[0] if rel else None,
        "passage_end": rel[1] if rel else None,
        "exact": a.exact,
        "prefix": a.prefix,
        "suffix": a.suffix,
        "body": a.body,
        "body_html": a.body_html,
        "tags": list(a.tag_list),
        "visibility": a.visibility,
        "group": a.group_id,
        "color": a.color,
        "motivation": a.motivation,
        "parent": a.parent_id,
        "concept": a.concept.slug if a.concept_id else None,
        "creator": a.creator.get_username(),
        "anchor_status": a.anchor_status,
        "version": a.version,
        "created": a.created_at.isoformat(),
        "updated": a.updated_at.isoformat(),
    }


def _create(request, paper):
    data = json_body(request)
    passage = lookups.passage_current(paper_id=paper.pk, pk=int_or_none(data.get("passage")))
    if passage is None:
        raise BadRequest(anchoring_services.SELECTION_NOT_FOUND)
    concept = lookups.concept_with_slug(slug=data.get("concept"))
    tags = data.get("tags") or []
    if isinstance(tags, str):
        tags = tags.replace("，", ",").split(",")
    annotation = services.annotation_create(
        user=request.user,
        passage=passage,
        start=int_or_none(data.get("start")),
        end=int_or_none(data.get("end")),
        exact=str(data.get("exact") or ""),
        body=str(data.get("body") or ""),
        tags=tags,
        visibility=str(data.get("visibility") or "private"),
        group=data.get("group"),
        concept=concept,
        color=str(data.get("color") or ""),
    )
    return JsonResponse(annotation_json(annotation), status=201)


@reader_required
@require_http_methods(["GET", "POST"])
@api_errors
def api_paper_annotations(request, paper_pk: int):
    paper = paper_visible(paper_id=paper_pk, user=request.user)
    if request.method == "POST":  # any signed-in user, for their own notes
        if not can_annotate(request.user):  # refused before the body is even read
            raise PermissionDenied(NOT_SIGNED_IN)
        return _create(request, paper)
    items = [annotation_json(a) for a in selectors.annotation_list(user=request.user, paper=paper)]
    return JsonResponse({"paper": paper.pk, "total": len(items), "annotations": items})


@reader_required
@require_http_methods(["GET", "PATCH", "DELETE"])
@api_errors
def api_annotation(request, pk: int):
    annotation = selectors.annotation_get(pk=pk, user=request.user)
    if request.method == "GET":
        return JsonResponse(annotation_json(annotation))
    if request.method == "DELETE":
        services.annotation_delete(user=request.user, annotation=annotation)
        return HttpResponse(status=204)
    data = json_body(request)
    tags = data.get("tags")
    if isinstance(tags, str):
        tags = tags.replace("，", ",").split(",")
    annotation = services.annotation_update(
        user=request.user,
        annotation=annotation,
        body=data.get("body") if isinstance(data.get("body"), str) else None,
        tags=tags,
        visibility=data.get("visibility"),
        group=data.get("group"),
        version=parse_version(data.get("version")),
        color=data.get("color") if isinstance(data.get("color"), str) else None,
    )
    return JsonResponse(annotation_json(annotation))


@reader_required
@require_POST
def annotation_reply(request, pk: int):
    """Reply to a thread; a plain form (works without script) or JSON for the reader's script."""
    parent = selectors.annotation_get(pk=pk, user=request.user)
    wants_json = "application/json" in request.headers.get("Accept", "")
    try:
        reply = services.annotation_reply(user=request.user, parent=parent, body=request.POST.get("body", ""))
    except (ValidationError, PermissionDenied) as exc:
        status = 400 if isinstance(exc, ValidationError) else 403
        errors = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        if wants_json:
            return JsonResponse({"errors": errors}, status=status)
        if status == 403:
            raise
        messages.error(request, errors[0])
        return redirect(parent.get_absolute_url())
    if wants_json:
        return JsonResponse(annotation_json(reply), status=201)
    return redirect(parent.get_absolute_url())


@reader_required
@require_POST
def annotation_edit(request, pk: int):
    """The margin's edit form (a plain form: works without script)."""
    annotation = selectors.annotation_get(pk=pk, user=request.user)
    try:
        services.annotation_update(
            user=request.user,
            annotation=annotation,
            body=request.POST.get("body", ""),
            tags=request.POST.get("tags", "").replace("，", ",").split(","),
            visibility=request.POST.get("visibility") or None,
            version=parse_version(request.POST.get("version")),
            color=request.POST.get("color"),
        )
    except StaleEdit as exc:
        fields = [
            Field("body", _("评论（Markdown）"), request.POST.get("body", ""), "textarea"),
            Field("tags", _("标签（逗号分隔）"), request.POST.get("tags", "")),
            Field("visibility", "", request.POST.get("visibility", ""), "hidden"),
        ]
        if "color" in request.POST:
            fields.append(Field("color", "", request.POST["color"], "hidden"))
        action = reverse("kb:annotation-edit", args=[pk])
        return conflict_page(request, exc, action=action, back=annotation.get_absolute_url(), fields=fields)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect(annotation.get_absolute_url())


@reader_required
def annotation_detail(request, pk: int):
    """The page an annotation's IRI resolves to: the thread, with a link into the reader."""
    annotation = selectors.annotation_get(pk=pk, user=request.user)
    root = annotation.parent or annotation
    thread = selectors.annotation_list(user=request.user).filter(parent=root)
    return render(request, "kb/annotation_detail.html", {"annotation": root, "thread": list(thread)})


@reader_required
def annotation_margin(request, paper_pk: int):
    """The reader's margin alone: the same partial the reader page includes."""
    margin = selectors.annotation_margin(paper_id=paper_pk, user=request.user)
    return render(request, selectors.MARGIN_TEMPLATE, {"annotation_margin": margin, "paper": margin.paper})


@reader_required
def api_tags(request):
    names = selectors.tag_suggestions(user=request.user, q=request.GET.get("q", "").strip())
    return JsonResponse({"tags": names})


@editor_required
def orphan_list(request):
    annotations, evidence = selectors.orphan_list(user=request.user)
    return render(request, "kb/orphan_list.html", {"annotations": annotations, "evidence": evidence})


@editor_required
@require_POST
def orphan_reattach(request, kind: str, pk: int):
    if kind == "annotation":
        target = selectors.annotation_get(pk=pk, user=request.user)
        paper_id = target.paper_id
    else:
        target = get_object_or_404(Evidence.objects.select_related("claim", "revision"), pk=pk)
        paper_id = target.quoted_paper_id  # any paper: the one the quote came from
    passage = lookups.passage_current(paper_id=paper_id, order=int_or_none(request.POST.get("order")))
    try:
        if passage is None:
            raise ValidationError(anchoring_services.SELECTION_NOT_FOUND)
        anchoring_services.target_reattach(
            target=target, passage=passage, exact=request.POST.get("exact", "").strip(), user=request.user
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("已重新挂接。"))
    return redirect("kb:orphan-list")
