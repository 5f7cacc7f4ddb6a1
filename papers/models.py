"""What was published: papers, their authors, source files, text revisions,
sections, passages, footnotes, references and citations.

Writes go through ``papers.services``; reusable filters are QuerySet methods.
This module never imports the knowledge layer (``kb``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from papers.titles import normalise_title


class PaperStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    ARCHIVED = "archived", _("已归档")


class DocType(models.TextChoices):
    """What kind of document a paper is (the ingest pipeline tells; admins correct it)."""

    ARTICLE = "article", _("期刊论文")
    THESIS = "thesis", _("学位论文")
    PREPRINT = "preprint", _("预印本")
    REPORT = "report", _("研究报告")
    CONFERENCE = "conference", _("会议论文")
    BOOK = "book", _("图书")
    CHAPTER = "chapter", _("图书章节")
    NEWSPAPER = "newspaper", _("报纸文章")
    WEBPAGE = "webpage", _("网页")
    OTHER = "other", _("其他")


class PaperQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PaperStatus.PUBLISHED)

    def visible_to(self, user):
        """Published papers for readers; admins also see drafts and archived ones."""
        from kb.lib.roles import is_admin

        return self if is_admin(user) else self.published()


class Paper(models.Model):
    title = models.CharField(_("标题"), max_length=500, blank=True)
    subtitle = models.CharField(_("副标题"), max_length=500, blank=True)
    title_en = models.CharField(_("英文标题"), max_length=500, blank=True)
    # normalise_title(title or title_en), kept by save(): a load finds the paper it revises by
    # this key in one index lookup (papers.services.ingest.title_matches).
    title_key = models.CharField(max_length=500, blank=True, db_index=True, editable=False)
    abstract = models.TextField(_("摘要"), blank=True)
    abstract_en = models.TextField(_("英文摘要"), blank=True)
    keywords = models.JSONField(_("关键词"), default=list, blank=True)
    keywords_en = models.JSONField(_("英文关键词"), default=list, blank=True)
    year = models.PositiveSmallIntegerField(_("年份"), null=True, blank=True, db_index=True)
    venue = models.CharField(_("刊物"), max_length=300, blank=True)
    volume = models.CharField(_("卷"), max_length=40, blank=True)
    issue = models.CharField(_("期"), max_length=40, blank=True)
    pages = models.CharField(_("页码"), max_length=40, blank=True)
    # NULL when absent so that uniqueness only binds papers that have a DOI.
    doi = models.CharField("DOI", max_length=200, null=True, blank=True, unique=True)
    doc_type = models.CharField(
        _("文献类型"), max_length=16, choices=DocType.choices, default=DocType.ARTICLE
    )
    # Theses name these on their cover pages.
    institution = models.CharField(_("学位授予单位"), max_length=300, blank=True)
    degree = models.CharField(_("学位"), max_length=100, blank=True)
    advisor = models.CharField(_("导师"), max_length=200, blank=True)
    language = models.CharField(_("语言"), max_length=16, default="zh")
    # Bibliographic record fields (imports from CNKI, Zotero, EndNote; GB/T 7714 output).
    issn = models.CharField("ISSN", max_length=20, blank=True)
    url = models.URLField("URL", max_length=500, blank=True)
    # The full publication date where known (newspapers: "2022-03-15"); partial dates allowed.
    published = models.CharField(_("出版日期"), max_length=20, blank=True)
    publisher = models.CharField(_("出版者"), max_length=300, blank=True)
    place = models.CharField(_("出版地"), max_length=200, blank=True)
    # True only when the work exists online only: GB/T 7714 then writes [J/OL] with URL.
    online_only = models.BooleanField(_("仅网络出版"), default=False)
    # Record fields with no column of their own (CN code, database, call number ...).
    record_extra = models.JSONField(_("其他著录项"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=PaperStatus.choices, default=PaperStatus.PUBLISHED, db_index=True
    )
    needs_review = models.BooleanField(_("需要审核"), default=False)
    warnings = models.JSONField(_("导入警告"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic lock: a metadata edit names the version it was based on (papers.versions).
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PaperQuerySet.as_manager()
    # What a stale edit shows as changed since the user opened the form, and how a lost
    # correction is found again. Import warnings are the pipeline's, not an edit's.
    history = HistoricalRecords(excluded_fields=["warnings"])

    class Meta:
        ordering = ["-year", "title", "pk"]
        verbose_name = _("论文")
        verbose_name_plural = _("论文")
        # "Recently added" (home page, paper list): the newest few without sorting the library.
        indexes = [models.Index(fields=["-created_at", "-id"], name="paper_added")]

    def __str__(self) -> str:
        return self.display_title

    def save(self, *args, **kwargs):
        self.title_key = normalise_title(self.title or self.title_en)
        fields = kwargs.get("update_fields")
        if fields is not None and {"title", "title_en"} & set(fields):
            kwargs["update_fields"] = {*fields, "title_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("papers:paper-detail", args=[self.pk])

    @property
    def warning_messages(self) -> list[str]:
        """The import warnings in the reader's language (see ``papers.warnings``)."""
        # Imported here: the table imports the ingest pipeline (pdfminer and all), which
        # loading the models should not.
        from papers.warnings import warning_messages

        return warning_messages(warnings=list(self.warnings or []))

    @property
    def display_title(self) -> str:
        return self.title or self.title_en or _("（无标题论文 #%(pk)s）") % {"pk": self.pk}


class Author(models.Model):
    name = models.CharField(_("姓名"), max_length=200, db_index=True)
    name_en = models.CharField(_("英文姓名"), max_length=200, blank=True)
    orcid = models.CharField("ORCID", max_length=19, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("作者")
        verbose_name_plural = _("作者")

    def __str__(self) -> str:
        return self.name or self.name_en

    def get_absolute_url(self) -> str:
        return reverse("papers:author-detail", args=[self.pk])


class Authorship(models.Model):
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="authorships")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="authorships")
    order = models.PositiveSmallIntegerField(default=0)
    affiliation = models.CharField(_("单位"), max_length=500, blank=True)

    class Meta:
        ordering = ["paper", "order"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "order"], name="authorship_unique_order"),
            models.UniqueConstraint(fields=["paper", "author"], name="authorship_unique_author"),
        ]

    def __str__(self) -> str:
        return f"{self.author} @ {self.paper_id}"


class SourceFile(models.Model):
    class Format(models.TextChoices):
        TXT = "txt", "Text"
        PDF = "pdf", "PDF"
        MD = "md", "Markdown"
        DOCX = "docx", "DOCX"

    paper = models.ForeignKey(Paper, on_delete=models.SET_NULL, null=True, blank=True, related_name="sources")
    file = models.FileField(upload_to="sources/%Y/%m/", blank=True)
    filename = models.CharField(max_length=255)
    format = models.CharField(max_length=8, choices=Format.choices)
    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.filename


class TextRevision(models.Model):
    """One extraction of a paper's text. Passages belong to the current one;
    older revisions keep their canonical text so that it stays retrievable."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    text = models.TextField(help_text="canonical text; passage offsets index into it (code points)")
    source = models.ForeignKey(SourceFile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    is_current = models.BooleanField(default=True)
    # PDF sources only: one {"number", "width", "height", "label", "ocr"} per page (points).
    pages = models.JSONField(default=list, blank=True)
    # Source lines in no passage (running headers, page numbers, cover labels…), each
    # {"text", "reason", "page"}: kept so that an admin sees what the pipeline removed.
    removed = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paper", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "number"], name="revision_unique_number"),
            models.UniqueConstraint(
                fields=["paper"], condition=Q(is_current=True), name="revision_one_current_per_paper"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.paper_id} r{self.number}"


class Section(models.Model):
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="sections")
    revision = models.ForeignKey(TextRevision, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField()
    number = models.CharField(max_length=40, blank=True)
    heading = models.CharField(max_length=500)
    level = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["revision", "order"]
        constraints = [models.UniqueConstraint(fields=["revision", "order"], name="section_unique_order")]

    def __str__(self) -> str:
        return f"{self.number} {self.heading}".strip()


class PassageKind(models.TextChoices):
    HEADING = "heading", _("标题")
    PARAGRAPH = "paragraph", _("段落")
    ABSTRACT = "abstract", _("摘要")
    CAPTION = "caption", _("图表说明")
    FOOTNOTE = "footnote", _("脚注")
    REFERENCE = "reference", _("参考文献")
    METADATA = "metadata", _("元数据")
    # Blocks of the layout model: shown as blocks, never as paragraphs or headings.
    TABLE = "table", _("表格")
    FIGURE = "figure", _("图")
    FORMULA = "formula", _("公式")


BLOCK_KINDS = (PassageKind.TABLE, PassageKind.FIGURE, PassageKind.FORMULA)


class PassageQuerySet(models.QuerySet):
    def current(self):
        return self.filter(revision__is_current=True)

    def visible_to(self, user):
        return self.filter(paper__in=Paper.objects.visible_to(user))

    def body(self):
        return self.filter(
            kind__in=[PassageKind.PARAGRAPH, PassageKind.HEADING, PassageKind.CAPTION, *BLOCK_KINDS]
        )


class Passage(models.Model):
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="passages")
    revision = models.ForeignKey(TextRevision, on_delete=models.CASCADE, related_name="passages")
    order = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=PassageKind.choices, default=PassageKind.PARAGRAPH)
    section = models.ForeignKey(
        Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="passages"
    )
    # 1-based page of the PDF where the passage starts; NULL for sources without pages
    # (text, Markdown), which never show a page number.
    page = models.PositiveIntegerField(null=True, blank=True)
    # The page number printed on that page ("93"), when the pipeline found it; copied from
    # the revision's pages so that every list showing a passage has it without a join.
    page_label = models.CharField(max_length=32, blank=True)
    # Regions on the page(s): [page, x0, top, x1, bottom] in PDF points from the top-left.
    boxes = models.JSONField(default=list, blank=True)
    ocr_conf = models.FloatField(
        null=True, blank=True, help_text="mean OCR confidence (0–1); NULL: text layer"
    )
    text = models.TextField()
    start = models.PositiveIntegerField(help_text="offset of the first code point in the revision's text")
    end = models.PositiveIntegerField(help_text="offset after the last code point")

    objects = PassageQuerySet.as_manager()

    class Meta:
        ordering = ["revision", "order"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "order"], name="passage_unique_order"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="passage_offsets_ordered"),
        ]
        indexes = [models.Index(fields=["paper", "kind"])]

    def __str__(self) -> str:
        return f"{self.paper_id}#p-{self.order}"

    def get_absolute_url(self) -> str:
        return reverse("papers:paper-detail", args=[self.paper_id]) + f"#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"p-{self.order}"

    @property
    def is_block(self) -> bool:
        return self.kind in BLOCK_KINDS

    @property
    def cited_page(self) -> str:
        """The page a citation of this passage names: the printed label, else the PDF page."""
        if self.page is None:
            return ""
        return self.page_label or str(self.page)

    @property
    def page_display(self) -> str:
        """``p. 12``, or ``p. 12（印刷页码 93）`` when the printed number differs; empty without a page."""
        if self.page is None:
            return ""
        if self.page_label and self.page_label != str(self.page):
            return _("p. %(page)s（印刷页码 %(label)s）") % {"page": self.page, "label": self.page_label}
        return _("p. %(page)s") % {"page": self.page}

    @property
    def ocr_percent(self) -> int | None:
        if self.ocr_conf is None:
            return None
        # RapidOCR scores are 0–1; a pipeline giving percents is read as such.
        return round(self.ocr_conf * 100 if self.ocr_conf <= 1 else self.ocr_conf)


class Footnote(models.Model):
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="footnotes")
    revision = models.ForeignKey(TextRevision, on_delete=models.CASCADE, related_name="footnotes")
    order = models.PositiveIntegerField()
    marker = models.CharField(max_length=16)
    page = models.PositiveIntegerField(null=True, blank=True)
    text = models.TextField()
    passage = models.OneToOneField(
        Passage, on_delete=models.SET_NULL, null=True, blank=True, related_name="footnote_entry"
    )

    class Meta:
        ordering = ["revision", "order"]
        constraints = [models.UniqueConstraint(fields=["revision", "order"], name="footnote_unique_order")]

    def __str__(self) -> str:
        return f"{self.marker} {self.text[:40]}"


class Reference(models.Model):
    """An entry of the reference list, parsed from GB/T 7714 style where possible."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="references")
    revision = models.ForeignKey(TextRevision, on_delete=models.CASCADE, related_name="references")
    order = models.PositiveIntegerField()
    marker = models.CharField(max_length=16, blank=True)
    raw = models.TextField()
    authors = models.JSONField(default=list, blank=True)
    title = models.CharField(max_length=1000, blank=True)
    type_code = models.CharField(max_length=8, blank=True)
    container = models.CharField(max_length=500, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    pages = models.CharField(max_length=40, blank=True)
    doi = models.CharField(max_length=200, blank=True)
    passage = models.OneToOneField(
        Passage, on_delete=models.SET_NULL, null=True, blank=True, related_name="reference_entry"
    )

    class Meta:
        ordering = ["revision", "order"]
        constraints = [models.UniqueConstraint(fields=["revision", "order"], name="reference_unique_order")]

    def __str__(self) -> str:
        return self.raw[:60]


class Citation(models.Model):
    """A marker in a passage (``[1]``, ``［2-3］``, ``①``) pointing at a footnote or reference entry."""

    passage = models.ForeignKey(Passage, on_delete=models.CASCADE, related_name="citations")
    marker = models.CharField(max_length=32)
    start = models.PositiveIntegerField(help_text="offset of the marker inside the passage text")
    end = models.PositiveIntegerField()
    footnote = models.ForeignKey(
        Footnote, on_delete=models.SET_NULL, null=True, blank=True, related_name="citations"
    )
    reference = models.ForeignKey(
        Reference, on_delete=models.SET_NULL, null=True, blank=True, related_name="citations"
    )

    class Meta:
        ordering = ["passage", "start"]

    def __str__(self) -> str:
        return self.marker
