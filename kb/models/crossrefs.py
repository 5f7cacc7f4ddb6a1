"""Typed links between passages or claims of different papers, and the term
profiles of passages that the link suggestions are computed from.

``PassageProfile`` holds a passage's token counts and concept ids (written once, when
its paper is loaded); ``TermStat`` holds each token's document frequency over the
profiles, kept up to date incrementally, so suggesting links for a new paper never
re-reads the text of the others.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history import register


class Relation(models.TextChoices):
    SUPPORTS = "supports", _("支持")
    CONTRADICTS = "contradicts", _("反驳")
    ELABORATES = "elaborates", _("阐发")
    SAME_TOPIC = "same_topic", _("同一主题")
    DEFINES = "defines", _("定义")
    CITES = "cites", _("引用")
    EQUIVALENT = "equivalent", _("等同")


class CrossRefStatus(models.TextChoices):
    SUGGESTED = "suggested", _("系统建议")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("已否决")


class CrossReference(models.Model):
    source_passage = models.ForeignKey(
        "papers.Passage", on_delete=models.CASCADE, null=True, blank=True, related_name="crossrefs_out"
    )
    target_passage = models.ForeignKey(
        "papers.Passage", on_delete=models.CASCADE, null=True, blank=True, related_name="crossrefs_in"
    )
    source_claim = models.ForeignKey(
        "kb.Claim", on_delete=models.CASCADE, null=True, blank=True, related_name="relations_out"
    )
    target_claim = models.ForeignKey(
        "kb.Claim", on_delete=models.CASCADE, null=True, blank=True, related_name="relations_in"
    )
    relation = models.CharField(
        _("关系"), max_length=16, choices=Relation.choices, default=Relation.SAME_TOPIC
    )
    note = models.TextField(_("备注"), blank=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=CrossRefStatus.choices,
        default=CrossRefStatus.SUGGESTED,
        db_index=True,
    )
    score = models.FloatField(null=True, blank=True)
    reason = models.JSONField(default=dict, blank=True)
    # Optimistic lock: every user edit names the version it was based on (kb.services.versions).
    version = models.PositiveIntegerField(default=1, editable=False)
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="crossref_passages_or_claims",
                condition=(
                    Q(
                        source_passage__isnull=False,
                        target_passage__isnull=False,
                        source_claim__isnull=True,
                        target_claim__isnull=True,
                    )
                    | Q(
                        source_claim__isnull=False,
                        target_claim__isnull=False,
                        source_passage__isnull=True,
                        target_passage__isnull=True,
                    )
                ),
            ),
            models.UniqueConstraint(
                fields=["source_passage", "target_passage", "relation"], name="crossref_unique_passage_pair"
            ),
            models.UniqueConstraint(
                fields=["source_claim", "target_claim", "relation"], name="crossref_unique_claim_pair"
            ),
        ]
        # The review page reads a page of one status in its order, without sorting the lot.
        indexes = [
            models.Index(fields=["status", "-score", "id"], name="crossref_status_score"),
            models.Index(fields=["status", "-updated_at", "id"], name="crossref_status_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.get_relation_display()} ({self.get_status_display()})"


# Every change to a cross-reference (suggested, confirmed, rejected, deleted, restored) keeps a version.
register(CrossReference, app="kb")


class PassageProfile(models.Model):
    passage = models.OneToOneField("papers.Passage", on_delete=models.CASCADE, related_name="profile")
    paper = models.ForeignKey("papers.Paper", on_delete=models.CASCADE, related_name="+")
    terms = models.JSONField(default=dict)  # token -> count
    concepts = models.JSONField(default=list)  # concept ids mentioned (active mentions)

    def __str__(self) -> str:
        return f"profile of {self.passage_id}"


class ProfilePosting(models.Model):
    """The candidate index of the suggestions: each passage profile under each of its concepts.

    Written with the profiles (``passage_profiles_build``), gone with them. The suggestions
    read a concept's newest postings in one range scan of ``posting_concept_passage``, so
    the cost does not grow with the library. ``passage_id`` and ``paper_id`` are copies of
    the profile's, kept here so that the scan needs no join."""

    profile = models.ForeignKey(PassageProfile, on_delete=models.CASCADE, related_name="postings")
    concept = models.ForeignKey("kb.Concept", on_delete=models.CASCADE, related_name="+", db_index=False)
    passage_id = models.IntegerField()
    paper_id = models.IntegerField()

    class Meta:
        indexes = [
            # paper_id last in the key: the scan reads the index only (a covering index on SQLite too).
            models.Index(fields=["concept", "-passage_id", "paper_id"], name="posting_concept_passage")
        ]

    def __str__(self) -> str:
        return f"{self.concept_id} in {self.passage_id}"


class TermStat(models.Model):
    term = models.CharField(max_length=64, unique=True)
    df = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.term}:{self.df}"
