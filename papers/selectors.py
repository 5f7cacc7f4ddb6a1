"""Reads of the papers app that assemble pages (bounded query counts)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import Http404
from django.urls import reverse

from kb.lib.spans import Span, render_spans
from papers import notes
from papers.models import (
    Author,
    Authorship,
    Citation,
    Paper,
    Passage,
    PassageKind,
    Section,
    SourceFile,
    TextRevision,
)
from papers.reader import overlays_for


def _authorships():
    return Prefetch("authorships", queryset=Authorship.objects.select_related("author").order_by("order"))


# Orders of the paper list, by the name the page uses.
PAPER_SORTS = {
    "year": ("-year", "title", "pk"),
    "title": ("title", "pk"),
    "added": ("-created_at", "-pk"),
}
PAPERS_PER_PAGE = 50


def paper_list(
    *, user, year: int | None = None, author_id: int | None = None, sort: str = "year", page: int | None = 1
):
    """A page of the papers ``user`` may see (a Django ``Page``; ``page=None``: the queryset)."""
    papers = Paper.objects.visible_to(user)
    if year:
        papers = papers.filter(year=year)
    if author_id:
        papers = papers.filter(authorships__author_id=author_id)
    # The prefetch runs on the rows fetched: the authors of one page, not of the whole list.
    papers = papers.order_by(*PAPER_SORTS.get(sort, PAPER_SORTS["year"])).prefetch_related(_authorships())
    # An imported record without its text yet is marked in the list ("仅有题录").
    papers = papers.annotate(has_text=Exists(TextRevision.objects.filter(paper=OuterRef("pk"))))
    if page is None:
        return papers
    return Paginator(papers, PAPERS_PER_PAGE).get_page(page)


def paper_years(*, user) -> list[dict]:
    return list(
        Paper.objects.visible_to(user)
        .exclude(year=None)
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("-year")
    )


def author_facets(*, user, limit: int = 30) -> list[Author]:
    """The authors with the most papers ``user`` may see (``n`` on each): one grouping of the
    authorships, then the ``limit`` authors read by key."""
    rows = list(
        Authorship.objects.filter(paper__in=Paper.objects.visible_to(user))
        .values("author_id")
        .annotate(n=Count("paper_id", distinct=True))
        .order_by("-n", "author__name", "author_id")[:limit]
    )
    authors = Author.objects.in_bulk([r["author_id"] for r in rows])
    for row in rows:
        authors[row["author_id"]].n = row["n"]
    return [authors[row["author_id"]] for row in rows]


@dataclass
class ReaderPassage:
    passage: Passage
    html: str
    classes: str = ""
    page_url: str = ""  # "view on page", for passages of a stored PDF
    note_number: int | None = None  # a footnote's continuous number through the paper
    backlinks: list[notes.BackLink] = field(default_factory=list)  # footnotes and references
    notes_after: list[ReaderPassage] = field(default_factory=list)  # footnotes ending this section


@dataclass
class TocEntry:
    section: Section
    anchor: str


@dataclass
class Reader:
    paper: Paper
    revision: TextRevision | None
    toc: list[TocEntry]
    body: list[ReaderPassage]
    footnotes: list[ReaderPassage]  # every footnote, in order
    references: list[ReaderPassage]
    front: list[ReaderPassage]  # abstracts and metadata lines
    # Footnotes of no section with body text: shown pooled at the end (the others end their section).
    pooled_footnotes: list[ReaderPassage] = field(default_factory=list)
    context: dict = field(default_factory=dict)
    margin_templates: list[str] = field(default_factory=list)
    tool_templates: list[str] = field(default_factory=list)
    section_templates: list[str] = field(default_factory=list)


def papers_streamed(*, papers, chunk_size: int = 200):
    """``papers`` (a queryset) in the list's order with their authors, read ``chunk_size`` at a time
    (two queries a chunk): for exports of a whole library in bounded memory."""
    ordered = papers.prefetch_related(_authorships()).order_by("-year", "title", "pk")
    return ordered.iterator(chunk_size=chunk_size)


def papers_for_citation(*, paper_ids: list[int]) -> list[Paper]:
    """These papers, in this order, with their authors (two queries); the caller checked access."""
    found = Paper.objects.filter(pk__in=paper_ids).prefetch_related(_authorships()).in_bulk()
    return [found[pk] for pk in paper_ids if pk in found]


def paper_visible(*, paper_id: int, user, authors: bool = False) -> Paper:
    """The paper if ``user`` may see it, else 404 (never 403: existence is not revealed).

    With ``authors``, its authorships come prefetched in order. Every page that shows one
    paper (reader, citation, annotations, claims, exports) asks here.
    """
    from kb.lib.roles import can_read

    papers = Paper.objects.visible_to(user)
    if authors:
        papers = papers.prefetch_related(_authorships())
    paper = papers.filter(pk=paper_id).first()
    if paper is None or not can_read(user):
        raise Http404("no such paper")
    return paper


def has_page_images(revision: TextRevision) -> bool:
    """Whether the revision's passages can be shown on their original pages (a stored PDF)."""
    source = revision.source
    return source is not None and source.format == SourceFile.Format.PDF and bool(source.file)


def _passage_classes(passage: Passage) -> str:
    classes = f"passage passage--{passage.kind}"
    if passage.is_block:
        classes += " passage--block"
    if passage.ocr_conf is not None:
        classes += " passage--ocr"
    return classes


def paper_reader(*, paper_id: int, user) -> Reader:
    """Everything the reader page shows, in a fixed number of queries."""
    paper = paper_visible(paper_id=paper_id, user=user, authors=True)
    revision = (
        TextRevision.objects.filter(paper=paper, is_current=True)
        .select_related("source")
        .defer("text", "removed")
        .first()
    )
    if revision is None:
        # A record without its text: no passages, but the sections after the text still show
        # (the knowledge layer's "cited by" of a work that is only a record).
        reader = Reader(paper=paper, revision=None, toc=[], body=[], footnotes=[], references=[], front=[])
        for overlay in overlays_for(paper=paper, passages=[], user=user):
            if overlay.section_templates:
                reader.context.update(overlay.context)
                reader.section_templates.extend(overlay.section_templates)
        return reader
    citations = Citation.objects.select_related("footnote__passage", "reference__passage")
    passages = list(
        Passage.objects.filter(revision=revision)
        .select_related("section", "footnote_entry")
        .defer("boxes")
        .prefetch_related(Prefetch("citations", queryset=citations))
        .order_by("order")
    )
    on_pages = has_page_images(revision)
    overlays = overlays_for(paper=paper, passages=passages, user=user)
    extra: dict[int, list[Span]] = {}
    context: dict = {}
    margins: list[str] = []
    tools: list[str] = []
    after_refs: list[str] = []
    for overlay in overlays:
        for pid, spans in overlay.spans.items():
            extra.setdefault(pid, []).extend(spans)
        context.update(overlay.context)
        margins.extend(overlay.margin_templates)
        tools.extend(overlay.tool_templates)
        after_refs.extend(overlay.section_templates)

    first_of_section: dict[int, str] = {}
    groups: dict[str, list[ReaderPassage]] = {"body": [], "footnote": [], "reference": [], "front": []}
    backlinks = notes.backlinks(passages)
    for p in passages:
        spans = notes.citation_spans(p) + extra.get(p.pk, [])
        if p.kind == PassageKind.FOOTNOTE:
            spans += notes.note_marker_span(p)
        item = ReaderPassage(passage=p, html=render_spans(p.text, spans), classes=_passage_classes(p))
        item.backlinks = backlinks.get(p.pk, [])
        if on_pages and p.page is not None:
            item.page_url = reverse("papers:page-view", args=[paper.pk, p.page]) + f"?passage={p.pk}"
        if p.kind == PassageKind.FOOTNOTE:
            item.note_number = notes.note_number(p)
            groups["footnote"].append(item)
        elif p.kind == PassageKind.REFERENCE:
            groups["reference"].append(item)
        elif p.kind in (PassageKind.ABSTRACT, PassageKind.METADATA):
            groups["front"].append(item)
        else:
            groups["body"].append(item)
            if p.section_id and p.section_id not in first_of_section:
                first_of_section[p.section_id] = p.anchor
    sections = Section.objects.filter(revision=revision).order_by("order")
    toc = [TocEntry(section=s, anchor=first_of_section[s.pk]) for s in sections if s.pk in first_of_section]
    return Reader(
        paper=paper,
        revision=revision,
        toc=toc,
        body=groups["body"],
        footnotes=groups["footnote"],
        references=groups["reference"],
        front=groups["front"],
        pooled_footnotes=notes.place_notes(groups["body"], groups["footnote"]),
        context=context,
        margin_templates=margins,
        tool_templates=tools,
        section_templates=after_refs,
    )


def author_detail(*, author_id: int, user):
    author = Author.objects.filter(pk=author_id).first()
    if author is None:
        raise Http404("no such author")
    papers = list(
        Paper.objects.visible_to(user)
        .filter(authorships__author=author)
        .prefetch_related(_authorships())
        .order_by("-year", "title")
    )
    if not papers:
        raise Http404("no visible papers by this author")
    coauthors = (
        Author.objects.filter(authorships__paper__in=[p.pk for p in papers]).exclude(pk=author.pk).distinct()
    )
    return author, papers, list(coauthors.order_by("name"))
