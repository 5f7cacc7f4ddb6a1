"""Editors' writes on single concepts: create, update, edit (the form; a new label is a rename), merge.

Every change to labels or aliases re-detects that concept's mentions, so the
mentions always reflect the thesaurus. A merge moves mentions, links and claims to
the surviving concept and leaves the old row as a redirect (``merged_into``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from kb.lib.conceptmatch import fold_term
from kb.lib.usertext import clean_many, clean_text
from kb.models import Concept, Mention
from kb.models.concepts import ConceptCandidate
from kb.search.service import search_index_enqueue, search_index_enqueue_papers
from kb.services.aggregates import aggregates_refresh
from kb.services.mentions import concept_terms, mentions_detect_all
from kb.services.versions import version_take

CONCEPT_LABEL_TAKEN = _("已有同名概念：{label}")
CONCEPT_MERGE_SELF = _("不能把概念合并到它自己。")
CONCEPT_MERGE_MERGED = _("该概念已被合并。")
CONCEPT_BROADER_CYCLE = _("上位概念不能是它自己或它的下位概念。")
CONCEPT_LABEL_REQUIRED = _("请填写中文名。")
CONCEPT_RELATED_HIERARCHY = _("“{label}”是它的上位或下位概念，不能同时作为相关概念（SKOS 不允许）。")


def clean_aliases(aliases, *, exclude: tuple[str, ...] = ()) -> list[str]:
    seen = {fold_term(x) for x in exclude if x}
    out = []
    for alias in aliases or []:
        alias = " ".join(str(alias).split())
        key = fold_term(alias)
        if alias and key and key not in seen:
            seen.add(key)
            out.append(alias)
    return out


def _unique_slug(base: str, *, exclude_pk: int | None = None) -> str:
    base = (slugify(base, allow_unicode=True) or "concept")[:180]
    slug, n = base, 2
    while Concept.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def as_concepts(value) -> list[Concept]:
    """``broader`` as callers give it: a concept, several, or none."""
    if value is None:
        return []
    if isinstance(value, Concept):
        return [value]
    return list(value)


def check_broader(concept: Concept, broader) -> None:
    """Refuse ``broader`` concepts that would put ``concept`` above itself (a cycle).

    Walks up from the proposed broader concepts, one query per level of the hierarchy.
    """
    level = {c.pk for c in as_concepts(broader)}
    seen: set[int] = set()
    while level:
        if concept.pk and concept.pk in level:
            raise ValidationError(CONCEPT_BROADER_CYCLE)
        seen |= level
        level = (
            set(
                Concept.broader.through.objects.filter(from_concept_id__in=level).values_list(
                    "to_concept_id", flat=True
                )
            )
            - seen
        )


def walk_hierarchy(start: set[int], *, up: bool) -> set[int]:
    """Every concept above (``up``) or below ``start``'s concepts, one query per level."""
    through = Concept.broader.through.objects
    here, there = ("from_concept_id", "to_concept_id") if up else ("to_concept_id", "from_concept_id")
    seen: set[int] = set()
    level = set(start)
    while level:
        level = set(through.filter(**{f"{here}__in": level}).values_list(there, flat=True)) - seen
        seen |= level
    return seen


def check_related(concept: Concept, *, broader, related) -> None:
    """Refuse a ``related`` concept that is above or below ``concept`` in the hierarchy
    (``broader`` its broader concepts after the change), directly or through others."""
    related = [c for c in related or () if c.pk != concept.pk]
    if not related:
        return
    parents = {c.pk for c in as_concepts(broader)}
    family = parents | walk_hierarchy(parents, up=True)
    if concept.pk:
        family |= walk_hierarchy({concept.pk}, up=False)
    for other in related:
        if other.pk in family:
            raise ValidationError(CONCEPT_RELATED_HIERARCHY.format(label=other.label_zh))


def _no_cycle(concept: Concept, broader: Concept) -> bool:
    try:
        check_broader(concept, [broader])
    except ValidationError:
        return False
    return True


def _check_label_free(label_zh: str, *, exclude_pk: int | None = None) -> None:
    if Concept.objects.filter(label_zh=label_zh).exclude(pk=exclude_pk).exists():
        raise ValidationError(CONCEPT_LABEL_TAKEN.format(label=label_zh))


@transaction.atomic
def concept_create(
    *,
    label_zh: str,
    label_en: str = "",
    aliases=(),
    definition: str = "",
    group: str = "",
    broader=None,
    related: Iterable[Concept] = (),
    slug: str = "",
    user=None,
    detect: bool = True,
) -> Concept:
    """A new concept (its mentions detected at once unless ``detect`` is off)."""
    label_zh, label_en, group = (clean_text(v, limit="line") for v in (label_zh, label_en, group))
    aliases, definition = clean_many(aliases or ()), clean_text(definition, limit="definition")
    label_zh = label_zh.strip()
    if not label_zh:
        raise ValidationError(CONCEPT_LABEL_REQUIRED)
    _check_label_free(label_zh)
    related = list(related or ())
    check_related(Concept(), broader=broader, related=related)
    concept = Concept(
        label_zh=label_zh,
        label_en=label_en.strip(),
        slug=slug or _unique_slug(label_en or label_zh),
        aliases=clean_aliases(aliases, exclude=(label_zh, label_en)),
        definition=definition.strip(),
        group=group.strip(),
        created_by=user,
    )
    concept.full_clean()
    concept.save()
    if broader:
        concept.broader.set(as_concepts(broader))
    if related:
        concept.related.set(related)
    if detect:
        mentions_detect_all(concept_ids={concept.pk})
    search_index_enqueue(obj=concept)
    return concept


@transaction.atomic
def concept_update(
    *,
    concept: Concept,
    user=None,
    label_zh: str | None = None,
    label_en: str | None = None,
    aliases=None,
    definition: str | None = None,
    group: str | None = None,
    broader=False,
    related=None,
    detect: bool = True,
    version: int | None = None,
) -> Concept:
    """Edit a concept. ``broader``: ``False`` leaves it as is; ``None`` or ``[]`` clears it;
    a concept or several set it. ``version``: the one the edit was based on (``StaleEdit``
    when another save came first)."""
    label_zh, label_en, group = (
        v if v is None else clean_text(v, limit="line") for v in (label_zh, label_en, group)
    )
    aliases = None if aliases is None else clean_many(aliases)
    definition = None if definition is None else clean_text(definition, limit="definition")
    version_take(concept, version=version)
    if user is not None:
        concept._history_user = user
    before = set(map(fold_term, concept_terms(concept)))
    if label_zh is not None:
        label_zh = label_zh.strip()
        if not label_zh:
            raise ValidationError(CONCEPT_LABEL_REQUIRED)
        _check_label_free(label_zh, exclude_pk=concept.pk)
        concept.label_zh = label_zh
    if label_en is not None:
        concept.label_en = label_en.strip()
    if aliases is not None:
        concept.aliases = clean_aliases(aliases, exclude=(concept.label_zh, concept.label_en))
    if definition is not None:
        concept.definition = definition.strip()
    if group is not None:
        concept.group = group.strip()
    if broader is not False:
        broader = [c for c in as_concepts(broader) if c.pk != concept.pk]
        check_broader(concept, broader)
    if broader is not False or related is not None:
        related = None if related is None else [c for c in related if c.pk != concept.pk]
        check_related(
            concept,
            broader=list(concept.broader.all()) if broader is False else broader,
            related=list(concept.related.all()) if related is None else related,
        )
    concept.full_clean()
    concept.save()
    if broader is not False:
        concept.broader.set(broader)
    if related is not None:
        concept.related.set(related)
    if detect and set(map(fold_term, concept_terms(concept))) != before:
        mentions_detect_all(concept_ids={concept.pk})
    search_index_enqueue(obj=concept)
    return concept


@transaction.atomic
def concept_edit(
    *,
    concept: Concept,
    user,
    label_zh: str,
    label_en: str,
    aliases: list[str],
    definition: str,
    group: str,
    broader: Iterable[Concept],
    related: Iterable[Concept],
    version: int | None = None,
) -> Concept:
    """Save the edit form: every field at once.

    A new Chinese label is a rename: the old labels join the aliases, so text that
    said the old name still mentions the concept. Aliases the editor removed stay removed.
    """
    if label_zh.strip() != concept.label_zh:
        aliases = [*aliases, concept.label_zh, concept.label_en]
    return concept_update(
        concept=concept,
        user=user,
        label_zh=label_zh,
        label_en=label_en,
        aliases=aliases,
        definition=definition,
        group=group,
        broader=broader,
        related=related,
        version=version,
    )


@transaction.atomic
def concept_merge(*, source: Concept, target: Concept, user=None) -> Concept:
    """Fold ``source`` into ``target``: mentions, narrower/related links, claims, labels as aliases."""
    if source.pk == target.pk:
        raise ValidationError(CONCEPT_MERGE_SELF)
    if source.merged_into_id or target.merged_into_id:
        raise ValidationError(CONCEPT_MERGE_MERGED)
    # Two queries however many mentions move: a span the target already has is dropped, not doubled.
    existing = set(Mention.objects.filter(concept=target).values_list("passage_id", "start", "end"))
    doubled = [
        pk
        for pk, *span in Mention.objects.filter(concept=source).values_list(
            "pk", "passage_id", "start", "end"
        )
        if tuple(span) in existing
    ]
    # Passages and claims carry concept ids in the index: their papers and claims are redone.
    papers = set(
        Mention.objects.filter(concept=source).values_list("passage__paper_id", flat=True).distinct()
    )
    claims = list(source.claims.all())
    Mention.objects.filter(pk__in=doubled).delete()
    Mention.objects.filter(concept=source).update(concept=target)
    # The hierarchy: the source's narrower concepts now sit under the target, and the target
    # under the source's broader ones; a link that would put a concept above itself is dropped.
    for child in source.narrower.exclude(pk=target.pk):
        child.broader.remove(source)
        if _no_cycle(child, target):
            child.broader.add(target)
    target.broader.remove(source)
    for parent in source.broader.exclude(pk=target.pk):
        if _no_cycle(target, parent):
            target.broader.add(parent)
    # Related links that would now sit inside the target's hierarchy are dropped (SKOS forbids them).
    family = walk_hierarchy({target.pk}, up=True) | walk_hierarchy({target.pk}, up=False)
    target.related.add(*source.related.exclude(pk__in={target.pk, *family}))
    source.related.clear()
    # One claim at a time, so that each claim's history records the change of its concepts.
    for claim in source.claims.all():
        claim.concepts.add(target)
        claim.concepts.remove(source)
    target.aliases = clean_aliases(
        [*(target.aliases or []), source.label_zh, source.label_en, *(source.aliases or [])],
        exclude=(target.label_zh, target.label_en),
    )
    if not target.definition and source.definition:
        target.definition = source.definition
        target.definition_source = source.definition_source
        target.definition_quote = source.definition_quote
    target.full_clean()
    target.save()
    ConceptCandidate.objects.filter(concept=source).update(concept=target)
    source.merged_into = target
    source.broader.clear()
    source.full_clean()
    source.save()
    aggregates_refresh(paper_ids=papers)
    search_index_enqueue_papers(paper_ids=papers)
    for obj in (*claims, source, target):  # the merged concept's document goes
        search_index_enqueue(obj=obj)
    return target
