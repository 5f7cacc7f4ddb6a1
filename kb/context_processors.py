"""Template context: what the current user's role allows, for showing or hiding controls."""

from kb.lib import roles as r


def roles(request):
    user = getattr(request, "user", None)
    role = r.role_of(user)
    return {
        "kb_role": role,
        "kb_role_label": r.ROLE_LABELS.get(role, ""),
        "kb_can_edit": r.is_editor(user),
        "kb_is_admin": r.is_admin(user),
    }
