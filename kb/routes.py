"""URLs of the knowledge app (namespace ``kb``)."""

from django.urls import path

from kb.views import concepts, uploads
from kb.views import search as search_views

app_name = "kb"

urlpatterns = [
    path("concepts/", concepts.concept_list, name="concept-list"),
    path("concepts/<str:slug>/", concepts.concept_detail, name="concept-detail"),
    path("search/", search_views.search, name="search"),
    path("api/search", search_views.search_api, name="search-api"),
    path("uploads/", uploads.upload_list, name="upload-list"),
    path("uploads/new/", uploads.upload_create, name="upload-create"),
    path("uploads/<int:pk>/", uploads.upload_detail, name="upload-detail"),
    path("uploads/<int:pk>/progress/", uploads.upload_progress, name="upload-progress"),
    path("uploads/<int:pk>/preview/", uploads.upload_update, name="upload-update"),
    path("uploads/<int:pk>/publish/", uploads.upload_publish, name="upload-publish"),
    path("uploads/<int:pk>/discard/", uploads.upload_discard, name="upload-discard"),
]
