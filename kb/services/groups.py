"""Research groups (小组): create, rename, manage members and roles, leave, delete.

Contract:

- Editors and admins create groups (``NOT_ALLOWED_CREATE``); the creator
  becomes the group's owner. An admin may create a group for someone else,
  who then is its owner (the admin is not made a member).
- A group's owners and the admins manage it (``NOT_MANAGER``): rename it, add
  and remove members, change roles, delete it.
- A group always has an owner: the last owner cannot leave, be removed or be
  made a plain member (``LAST_OWNER``); they hand over first, or delete it.
- Members are signed-in users with a role, active (``BAD_MEMBER``).
- Deleting a group loses no note: its notes become private to their authors
  (and are reindexed), then the group and its memberships go.
- Who sees a group note is decided at read time from the memberships
  (``Annotation.objects.visible_to``), so a change here takes effect at once.
- Every change records history with the acting user.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kb.lib import roles
from kb.lib.usertext import clean_text
from kb.models import Annotation, GroupMembership, GroupRole, ResearchGroup, Visibility
from kb.search.service import search_index_enqueue
from kb.services.versions import version_take

NOT_ALLOWED_CREATE = _("只有编辑或管理员可以创建小组。")
NOT_MANAGER = _("只有组长或管理员可以管理小组。")
NOT_MEMBER = _("您不是该小组的成员。")
NAME_REQUIRED = _("请填写小组名称。")
NAME_TOO_LONG = _("小组名称最多 100 个字符。")
NAME_TAKEN = _("已有同名的小组。")
DESCRIPTION_TOO_LONG = _("小组简介最多 2000 个字符。")
BAD_MEMBER = _("只能添加已启用、有角色的用户。")
ALREADY_MEMBER = _("该用户已经是小组成员。")
NOT_A_MEMBER = _("该用户不是小组成员。")
BAD_ROLE = _("未知的小组角色。")
LAST_OWNER = _("小组至少要有一位组长：请先把组长交给另一位成员，或删除小组。")
TOO_MANY_MEMBERS = _("小组成员已达上限。")

MAX_NAME = 100
MAX_DESCRIPTION = 2000
MAX_MEMBERS = 500


def is_owner(user, group: ResearchGroup) -> bool:
    return GroupMembership.objects.filter(group=group, user=user, role=GroupRole.OWNER).exists()


def can_manage(user, group: ResearchGroup) -> bool:
    if not roles.has_role(user, roles.SCHOLAR):
        return False
    return roles.is_admin(user) or is_owner(user, group)


def _require_manager(user, group: ResearchGroup) -> None:
    if not can_manage(user, group):
        raise PermissionDenied(NOT_MANAGER)


def group_name_clean(name: str, *, group: ResearchGroup | None = None) -> str:
    """The name trimmed, or ``ValidationError`` (empty, too long, taken by another group)."""
    name = " ".join(clean_text(name or "").split())
    if not name:
        raise ValidationError(NAME_REQUIRED, code="name_required")
    if len(name) > MAX_NAME:
        raise ValidationError(NAME_TOO_LONG, code="name_too_long")
    taken = ResearchGroup.objects.filter(name__iexact=name)
    if group is not None:
        taken = taken.exclude(pk=group.pk)
    if taken.exists():
        raise ValidationError(NAME_TAKEN, code="name_taken")
    return name


def _clean_description(description: str) -> str:
    description = clean_text(description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise ValidationError(DESCRIPTION_TOO_LONG, code="description_too_long")
    return description


def _check_member(member) -> None:
    if member is None or not member.is_active or not roles.has_role(member, roles.SCHOLAR):
        raise ValidationError(BAD_MEMBER, code="bad_member")


def _membership(group: ResearchGroup, member) -> GroupMembership:
    found = GroupMembership.objects.select_for_update().filter(group=group, user=member).first()
    if found is None:
        raise ValidationError(NOT_A_MEMBER, code="not_a_member")
    return found


def _other_owners(group: ResearchGroup, member) -> bool:
    return GroupMembership.objects.filter(group=group, role=GroupRole.OWNER).exclude(user=member).exists()


def _save(obj, *, user) -> None:
    obj._history_user = user
    obj.full_clean()
    obj.save()


def _delete_membership(membership: GroupMembership, *, user) -> None:
    membership._history_user = user
    membership.delete()


@transaction.atomic
def group_create(*, user, name: str, description: str = "", owner=None) -> ResearchGroup:
    """A new group owned by ``owner`` (default: ``user``; only an admin names someone else)."""
    if not roles.is_editor(user):
        raise PermissionDenied(NOT_ALLOWED_CREATE)
    owner = owner or user
    if owner.pk != user.pk and not roles.is_admin(user):
        raise PermissionDenied(NOT_ALLOWED_CREATE)
    _check_member(owner)
    group = ResearchGroup(
        name=group_name_clean(name), description=_clean_description(description), created_by=user
    )
    _save(group, user=user)
    _save(GroupMembership(group=group, user=owner, role=GroupRole.OWNER), user=user)
    return group


@transaction.atomic
def group_update(*, user, group: ResearchGroup, name: str, description: str = "") -> ResearchGroup:
    _require_manager(user, group)
    group.name = group_name_clean(name, group=group)
    group.description = _clean_description(description)
    _save(group, user=user)
    return group


@transaction.atomic
def group_add_member(*, user, group: ResearchGroup, member, role: str = GroupRole.MEMBER) -> GroupMembership:
    _require_manager(user, group)
    if role not in GroupRole.values:
        raise ValidationError(BAD_ROLE, code="bad_role")
    _check_member(member)
    if GroupMembership.objects.filter(group=group, user=member).exists():
        raise ValidationError(ALREADY_MEMBER, code="already_member")
    if GroupMembership.objects.filter(group=group).count() >= MAX_MEMBERS:
        raise ValidationError(TOO_MANY_MEMBERS, code="too_many_members")
    membership = GroupMembership(group=group, user=member, role=role)
    _save(membership, user=user)
    return membership


@transaction.atomic
def group_set_role(*, user, group: ResearchGroup, member, role: str) -> GroupMembership:
    _require_manager(user, group)
    if role not in GroupRole.values:
        raise ValidationError(BAD_ROLE, code="bad_role")
    membership = _membership(group, member)
    if membership.role == GroupRole.OWNER and role != GroupRole.OWNER and not _other_owners(group, member):
        raise ValidationError(LAST_OWNER, code="last_owner")
    if membership.role != role:
        membership.role = role
        _save(membership, user=user)
    return membership


@transaction.atomic
def group_remove_member(*, user, group: ResearchGroup, member) -> None:
    _require_manager(user, group)
    membership = _membership(group, member)
    if membership.role == GroupRole.OWNER and not _other_owners(group, member):
        raise ValidationError(LAST_OWNER, code="last_owner")
    _delete_membership(membership, user=user)


@transaction.atomic
def group_leave(*, user, group: ResearchGroup) -> None:
    """``user`` leaves ``group``; from the next read on, its notes are hidden from them
    (their own notes in it stay theirs)."""
    membership = GroupMembership.objects.select_for_update().filter(group=group, user=user).first()
    if membership is None:
        raise ValidationError(NOT_MEMBER, code="not_member")
    if membership.role == GroupRole.OWNER and not _other_owners(group, user):
        raise ValidationError(LAST_OWNER, code="last_owner")
    _delete_membership(membership, user=user)


@transaction.atomic
def group_delete(*, user, group: ResearchGroup) -> int:
    """Delete ``group``; its notes become private to their authors. Returns how many notes."""
    _require_manager(user, group)
    notes = list(Annotation.objects.filter(group=group))
    for note in notes:
        note.visibility = Visibility.PRIVATE
        note.group = None
        note._history_user = user
        note._change_reason = "group deleted"
        version_take(note, version=None)  # an edit form open on the note now sees it changed
        note.save(update_fields=["visibility", "group", "version", "updated_at"])
        search_index_enqueue(obj=note)
    for membership in GroupMembership.objects.filter(group=group):
        _delete_membership(membership, user=user)
    group._history_user = user
    group.delete()
    return len(notes)
