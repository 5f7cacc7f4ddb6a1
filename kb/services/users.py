"""Accounts and roles."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from kb.lib import roles

ROLE_NOT_FOUND = "unknown role {role!r}; use one of Scholar, Editor, Admin"


@transaction.atomic
def user_set_role(*, user, role: str | None):
    """Give a user exactly one role (or none)."""
    if role is not None and role not in roles.ROLES:
        raise ValueError(ROLE_NOT_FOUND.format(role=role))
    user.groups.remove(*Group.objects.filter(name__in=roles.ROLES))
    if role is not None:
        user.groups.add(Group.objects.get(name=role))
    user.is_staff = role == roles.ADMIN
    user.save(update_fields=["is_staff"])
    roles.forget_role(user)
    return user


@transaction.atomic
def user_ensure(*, username: str, password: str, role: str, email: str = ""):
    """Create the user if missing (an existing one keeps its password) and set its role."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    created = user is None
    if created:
        user = User(username=username, email=email)
        validate_password(password, user)  # Django's validators (settings.AUTH_PASSWORD_VALIDATORS)
        user.set_password(password)
        user.full_clean()
        user.save()
    user_set_role(user=user, role=role)
    return user, created
