"""The form of the API token page (validation only; the write is ``kb.services.tokens``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kb.services.tokens import MAX_NAME_LENGTH


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("名称"),
        max_length=MAX_NAME_LENGTH,
        help_text=_("写明用途，例如“每周导出论断”，以便日后分辨和撤销。"),
    )
