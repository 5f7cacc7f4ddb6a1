"""Locale: 简体中文 unless the reader chose otherwise.

Django's LocaleMiddleware follows the browser's Accept-Language, so an
English-language browser would get the English UI by default. Tanyuan's
corpus and readers are Chinese: the UI starts in LANGUAGE_CODE and changes
only when a reader picks a language with the switcher (stored in the
language cookie by ``set_language``).
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        # override() restores the thread's previous language afterwards, so one request's
        # choice never leaks into the next request served by the same thread.
        with translation.override(language):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
