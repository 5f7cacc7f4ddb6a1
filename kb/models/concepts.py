"""Concepts of the thesaurus and their mentions in passages."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Concept(models.Model):
    label_zh = models.CharField(_("中文名"), max_length=200, unique=True)
    label_en = models.CharField(_("英文名"), max_length=200, blank=True)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    aliases = models.JSONField(_("别名"), default=list, blank=True)
    definition = models.TextField(_("定义"), blank=True)
    definition_source = models.ForeignKey(
        "papers.Passage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    broader = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="narrower",
        verbose_name=_("上位概念"),
    )
    related = models.ManyToManyField("self", blank=True, symmetrical=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_from"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["label_zh"]
        verbose_name = _("概念")
        verbose_name_plural = _("概念")

    def __str__(self) -> str:
        return self.label_zh

    def get_absolute_url(self) -> str:
        return reverse("kb:concept-detail", args=[self.slug])


class MentionOrigin(models.TextChoices):
    AUTO = "auto", _("自动")
    MANUAL = "manual", _("人工")


class MentionStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    REJECTED = "rejected", _("已否决")


class Mention(models.Model):
    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="mentions")
    passage = models.ForeignKey("papers.Passage", on_delete=models.CASCADE, related_name="mentions")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    surface = models.CharField(max_length=200)
    origin = models.CharField(max_length=8, choices=MentionOrigin.choices, default=MentionOrigin.AUTO)
    status = models.CharField(max_length=8, choices=MentionStatus.choices, default=MentionStatus.ACTIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["passage", "start"]
        constraints = [
            models.UniqueConstraint(fields=["concept", "passage", "start", "end"], name="mention_unique_span")
        ]
        indexes = [models.Index(fields=["concept", "status"])]

    def __str__(self) -> str:
        return f"{self.surface} @ {self.passage_id}:{self.start}"
