"""App configs: the knowledge app and the Tanyuan admin site."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class KbConfig(AppConfig):
    name = "kb"
    verbose_name = "Knowledge base"
    default = True
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from kb.overlays_concepts import crossref_overlay, mention_overlay
        from kb.services.followups import concepts_after_paper_saved
        from kb.services.loading import AFTER_SAVE
        from papers.reader import register_overlay

        register_overlay(mention_overlay)
        register_overlay(crossref_overlay)
        if concepts_after_paper_saved not in AFTER_SAVE:
            AFTER_SAVE.append(concepts_after_paper_saved)
        # Annotations and claims (issue 6): highlights in the reader; re-anchoring after a revision.
        from kb.selectors.annotations import reader_annotations
        from kb.services.anchoring import reanchor_after_save

        register_overlay(reader_annotations)
        if reanchor_after_save not in AFTER_SAVE:
            AFTER_SAVE.append(reanchor_after_save)
        # Search: corrected metadata is copied into every document of the paper.
        from kb.search.service import search_index_after_metadata
        from papers.services.metadata import AFTER_UPDATE

        if search_index_after_metadata not in AFTER_UPDATE:
            AFTER_UPDATE.append(search_index_after_metadata)


class TanyuanAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "kb.admin_site.TanyuanAdminSite"
