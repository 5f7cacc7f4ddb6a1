"""What the site remembers per signed-in user (``UserPreference``): read and update.

``preference_get`` never writes: a user without a row gets an unsaved one with
the defaults, so a page view costs one query and creates nothing. The row is
kept on the user object, which lives for one request (the next request reads
the database again); ``preference_update`` refreshes it.
``preference_update`` validates each field it is given (``full_clean`` and the
per-field checks in ``VALIDATORS``) and saves only those fields, so two
features updating different preferences never overwrite each other. An
anonymous user has no preferences: reads give the defaults, updates are
refused.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kb.models import UserPreference

NOT_SIGNED_IN = _("请先登录。")
UNKNOWN_PREFERENCE = _("未知的偏好设置。")
BAD_NOTE_SCOPE = _("未知的批注范围。")

NOTE_SCOPES = ("all", "mine", "public")
NOTE_SCOPE_GROUP = "group:"


def _check_note_scope(value) -> str:
    value = str(value or "").strip()
    if value in NOTE_SCOPES:
        return value
    if value.startswith(NOTE_SCOPE_GROUP) and value[len(NOTE_SCOPE_GROUP) :].isdigit():
        return value
    raise ValidationError(BAD_NOTE_SCOPE, code="note_scope")


# Per-field checks beyond the model's own (each returns the cleaned value or raises
# ValidationError). Other features add theirs here.
VALIDATORS: dict[str, Callable] = {"note_scope": _check_note_scope}
EDITABLE = {"color_names", "note_scope", "show_concepts"}


# Read once per user object (one request): the reader's scope, colours and concept toggle
# all ask, and each would cost a query. ``preference_update`` refreshes it.
_CACHE_ATTR = "_kb_preferences"


def preference_get(*, user) -> UserPreference:
    """The user's preferences (unsaved defaults when they have none, or are anonymous)."""
    if not getattr(user, "is_authenticated", False):
        return UserPreference()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    found = UserPreference.objects.filter(user=user).first()
    prefs = found if found is not None else UserPreference(user=user)
    setattr(user, _CACHE_ATTR, prefs)
    return prefs


@transaction.atomic
def preference_update(*, user, **fields) -> UserPreference:
    """Set the given fields (``note_scope="mine"``, ``show_concepts=False`` …) and save them."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(NOT_SIGNED_IN)
    unknown = set(fields) - EDITABLE
    if unknown:
        raise ValidationError(UNKNOWN_PREFERENCE, code="unknown_preference")
    prefs, _created = UserPreference.objects.select_for_update().get_or_create(user=user)
    for name, value in fields.items():
        check = VALIDATORS.get(name)
        setattr(prefs, name, check(value) if check else value)
    prefs.full_clean()
    prefs.save(update_fields=list(fields) or None)
    setattr(user, _CACHE_ATTR, prefs)
    return prefs
