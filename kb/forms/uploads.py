"""Forms of the admin upload pages. They parse input; ``kb.services.uploads`` validates content."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kb.services.uploads import SUFFIX_FORMATS


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


class CorrectionForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=500, required=False)
    subtitle = forms.CharField(label=_("副标题"), max_length=500, required=False)
    title_en = forms.CharField(label=_("英文标题"), max_length=500, required=False)
    authors = forms.CharField(
        label=_("作者"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一位作者，按署名顺序。"),
    )
    year = forms.IntegerField(label=_("年份"), min_value=1000, max_value=2100, required=False)
    venue = forms.CharField(label=_("刊物"), max_length=300, required=False)
    doi = forms.CharField(label="DOI", max_length=200, required=False)
    keywords = forms.CharField(label=_("关键词"), required=False, help_text=_("用分号或逗号分隔。"))

    @classmethod
    def initial_from(cls, meta: dict) -> dict:
        return {
            **meta,
            "authors": "\n".join(meta.get("authors", [])),
            "keywords": "；".join(meta.get("keywords", [])),
        }
