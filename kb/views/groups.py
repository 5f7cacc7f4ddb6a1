"""Research group pages: my groups, create, a group's page with its members, and the
management forms (owners and admins), leaving and deleting.

Every view checks the role on the server; a group is shown to its members and to
admins only (anyone else gets a 404); the services decide who may change what.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kb.forms.groups import GroupCreateForm, GroupForm, MemberAddForm, MemberRoleForm
from kb.lib import roles
from kb.selectors import groups as selectors
from kb.services import groups as services
from kb.views.common import button_post, form_save
from papers.access import editor_required, member_required

NO_SUCH_USER = gettext_lazy("找不到该用户。")
CONFIRM_DELETE = gettext_lazy("请勾选确认后再删除小组。")


def _detail(group_or_pk):
    return redirect("kb:group-detail", pk=getattr(group_or_pk, "pk", group_or_pk))


def _member(user_pk: int):
    member = get_user_model().objects.filter(pk=user_pk).first()
    if member is None:
        raise Http404("no such user")
    return member


def _lookup(username: str):
    member = selectors.member_lookup(username=username)
    if member is None:
        raise ValidationError(NO_SUCH_USER, code="no_such_user")
    return member


@member_required
@require_GET
def group_list(request):
    rows = selectors.group_list(user=request.user)
    return render(request, "kb/group_list.html", {"rows": rows, "can_create": roles.is_editor(request.user)})


@editor_required
@require_http_methods(["GET", "POST"])
def group_create(request):
    form = GroupCreateForm(request.POST or None)
    if not roles.is_admin(request.user):
        del form.fields["owner"]

    def write(data):
        owner = _lookup(data["owner"]) if data.get("owner") else None
        return services.group_create(
            user=request.user, name=data["name"], description=data["description"], owner=owner
        )

    group = form_save(request, form, write, success=_("小组已创建。"))
    if group is not None:
        return _detail(group)
    return render(request, "kb/group_form.html", {"form": form})


@member_required
@require_GET
def group_detail(request, pk: int):
    page = selectors.group_page(pk=pk, user=request.user)
    context = {
        "page": page,
        "edit_form": GroupForm(initial={"name": page.group.name, "description": page.group.description}),
        "add_form": MemberAddForm(),
    }
    return render(request, "kb/group_detail.html", context)


@member_required
@require_POST
def group_edit(request, pk: int):
    group = selectors.group_get(pk=pk, user=request.user)
    form = GroupForm(request.POST)
    button_post(
        request,
        lambda data: services.group_update(
            user=request.user, group=group, name=data["name"], description=data["description"]
        ),
        form=form,
        invalid=_("请检查小组名称和简介。"),
        success=_("小组信息已保存。"),
    )
    return _detail(group)


@member_required
@require_POST
def group_member_add(request, pk: int):
    group = selectors.group_get(pk=pk, user=request.user)
    form = MemberAddForm(request.POST)
    button_post(
        request,
        lambda data: services.group_add_member(
            user=request.user, group=group, member=_lookup(data["username"]), role=data["role"]
        ),
        form=form,
        invalid=_("请填写用户名并选择角色。"),
        success=lambda m: _("已添加 %(name)s。") % {"name": m.user.get_username()},
    )
    return _detail(group)


@member_required
@require_POST
def group_member_role(request, pk: int, user_pk: int):
    group = selectors.group_get(pk=pk, user=request.user)
    member = _member(user_pk)
    button_post(
        request,
        lambda data: services.group_set_role(
            user=request.user, group=group, member=member, role=data["role"]
        ),
        form=MemberRoleForm(request.POST),
        invalid=_("未知的小组角色。"),
        success=_("角色已更改。"),
    )
    return _detail(group)


@member_required
@require_POST
def group_member_remove(request, pk: int, user_pk: int):
    group = selectors.group_get(pk=pk, user=request.user)
    member = _member(user_pk)
    button_post(
        request,
        lambda data: services.group_remove_member(user=request.user, group=group, member=member),
        success=_("已移出小组。"),
    )
    return _detail(group)


@member_required
@require_POST
def group_leave(request, pk: int):
    group = selectors.group_get(pk=pk, user=request.user)
    left = button_post(
        request,
        lambda data: services.group_leave(user=request.user, group=group) or True,
        success=_("您已退出该小组，它的笔记对您不再可见。"),
    )
    return redirect("kb:group-list") if left else _detail(group)


@member_required
@require_POST
def group_delete(request, pk: int):
    group = selectors.group_get(pk=pk, user=request.user)
    if request.POST.get("confirm") != "yes":
        messages.error(request, CONFIRM_DELETE)
        return _detail(group)
    notes = services.group_delete(user=request.user, group=group)
    messages.success(request, _("小组已删除；其中 %(n)d 条笔记已转为作者私有。") % {"n": notes})
    return redirect("kb:group-list")
