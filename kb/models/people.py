"""Research groups, per-user reading preferences and reading positions, API tokens.

A research group (小组) is a team whose members share notes: an annotation
with visibility "group" is seen by the group's members only. These groups are
not Django's auth groups, which carry the roles (``kb.lib.roles``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class GroupRole(models.TextChoices):
    OWNER = "owner", _("组长")
    MEMBER = "member", _("成员")


class ResearchGroup(models.Model):
    name = models.CharField(_("名称"), max_length=100, unique=True)
    description = models.TextField(_("简介"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="GroupMembership", related_name="research_groups"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("小组")
        verbose_name_plural = _("小组")

    def __str__(self) -> str:
        return self.name


class GroupMembership(models.Model):
    group = models.ForeignKey(ResearchGroup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships"
    )
    role = models.CharField(_("角色"), max_length=8, choices=GroupRole.choices, default=GroupRole.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "user"]
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="group_membership_unique")]
        verbose_name = _("小组成员")
        verbose_name_plural = _("小组成员")

    def __str__(self) -> str:
        return f"{self.group_id}:{self.user_id} ({self.role})"


class UserPreference(models.Model):
    """What the reader remembers per signed-in user."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kb_prefs")
    # {"yellow": "方法", "red": "反驳", ...}: names the user gave the highlight colours.
    color_names = models.JSONField(default=dict, blank=True)
    # Which notes the reader shows: "all", "mine", "public" or "group:<id>".
    note_scope = models.CharField(max_length=40, default="all")
    show_concepts = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"prefs of {self.user_id}"


class ReadingPosition(models.Model):
    """Where a signed-in user stopped reading a paper ("continue reading")."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading_positions"
    )
    paper = models.ForeignKey("papers.Paper", on_delete=models.CASCADE, related_name="+")
    passage = models.ForeignKey(
        "papers.Passage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "paper"], name="reading_position_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.paper_id}"


class ApiToken(models.Model):
    """A token for scripts using the read API. Only a hash of the key is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=100)
    # The first characters of the key, shown so that a user can tell tokens apart.
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
