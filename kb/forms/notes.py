"""Forms of "my notes": the filter bar (GET) and the names of the highlight colours (POST)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kb.models import HighlightColor
from kb.selectors.notes import NoteFilters
from kb.services.colors import MAX_NAME_LENGTH

DATE_ORDER = _("结束日期不能早于开始日期。")


class NotesFilterForm(forms.Form):
    # Not "q": the header's site search would show it as its own query.
    search = forms.CharField(label=_("搜索笔记"), required=False, max_length=200)
    paper = forms.IntegerField(label=_("论文"), required=False, min_value=1)
    tag = forms.CharField(label=_("标签"), required=False, max_length=50)
    color = forms.ChoiceField(
        label=_("颜色"), required=False, choices=[("", _("全部颜色")), *HighlightColor.choices]
    )
    group = forms.IntegerField(label=_("范围"), required=False, min_value=1)
    since = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", DATE_ORDER)
        return data

    def filters(self) -> NoteFilters:
        """The valid filters (a field with an error is left out, so the page still shows notes)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return NoteFilters(
            q=data.get("search") or "",
            paper=data.get("paper"),
            tag=(data.get("tag") or "").strip(),
            color=data.get("color") or "",
            group=data.get("group"),
            since=data.get("since"),
            until=data.get("until"),
        )


class ColorNamesForm(forms.Form):
    """One name per colour; an empty field leaves the colour unnamed."""

    def __init__(self, *args, palette, **kwargs):
        super().__init__(*args, **kwargs)
        self.palette = palette
        for swatch in palette:
            self.fields[swatch.value] = forms.CharField(
                label=f"{swatch.key} · {swatch.label}",
                required=False,
                max_length=MAX_NAME_LENGTH,
                initial=swatch.name,
                widget=forms.TextInput(attrs={"placeholder": _("例如：方法、反驳、数据")}),
            )

    def rows(self):
        return [(swatch, self[swatch.value]) for swatch in self.palette]
