"""Admin for the knowledge layer: read only. Editors work in the site itself, whose services
validate, keep history and reindex; the admin offers no write around them."""

from django.contrib import admin
from taggit.models import Tag

from kb.models import Annotation, Claim, Concept, CrossReference


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
    list_display = ["exact", "creator", "visibility", "anchor_status", "created_at"]
    list_filter = ["visibility", "anchor_status"]

    def get_queryset(self, request):
        # Private annotations stay private here too, admins included.
        return (
            super()
            .get_queryset(request)
            .filter(pk__in=Annotation.objects.visible_to(request.user).values("pk"))
        )
