"""Admin uploads: one row per uploaded file, from queued through parsed to published.

An ``Upload`` keeps the file (under ``MEDIA_ROOT/uploads/``), the progress the
background parse task reports, the parsed result as JSON for the preview, the
admin's corrections, and the paper once published. Writes go through
``kb.services.uploads``.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UploadState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    PARSING = "parsing", _("解析中")
    PARSED = "parsed", _("待发布")
    PUBLISHING = "publishing", _("发布中")
    FAILED = "failed", _("失败")
    PUBLISHED = "published", _("已发布")
    DISCARDED = "discarded", _("已放弃")


ACTIVE_STATES = (UploadState.QUEUED, UploadState.PARSING, UploadState.PUBLISHING)


class UploadQuerySet(models.QuerySet):
    def active(self):
        return self.filter(state__in=ACTIVE_STATES)


class Upload(models.Model):
    batch = models.UUIDField(db_index=True, help_text="files uploaded together share a batch")
    file = models.FileField(upload_to="uploads/%Y/%m/", blank=True)
    filename = models.CharField(_("文件名"), max_length=255)
    format = models.CharField(max_length=8)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=UploadState.choices, default=UploadState.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    message = models.CharField(max_length=200, blank=True, help_text="what the task is doing now")
    error = models.TextField(blank=True)
    preview = models.JSONField(null=True, blank=True, help_text="ParsedPaper.to_json() of the file")
    corrections = models.JSONField(default=dict, blank=True, help_text="metadata the admin corrected")
    paper = models.ForeignKey(
        "papers.Paper", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=16, blank=True, help_text="loaded, unchanged or revised")
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = UploadQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("上传")
        verbose_name_plural = _("上传")
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="upload_progress_lte_100"),
        ]

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("kb:upload-detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def can_publish(self) -> bool:
        return self.state == UploadState.PARSED

    @property
    def is_stalled(self) -> bool:
        """Queued or parsing without progress for ``KB_UPLOAD_STALLED_MINUTES``: the worker
        stopped mid-parse or its task was lost. The parse reports progress several times."""
        limit = timedelta(minutes=settings.KB_UPLOAD_STALLED_MINUTES)
        return self.is_active and self.updated_at is not None and timezone.now() - self.updated_at > limit

    @property
    def minutes_idle(self) -> int:
        return int((timezone.now() - self.updated_at).total_seconds() // 60) if self.updated_at else 0

    @property
    def can_retry(self) -> bool:
        return (self.state == UploadState.FAILED or self.is_stalled) and bool(self.file)

    @property
    def can_discard(self) -> bool:
        if self.state == UploadState.PUBLISHING:  # the worker is saving it: only when stalled
            return self.is_stalled
        return self.state not in (UploadState.PUBLISHED, UploadState.DISCARDED)
