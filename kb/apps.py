"""App configs: the knowledge app and the Tanyuan admin site."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class KbConfig(AppConfig):
    name = "kb"
    verbose_name = "Knowledge base"
    default = True
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from kb.overlays_citations import citation_overlay
        from kb.overlays_concepts import crossref_overlay, mention_overlay
        from kb.overlays_exports import notes_export_overlay
        from kb.overlays_reading import reading_overlay
        from kb.selectors.annotations import reader_annotations
        from kb.services.followups import paper_metadata_changed
        from papers.reader import register_overlay
        from papers.services.metadata import register_after_update

        register_overlay(mention_overlay)
        register_overlay(crossref_overlay)
        register_overlay(reader_annotations)
        register_overlay(reading_overlay)
        register_overlay(notes_export_overlay)
        register_overlay(citation_overlay)
        # The follow-ups of a loaded paper are called by kb's own loading service; papers, which
        # never imports kb, learns here (once) what follows a metadata correction.
        register_after_update(paper_metadata_changed)


class TanyuanAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "kb.admin_site.TanyuanAdminSite"
