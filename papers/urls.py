"""URLs of the papers app (namespace ``papers``)."""

from django.urls import path

from papers import views, views_export, views_pages

app_name = "papers"

urlpatterns = [
    path("", views.paper_list, name="paper-list"),
    path("export.<str:fmt>", views_export.paper_export, name="paper-export"),
    path("<int:pk>/", views.paper_detail, name="paper-detail"),
    path("<int:pk>/cite.<str:fmt>", views.paper_cite, name="paper-cite"),
    path("<int:pk>/edit/", views.paper_edit, name="paper-edit"),
    path("<int:pk>/pages/<int:page>/", views_pages.page_view, name="page-view"),
    path("<int:pk>/pages/<int:page>.png", views_pages.page_image, name="page-image"),
    path("<int:pk>/passages/<int:passage_pk>/cite.<str:fmt>", views_pages.passage_cite, name="passage-cite"),
    path("authors/<int:pk>/", views.author_detail, name="author-detail"),
]
