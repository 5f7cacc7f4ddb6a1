"""Concepts of the thesaurus, their mentions in passages and candidate new concepts.

A concept has a Chinese and an English label, aliases in both languages (traditional
forms included), a definition that may cite the passage where a paper gives it, a
thematic ``group`` (used to filter the comparison matrix and colour the graphs),
``broader`` concepts (SKOS broader/narrower: a polyhierarchy, as 数字治理 sits under both
数字化 and 治理; never a cycle) and ``related`` concepts. A merged concept
keeps its row and points at the survivor through ``merged_into`` (its URL redirects).

A rejected ``Mention`` is never deleted: detection skips the span it covers, and, on a
new revision of the paper, any occurrence with the same surface and context.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Concept(models.Model):
    label_zh = models.CharField(_("中文名"), max_length=200, unique=True)
    label_en = models.CharField(_("英文名"), max_length=200, blank=True)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    aliases = models.JSONField(_("别名"), default=list, blank=True)
    definition = models.TextField(_("定义"), blank=True)
    definition_source = models.ForeignKey(
        "papers.Passage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A quote from the defining passage, so the source can be found again once its paper is loaded.
    definition_quote = models.CharField(_("定义出处引文"), max_length=200, blank=True)
    group = models.CharField(_("分组"), max_length=40, blank=True, db_index=True)
    broader = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="narrower", verbose_name=_("上位概念")
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
    # Optimistic lock: every user edit names the version it was based on (kb.services.versions).
    version = models.PositiveIntegerField(default=1, editable=False)

    # Every edit, rename, merge and thesaurus load keeps a version (with its broader concepts).
    history = HistoricalRecords(m2m_fields=[broader])

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
    # A few characters either side, so a rejection can be recognised in a later revision.
    prefix = models.CharField(max_length=16, blank=True)
    suffix = models.CharField(max_length=16, blank=True)
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


class CandidateStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    ACCEPTED = "accepted", _("已采纳")
    DISMISSED = "dismissed", _("已忽略")


class ConceptCandidate(models.Model):
    """A frequent domain term of the corpus that is not yet a concept, offered to editors."""

    term = models.CharField(max_length=100, unique=True)
    score = models.FloatField(default=0)
    frequency = models.PositiveIntegerField(default=0)
    paper_count = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.OPEN, db_index=True
    )
    concept = models.ForeignKey(Concept, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-score", "term"]

    def __str__(self) -> str:
        return self.term
