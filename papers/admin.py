"""Admin for papers: admins fix metadata here; saves go through the metadata service."""

from django.contrib import admin

from papers.models import Author, Authorship, Paper, SourceFile, TextRevision
from papers.services.metadata import EDITABLE_FIELDS, paper_update_metadata


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    extra = 0
    autocomplete_fields = ["author"]


@admin.register(Paper)
class PaperAdmin(admin.ModelAdmin):
    list_display = ["display_title", "year", "venue", "status", "needs_review", "updated_at"]
    list_filter = ["status", "needs_review", "year"]
    search_fields = ["title", "title_en", "doi"]
    fields = [*EDITABLE_FIELDS, "warnings"]
    readonly_fields = ["warnings"]
    inlines = [AuthorshipInline]

    def has_add_permission(self, request):
        return False  # papers come in through ingestion (upload or `manage.py ingest`)

    def save_model(self, request, obj, form, change):
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in EDITABLE_FIELDS}
        paper_update_metadata(paper=obj, user=request.user, **changes)


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "orcid"]
    search_fields = ["name", "name_en"]


@admin.register(SourceFile)
class SourceFileAdmin(admin.ModelAdmin):
    list_display = ["filename", "format", "size", "paper", "uploaded_by", "uploaded_at"]
    readonly_fields = [f.name for f in SourceFile._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(TextRevision)
class TextRevisionAdmin(admin.ModelAdmin):
    list_display = ["paper", "number", "is_current", "created_at"]
    readonly_fields = ["paper", "number", "text", "source", "is_current", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
