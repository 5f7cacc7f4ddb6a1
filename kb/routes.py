"""URLs of the knowledge app (namespace ``kb``)."""

from django.urls import path

from kb.views import annotations as annotation_views
from kb.views import citation_graph as citation_graph_views
from kb.views import citations as citation_views
from kb.views import claim_evidence as claim_evidence_views
from kb.views import claims as claim_views
from kb.views import concept_maps as concept_map_views
from kb.views import concepts, uploads
from kb.views import crossrefs as crossref_views
from kb.views import exports as export_views
from kb.views import groups as group_views
from kb.views import history as history_views
from kb.views import notes as notes_views
from kb.views import preferences as preference_views
from kb.views import reading as reading_views
from kb.views import records as record_views
from kb.views import search as search_views
from kb.views import thesaurus_import as thesaurus_import_views
from kb.views import tokens as token_views
from kb.views import w3c as w3c_views

app_name = "kb"

urlpatterns = [
    path("concepts/", concepts.concept_list, name="concept-list"),
    path("concepts/<str:slug>/", concepts.concept_detail, name="concept-detail"),
    path("search/", search_views.search, name="search"),
    path("api/search", search_views.search_api, name="search-api"),
    path("search/export.<str:fmt>", search_views.search_export, name="search-export"),
    path("concepts/<str:slug>/export.<str:fmt>", export_views.concept_export, name="concept-export"),
    path("papers/<int:paper_pk>/notes.md", export_views.paper_notes_export, name="paper-notes-export"),
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
    path("api/claims/search/", claim_evidence_views.api_claim_search, name="api-claim-search"),
    path("api/concepts/suggest/", claim_evidence_views.api_concept_suggest, name="api-concept-suggest"),
    path("evidence/<int:pk>/stance/", claim_evidence_views.evidence_stance, name="evidence-stance"),
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
    path("thesaurus/import/", thesaurus_import_views.thesaurus_import, name="thesaurus-import"),
    path(
        "thesaurus/import/<str:token>/",
        thesaurus_import_views.thesaurus_import_preview,
        name="thesaurus-import-preview",
    ),
    path(
        "thesaurus/import/<str:token>/apply/",
        thesaurus_import_views.thesaurus_import_apply,
        name="thesaurus-import-apply",
    ),
    path(
        "thesaurus/import/<str:token>/cancel/",
        thesaurus_import_views.thesaurus_import_cancel,
        name="thesaurus-import-cancel",
    ),
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
    path("graphs/citations/", citation_graph_views.citation_graph, name="citation-graph"),
    path("crossrefs/", crossref_views.crossref_review, name="crossref-review"),
    path("citations/works/<int:pk>/", citation_views.cited_work_detail, name="cited-work-detail"),
    path(
        "citations/network.<str:fmt>", citation_views.citation_network_export, name="citation-network-export"
    ),
    path("citations/works/<int:pk>/promote/", citation_views.cited_work_promote, name="cited-work-promote"),
    path(
        "citations/links/<int:pk>/<str:action>/",
        citation_views.reference_link_decide,
        name="reference-link-decide",
    ),
    path("citations/statements/<int:pk>/stance/", citation_views.citation_stance, name="citation-stance"),
    path("crossrefs/<int:pk>/<str:action>/", crossref_views.crossref_decide, name="crossref-decide"),
]

# Reading in place: where one stopped, the reader's settings.
urlpatterns += [
    path("reading/position/", reading_views.reading_position, name="reading-position"),
    path("reading/preferences/", reading_views.reading_preferences, name="reading-preferences"),
]

# My notes (我的笔记) and the names of the highlight colours.
urlpatterns += [
    path("notes/", notes_views.my_notes, name="my-notes"),
    path("notes/export.md", notes_views.notes_export, name="notes-export"),
    path("notes/colours/", notes_views.color_names, name="color-names"),
]

# Research groups (小组) and the reader's note filter.
urlpatterns += [
    path("groups/", group_views.group_list, name="group-list"),
    path("groups/new/", group_views.group_create, name="group-create"),
    path("groups/<int:pk>/", group_views.group_detail, name="group-detail"),
    path("groups/<int:pk>/edit/", group_views.group_edit, name="group-edit"),
    path("groups/<int:pk>/delete/", group_views.group_delete, name="group-delete"),
    path("groups/<int:pk>/leave/", group_views.group_leave, name="group-leave"),
    path("groups/<int:pk>/members/", group_views.group_member_add, name="group-member-add"),
    path(
        "groups/<int:pk>/members/<int:user_pk>/role/", group_views.group_member_role, name="group-member-role"
    ),
    path(
        "groups/<int:pk>/members/<int:user_pk>/remove/",
        group_views.group_member_remove,
        name="group-member-remove",
    ),
    path("preferences/note-scope/", preference_views.note_scope, name="note-scope"),
]

# API tokens for scripts using the read API (kb.api).
urlpatterns += [
    path("account/tokens/", token_views.token_list, name="token-list"),
    path("account/tokens/<int:pk>/revoke/", token_views.token_revoke, name="token-revoke"),
]

# Bibliographic record import (editors and admins).
urlpatterns += [
    path("records/import/", record_views.record_import, name="record-import"),
    path("records/import/<str:token>/", record_views.record_preview, name="record-preview"),
    path("records/import/<str:token>/apply/", record_views.record_apply, name="record-apply"),
    path("records/import/<str:token>/cancel/", record_views.record_cancel, name="record-cancel"),
]
