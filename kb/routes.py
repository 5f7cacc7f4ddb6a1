"""URLs of the knowledge app (namespace ``kb``)."""

from django.urls import path

from kb.views import concepts

app_name = "kb"

urlpatterns = [
    path("concepts/", concepts.concept_list, name="concept-list"),
    path("concepts/<str:slug>/", concepts.concept_detail, name="concept-detail"),
]
