"""Who is calling the read API: a token, the browser session, or an anonymous reader.

Tried in this order on every operation (``AUTH``):

1. ``Authorization: Bearer <key>`` (``kb.services.tokens``). A key that does not
   authenticate answers 401 at once: a script with a revoked key never silently reads
   as anonymous instead.
2. The session cookie of a signed-in user (GET only: the API is read-only, so no CSRF
   token is needed). A signed-in user without a role while public reading is off: 403.
3. Nobody: allowed while public reading is on (``KB_PUBLIC_READ``), as the pages are.

Anything else answers 401 with ``WWW-Authenticate: Bearer``. ``request.auth`` is the user
(``AnonymousUser`` for 3) and every operation reads with that user's permissions.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer

from kb.lib import roles
from kb.services.tokens import token_authenticate

BAD_TOKEN = "Invalid, revoked or expired API token."  # noqa: S105 -- a message, not a secret
NO_CREDENTIALS = "Authentication required: send 'Authorization: Bearer <token>' or sign in."
NO_ROLE = "Your account has no reading role."


class BearerToken(HttpBearer):
    """An editor's API token (made at /account/tokens/)."""

    def authenticate(self, request: HttpRequest, token: str):
        user = token_authenticate(raw_key=token)
        if user is None:
            raise AuthenticationError(message=BAD_TOKEN)
        return user


class SessionReader(APIKeyCookie):
    """The signed-in browser session."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None):
        user = request.user
        if not user.is_authenticated:
            return None
        if not roles.can_read(user):
            raise HttpError(403, NO_ROLE)
        return user


def public_reader(request: HttpRequest):
    """Anonymous reading, only while public reading is on."""
    anonymous = AnonymousUser()
    return anonymous if roles.can_read(anonymous) else None


AUTH = [BearerToken(), SessionReader(csrf=False), public_reader]


def caller(request: HttpRequest):
    """The user an operation reads as (set by ``AUTH``)."""
    return request.auth


def docs_reader(view):
    """The document and its page: the same callers as the operations.

    The page (HTML) sends a browser to the login page; the JSON answers 401.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        header = request.headers.get("Authorization", "")
        html = not request.path.endswith(".json")
        if header.lower().startswith("bearer "):
            if token_authenticate(raw_key=header[7:]) is None:
                return _unauthorized(BAD_TOKEN)
        elif not roles.can_read(request.user):
            if request.user.is_authenticated:
                if html:
                    raise PermissionDenied
                return JsonResponse({"detail": NO_ROLE}, status=403)
            return redirect_to_login(request.get_full_path()) if html else _unauthorized(NO_CREDENTIALS)
        return view(request, *args, **kwargs)

    return wrapped


def _unauthorized(message: str) -> JsonResponse:
    response = JsonResponse({"detail": message}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="tanyuan"'
    return response
