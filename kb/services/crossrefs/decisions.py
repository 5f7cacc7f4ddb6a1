"""Editors' decisions on cross-references between passages: confirm or reject a
suggestion, or link two passages by hand (confirmed at once).

Each decision records the editor as ``creator``; a decided pair is never suggested again.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from kb.models import CrossReference, CrossRefStatus, Relation
from papers.models import Passage

CROSSREF_SAME_PAPER = "交叉引用须连接两篇不同论文的段落。"
CROSSREF_EXISTS = "这两个段落之间已有相同关系的交叉引用。"
CROSSREF_NOT_SUGGESTED = "该建议已被处理。"
CROSSREF_BAD_RELATION = "未知的关系类型。"


def _check_relation(relation: str) -> None:
    if relation not in Relation.values:
        raise ValidationError(CROSSREF_BAD_RELATION)


def _check_unique(crossref: CrossReference) -> None:
    clash = CrossReference.objects.filter(
        source_passage=crossref.source_passage,
        target_passage=crossref.target_passage,
        relation=crossref.relation,
    ).exclude(pk=crossref.pk)
    if clash.exists():
        raise ValidationError(CROSSREF_EXISTS)


@transaction.atomic
def crossref_confirm(*, crossref: CrossReference, relation: str, note: str = "", user) -> CrossReference:
    """Accept a suggestion, giving it a relation type and a note."""
    if crossref.status != CrossRefStatus.SUGGESTED:
        raise ValidationError(CROSSREF_NOT_SUGGESTED)
    _check_relation(relation)
    crossref.relation = relation
    crossref.note = note.strip()
    crossref.status = CrossRefStatus.CONFIRMED
    crossref.creator = user
    _check_unique(crossref)
    crossref.full_clean()
    crossref.save()
    return crossref


@transaction.atomic
def crossref_reject(*, crossref: CrossReference, user) -> CrossReference:
    """Turn a suggestion down; the row stays, so the pair is never suggested again."""
    if crossref.status != CrossRefStatus.SUGGESTED:
        raise ValidationError(CROSSREF_NOT_SUGGESTED)
    crossref.status = CrossRefStatus.REJECTED
    crossref.creator = user
    crossref.full_clean()
    crossref.save()
    return crossref


@transaction.atomic
def crossref_create(
    *, source: Passage, target: Passage, relation: str, note: str = "", user
) -> CrossReference:
    """An editor links two passages of different papers by hand (confirmed at once)."""
    if source.paper_id == target.paper_id:
        raise ValidationError(CROSSREF_SAME_PAPER)
    _check_relation(relation)
    open_suggestion = CrossReference.objects.filter(
        Q(source_passage=source, target_passage=target) | Q(source_passage=target, target_passage=source),
        status=CrossRefStatus.SUGGESTED,
    ).first()
    if open_suggestion is not None:
        open_suggestion.source_passage, open_suggestion.target_passage = source, target
        open_suggestion.status = CrossRefStatus.SUGGESTED
        return crossref_confirm(crossref=open_suggestion, relation=relation, note=note, user=user)
    crossref = CrossReference(
        source_passage=source,
        target_passage=target,
        relation=relation,
        note=note.strip(),
        status=CrossRefStatus.CONFIRMED,
        creator=user,
    )
    _check_unique(crossref)
    crossref.full_clean()
    crossref.save()
    return crossref
