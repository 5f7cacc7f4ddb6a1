"""History of knowledge objects (annotations, claims, evidence, cross-references, concepts).

django-simple-history records every save and delete with the acting user.
``history_entries`` lists an object's records, newest first, each with the
fields that changed (before and after). ``history_restore`` brings an object
back to an earlier record; the restore is itself a recorded change, so nothing
is lost by restoring.

Who may do what:

- A version is shown only to those who could see it when it was current
  (``version_visible``): an annotation's private body stays its author's for
  ever, even after the annotation is shared. A hidden version is listed as
  such, without its content; a shown version that follows a hidden one shows
  its new values only, so no hidden text leaks through a diff.
- Restoring (or bringing back a deleted object) is an edit of the object as
  its owner left it: only its owner (``owner_id``) or an admin may do it; an
  object without an owner (a system suggestion, a thesaurus concept) any
  editor. The version restored must be one the user may see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kb.lib import roles
from kb.lib.markdown import render_markdown
from kb.models import Annotation, Claim, Concept, CrossReference, Evidence, GroupMembership, Visibility
from kb.models.citations import CitationStatement, ReferenceLink
from kb.search.service import search_index_enqueue, searchable
from kb.services.mentions import mentions_detect_all
from kb.services.versions import version_take

NOT_EDITOR = _("只有编辑可以恢复历史版本。")
WRONG_OBJECT = _("该历史记录不属于此对象。")
NOT_OWNER = _("只有创建者或管理员可以恢复此条目的历史版本。")
HIDDEN_VERSION = _("该版本对您不可见。")

TRACKED = {
    "annotation": Annotation,
    "claim": Claim,
    "evidence": Evidence,
    "crossreference": CrossReference,
    "referencelink": ReferenceLink,
    "citationstatement": CitationStatement,
    "concept": Concept,
}
SKIPPED_FIELDS = {"updated_at", "body_html", "version"}

# What the history page calls each tracked kind, and the fields whose model gives no label.
MODEL_LABELS = {
    "annotation": _("批注"),
    "claim": _("论断"),
    "evidence": _("证据"),
    "crossreference": _("交叉引用"),
    "referencelink": _("参考文献关联"),
    "citationstatement": _("引用陈述"),
    "concept": _("概念"),
}
FIELD_LABELS = {
    "passage": _("段落"),
    "revision": _("文本版本"),
    "prefix": _("前文"),
    "suffix": _("后文"),
    "start": _("起点"),
    "end": _("终点"),
    "anchor_status": _("定位状态"),
    "paper": _("论文"),
    "motivation": _("用途"),
    "visibility": _("可见范围"),
    "parent": _("所回复的批注"),
    "concept": _("概念"),
    "creator": _("创建者"),
    "tag_list": _("标签"),
    "reviewed_by": _("审核人"),
    "reviewed_at": _("审核时间"),
    "claim": _("论断"),
    "source_passage": _("源段落"),
    "target_passage": _("目标段落"),
    "source_claim": _("源论断"),
    "target_claim": _("目标论断"),
    "score": _("得分"),
    "reason": _("理由"),
    "confirmed_by": _("确认人"),
    "decided_by": _("决定人"),
    "rejected_papers": _("已否决的论文"),
    "cited_work": _("被引文献"),
    "slug": _("标识"),
    "definition_source": _("定义出处"),
    "merged_into": _("合并到"),
    "created_by": _("创建者"),
}
REASON_LABELS = {
    "reanchor": _("修订后重新定位"),
    "reattach": _("重新挂接"),
    "import": _("导入"),
    "history started": _("开始记录历史"),
    "review:approved": _("审核通过"),
    "review:rejected": _("审核驳回"),
}
RESTORED = _("恢复到版本 #%(id)s")
_RESTORED = re.compile(r"^restored #(\d+)$")


def field_label(model: type, name: str) -> str:
    """A field as people call it: the model's translated label, else ours, else its name."""
    try:
        verbose = model._meta.get_field(name).verbose_name
    except FieldDoesNotExist:
        verbose = None
    if isinstance(verbose, Promise):
        return str(verbose)
    return str(FIELD_LABELS.get(name, name))


def reason_label(reason: str | None) -> str:
    """Why a version was recorded, in the reader's language (the stored reason is a code)."""
    if not reason:
        return ""
    restored = _RESTORED.match(reason)
    if restored:
        return str(RESTORED % {"id": restored.group(1)})
    return str(REASON_LABELS.get(reason, reason))


@dataclass
class Change:
    field: str
    before: object
    after: object
    label: str = ""  # the field as the page names it (``field_label``)


@dataclass
class Entry:
    record: object
    kind: str  # created, changed, deleted
    changes: list[Change]
    hidden: bool = False  # a version the user could not see when it was current: no content shown

    @property
    def reason(self) -> str:
        return reason_label(getattr(self.record, "history_change_reason", None))


def version_visible(record, user, *, group_ids: set[int] | None = None) -> bool:
    """Could ``user`` see this version when it was current? (Only annotations have versions
    with narrower visibility; the rest of the history is for editors, who see them all.)
    A group version is shown to the group's members *now* (``group_ids``: the user's groups,
    when the caller has read them already)."""
    if isinstance(record.instance, Annotation):
        if record.creator_id == getattr(user, "pk", None):
            return True
        if record.visibility == Visibility.PUBLIC:
            return roles.can_read(user)
        if record.visibility == Visibility.GROUP:
            if group_ids is None:
                group_ids = _group_ids(user)
            return record.group_id is not None and record.group_id in group_ids
        return record.visibility == Visibility.EDITORS and roles.is_editor(user)
    return roles.is_editor(user)


def _group_ids(user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(GroupMembership.objects.filter(user=user).values_list("group_id", flat=True))


def owner_id(record) -> int | None:
    """The user who owns the object a record is a version of (``None``: nobody in particular)."""
    if isinstance(record.instance, Concept):
        return record.created_by_id
    if isinstance(record.instance, Evidence):
        return Claim.history.filter(id=record.claim_id).values_list("creator_id", flat=True).first()
    return getattr(record, "creator_id", None)  # citation links and statements: any editor


def can_restore(user, record) -> bool:
    if not roles.is_editor(user):
        return False
    if roles.is_admin(user):
        return True
    owner = owner_id(record)
    return owner is None or owner == user.pk


def history_entries(*, model: type, pk: int, user=None) -> list[Entry]:
    """The records of object ``pk``, newest first; with ``user``, those they could not see hidden."""
    records = list(
        model.history.filter(id=pk).select_related("history_user").order_by("-history_date", "-pk")
    )
    grouped = model is Annotation and any(r.visibility == Visibility.GROUP for r in records)
    group_ids = _group_ids(user) if user is not None and grouped else set()
    shown = [user is None or version_visible(r, user, group_ids=group_ids) for r in records]
    entries = []
    for i, record in enumerate(records):
        kind = {"+": "created", "~": "changed", "-": "deleted"}[record.history_type]
        if not shown[i]:
            entries.append(Entry(record=record, kind=kind, changes=[], hidden=True))
            continue
        changes: list[Change] = []
        if kind == "changed" and i + 1 < len(records):
            # Against the version before; when that one is hidden, its values are not shown.
            delta = record.diff_against(records[i + 1], foreign_keys_are_objs=False)
            changes = [
                Change(c.field, c.old if shown[i + 1] else None, c.new, field_label(model, c.field))
                for c in delta.changes
                if c.field not in SKIPPED_FIELDS
            ]
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
    latest = model.history.filter(id=pk).order_by("-history_date", "-pk").first()
    if not can_restore(user, latest):
        raise PermissionDenied(NOT_OWNER)
    if not version_visible(record, user):
        raise PermissionDenied(HIDDEN_VERSION)
    instance = record.instance
    instance._history_user = user
    instance._change_reason = f"restored #{history_id}"
    if isinstance(instance, Annotation):
        instance.body_html = render_markdown(instance.body)
    exists = model.objects.filter(pk=pk).exists()
    if exists:
        version_take(instance, version=None)
    else:
        instance.version = (latest.version or 0) + 1
    instance.full_clean(exclude=["tags", "broader", "related"], validate_unique=False)
    instance.save()
    if isinstance(instance, Annotation):
        instance.tags.set(list(instance.tag_list), clear=True)
    if isinstance(instance, Claim):
        instance.concepts.set([row.concept_id for row in record.concepts.all()])
    if isinstance(instance, Concept):
        instance.broader.set([row.to_concept_id for row in record.broader.all()])
        mentions_detect_all(concept_ids={instance.pk})
    if searchable(instance):
        search_index_enqueue(obj=instance)
    return instance
