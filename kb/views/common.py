"""The shapes the knowledge views share, so each view is only its own access check and service.

- ``form_save``: a page with a form. On a valid POST it calls the service with the
  cleaned data; the service's ``ValidationError`` lands on the form, success becomes a
  message. The view then redirects (success) or renders the form (anything else).
- ``button_post``: a POST-only button that goes back where it came from. An invalid form,
  the service's ``ValidationError`` or success each become one or more messages.
- ``redirect_back``: to the ``next`` field when it is a URL of this site, else the fallback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from kb.services.versions import StaleEdit

T = TypeVar("T")
# A success message, or a function of the service's result that returns it.
Success = str | Callable[[Any], str]


def redirect_back(request, fallback):
    target = request.POST.get("next", "")
    # Only our own URLs: ``next`` comes from the client and must not become an open redirect.
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def report_errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _success(request, success: Success, result) -> None:
    messages.success(request, success(result) if callable(success) else success)


def form_save(
    request,
    form,
    write: Callable[[dict[str, Any]], T],
    *,
    success: Success,
    error_field: str | None = None,
) -> T | None:
    """Run ``write(cleaned_data)`` for a valid POSTed form; its result, or None to render the form.

    ``success`` is the message, or a function of the result that returns it.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = write(form.cleaned_data)
    except ValidationError as exc:
        if isinstance(exc, StaleEdit):
            # Keep the user's text; the next save is based on the version now (kb/_stale.html).
            form.data = form.data.copy()
            form.data["version"] = str(exc.current)
            form.stale = exc
        form.add_error(error_field, exc.messages if error_field else exc)
        return None
    _success(request, success, result)
    return result


def button_post(
    request,
    write: Callable[[dict[str, Any]], T],
    *,
    success: Success,
    form=None,
    invalid: str = "",
) -> T | None:
    """Run ``write(cleaned_data)`` (``{}`` without a form) and say how it went as messages."""
    if form is not None and not form.is_valid():
        messages.error(request, invalid)
        return None
    try:
        result = write(form.cleaned_data if form is not None else {})
    except ValidationError as exc:
        report_errors(request, exc)
        return None
    _success(request, success, result)
    return result
