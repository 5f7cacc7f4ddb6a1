"""URLs of the papers app (namespace ``papers``)."""

from django.urls import path

from papers import views

app_name = "papers"

urlpatterns = [
    path("", views.paper_list, name="paper-list"),
    path("<int:pk>/", views.paper_detail, name="paper-detail"),
    path("<int:pk>/cite.<str:fmt>", views.paper_cite, name="paper-cite"),
    path("<int:pk>/edit/", views.paper_edit, name="paper-edit"),
    path("authors/<int:pk>/", views.author_detail, name="author-detail"),
]
