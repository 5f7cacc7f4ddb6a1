"""Forms of the papers app: the admin's metadata correction of a published paper."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from papers.models import Paper, PaperStatus
from papers.services.metadata import split_list

LANGUAGES = [("zh", "中文"), ("en", "English")]


class PaperMetadataForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=500, required=False)
    subtitle = forms.CharField(label=_("副标题"), max_length=500, required=False)
    title_en = forms.CharField(label=_("英文标题"), max_length=500, required=False)
    authors = forms.CharField(
        label=_("作者（每行一位，按署名顺序）"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    year = forms.IntegerField(label=_("年份"), min_value=1000, max_value=2100, required=False)
    venue = forms.CharField(label=_("刊物"), max_length=300, required=False)
    volume = forms.CharField(label=_("卷"), max_length=40, required=False)
    issue = forms.CharField(label=_("期"), max_length=40, required=False)
    pages = forms.CharField(label=_("页码"), max_length=40, required=False)
    doi = forms.CharField(label="DOI", max_length=200, required=False)
    keywords = forms.CharField(label=_("关键词（分号或逗号分隔）"), required=False)
    keywords_en = forms.CharField(label=_("英文关键词"), required=False)
    abstract = forms.CharField(label=_("摘要"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    abstract_en = forms.CharField(
        label=_("英文摘要"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    language = forms.ChoiceField(label=_("语言"), choices=LANGUAGES)
    status = forms.ChoiceField(label=_("状态"), choices=PaperStatus.choices)
    needs_review = forms.BooleanField(label=_("需要审核"), required=False)

    @classmethod
    def for_paper(cls, paper: Paper) -> PaperMetadataForm:
        initial = {name: getattr(paper, name) for name in cls.base_fields if hasattr(paper, name)}
        initial["authors"] = "\n".join(a.author.name for a in paper.authorships.all())
        initial["keywords"] = "；".join(paper.keywords or [])
        initial["keywords_en"] = "; ".join(paper.keywords_en or [])
        initial["doi"] = paper.doi or ""
        return cls(initial=initial)

    def changes(self) -> dict:
        """The service's arguments: every field, lists split."""
        data = dict(self.cleaned_data)
        data["authors"] = [line for line in (data["authors"] or "").splitlines() if line.strip()]
        data["keywords"] = split_list(data["keywords"])
        data["keywords_en"] = split_list(data["keywords_en"])
        data["doi"] = data["doi"].strip()
        return data
