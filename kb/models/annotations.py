"""Annotations on passages: W3C-style selectors, Markdown body, visibility, replies, tags.

Who sees what (``Annotation.objects.visible_to``): public ones to every
reader, editors' ones to editors, group ones to the group's current members,
private ones to their author only. Replies carry their thread's visibility
and group. Every change is recorded (``history``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from kb.lib import roles
from kb.models.anchors import AnchoredTarget
from kb.models.people import GroupMembership


class Visibility(models.TextChoices):
    PRIVATE = "private", _("仅自己")
    GROUP = "group", _("小组可见")
    EDITORS = "editors", _("编辑可见")
    PUBLIC = "public", _("公开")


class HighlightColor(models.TextChoices):
    """Zotero's eight highlight colours; users may name them (``UserPreference.color_names``)."""

    YELLOW = "yellow", _("黄色")
    RED = "red", _("红色")
    GREEN = "green", _("绿色")
    BLUE = "blue", _("蓝色")
    PURPLE = "purple", _("紫色")
    MAGENTA = "magenta", _("品红")
    ORANGE = "orange", _("橙色")
    GRAY = "gray", _("灰色")


class Motivation(models.TextChoices):
    HIGHLIGHTING = "highlighting", _("高亮")
    COMMENTING = "commenting", _("评论")
    TAGGING = "tagging", _("标签")
    REPLYING = "replying", _("回复")
    LINKING = "linking", _("链接")


class AnnotationQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.filter(visibility=Visibility.PUBLIC) if roles.can_read(user) else self.none()
        shown = Q(visibility=Visibility.PUBLIC) | Q(creator=user)
        if roles.is_editor(user):
            shown |= Q(visibility=Visibility.EDITORS)
        # Membership is read now, in this query (no cache): leaving a group hides its notes at once.
        # A subquery, not a join: a join would repeat a note once per member of its group.
        mine = GroupMembership.objects.filter(user=user).values("group_id")
        shown |= Q(visibility=Visibility.GROUP, group_id__in=mine)
        return self.filter(shown)

    def roots(self):
        return self.filter(parent=None)


class Annotation(AnchoredTarget):
    paper = models.ForeignKey(
        "papers.Paper", on_delete=models.CASCADE, null=True, blank=True, related_name="annotations"
    )
    body = models.TextField(_("内容"), blank=True, help_text="Markdown")
    body_html = models.TextField(blank=True, editable=False, help_text="sanitised rendering of body, cached")
    motivation = models.CharField(max_length=16, choices=Motivation.choices, default=Motivation.COMMENTING)
    visibility = models.CharField(max_length=8, choices=Visibility.choices, default=Visibility.PRIVATE)
    # Set when visibility is "group": only the group's members (and the creator) see it.
    group = models.ForeignKey(
        "kb.ResearchGroup", on_delete=models.SET_NULL, null=True, blank=True, related_name="annotations"
    )
    color = models.CharField(_("颜色"), max_length=16, choices=HighlightColor.choices, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    concept = models.ForeignKey(
        "kb.Concept", on_delete=models.SET_NULL, null=True, blank=True, related_name="annotations"
    )
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="annotations"
    )
    tags = TaggableManager(blank=True)
    # The tag names as a plain column too, so that history records tag changes.
    tag_list = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Provenance of imported annotations (Hypothesis, W3C): re-importing matches on source_id.
    # One copy per importing user (two scholars may each import the same shared file).
    source_name = models.CharField(max_length=100, blank=True)
    source_id = models.CharField(max_length=200, blank=True, db_index=True)
    source_creator = models.CharField(max_length=200, blank=True)
    source_created = models.DateTimeField(null=True, blank=True)

    objects = AnnotationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["body_html"])

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("批注")
        verbose_name_plural = _("批注")
        indexes = [models.Index(fields=["paper", "anchor_status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["creator", "source_name", "source_id"],
                condition=~Q(source_id=""),
                name="annotation_unique_source_id",
            )
        ]

    def __str__(self) -> str:
        return f"{self.creator_id}: {(self.exact or self.body)[:40]}"

    def get_absolute_url(self) -> str:
        if self.passage_id is None:
            return self.paper.get_absolute_url() if self.paper_id else "/"
        return self.passage.get_absolute_url()
