"""The three roles and what each may do.

Roles are Django groups (created by a data migration): Scholar reads, Editor
also writes knowledge (annotations, claims, cross-references, concepts), Admin
also loads papers, edits metadata and manages users. Superusers count as
Admin. Anonymous visitors read only when ``KB_PUBLIC_READ`` is on.

The functions take any user-like object; the group names are read once per
user object and cached on it, so a page asks the database at most once.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

SCHOLAR = "Scholar"
EDITOR = "Editor"
ADMIN = "Admin"
ROLES = (SCHOLAR, EDITOR, ADMIN)
ROLE_LABELS = {SCHOLAR: _("学者"), EDITOR: _("编辑"), ADMIN: _("管理员")}

_RANK = {None: 0, SCHOLAR: 1, EDITOR: 2, ADMIN: 3}
_CACHE_ATTR = "_kb_role"


def role_of(user) -> str | None:
    """The highest role a user holds, or None (anonymous or no group)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    cached = getattr(user, _CACHE_ATTR, False)
    if cached is None or isinstance(cached, str):  # False: not looked up yet
        return cached
    if user.is_superuser:
        role: str | None = ADMIN
    else:
        names = set(user.groups.values_list("name", flat=True))
        role = max((name for name in names if name in _RANK), key=_RANK.__getitem__, default=None)
    setattr(user, _CACHE_ATTR, role)
    return role


def forget_role(user) -> None:
    """Drop the cached role (after group membership changed)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def has_role(user, role: str) -> bool:
    return _RANK[role_of(user)] >= _RANK[role]


def can_read(user) -> bool:
    """Reading papers and public knowledge: any role, or anyone while public reading is on."""
    return bool(getattr(settings, "KB_PUBLIC_READ", True)) or has_role(user, SCHOLAR)


def is_editor(user) -> bool:
    return has_role(user, EDITOR)


def is_admin(user) -> bool:
    return has_role(user, ADMIN)
