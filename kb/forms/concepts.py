"""Forms of the concept pages (validation only; writes are services)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from kb.models import Concept
from papers.models import Passage

_ALIAS_SPLIT = re.compile(r"[\n,，;；、]+")


def _concepts():
    return Concept.objects.filter(merged_into=None).order_by("label_zh")


class ConceptForm(forms.Form):
    label_zh = forms.CharField(label=_("中文名"), max_length=200)
    label_en = forms.CharField(label=_("英文名"), max_length=200, required=False)
    aliases = forms.CharField(
        label=_("别名"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个，或用逗号（含中文顿号）分隔；可含繁体与英文。"),
    )
    group = forms.CharField(label=_("分组"), max_length=40, required=False)
    definition = forms.CharField(label=_("定义"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    broader = forms.ModelMultipleChoiceField(
        label=_("上位概念"),
        queryset=_concepts(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("可选多个（例如“数字治理”同属“数字化”与“治理”两个上位概念）；按住 Ctrl 或 ⌘ 多选。"),
    )
    related = forms.ModelMultipleChoiceField(
        label=_("相关概念"),
        queryset=_concepts(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    # The version the edit is based on (optimistic lock: kb.services.versions).
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, concept: Concept | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["broader"].queryset = _concepts().exclude(pk=getattr(concept, "pk", None))
        self.fields["related"].queryset = _concepts().exclude(pk=getattr(concept, "pk", None))

    @staticmethod
    def initial_for(concept: Concept) -> dict:
        return {
            "label_zh": concept.label_zh,
            "label_en": concept.label_en,
            "aliases": "\n".join(concept.aliases or []),
            "group": concept.group,
            "definition": concept.definition,
            "broader": list(concept.broader.values_list("pk", flat=True)),
            "related": list(concept.related.values_list("pk", flat=True)),
            "version": concept.version,
        }

    def clean_aliases(self) -> list[str]:
        return [a.strip() for a in _ALIAS_SPLIT.split(self.cleaned_data["aliases"]) if a.strip()]


class ConceptMergeForm(forms.Form):
    target = forms.ModelChoiceField(label=_("合并到"), queryset=_concepts())

    def __init__(self, *args, concept: Concept, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = _concepts().exclude(pk=concept.pk)


class CandidateAcceptForm(forms.Form):
    label_en = forms.CharField(label=_("英文名"), max_length=200, required=False)
    group = forms.CharField(label=_("分组"), max_length=40, required=False)


class MentionCreateForm(forms.Form):
    passage = forms.ModelChoiceField(queryset=Passage.objects.current())
    concept = forms.ModelChoiceField(queryset=_concepts(), label=_("概念"))
    start = forms.IntegerField(min_value=0)
    end = forms.IntegerField(min_value=1)
