"""Forms of the group pages (parsing only; ``kb.services.groups`` validates and writes)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kb.models import GroupRole
from kb.services.groups import MAX_DESCRIPTION, MAX_NAME


class GroupForm(forms.Form):
    name = forms.CharField(label=_("小组名称"), max_length=MAX_NAME)
    description = forms.CharField(
        label=_("简介"), max_length=MAX_DESCRIPTION, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class GroupCreateForm(GroupForm):
    # Admins only (the view drops it for editors): the user who will own the group.
    owner = forms.CharField(label=_("组长（用户名，留空为自己）"), max_length=150, required=False)


class MemberAddForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    role = forms.ChoiceField(label=_("角色"), choices=GroupRole.choices, initial=GroupRole.MEMBER)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=GroupRole.choices)
