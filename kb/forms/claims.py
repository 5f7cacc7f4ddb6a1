"""Forms of the claim page (validation only; writes are services).

Concepts are typed by name (Chinese or English label, alias, slug; comma-separated) and
resolved by ``kb.selectors.concept_names``: a name that matches no concept is an error on
the form, shown with the user's text kept.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kb.models import ClaimKind
from kb.models.claims import Stance
from kb.selectors.concept_names import concepts_resolve


class ConceptNamesField(forms.CharField):
    """A comma-separated list of concept names; cleans to a list of ``Concept``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 4000)
        super().__init__(**kwargs)

    def clean(self, value):
        return concepts_resolve(names=super().clean(value))


class ClaimEditForm(forms.Form):
    statement = forms.CharField(
        label=_("论断陈述"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    kind = forms.ChoiceField(label=_("类型"), choices=ClaimKind.choices)
    concepts = ConceptNamesField(label=_("概念"))
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class EvidenceStanceForm(forms.Form):
    stance = forms.ChoiceField(label=_("立场"), choices=Stance.choices)
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
