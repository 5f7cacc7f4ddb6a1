"""Claims editors record about papers, and the evidence quotes that back them.

Relations between claims are ``CrossReference`` rows between two claims.
Claims, evidence and cross-references keep their full history.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kb.lib import roles
from kb.models.anchors import AnchoredTarget
from kb.models.crossrefs import CrossReference


class ClaimKind(models.TextChoices):
    THESIS = "thesis", _("论点")
    FINDING = "finding", _("发现")
    DEFINITION = "definition", _("定义")
    CHALLENGE = "challenge", _("挑战")
    RECOMMENDATION = "recommendation", _("建议")
    METHOD = "method", _("方法")


class ClaimStatus(models.TextChoices):
    PROPOSED = "proposed", _("待审")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")


class Stance(models.TextChoices):
    SUPPORTS = "supports", _("支持")
    CONTRADICTS = "contradicts", _("反驳")
    QUALIFIES = "qualifies", _("限定")


class ClaimQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Readers see proposed and approved claims; rejected ones only editors."""
        if not roles.can_read(user):
            return self.none()
        if roles.is_editor(user):
            return self
        return self.exclude(status=ClaimStatus.REJECTED)


class Claim(models.Model):
    paper = models.ForeignKey("papers.Paper", on_delete=models.CASCADE, related_name="claims")
    statement = models.TextField(_("陈述"))
    kind = models.CharField(_("类型"), max_length=16, choices=ClaimKind.choices, default=ClaimKind.THESIS)
    status = models.CharField(
        _("状态"), max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.PROPOSED
    )
    concepts = models.ManyToManyField("kb.Concept", blank=True, related_name="claims")
    creator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claims")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Optimistic lock: every user edit names the version it was based on (kb.services.versions).
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClaimQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[concepts])

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("论断")
        verbose_name_plural = _("论断")

    def __str__(self) -> str:
        return self.statement[:60]

    def get_absolute_url(self) -> str:
        return reverse("kb:claim-detail", args=[self.pk])


class Evidence(AnchoredTarget):
    """A quote backing (or contesting) a claim: from any passage of any paper."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    stance = models.CharField(_("立场"), max_length=16, choices=Stance.choices, default=Stance.SUPPORTS)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["claim", "pk"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.exact[:40]}"

    @property
    def quoted_paper_id(self) -> int:
        """The paper the quote comes from (any paper; the claim's own when its text is gone)."""
        return self.revision.paper_id if self.revision_id else self.claim.paper_id


CLAIM_RELATIONS = ("supports", "contradicts", "elaborates", "equivalent")


def claim_relations():
    """Cross-references between claims (the claim graph's edges)."""
    return CrossReference.objects.filter(source_claim__isnull=False).filter(Q(relation__in=CLAIM_RELATIONS))
