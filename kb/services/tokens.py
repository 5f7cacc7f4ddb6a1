"""API tokens for scripts: create, revoke, authenticate.

Contract:

- ``token_create(*, user, name)``: editors and admins only (``NOT_EDITOR``); a name of one
  line (``EMPTY_NAME``, at most 100 characters); at most ``MAX_ACTIVE_TOKENS`` unrevoked
  tokens per user (``TOO_MANY``). Returns the token and its raw key, which is shown once:
  only its SHA-256 hash and its first characters (``prefix``, to tell tokens apart) are stored.
- ``token_revoke(*, token, user)``: the owner (or an admin) revokes a token; revoking twice
  changes nothing. A revoked token never authenticates again; the row stays, for the record.
- ``token_authenticate(*, raw_key)``: the token's user, or None for an unknown, revoked or
  malformed key, or when the user is inactive or no longer an editor (tokens are the
  editors' tool; the API then applies the user's own permissions). ``last_used_at`` is
  written at most once a minute per token, so a busy script does not write on every request.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kb.lib import roles
from kb.lib.usertext import clean_text
from kb.models import ApiToken

KEY_PREFIX = "ty_"
PREFIX_LENGTH = 10  # "ty_" and seven characters of the secret
MAX_KEY_LENGTH = 200  # longer Authorization values are not even hashed
MAX_ACTIVE_TOKENS = 20
MAX_NAME_LENGTH = 100
LAST_USED_EVERY = timedelta(minutes=1)

NOT_EDITOR = _("只有编辑和管理员可以创建 API 令牌。")
NOT_OWNER = _("只能撤销自己的令牌。")
EMPTY_NAME = _("请为令牌起一个名称（例如脚本的用途）。")
NAME_TOO_LONG = _("令牌名称最多 100 个字符。")
TOO_MANY = _("有效令牌已达上限（20 个），请先撤销不用的令牌。")


def key_hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


def token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user`` and its raw key (shown once, never stored)."""
    if not roles.is_editor(user):
        raise PermissionDenied(NOT_EDITOR)
    name = " ".join(clean_text(name, limit="line").split())
    if not name:
        raise ValidationError(EMPTY_NAME, code="empty")
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(NAME_TOO_LONG, code="too_long")
    if ApiToken.objects.filter(user=user, revoked_at=None).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(TOO_MANY, code="too_many")
    raw_key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, prefix=raw_key[:PREFIX_LENGTH], key_hash=key_hash(raw_key))
    token.full_clean()
    token.save()
    return token, raw_key


def token_revoke(*, token: ApiToken, user) -> ApiToken:
    if token.user_id != user.pk and not roles.is_admin(user):
        raise PermissionDenied(NOT_OWNER)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(*, raw_key: str):
    """The user a raw key belongs to, or None."""
    raw_key = (raw_key or "").strip()
    if not raw_key.startswith(KEY_PREFIX) or len(raw_key) > MAX_KEY_LENGTH:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=key_hash(raw_key), revoked_at=None, user__is_active=True)
        .first()
    )
    if token is None or not roles.is_editor(token.user):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        # One conditional UPDATE: concurrent requests do not each write.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at=None) | Q(last_used_at__lt=now - LAST_USED_EVERY)
        ).update(last_used_at=now)
    return token.user
