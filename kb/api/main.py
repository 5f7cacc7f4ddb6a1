"""The ``NinjaAPI`` of the read API, mounted at ``/api/`` (namespace ``api``).

Operations live under ``/api/v1/`` (the site's older JSON endpoints for the reader's
script keep ``/api/...`` beside them); ``/api/openapi.json`` is the document and
``/api/docs`` its page. The API is read-only: every operation is a GET.

Two departures from ninja's defaults, both for the site's rules:

- ninja marks its views CSRF-exempt; here they are not, so a POST without a CSRF token
  is refused by Django's middleware (403) like on every other URL of the site;
- ``/api/`` itself (ninja's root, needed to reverse the paths) sends readers to the docs.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.urls import URLPattern, reverse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.renderers import JSONRenderer

from kb.api import auth
from kb.api.docs import ServerRenderedDocs
from kb.api.routers import annotations, claims, concepts, papers, search

VERSION = "v1"


class ChineseJSON(JSONRenderer):
    """JSON with Chinese as Chinese, not ``\\uXXXX`` escapes (as the site's other JSON)."""

    json_dumps_params = {"ensure_ascii": False}


class TanyuanAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        return operation.view_func.__name__

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        # ``{}``: no credentials is also a way in, while public reading is on (``auth.public_reader``).
        for methods in document["paths"].values():
            for operation in methods.values():
                if operation.get("security") and {} not in operation["security"]:
                    operation["security"].append({})
        return document

    @property
    def urls(self):
        patterns, app_name, namespace = super().urls
        return [_checked(p) for p in patterns], app_name, namespace


def _checked(pattern):
    """The pattern with its view no longer CSRF-exempt (and ``/api/`` sending readers to the docs)."""
    if not isinstance(pattern, URLPattern):
        return pattern
    view = pattern.callback
    if pattern.name == "api-root":
        view = auth.docs_reader(_root)

    def csrf_checked(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    csrf_checked.__name__ = getattr(view, "__name__", "api_view")
    return URLPattern(pattern.pattern, csrf_checked, pattern.default_args, pattern.name)


def _root(request: HttpRequest, **kwargs):
    return HttpResponseRedirect(reverse("api:openapi-view"))


api = TanyuanAPI(
    title="Tanyuan 探源 API",
    version="1.0",
    description=_(
        "探源的只读 API：论文、段落、概念、提及、论断（含证据）、交叉引用、批注（W3C JSON-LD）和搜索。"
        "权限与网页相同。脚本使用 API 令牌：请求头 Authorization: Bearer <令牌>。"
    ),
    urls_namespace="api",
    renderer=ChineseJSON(),
    auth=auth.AUTH,
    docs=ServerRenderedDocs(),
    docs_url="/docs",
    openapi_url="/openapi.json",
    docs_decorator=auth.docs_reader,
)
api.add_router(f"/{VERSION}/papers", papers.router)
api.add_router(f"/{VERSION}/concepts", concepts.router)
api.add_router(f"/{VERSION}/claims", claims.router)
api.add_router(f"/{VERSION}/crossrefs", claims.crossref_router)
api.add_router(f"/{VERSION}/annotations", annotations.router)
api.add_router(f"/{VERSION}/search", search.router)


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: AuthenticationError):
    # ninja's own "Unauthorized" means no way of calling matched: say which ones there are.
    message = auth.NO_CREDENTIALS if str(exc) == "Unauthorized" else str(exc)
    response = api.create_response(request, {"detail": message}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="tanyuan"'
    return response
