"""The view side of staged imports: upload or paste → preview → apply or cancel.

The file waits in a ``papers.staging.Stage`` under a token; the session lists the tokens of
the user who uploaded them, so nobody else can see or apply another's preview. These helpers
are the steps the record and thesaurus imports share; each view keeps its own URLs,
templates and messages.

- ``staged_upload``: a valid POSTed ``UploadOrPasteForm`` is checked and kept by the
  importer's ``stash(data=, user=)`` service and bound to the session; its token, or None
  (the service's ``ValidationError`` lands on the form).
- ``staged_name``: the file name ("粘贴的文本" for pasted text) of this session's token, or
  None with the "expired" message.
- ``staged_preview`` / ``staged_apply``: run the importer's ``preview`` / ``apply``
  (``data=``, ``user=``) on the staged bytes; None (with messages) when the token is not
  this session's or the service refuses. A preview that fails forgets the file; an apply
  that succeeds forgets it (so it cannot run twice).
- ``staged_cancel``: forget the file, saying so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kb.views.common import report_errors
from papers.staging import Stage

CANCELLED = gettext_lazy("已取消导入，没有任何改动。")


def staged_upload(request, form, *, stash: Callable[..., str]) -> str | None:
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        token = stash(data=form.cleaned_data["data"], user=request.user)
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
    form.stage.remember(request.session, token=token, value=form.cleaned_data["name"])
    return token


def staged_name(request, stage: Stage, token: str) -> str | None:
    try:
        name = stage.recall(request.session, token=token)
    except ValidationError as exc:
        report_errors(request, exc)
        return None
    return name or _("粘贴的文本")


def staged_preview(request, stage: Stage, token: str, preview: Callable[..., Any]) -> tuple[str, Any] | None:
    """(file name, the preview's plan), or None."""
    name = staged_name(request, stage, token)
    if name is None:
        return None
    try:
        plan = preview(data=stage.load(token=token), user=request.user)
    except ValidationError as exc:
        report_errors(request, exc)
        stage.forget(request.session, token=token)
        return None
    return name, plan


def staged_apply(request, stage: Stage, token: str, apply: Callable[..., Any]) -> Any:
    """The apply's report, or None."""
    if staged_name(request, stage, token) is None:
        return None
    try:
        report = apply(data=stage.load(token=token), user=request.user)
    except ValidationError as exc:
        report_errors(request, exc)
        return None
    stage.forget(request.session, token=token)
    return report


def staged_cancel(request, stage: Stage, token: str) -> None:
    if staged_name(request, stage, token) is not None:
        stage.forget(request.session, token=token)
        messages.info(request, str(CANCELLED))
