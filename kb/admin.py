"""Admin for the knowledge layer: read only. Editors work in the site itself, whose services
validate, keep history and reindex; the admin offers no write around them."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from kb.models import Annotation, Claim, Concept, CrossReference, GroupMembership, ResearchGroup
from kb.services.groups import group_name_clean, group_update


class ReadOnlyAdmin(admin.ModelAdmin):
    """Knowledge objects change only through their services (in the site), never by raw admin edits."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Tags are annotations' words: renaming or deleting one here would change annotations unseen
# by their history and the search index.
if admin.site.is_registered(Tag):
    admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(Concept)
class ConceptAdmin(ReadOnlyAdmin):
    list_display = ["label_zh", "label_en", "group", "merged_into"]
    search_fields = ["label_zh", "label_en"]


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = ["statement", "paper", "kind", "status", "creator"]
    list_filter = ["status", "kind"]


@admin.register(CrossReference)
class CrossReferenceAdmin(ReadOnlyAdmin):
    list_display = ["relation", "status", "score", "source_passage", "target_passage"]
    list_filter = ["status", "relation"]


@admin.register(Annotation)
class AnnotationAdmin(ReadOnlyAdmin):
    list_display = ["exact", "creator", "visibility", "group", "anchor_status", "created_at"]
    list_select_related = ["creator", "group"]
    list_filter = ["visibility", "anchor_status"]

    def get_queryset(self, request):
        # Private and group annotations stay so here too, admins included (unless members).
        return (
            super()
            .get_queryset(request)
            .filter(pk__in=Annotation.objects.visible_to(request.user).values("pk"))
        )


class GroupAdminForm(forms.ModelForm):
    class Meta:
        model = ResearchGroup
        fields = ["name", "description"]

    def clean_name(self):
        # The same checks as the site; the write itself is ``group_update`` (``save_model``).
        return group_name_clean(self.cleaned_data["name"], group=self.instance)


class GroupMembershipInline(admin.TabularInline):
    """Members are shown here; they are managed on the group's page in the site (services)."""

    model = GroupMembership
    fields = ["user", "role", "joined_at"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ResearchGroup)
class ResearchGroupAdmin(admin.ModelAdmin):
    """Renaming goes through ``group_update``; creating, deleting and membership through the
    site's group pages (``kb.services.groups``), linked from here."""

    form = GroupAdminForm
    list_display = ["name", "created_by", "created_at"]
    search_fields = ["name"]
    fields = ["name", "description", "manage"]
    readonly_fields = ["manage"]
    inlines = [GroupMembershipInline]

    @admin.display(description=_("管理成员"))
    def manage(self, obj):
        if obj is None or obj.pk is None:
            return ""
        return format_html(
            '<a href="{}">{}</a>', reverse("kb:group-detail", args=[obj.pk]), _("在站内管理成员")
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        group_update(
            user=request.user,
            group=obj,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
        )
