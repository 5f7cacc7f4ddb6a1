"""Control characters refused at the door; bidi controls made visible on the way out.

``UserTextMiddleware`` answers 400 with a message (JSON for the JSON API, a page
otherwise) when a query string or a form carries NUL or another control
character (``kb.lib.usertext``): no view ever sees one, so none can reach the
database (PostgreSQL refuses NUL with an error). JSON bodies are checked where
they are parsed (``kb.views.api.json_body``), imports and services with the same
validator. On the way out, every HTML page has its bidi embedding, override and
isolate characters replaced by a visible ``[U+202E]``, wherever they came from
(titles of loaded papers, older notes), so no text reads differently from what it is.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from kb.lib.usertext import has_control, mark_bidi

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _values(querydict) -> list[str]:
    return [item for key, values in querydict.lists() for item in (key, *values)]


class UserTextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        inputs = _values(request.GET)
        # Form fields, URL-encoded or multipart (files are not text: request.FILES is not read
        # here). The CSRF check reads request.POST as early, so no view loses its upload handlers.
        if request.method == "POST" and request.content_type in FORM_TYPES:
            inputs += _values(request.POST)
        if any(has_control(v) for v in inputs):
            return self._refuse(request)
        response = self.get_response(request)
        if (
            not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and getattr(response, "content", None)
        ):
            response.content = mark_bidi(response.content)
        return response

    def _refuse(self, request):
        message = _("内容含有不允许的控制字符（如 NUL），请删除后再提交。")
        wants_json = "json" in request.headers.get("Accept", "") or request.path.startswith("/api/")
        if wants_json:
            return JsonResponse({"errors": [message]}, status=400)
        return render(request, "400.html", {"message": message}, status=400)
