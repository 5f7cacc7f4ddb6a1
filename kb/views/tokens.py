"""The API token page (editors and admins): list, create (the key is shown once), revoke."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kb.forms.tokens import TokenCreateForm
from kb.models import ApiToken
from kb.services import tokens as services
from papers.access import editor_required


@never_cache  # the page that shows a new key must not be kept by any cache
@editor_required
def token_list(request):
    form = TokenCreateForm(request.POST if request.method == "POST" else None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            token, new_key = services.token_create(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            form.add_error("name", exc)
        else:
            form = TokenCreateForm()
            messages.success(request, _("已创建令牌“%(name)s”。") % {"name": token.name})
    tokens = ApiToken.objects.filter(user=request.user).order_by("revoked_at", "-created_at", "-pk")
    return render(request, "kb/token_list.html", {"form": form, "tokens": tokens, "new_key": new_key})


@editor_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.token_revoke(token=token, user=request.user)
    messages.success(request, _("已撤销令牌“%(name)s”，使用它的脚本将无法再访问。") % {"name": token.name})
    return redirect("kb:token-list")
