"""View decorators that check roles on the server, for every view."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from kb.lib import roles


def _require(check):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if check(request.user):
                return view(request, *args, **kwargs)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied

        return wrapped

    return decorator


reader_required = _require(roles.can_read)
# Signed in with a role (scholar and up): one's own notes, groups and preferences.
member_required = _require(lambda user: roles.has_role(user, roles.SCHOLAR))
editor_required = _require(roles.is_editor)
admin_required = _require(roles.is_admin)
