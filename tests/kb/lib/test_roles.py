"""Roles: hierarchy, anonymous reading switch, caching."""

import pytest
from django.contrib.auth.models import AnonymousUser

from kb.lib import roles
from tests import factories as f


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "read", "edit", "admin"),
    [
        (None, True, False, False),
        ("Scholar", True, False, False),
        ("Editor", True, True, False),
        ("Admin", True, True, True),
    ],
)
def test_role_hierarchy(role, read, edit, admin):
    user = f.UserFactory(username=f"u-{role}", role=role)
    assert (roles.can_read(user), roles.is_editor(user), roles.is_admin(user)) == (read, edit, admin)


@pytest.mark.django_db
def test_superuser_counts_as_admin():
    user = f.UserFactory(username="root", is_superuser=True)
    assert roles.is_admin(user)


def test_anonymous_reads_only_when_public(settings):
    anon = AnonymousUser()
    settings.KB_PUBLIC_READ = True
    assert roles.can_read(anon)
    settings.KB_PUBLIC_READ = False
    assert not roles.can_read(anon)
    assert not roles.is_editor(anon)


@pytest.mark.django_db
def test_role_is_read_once_per_user_object(django_assert_num_queries):
    user = f.UserFactory(username="cached", role="Editor")
    roles.forget_role(user)
    with django_assert_num_queries(1):
        assert roles.is_editor(user)
        assert not roles.is_admin(user)
        assert roles.can_read(user)


@pytest.mark.django_db
def test_inactive_user_has_no_role():
    user = f.UserFactory(username="gone", role="Admin", is_active=False)
    assert roles.role_of(user) is None
