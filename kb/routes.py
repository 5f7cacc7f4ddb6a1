"""URLs of the knowledge app (namespace ``kb``)."""

from django.urls import path

from kb.views import annotations as annotation_views
from kb.views import claims as claim_views
from kb.views import concept_maps as concept_map_views
from kb.views import concepts, uploads
from kb.views import crossrefs as crossref_views
from kb.views import history as history_views
from kb.views import search as search_views
from kb.views import w3c as w3c_views

app_name = "kb"

urlpatterns = [
    path("concepts/", concepts.concept_list, name="concept-list"),
    path("concepts/<str:slug>/", concepts.concept_detail, name="concept-detail"),
    path("search/", search_views.search, name="search"),
    path("api/search", search_views.search_api, name="search-api"),
    path("search/export.<str:fmt>", search_views.search_export, name="search-export"),
    path("uploads/", uploads.upload_list, name="upload-list"),
    path("uploads/new/", uploads.upload_create, name="upload-create"),
    path("uploads/<int:pk>/", uploads.upload_detail, name="upload-detail"),
    path("uploads/<int:pk>/progress/", uploads.upload_progress, name="upload-progress"),
    path("uploads/<int:pk>/preview/", uploads.upload_update, name="upload-update"),
    path("uploads/<int:pk>/publish/", uploads.upload_publish, name="upload-publish"),
    path("uploads/<int:pk>/discard/", uploads.upload_discard, name="upload-discard"),
    path("uploads/<int:pk>/retry/", uploads.upload_retry, name="upload-retry"),
]

# Annotations, claims, history and W3C exchange.
urlpatterns += [
    path(
        "api/papers/<int:paper_pk>/annotations/",
        annotation_views.api_paper_annotations,
        name="api-paper-annotations",
    ),
    path("api/annotations/<int:pk>/", annotation_views.api_annotation, name="api-annotation"),
    path("api/tags/", annotation_views.api_tags, name="api-tags"),
    path("api/papers/<int:paper_pk>/claims/", claim_views.api_claim_create, name="api-claim-create"),
    path("api/claims/<int:pk>/evidence/", claim_views.api_evidence_add, name="api-evidence-add"),
    path("api/papers/<int:paper_pk>/crossrefs/", claim_views.api_crossref_create, name="api-crossref-create"),
    path("annotations/<int:pk>/", annotation_views.annotation_detail, name="annotation-detail"),
    path("annotations/<int:pk>/reply/", annotation_views.annotation_reply, name="annotation-reply"),
    path("annotations/<int:pk>/edit/", annotation_views.annotation_edit, name="annotation-edit"),
    path("annotations/orphans/", annotation_views.orphan_list, name="orphan-list"),
    path(
        "annotations/orphans/<str:kind>/<int:pk>/", annotation_views.orphan_reattach, name="orphan-reattach"
    ),
    path("annotations/export.jsonld", w3c_views.export, name="annotation-export"),
    path(
        "papers/<int:paper_pk>/annotations/margin/",
        annotation_views.annotation_margin,
        name="annotation-margin",
    ),
    path("papers/<int:paper_pk>/annotations/import/", w3c_views.import_annotations, name="annotation-import"),
    path("claims/", claim_views.claim_list, name="claim-list"),
    path("claims/graph/", claim_views.claim_graph, name="claim-graph"),
    path("claims/<int:pk>/", claim_views.claim_detail, name="claim-detail"),
    path("claims/<int:pk>/review/", claim_views.claim_review, name="claim-review"),
    path("claims/<int:pk>/edit/", claim_views.claim_edit, name="claim-edit"),
    path("claims/<int:pk>/relations/", claim_views.claim_relation_create, name="claim-relation-create"),
    path("relations/<int:pk>/delete/", claim_views.relation_delete, name="relation-delete"),
    path("concepts/<str:slug>/claims/", claim_views.concept_claims, name="concept-claims"),
    path("history/<str:model_name>/<int:pk>/", history_views.history_detail, name="history"),
    path(
        "history/<str:model_name>/<int:pk>/<int:history_id>/restore/",
        history_views.history_restore,
        name="history-restore",
    ),
]

# Concepts, comparison, graphs and cross-references.
urlpatterns += [
    path("thesaurus/new/", concepts.concept_create, name="concept-create"),
    path("thesaurus/skos.jsonld", concepts.thesaurus_skos, name="thesaurus-skos"),
    path("thesaurus/candidates/", concepts.candidate_list, name="concept-candidates"),
    path(
        "thesaurus/candidates/<int:pk>/<str:action>/",
        concepts.candidate_decide,
        name="concept-candidate-decide",
    ),
    path("concepts/<str:slug>/edit/", concepts.concept_edit, name="concept-edit"),
    path("concepts/<str:slug>/merge/", concepts.concept_merge, name="concept-merge"),
    path("mentions/new/", concepts.mention_create, name="mention-create"),
    path("mentions/<int:pk>/reject/", concepts.mention_reject, name="mention-reject"),
    path("compare/", concept_map_views.comparison, name="comparison"),
    path("compare.csv", concept_map_views.comparison_csv, name="comparison-csv"),
    path("graphs/concepts/", concept_map_views.concept_graph, name="concept-graph"),
    path("graphs/papers/", concept_map_views.paper_concept_graph, name="paper-concept-graph"),
    path("crossrefs/", crossref_views.crossref_review, name="crossref-review"),
    path("crossrefs/<int:pk>/<str:action>/", crossref_views.crossref_decide, name="crossref-decide"),
]
