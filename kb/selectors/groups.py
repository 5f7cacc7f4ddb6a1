"""Reads of research groups: a user's groups, one group's page, the note-scope choices.

A group's page is shown to its members and to admins; to anyone else it does
not exist (404, never 403). Membership is always read from the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.http import Http404
from django.utils.translation import gettext as _

from kb.lib import roles
from kb.models import GroupMembership, GroupRole, ResearchGroup
from kb.services.preferences import NOTE_SCOPE_GROUP


@dataclass
class GroupRow:
    group: ResearchGroup
    role: str  # the user's role in it ("" for an admin who is not a member)
    member_count: int


@dataclass
class GroupPage:
    group: ResearchGroup
    memberships: list[GroupMembership]
    my_role: str  # "" when the user (an admin) is not a member
    can_manage: bool
    roles: list = field(default_factory=lambda: GroupRole.choices)


def user_groups(*, user) -> list[ResearchGroup]:
    """The groups ``user`` belongs to now, by name (one query)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(ResearchGroup.objects.filter(memberships__user=user).order_by("name", "pk"))


def group_list(*, user) -> list[GroupRow]:
    """The user's groups with their role; an admin sees every group."""
    mine = dict(GroupMembership.objects.filter(user=user).values_list("group_id", "role"))
    groups = ResearchGroup.objects.annotate(member_count=Count("memberships")).order_by("name", "pk")
    if not roles.is_admin(user):
        groups = groups.filter(pk__in=list(mine))
    return [GroupRow(group=g, role=mine.get(g.pk, ""), member_count=g.member_count) for g in groups]


def group_get(*, pk: int, user) -> ResearchGroup:
    """A group the user may see (a member, or an admin), or 404."""
    groups = ResearchGroup.objects.filter(pk=pk)
    if not roles.is_admin(user):
        groups = groups.filter(memberships__user=user)
    group = groups.first()
    if group is None:
        raise Http404("no such group")
    return group


def group_page(*, pk: int, user) -> GroupPage:
    group = group_get(pk=pk, user=user)
    memberships = list(
        GroupMembership.objects.filter(group=group).select_related("user").order_by("-role", "user__username")
    )
    my_role = next((m.role for m in memberships if m.user_id == user.pk), "")
    return GroupPage(
        group=group,
        memberships=memberships,
        my_role=my_role,
        can_manage=roles.is_admin(user) or my_role == GroupRole.OWNER,
    )


def member_lookup(*, username: str):
    """The user called ``username`` (exactly, then ignoring case), or None."""
    username = (username or "").strip()[:150]
    if not username:
        return None
    User = get_user_model()
    return (
        User.objects.filter(username=username).first()
        or User.objects.filter(username__iexact=username).first()
    )


def note_scope_choices(groups: list[ResearchGroup]) -> list[tuple[str, str]]:
    """The reader's note filter: all, mine, each of the user's groups, public."""
    choices = [("all", _("全部")), ("mine", _("只看我的"))]
    choices += [(f"{NOTE_SCOPE_GROUP}{g.pk}", _("小组：%(name)s") % {"name": g.name}) for g in groups]
    choices.append(("public", _("公开")))
    return choices
