"""Forms of the cross-reference review page (validation only; writes are services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kb.models import Relation


class CrossrefDecisionForm(forms.Form):
    relation = forms.ChoiceField(label=_("关系"), choices=Relation.choices, initial=Relation.SAME_TOPIC)
    note = forms.CharField(
        label=_("备注"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
