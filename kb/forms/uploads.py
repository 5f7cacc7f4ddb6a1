"""The upload form. It parses input; ``kb.services.uploads`` validates content. The preview's
metadata corrections use the paper edit page's form (``papers.forms.PaperMetadataForm``)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from kb.lib.params import int_or_none
from kb.services.uploads import ERROR_RECORD_PICK, ERROR_TOO_LARGE, MAX_FILES, SUFFIX_FORMATS
from papers.models import Paper


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files; ``clean`` returns a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(SUFFIX_FORMATS)}))
        # Emptiness is the service's check, with its own message.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        items = list(data) if isinstance(data, list | tuple) else [data] if data else []
        if not items:
            single(None, initial)  # raises "required"
            return []
        return [single(item, initial) for item in items]


class UploadForm(forms.Form):
    # The metadata-only paper (an imported record) whose full text is uploaded ("上传全文").
    record = forms.ModelChoiceField(
        queryset=Paper.objects.filter(revisions__isnull=True),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": ERROR_RECORD_PICK},
    )
    files = MultipleFileField(
        label=_("论文文件"),
        help_text=_("可一次选择多个 PDF、TXT 或 Markdown 文件。"),
        error_messages={"required": _("请选择至少一个文件。")},
    )

    @property
    def max_mb(self) -> int:
        return settings.KB_UPLOAD_MAX_MB

    @property
    def max_bytes(self) -> int:
        return settings.KB_UPLOAD_MAX_MB * 1024 * 1024

    @cached_property
    def record_paper(self) -> Paper | None:
        """The record named by the form (``?record=`` on the page), for the page to show."""
        value = self.data.get("record") if self.is_bound else self.initial.get("record")
        pk = int_or_none(value)
        return Paper.objects.filter(pk=pk, revisions__isnull=True).first() if pk else None

    def refused_by_browser(self) -> list[str]:
        """Why the files the browser kept back were not sent (too large), by their names."""
        names = self.data.getlist("refused") if hasattr(self.data, "getlist") else []
        return [
            str(ERROR_TOO_LARGE % {"name": name[:255], "limit": self.max_mb})
            for name in names[:MAX_FILES]
            if name.strip()
        ]
