"""Optimistic locking: no edit silently overwrites another.

Paper metadata (``papers``) and annotations, evidence, claims, concepts and
cross-references (``kb``) carry a ``version`` column. An edit form or API write
sends the version it was based on; the service calls ``version_take`` inside its
transaction before saving. That is one conditional ``UPDATE … WHERE version =
<expected>``: the row lock it takes makes a concurrent save of the same object
wait, then find the version moved on. A stale edit raises ``StaleEdit`` (a
``ValidationError``) carrying what changed since the version the user saw (from
the object's history) and the current version, so the form can show both and
keep the user's text. ``version=None`` means the caller did not say (internal
writes, old clients): the version is still bumped, so any form opened before
goes stale.

It lives in ``papers`` because both apps use it and ``papers`` never imports the
knowledge layer; it knows no model of either (``kb.services.versions`` re-exports it).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import F
from django.utils.translation import gettext_lazy as _

STALE = _(
    "保存未完成：此条目在您打开之后已被{who}修改（第 {base} 版 → 第 {current} 版）。您的文字仍在表单中；请查看改动后再保存。"
)
SKIPPED = {"updated_at", "body_html", "version", "history_change_reason"}


@dataclass
class FieldChange:
    field: str
    before: object
    after: object
    label: str = ""  # the field's verbose name, as the form calls it


class StaleEdit(ValidationError):
    """The object changed since ``base``: ``current`` is its version now, ``changes`` the fields
    that differ, ``who`` who saved last."""

    def __init__(self, *, base: int, current: int, changes: list[FieldChange], who: str):
        super().__init__(
            STALE.format(who=who or "他人", base=base, current=current),
            code="stale",
            params=None,
        )
        self.base, self.current, self.changes, self.who = base, current, changes, who

    def as_json(self) -> dict:
        return {
            "errors": self.messages,
            "version": self.current,
            "changes": [
                {"field": c.field, "before": _plain(c.before), "after": _plain(c.after)} for c in self.changes
            ],
        }


def _plain(value):
    return value if isinstance(value, str | int | float | bool | list | dict | type(None)) else str(value)


def parse_version(value) -> int | None:
    """A version as forms and JSON send it; absent or malformed is ``None`` (unchecked)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def changes_since(obj, base: int) -> tuple[list[FieldChange], str]:
    """Fields of ``obj`` (as saved now) that differ from its last saved state at version ``base``,
    and who saved the current state."""
    history = getattr(type(obj), "history", None)
    if history is None:
        return [], ""
    records = history.filter(id=obj.pk).select_related("history_user").order_by("-history_date", "-pk")
    latest = records.first()
    old = records.filter(version=base).first()
    who = latest.history_user.get_username() if latest is not None and latest.history_user else ""
    if latest is None or old is None or latest.pk == old.pk:
        return [], who
    delta = latest.diff_against(old, foreign_keys_are_objs=False)
    return [
        FieldChange(c.field, c.old, c.new, _label(type(obj), c.field))
        for c in delta.changes
        if c.field not in SKIPPED
    ], who


def _label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def version_take(obj, *, version: int | None) -> None:
    """Claim ``obj``'s row for this edit: refuse when ``version`` is stale, then bump it.

    Call inside the service's transaction, before ``save()``; ``obj.version`` is set to the
    new number, so the save writes it (and its history record shows it).
    """
    model = type(obj)
    rows = model._default_manager.filter(pk=obj.pk)
    if version is None:
        rows.update(version=F("version") + 1)
    elif not rows.filter(version=version).update(version=version + 1):
        current = rows.values_list("version", flat=True).first() or 0
        fresh = rows.first()
        changes, who = changes_since(fresh, version) if fresh is not None else ([], "")
        raise StaleEdit(base=version, current=current, changes=changes, who=who)
    obj.version = rows.values_list("version", flat=True).first() or obj.version
