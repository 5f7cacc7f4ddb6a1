"""The metadata-correction form: the paper edit page and the upload preview use this one form.

It parses input (text, lists, an integer year); ``papers.services.metadata.metadata_clean``
validates it, for both pages alike, and its messages are shown on the fields at fault.
The edit page's form also carries the paper's ``version`` (a hidden field), so a save
based on an older one is refused (``papers.versions``); the preview has no version.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from papers.models import Paper, PaperStatus
from papers.services.metadata import PREVIEW_FIELDS

LANGUAGES = [("zh", _("中文")), ("en", _("英文"))]


class PaperMetadataForm(forms.Form):
    title = forms.CharField(label=_("标题"), required=False)
    subtitle = forms.CharField(label=_("副标题"), required=False)
    title_en = forms.CharField(label=_("英文标题"), required=False)
    authors = forms.CharField(
        label=_("作者（每行一位，按署名顺序）"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    year = forms.IntegerField(label=_("年份"), required=False)
    venue = forms.CharField(label=_("刊物"), required=False)
    volume = forms.CharField(label=_("卷"), max_length=40, required=False)
    issue = forms.CharField(label=_("期"), max_length=40, required=False)
    pages = forms.CharField(label=_("页码"), max_length=40, required=False)
    doi = forms.CharField(label="DOI", required=False)
    keywords = forms.CharField(label=_("关键词（分号或逗号分隔）"), required=False)
    keywords_en = forms.CharField(label=_("英文关键词"), required=False)
    abstract = forms.CharField(label=_("摘要"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    abstract_en = forms.CharField(
        label=_("英文摘要"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    language = forms.ChoiceField(label=_("语言"), choices=LANGUAGES)
    status = forms.ChoiceField(label=_("状态"), choices=PaperStatus.choices)
    needs_review = forms.BooleanField(label=_("需要审核"), required=False)
    # The version the edit is based on (optimistic lock); absent means unchecked.
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, fields: tuple[str, ...] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if fields is not None:
            for name in list(self.fields):
                if name not in fields:
                    del self.fields[name]

    @classmethod
    def for_paper(cls, paper: Paper, data=None) -> PaperMetadataForm:
        """The paper edit page: every field, starting from the paper."""
        initial = {name: getattr(paper, name) for name in cls.base_fields if hasattr(paper, name)}
        initial["authors"] = "\n".join(a.author.name for a in paper.authorships.all())
        initial["keywords"] = "；".join(paper.keywords or [])
        initial["keywords_en"] = "; ".join(paper.keywords_en or [])
        initial["doi"] = paper.doi or ""
        initial["version"] = paper.version
        return cls(data, initial=initial)

    @classmethod
    def for_preview(cls, meta: dict | None = None, data=None) -> PaperMetadataForm:
        """An upload's preview: what may be corrected before publication, from the parsed metadata."""
        meta = meta or {}
        initial = {
            **{name: meta.get(name) for name in PREVIEW_FIELDS},
            "authors": "\n".join(meta.get("authors", [])),
            "keywords": "；".join(meta.get("keywords", [])),
        }
        return cls(data, initial=initial, fields=PREVIEW_FIELDS)

    def keep_for_retry(self, current: int) -> None:
        """After a stale save: keep what the user typed, now based on the ``current`` version,
        so saving again is a conscious overwrite."""
        self.data = self.data.copy()
        self.data["version"] = str(current)

    def changes(self) -> dict:
        """The service's arguments: the form's fields as typed (the service splits and validates)."""
        return dict(self.cleaned_data)
