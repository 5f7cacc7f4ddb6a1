"""Root URLs."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kb.api.main import api
from kb.views import home

urlpatterns = [
    path("", home.home, name="home"),
    path("papers/", include("papers.urls")),
    path("", include("kb.routes")),
    path("api/", api.urls),  # the read API (kb.api): /api/v1/..., /api/docs, /api/openapi.json
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
