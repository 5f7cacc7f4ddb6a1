"""Editors' decisions on cross-references between passages: confirm or reject a
suggestion, or link two passages by hand (confirmed at once).

Each decision records the editor as ``creator``; a decided pair is never suggested again.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kb.lib import roles
from kb.lib.usertext import clean_text
from kb.models import CrossReference, CrossRefStatus, Relation
from kb.services.versions import version_take
from papers.models import Passage

CROSSREF_SAME_PAPER = _("交叉引用须连接两篇不同论文的段落。")
CROSSREF_EXISTS = _("这两个段落之间已有相同关系的交叉引用。")
CROSSREF_NOT_SUGGESTED = _("该建议已被处理。")
CROSSREF_BAD_RELATION = _("未知的关系类型。")
CROSSREF_NOT_EDITOR = _("只有编辑可以创建交叉引用。")


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
def crossref_confirm(
    *, crossref: CrossReference, relation: str, note: str = "", user, version: int | None = None
) -> CrossReference:
    """Accept a suggestion, giving it a relation type and a note. ``version``: the one the
    decision was based on (``StaleEdit`` when another editor decided first)."""
    note = clean_text(note, limit="note")
    version_take(crossref, version=version)
    crossref.refresh_from_db(fields=["status"])
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
def crossref_reject(*, crossref: CrossReference, user, version: int | None = None) -> CrossReference:
    """Turn a suggestion down; the row stays, so the pair is never suggested again."""
    version_take(crossref, version=version)
    crossref.refresh_from_db(fields=["status"])
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
    """An editor links two passages of different papers by hand (confirmed at once): the reader's
    cross-reference tool."""
    if not roles.is_editor(user):
        raise PermissionDenied(CROSSREF_NOT_EDITOR)
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
        note=clean_text(note, limit="note").strip(),
        status=CrossRefStatus.CONFIRMED,
        creator=user,
    )
    _check_unique(crossref)
    crossref.full_clean()
    crossref.save()
    return crossref
