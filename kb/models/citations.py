"""The library's citation network: references resolved to papers, cited works, and the
statements in which papers cite.

- ``PaperKey``: a library paper's match keys (DOI, folded title, its head and tail, first
  author, year), indexed, so a reference finds its paper without a scan of the library.
- ``CitedWork``: one record per distinct work that references name, deduplicated across
  papers by DOI or by title + first author + year. ``paper`` is the library paper the work
  is (matched, or promoted to a metadata-only paper).
- ``ReferenceLink``: a reference entry → the work it names and the library paper it was
  resolved to, with score, reason and status; the papers an editor rejected for it are kept
  in ``rejected_papers`` and never proposed again.
- ``CitationStatement``: a citation marker's sentence in its passage, the stance its wording
  suggests (with the cue), and the stance an editor confirmed.

Links and statements keep a version of every change (simple_history).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history import register


class CitationStance(models.TextChoices):
    SUPPORTING = "supporting", _("支持")
    CONTRASTING = "contrasting", _("对立")
    MENTIONING = "mentioning", _("提及")
    USING_METHOD = "using_method", _("使用方法")


class LinkStatus(models.TextChoices):
    UNRESOLVED = "unresolved", _("未关联本库论文")
    SUGGESTED = "suggested", _("系统建议")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("已否决")


class PaperKey(models.Model):
    paper = models.OneToOneField("papers.Paper", on_delete=models.CASCADE, related_name="match_key")
    doi = models.CharField(max_length=200, blank=True, db_index=True)
    title_key = models.CharField(max_length=300, blank=True, db_index=True)
    title_en_key = models.CharField(max_length=300, blank=True, db_index=True)
    head_key = models.CharField(max_length=12, blank=True, db_index=True)
    tail_key = models.CharField(max_length=12, blank=True, db_index=True)
    author_key = models.CharField(max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"keys of paper {self.paper_id}"


class CitedWork(models.Model):
    title = models.CharField(_("题名"), max_length=1000, blank=True)
    first_author = models.CharField(_("第一作者"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("年份"), null=True, blank=True)
    doi = models.CharField("DOI", max_length=200, blank=True, db_index=True)
    venue = models.CharField(_("刊物"), max_length=500, blank=True)
    raw = models.TextField(_("参考文献原文"), blank=True)
    title_key = models.CharField(max_length=300, blank=True, db_index=True)
    head_key = models.CharField(max_length=12, blank=True, db_index=True)
    tail_key = models.CharField(max_length=12, blank=True, db_index=True)
    author_key = models.CharField(max_length=100, blank=True)
    paper = models.ForeignKey(
        "papers.Paper", on_delete=models.SET_NULL, null=True, blank=True, related_name="cited_works"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title or self.raw[:60]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("kb:cited-work-detail", args=[self.pk])


class ReferenceLink(models.Model):
    reference = models.OneToOneField("papers.Reference", on_delete=models.CASCADE, related_name="link")
    citing_paper = models.ForeignKey("papers.Paper", on_delete=models.CASCADE, related_name="+")
    cited_work = models.ForeignKey(
        CitedWork, on_delete=models.SET_NULL, null=True, blank=True, related_name="links"
    )
    paper = models.ForeignKey(
        "papers.Paper",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cited_by_links",
        verbose_name=_("本库论文"),
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=LinkStatus.choices, default=LinkStatus.UNRESOLVED, db_index=True
    )
    score = models.FloatField(null=True, blank=True)
    reason = models.JSONField(default=dict, blank=True)
    rejected_papers = models.JSONField(default=list, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["reference__order"]

    def __str__(self) -> str:
        return self.reference.raw[:80]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("papers:paper-detail", args=[self.citing_paper_id]) + f"#ref-link-{self.pk}"

    @property
    def resolved(self) -> bool:
        return self.paper_id is not None and self.status in (LinkStatus.SUGGESTED, LinkStatus.CONFIRMED)

    def reason_display(self) -> str:
        """The reason in the reader's language: "DOI 相同", "题名 0.96 + 第一作者 + 年份"."""
        reason = self.reason or {}
        if reason.get("editor"):
            return gettext("编辑指定")
        if reason.get("promoted"):
            return gettext("由被引文献创建")
        if reason.get("doi"):
            return gettext("DOI 相同")
        if reason.get("work"):  # the cited work is this library paper (matched or promoted earlier)
            return gettext("同一被引文献")
        parts = []
        if "title" in reason:
            title = reason["title"]
            parts.append(
                gettext("题名相同") if title >= 1 else gettext("题名 %(score).2f") % {"score": title}
            )
        if reason.get("author") is True:
            parts.append(gettext("第一作者"))
        elif reason.get("author") is False:
            parts.append(gettext("第一作者不同"))
        if reason.get("year") is True:
            parts.append(gettext("年份"))
        elif reason.get("year") is False:
            parts.append(gettext("年份不同"))
        return " + ".join(parts)


class CitationStatement(models.Model):
    citation = models.OneToOneField("papers.Citation", on_delete=models.CASCADE, related_name="statement")
    passage = models.ForeignKey(
        "papers.Passage", on_delete=models.CASCADE, related_name="citation_statements"
    )
    citing_paper = models.ForeignKey("papers.Paper", on_delete=models.CASCADE, related_name="+")
    reference = models.ForeignKey(
        "papers.Reference", on_delete=models.SET_NULL, null=True, blank=True, related_name="statements"
    )
    start = models.PositiveIntegerField(help_text="offset of the citing sentence in the passage text")
    end = models.PositiveIntegerField()
    suggested_stance = models.CharField(
        _("建议立场"), max_length=16, choices=CitationStance.choices, default=CitationStance.MENTIONING
    )
    cue = models.CharField(_("提示语"), max_length=100, blank=True)
    stance = models.CharField(_("立场"), max_length=16, choices=CitationStance.choices, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["passage", "start", "pk"]

    def __str__(self) -> str:
        return f"{self.passage.text[self.start : self.end][:80]}（{self.get_current_stance_display()}）"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("papers:paper-detail", args=[self.citing_paper_id]) + f"#{self.passage.anchor}"

    @property
    def current_stance(self) -> str:
        return self.stance or self.suggested_stance

    def get_current_stance_display(self) -> str:
        return str(CitationStance(self.current_stance).label)


register(ReferenceLink, app="kb")
register(CitationStatement, app="kb")
