"""Sign-in: wrong passwords lock a username out from an address (django-axes); an admin unlocks
it with ``manage.py axes_reset``; passwords go through Django's validators."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from kb.services.users import user_ensure
from tests.factories import PASSWORD


def _login(client, user, password):
    return client.post(reverse("login"), {"username": user.get_username(), "password": password})


def test_too_many_wrong_passwords_lock_the_account_out(scholar, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(3):
        assert _login(client, scholar, "wrong-password").status_code in (200, 429)
    response = _login(client, scholar, PASSWORD)
    assert response.status_code == 429
    assert "登录已暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_axes_reset_unlocks(scholar, settings):
    settings.AXES_FAILURE_LIMIT = 2
    client = Client()
    for _ in range(2):
        _login(client, scholar, "wrong-password")
    assert _login(client, scholar, PASSWORD).status_code == 429
    call_command("axes_reset", verbosity=0)
    response = _login(client, scholar, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(scholar.pk)


def test_a_few_mistakes_then_the_right_password_log_in(scholar, settings):
    settings.AXES_FAILURE_LIMIT = 5
    client = Client()
    for _ in range(4):
        assert _login(client, scholar, "wrong-password").status_code == 200
    assert _login(client, scholar, PASSWORD).status_code == 302


def test_another_address_is_not_locked_out(scholar, settings):
    settings.AXES_FAILURE_LIMIT = 2
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(3):
        _login(attacker, scholar, "wrong-password")
    assert _login(attacker, scholar, PASSWORD).status_code == 429
    assert _login(Client(REMOTE_ADDR="198.51.100.7"), scholar, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_new_accounts_need_a_password_the_validators_accept():
    with pytest.raises(ValidationError):
        user_ensure(username="weak", password="12345678", role="Scholar")
    user, created = user_ensure(username="strong", password="tanyuan-长-password-7", role="Scholar")
    assert created and user.check_password("tanyuan-长-password-7")
