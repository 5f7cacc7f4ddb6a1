"""Small helpers shared by the JSON endpoints: parse a body, answer errors the same way.

The endpoints are ordinary Django views, so the CSRF middleware checks every
POST, PATCH and DELETE (the reader's script sends the token in ``X-CSRFToken``).
"""

from __future__ import annotations

import json
from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.http.request import RawPostDataException
from django.utils.translation import gettext_lazy as _

from kb.lib.usertext import check_tree
from kb.services.versions import StaleEdit

BAD_JSON = _("请求内容不是有效的 JSON。")


class BadRequest(Exception):
    pass


def json_body(request) -> dict:
    try:
        data = json.loads(request.body.decode("utf-8") or "{}")
    except (UnicodeDecodeError, json.JSONDecodeError, RawPostDataException) as exc:
        # RawPostDataException: a form body (already read as form fields), not JSON.
        raise BadRequest(BAD_JSON) from exc
    if not isinstance(data, dict):
        raise BadRequest(BAD_JSON)
    check_tree(data)  # no control characters anywhere (a ValidationError: 400 with the message)
    return data


def api_errors(view):
    """Turn service errors into JSON answers: 400 invalid, 403 forbidden, 409 stale version."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadRequest as exc:
            return JsonResponse({"errors": [str(exc)]}, status=400)
        except StaleEdit as exc:  # another save came first: what changed, and the version now
            return JsonResponse(exc.as_json(), status=409)
        except ValidationError as exc:
            return JsonResponse({"errors": exc.messages}, status=400)
        except PermissionDenied as exc:
            return JsonResponse({"errors": [str(exc) or "forbidden"]}, status=403)

    return wrapped
