"""Reads of the page view: a PDF page with the regions of its passages (bounded query counts).

Regions are the passages' boxes ([page, x0, top, x1, bottom], PDF points from the page's
top-left corner); the template draws them in an SVG whose view box is the page in points,
laid over the page image, so no coordinate is ever converted to pixels here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.http import Http404

from papers.models import Authorship, Paper, Passage, SourceFile, TextRevision
from papers.pageimage import PageImageError, page_sizes

# A passage that crosses page breaks starts at most this many pages before the page shown
# (a long table); passages starting earlier are not looked for.
MAX_PAGES_BACK = 3


@dataclass
class Box:
    x: float
    y: float
    width: float
    height: float


@dataclass
class Region:
    passage: Passage
    boxes: list[Box]
    selected: bool = False


@dataclass
class PageView:
    paper: Paper
    source: SourceFile
    number: int
    count: int
    width: float
    height: float
    label: str = ""
    ocr: bool = False
    passage: Passage | None = None  # the passage asked for (highlighted)
    regions: list[Region] = field(default_factory=list)

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.count else None

    @property
    def shows_label(self) -> bool:
        return bool(self.label) and self.label != str(self.number)

    @property
    def selected_regions(self) -> list[Region]:
        return [r for r in self.regions if r.selected]


def _visible_revision(*, paper_id: int, user, authors: bool = False) -> tuple[TextRevision, SourceFile]:
    """The current revision of a paper ``user`` may see, and its PDF source; else 404.
    With ``authors``, the paper's authorships come prefetched in order (for citing it)."""
    from kb.lib.roles import can_read

    revisions = (
        TextRevision.objects.filter(
            paper__in=Paper.objects.visible_to(user), paper_id=paper_id, is_current=True
        )
        .select_related("source", "paper")
        .defer("text", "removed")
    )
    if authors:
        ordered = Authorship.objects.select_related("author").order_by("order")
        revisions = revisions.prefetch_related(Prefetch("paper__authorships", queryset=ordered))
    revision = revisions.first()
    if revision is None or not can_read(user):
        raise Http404("no such paper")
    source = revision.source
    if source is None or source.format != SourceFile.Format.PDF or not source.file:
        raise Http404("this paper has no stored PDF")
    return revision, source


def page_source(*, paper_id: int, user) -> SourceFile:
    """The stored PDF of a paper ``user`` may see (404 otherwise): what the page image renders."""
    return _visible_revision(paper_id=paper_id, user=user)[1]


def _pages(revision: TextRevision, source: SourceFile) -> dict[int, dict]:
    """Page number → {"width", "height", "label", "ocr"}: as recorded at ingest when the record
    covers every page, else the PDF's own sizes with whatever labels were recorded."""
    recorded = {int(p.get("number") or 0): p for p in revision.pages or []}
    if recorded and sorted(recorded) == list(range(1, len(recorded) + 1)):
        return recorded
    # Loaded before pages were recorded, or recorded in part: ask the PDF itself.
    try:
        sizes = page_sizes(source)
    except PageImageError as exc:
        raise Http404("the PDF cannot be read") from exc
    return {
        s.number: {"width": s.width, "height": s.height, **_label_and_ocr(recorded.get(s.number, {}))}
        for s in sizes
    }


def _label_and_ocr(info: dict) -> dict:
    return {"label": info.get("label") or "", "ocr": bool(info.get("ocr"))}


def page_view(*, paper_id: int, page: int, user, passage_id: int | None = None) -> PageView:
    """Page ``page`` of the paper's PDF, its passages' regions, ``passage_id``'s highlighted."""
    revision, source = _visible_revision(paper_id=paper_id, user=user, authors=True)
    pages = _pages(revision, source)
    if page not in pages:
        raise Http404("no such page")
    info = pages[page]
    near = Q(page__gte=page - MAX_PAGES_BACK, page__lte=page)
    if passage_id is not None:
        near |= Q(pk=passage_id)
    passages = Passage.objects.filter(near, revision=revision).order_by("order")
    selected = None
    regions = []
    for passage in passages:
        if passage.pk == passage_id:
            selected = passage
        boxes = [
            Box(x=b[1], y=b[2], width=round(max(b[3] - b[1], 0.5), 1), height=round(max(b[4] - b[2], 0.5), 1))
            for b in passage.boxes
            if len(b) == 5 and int(b[0]) == page
        ]
        if boxes:
            regions.append(Region(passage=passage, boxes=boxes, selected=passage.pk == passage_id))
    return PageView(
        paper=revision.paper,
        source=source,
        number=page,
        count=max(pages),
        width=float(info.get("width") or 595.0),
        height=float(info.get("height") or 842.0),
        label=str(info.get("label") or ""),
        ocr=bool(info.get("ocr")),
        passage=selected,
        regions=regions,
    )
