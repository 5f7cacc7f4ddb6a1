"""History of knowledge objects (annotations, claims, evidence, cross-references).

django-simple-history records every save and delete with the acting user.
``history_entries`` lists an object's records, newest first, each with the
fields that changed (before and after). ``history_restore`` brings an object
back to an earlier record; the restore is itself a recorded change, so nothing
is lost by restoring. Only editors restore, and only what they can see.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from kb.lib import roles
from kb.lib.markdown import render_markdown
from kb.models import Annotation, Claim, CrossReference, Evidence
from kb.search.service import search_index_enqueue, searchable

NOT_EDITOR = "只有编辑可以恢复历史版本。"
WRONG_OBJECT = "该历史记录不属于此对象。"

TRACKED = {
    "annotation": Annotation,
    "claim": Claim,
    "evidence": Evidence,
    "crossreference": CrossReference,
}
SKIPPED_FIELDS = {"updated_at", "body_html"}


@dataclass
class Change:
    field: str
    before: object
    after: object


@dataclass
class Entry:
    record: object
    kind: str  # created, changed, deleted
    changes: list[Change]


def history_entries(*, model: type, pk: int) -> list[Entry]:
    records = list(
        model.history.filter(id=pk).select_related("history_user").order_by("-history_date", "-pk")
    )
    entries = []
    for i, record in enumerate(records):
        previous = records[i + 1] if i + 1 < len(records) else None
        kind = {"+": "created", "~": "changed", "-": "deleted"}[record.history_type]
        changes: list[Change] = []
        if previous is not None and kind == "changed":
            delta = record.diff_against(previous, foreign_keys_are_objs=False)
            changes = [Change(c.field, c.old, c.new) for c in delta.changes if c.field not in SKIPPED_FIELDS]
        entries.append(Entry(record=record, kind=kind, changes=changes))
    return entries


@transaction.atomic
def history_restore(*, user, model: type, pk: int, history_id: int):
    """Restore object ``pk`` of ``model`` to its record ``history_id`` (recreating it if deleted)."""
    if not roles.is_editor(user):
        raise PermissionDenied(NOT_EDITOR)
    record = model.history.filter(id=pk, history_id=history_id).first()
    if record is None:
        raise ValidationError(WRONG_OBJECT, code="wrong_object")
    instance = record.instance
    instance._history_user = user
    instance._change_reason = f"restored #{history_id}"
    if isinstance(instance, Annotation):
        instance.body_html = render_markdown(instance.body)
    instance.full_clean(exclude=["tags"], validate_unique=False)
    instance.save()
    if isinstance(instance, Annotation):
        instance.tags.set(list(instance.tag_list), clear=True)
    if isinstance(instance, Claim):
        instance.concepts.set([row.concept_id for row in record.concepts.all()])
    if searchable(instance):
        search_index_enqueue(obj=instance)
    return instance
