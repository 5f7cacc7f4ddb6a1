"""Who a note may be shared with: the audience rules every annotation write goes through.

- Every signed-in user with a role (scholar and up) writes their own notes:
  private, or shared with a research group they belong to *now*.
- Editors and admins may also share with editors or with everyone: public
  annotations are public knowledge, which only editors curate.
- An audience is written ``private``, ``editors``, ``public`` or
  ``group:<id>`` in forms (one select), or ``visibility="group"`` with a
  separate ``group`` in the JSON API; both come here.

The errors are constants that tests assert. Membership is read from the
database on every check, never cached: a member who left may no longer share.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from kb.lib import roles
from kb.lib.params import int_or_none
from kb.models import ResearchGroup, Visibility

NOT_SIGNED_IN = _("请先登录，再写批注。")
BAD_VISIBILITY = _("未知的可见范围。")
PUBLIC_NEEDS_EDITOR = _("只有编辑可以发布公开或编辑可见的批注。")
GROUP_REQUIRED = _("请选择要分享的小组。")
NOT_IN_GROUP = _("只能分享给您所在的小组。")

GROUP_PREFIX = "group:"


@dataclass(frozen=True)
class Audience:
    visibility: str
    group: ResearchGroup | None = None

    @property
    def value(self) -> str:
        return audience_value(self.visibility, self.group.pk if self.group else None)


def audience_value(visibility: str, group_id: int | None) -> str:
    """The one-select form of an audience (``group:3`` for a group note)."""
    if visibility == Visibility.GROUP and group_id:
        return f"{GROUP_PREFIX}{group_id}"
    return visibility


def can_annotate(user) -> bool:
    return roles.has_role(user, roles.SCHOLAR)


def require_annotator(user) -> None:
    if not can_annotate(user):
        raise PermissionDenied(NOT_SIGNED_IN)


def audience_check(*, user, visibility: str | None, group=None, current=None) -> Audience:
    """The audience ``user`` asked for, validated; ``visibility`` may be ``group:<id>``.

    ``group``: a ResearchGroup, its id, or None. Raises ``ValidationError`` for an
    unknown value or a missing group, ``PermissionDenied`` for an audience the user
    may not choose (public or editors for a scholar; a group they are not in).
    ``current``: the annotation being edited; keeping its audience is always allowed
    (an editor who became a scholar, or a member who left, can still fix a typo).
    """
    visibility = str(visibility or Visibility.PRIVATE).strip()
    if visibility.startswith(GROUP_PREFIX):
        visibility, group = Visibility.GROUP, visibility[len(GROUP_PREFIX) :]
    if visibility not in Visibility.values:
        raise ValidationError(BAD_VISIBILITY, code="visibility")
    group_id = group.pk if isinstance(group, ResearchGroup) else int_or_none(group)
    if current is not None and current.visibility == visibility:
        if visibility != Visibility.GROUP:
            return Audience(visibility)
        if group_id == current.group_id and current.group is not None:
            return Audience(visibility, current.group)
    if visibility in (Visibility.PUBLIC, Visibility.EDITORS) and not roles.is_editor(user):
        raise PermissionDenied(PUBLIC_NEEDS_EDITOR)
    if visibility != Visibility.GROUP:
        return Audience(visibility)
    if not group_id:
        raise ValidationError(GROUP_REQUIRED, code="group_required")
    found = ResearchGroup.objects.filter(pk=group_id, memberships__user=user).first()
    if found is None:
        raise PermissionDenied(NOT_IN_GROUP)
    return Audience(Visibility.GROUP, found)


def audience_choices(*, user, groups=None) -> list[tuple[str, str]]:
    """The audiences ``user`` may choose, for a select: private, their groups, then (editors)
    editors and public. ``groups``: the user's groups when the caller has them already."""
    if not can_annotate(user):
        return []
    if groups is None:
        groups = ResearchGroup.objects.filter(memberships__user=user).order_by("name", "pk")
    choices = [(Visibility.PRIVATE.value, str(Visibility.PRIVATE.label))]
    choices += [
        (audience_value(Visibility.GROUP, g.pk), str(_("小组：%(name)s") % {"name": g.name})) for g in groups
    ]
    if roles.is_editor(user):
        choices += [
            (Visibility.EDITORS.value, str(Visibility.EDITORS.label)),
            (Visibility.PUBLIC.value, str(Visibility.PUBLIC.label)),
        ]
    return choices
