"""Admin for papers: admins fix metadata here; every save goes through the metadata services.

Nothing else is written here: papers and their text come in through ingestion (upload or
``manage.py ingest``) and are never deleted or rewritten by hand (a deleted revision would
leave a paper without passages, annotations without their text); authors and their order
are corrected on the site's paper edit page, which validates and reindexes.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from papers.models import Author, Authorship, Paper, SourceFile, TextRevision
from papers.services.metadata import (
    AUTHOR_FIELDS,
    EDITABLE_FIELDS,
    author_update,
    metadata_clean,
    paper_update_metadata,
)


class NoDeleteAdmin(admin.ModelAdmin):
    """No service deletes these: neither the delete view nor the bulk action is offered."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuthorshipInline(admin.TabularInline):
    """Shown, not edited: the author list is corrected on the site's paper edit page."""

    model = Authorship
    extra = 0
    fields = readonly_fields = ["author", "order", "affiliation"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PaperAdminForm(forms.ModelForm):
    """Validated by the metadata service's own rules, so an invalid value is a form error here too."""

    def clean(self):
        cleaned = super().clean()
        changed = {
            name: cleaned[name] for name in self.changed_data if name in EDITABLE_FIELDS and name in cleaned
        }
        try:
            cleaned.update(metadata_clean(changed))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        return cleaned


@admin.register(Paper)
class PaperAdmin(NoDeleteAdmin):
    form = PaperAdminForm
    list_display = ["display_title", "year", "venue", "status", "needs_review", "updated_at"]
    list_filter = ["status", "needs_review", "year"]
    search_fields = ["title", "title_en", "doi"]
    fields = [*EDITABLE_FIELDS, "warnings", "removed_lines"]
    readonly_fields = ["warnings", "removed_lines"]
    inlines = [AuthorshipInline]

    @admin.display(description=_("已移除的行"))
    def removed_lines(self, obj):
        """What the current revision's pipeline left out of the passages (read only)."""
        return removed_lines_table(obj.revisions.filter(is_current=True).only("removed").first())

    def save_model(self, request, obj, form, change):
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in EDITABLE_FIELDS}
        paper_update_metadata(paper=obj, user=request.user, **changes)


@admin.register(Author)
class AuthorAdmin(NoDeleteAdmin):
    list_display = ["name", "name_en", "orcid"]
    search_fields = ["name", "name_en"]
    fields = list(AUTHOR_FIELDS)

    def save_model(self, request, obj, form, change):
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in AUTHOR_FIELDS}
        author_update(author=obj, user=request.user, **changes)


@admin.register(SourceFile)
class SourceFileAdmin(NoDeleteAdmin):
    list_display = ["filename", "format", "size", "paper", "uploaded_by", "uploaded_at"]
    readonly_fields = [f.name for f in SourceFile._meta.fields]

    def has_change_permission(self, request, obj=None):
        return False


def removed_lines_table(revision) -> str:
    """The lines the pipeline kept out of the passages (page furniture, cover labels…), as a table."""
    lines = list(revision.removed or []) if revision is not None else []
    if not lines:
        return _("（无）")
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
        ((line.get("page") or "", line.get("reason", ""), line.get("text", "")) for line in lines),
    )
    return format_html(
        '<table class="removed-lines"><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>'
        "<tbody>{}</tbody></table>",
        _("页"),
        _("原因"),
        _("文字"),
        rows,
    )


@admin.register(TextRevision)
class TextRevisionAdmin(NoDeleteAdmin):
    list_display = ["paper", "number", "is_current", "created_at"]
    readonly_fields = ["paper", "number", "text", "source", "is_current", "created_at", "removed_lines"]

    @admin.display(description=_("已移除的行"))
    def removed_lines(self, obj):
        return removed_lines_table(obj)

    def has_change_permission(self, request, obj=None):
        return False
