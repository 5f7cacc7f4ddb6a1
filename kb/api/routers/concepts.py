"""Concepts of the thesaurus (labels, aliases, broader / narrower / related) and their mentions.

Concepts are read by any reader, as the concept pages are; mention counts and mentions
only cover active mentions in current passages of papers the caller may read
(``kb.selectors.concepts.active_mentions``). A merged concept is still found by its slug
and names the concept it was merged into.
"""

from __future__ import annotations

from typing import Annotated

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import Field, Path, Query, Router, Schema

from kb.api.auth import caller
from kb.api.common import ERRORS, ERRORS_404, PageParams, absolute, paginate, paper_ref, passage_ref
from kb.api.routers.papers import present_mention
from kb.api.schemas import TEXT_PATTERN, ConceptDetail, ConceptPage, MentionPage
from kb.lib.textnorm import fold
from kb.models import Concept, MentionStatus
from kb.selectors.concepts import active_mentions
from papers.models import Paper

router = Router(tags=["concepts"])

Slug = Annotated[str, Path(..., description="The concept's slug (as in its page's URL)")]


class ConceptFilters(Schema):
    group: str | None = Field(None, pattern=TEXT_PATTERN, max_length=40, description="Thematic group")
    q: str | None = Field(
        None, pattern=TEXT_PATTERN, max_length=200, description="Part of a label or alias (any case)"
    )


class MentionFilters(Schema):
    paper: int | None = Field(None, ge=1, le=2**31 - 1, description="Only mentions in this paper")


def _concepts(user):
    active = Q(
        mentions__status=MentionStatus.ACTIVE,
        mentions__passage__revision__is_current=True,
        mentions__passage__paper__in=Paper.objects.visible_to(user),
    )
    live = Concept.objects.filter(merged_into=None)
    return Concept.objects.prefetch_related(
        Prefetch("broader", queryset=live.only("slug").order_by("slug"))
    ).annotate(mention_count=Count("mentions", filter=active))


def _matching(q: str) -> list[int]:
    """Concepts with ``q`` in a label, the slug or an alias, in either script and any width
    (folded as the search folds). Aliases are a JSON list, which SQL cannot match
    portably, and the thesaurus is small: one query, compared here."""
    needle = fold(q.strip()).lower()
    rows = Concept.objects.filter(merged_into=None).values_list(
        "pk", "label_zh", "label_en", "slug", "aliases"
    )
    return [
        pk
        for pk, label_zh, label_en, slug, aliases in rows
        if any(
            needle in fold(name).lower()
            for name in (label_zh, label_en, slug, *(a for a in aliases or [] if isinstance(a, str)))
        )
    ]


def _summary(request, concept: Concept) -> dict:
    return {
        "id": concept.pk,
        "slug": concept.slug,
        "label_zh": concept.label_zh,
        "label_en": concept.label_en,
        "aliases": [a for a in concept.aliases or [] if isinstance(a, str)],
        "group": concept.group,
        "broader": [b.slug for b in concept.broader.all()],
        "mention_count": concept.mention_count,
        "html_url": absolute(request, concept.get_absolute_url()),
    }


@router.get(
    "",
    response={200: ConceptPage, **ERRORS},
    url_name="concept-list",
    summary=_("概念列表"),
    description=_("叙词表中的概念（不含已合并的），按提及次数排序；可按分组或名称筛选。"),
)
def concept_list(request, filters: Query[ConceptFilters], paging: Query[PageParams]):
    concepts = _concepts(caller(request)).filter(merged_into=None)
    if filters.group:
        concepts = concepts.filter(group=filters.group)
    if filters.q and filters.q.strip():
        concepts = concepts.filter(pk__in=_matching(filters.q))
    concepts = concepts.order_by("-mention_count", "label_zh", "pk")
    return paginate(request, concepts, paging, lambda c: _summary(request, c))


def _concept(slug: str, user) -> Concept:
    concept = (
        _concepts(user)
        .select_related("merged_into", "definition_source__paper")
        .prefetch_related(
            Prefetch(
                "narrower", queryset=Concept.objects.filter(merged_into=None).only("slug").order_by("slug")
            ),
            Prefetch(
                "related", queryset=Concept.objects.filter(merged_into=None).only("slug").order_by("slug")
            ),
        )
        .filter(slug=slug)
        .first()
    )
    if concept is None:
        raise Http404("no such concept")
    return concept


@router.get(
    "/{slug}",
    response={200: ConceptDetail, **ERRORS_404},
    url_name="concept-detail",
    summary=_("概念详情"),
    description=_("一个概念的中英文名、别名、定义及其出处段落、上位/下位/相关概念。"),
)
def concept_detail(request, slug: Slug):
    user = caller(request)
    concept = _concept(slug, user)
    data = _summary(request, concept)
    source = concept.definition_source
    # The defining passage is named only when its paper is one the caller may read.
    if source is not None and not Paper.objects.visible_to(user).filter(pk=source.paper_id).exists():
        source = None
    data.update(
        {
            "definition": concept.definition,
            "definition_source": None
            if source is None
            else {"paper": paper_ref(source.paper), "passage": passage_ref(source)},
            "narrower": [c.slug for c in concept.narrower.all()],
            "related": [c.slug for c in concept.related.all()],
            "merged_into": concept.merged_into.slug if concept.merged_into_id else None,
        }
    )
    return data


@router.get(
    "/{slug}/mentions",
    response={200: MentionPage, **ERRORS_404},
    url_name="concept-mentions",
    summary=_("概念的提及"),
    description=_("概念在调用者可读论文中的有效提及，按年份倒序；可限定一篇论文。"),
)
def concept_mentions(request, slug: Slug, filters: Query[MentionFilters], paging: Query[PageParams]):
    user = caller(request)
    concept = Concept.objects.filter(slug=slug).first()
    if concept is None:
        raise Http404("no such concept")
    mentions = active_mentions(user=user).filter(concept=concept)
    if filters.paper:
        mentions = mentions.filter(passage__paper_id=filters.paper)  # within the readable papers
    mentions = mentions.select_related("concept", "passage__paper").order_by(
        "-passage__paper__year", "passage__paper_id", "passage__order", "start", "pk"
    )
    return paginate(request, mentions, paging, present_mention)
