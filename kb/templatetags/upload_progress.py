"""Template filters of the upload pages: a stored progress message in the reader's language."""

from __future__ import annotations

from django import template

from kb.services.upload_progress import message_in_language

register = template.Library()


@register.filter
def upload_message(message: str) -> str:
    return message_in_language(message or "")
