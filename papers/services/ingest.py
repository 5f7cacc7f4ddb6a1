"""Persist a ``ParsedPaper`` in one transaction.

Contract of ``paper_save_parsed``:
- the same source file again (by sha256) changes nothing: outcome ``unchanged``;
- a paper already present (same DOI, or same normalised title and first
  author) gets a new ``TextRevision``; its old revision, passages and text stay
  in the database (not current), so nothing anyone anchored to is deleted:
  outcome ``revised``;
- a metadata-only paper (an imported bibliographic record, no text yet) that matches
  (same DOI, or the same folded title and first author: ``papers.records.normalise.title_key``)
  receives the text as its first revision: outcome ``loaded``; the record's metadata and
  authors stay, the parse only fills what the record lacks;
- otherwise a new paper: outcome ``loaded``.
Either everything is written or nothing is.

Pages: a PDF's passages keep their page, printed page label, regions (boxes) and OCR
confidence, and the revision keeps the page sizes and the removed lines. Text and
Markdown sources have no pages: whatever page the pipeline gave them is dropped.

Bidi override characters (``kb.lib.usertext.strip_bidi``) are removed from the metadata
and the author names before anything is matched or saved: a parsed title must read as
what it is, as one typed in the edit form does.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, replace

from django.core.files.base import ContentFile
from django.db import transaction

from kb.lib.usertext import strip_bidi
from papers.ingest.types import ParsedPaper
from papers.models import (
    Author,
    Authorship,
    Citation,
    DocType,
    Footnote,
    Paper,
    PaperStatus,
    Passage,
    Reference,
    Section,
    SourceFile,
    TextRevision,
)
from papers.titles import normalise_title

LOADED, UNCHANGED, REVISED = "loaded", "unchanged", "revised"


@dataclass
class IngestOutcome:
    status: str
    paper: Paper
    revision: TextRevision | None = None
    previous_revision: TextRevision | None = None


_TEXT_FIELDS = (
    "title",
    "subtitle",
    "title_en",
    "abstract",
    "abstract_en",
    "venue",
    "volume",
    "issue",
    "pages",
    "doi",
    "institution",
    "degree",
    "advisor",
)


def _without_bidi(parsed: ParsedPaper) -> ParsedPaper:
    """A shallow copy of ``parsed`` whose metadata and authors carry no bidi controls (the
    pipeline's object is left as it is)."""
    clean = copy.copy(parsed)
    for name in _TEXT_FIELDS:
        setattr(clean, name, strip_bidi(getattr(parsed, name) or ""))
    clean.keywords = [strip_bidi(k) for k in parsed.keywords]
    clean.keywords_en = [strip_bidi(k) for k in parsed.keywords_en]
    clean.authors = [
        replace(
            a,
            name=strip_bidi(a.name),
            name_en=strip_bidi(a.name_en),
            affiliation=strip_bidi(a.affiliation),
        )
        for a in parsed.authors
    ]
    return clean


def title_matches(key: str):
    """Papers whose title (or English title, when they have no Chinese one) folds to ``key``
    (``normalise_title``): one index lookup, whatever the library's size."""
    return Paper.objects.filter(title_key=key) if key else Paper.objects.none()


def _find_existing(parsed: ParsedPaper) -> Paper | None:
    if parsed.doi:
        match = Paper.objects.filter(doi__iexact=parsed.doi).first()
        if match:
            return match
    key = normalise_title(parsed.title or parsed.title_en)
    if not key:
        return None
    first_author = parsed.authors[0].name if parsed.authors else None
    for paper in title_matches(key).prefetch_related("authorships__author"):
        authors = [a.author.name for a in paper.authorships.all()]
        if first_author is None or (authors and authors[0] == first_author):
            return paper
    return record_match(
        titles=[parsed.title, parsed.title_en], first_author=parsed.authors[0].name if parsed.authors else ""
    )


def record_match(*, titles: list[str], first_author: str) -> Paper | None:
    """A metadata-only paper (an imported record) for a text with these titles and first author,
    folded as the record import folds them (``papers.records.normalise.title_key``)."""
    from papers.records.normalise import title_key

    keys = {title_key(t) for t in titles if t} - {""}
    if not keys:
        return None
    waiting = Paper.objects.filter(revisions__isnull=True).values_list("pk", "title", "title_en")
    found = [pk for pk, title, title_en in waiting if keys & {title_key(title), title_key(title_en)} - {""}]
    first = title_key(first_author)
    for paper in Paper.objects.filter(pk__in=found).prefetch_related("authorships__author").order_by("pk"):
        names = [title_key(a.author.name) for a in paper.authorships.all()]
        if not first or not names or names[0] == first:
            return paper
    return None


# Kept from the record when a metadata-only paper receives its text (the parse fills the rest).
_RECORD_KEPT = (
    "title",
    "subtitle",
    "title_en",
    "abstract",
    "abstract_en",
    "venue",
    "volume",
    "issue",
    "pages",
    "institution",
    "degree",
    "advisor",
    "keywords",
    "keywords_en",
    "year",
    "doi",
    "language",
)


def _fill_metadata(paper: Paper, parsed: ParsedPaper) -> None:
    kept = {name: getattr(paper, name) for name in _RECORD_KEPT if getattr(paper, name) not in ("", None, [])}
    doc_type = paper.doc_type
    _apply_metadata(paper, parsed)
    for name, value in kept.items():
        setattr(paper, name, value)
    paper.doc_type = doc_type


def _apply_metadata(paper: Paper, parsed: ParsedPaper) -> None:
    for field in (
        "title",
        "subtitle",
        "title_en",
        "abstract",
        "abstract_en",
        "venue",
        "volume",
        "issue",
        "pages",
    ):
        setattr(paper, field, getattr(parsed, field) or "")
    paper.doc_type = parsed.doc_type if parsed.doc_type in DocType.values else DocType.OTHER
    paper.institution = (parsed.institution or "")[:300]
    paper.degree = (parsed.degree or "")[:100]
    paper.advisor = (parsed.advisor or "")[:200]
    paper.keywords = list(parsed.keywords)
    paper.keywords_en = list(parsed.keywords_en)
    paper.year = parsed.year
    paper.doi = parsed.doi or None
    paper.needs_review = parsed.needs_review
    paper.warnings = list(parsed.warnings)


def _save_authors(paper: Paper, parsed: ParsedPaper) -> None:
    paper.authorships.all().delete()
    for order, info in enumerate(parsed.authors):
        author = Author.objects.filter(name=info.name).first()
        if author is None:
            author = Author(name=info.name, name_en=info.name_en)
            author.full_clean()
            author.save()
        elif info.name_en and not author.name_en:
            author.name_en = info.name_en
            author.save(update_fields=["name_en"])
        Authorship.objects.get_or_create(
            paper=paper, author=author, defaults={"order": order, "affiliation": info.affiliation[:500]}
        )


def has_pages(parsed: ParsedPaper) -> bool:
    return parsed.source.format == "pdf"


def _box(box: list[float]) -> list[float]:
    """[page, x0, top, x1, bottom], coordinates to a tenth of a point (enough to draw, small to store)."""
    page, *coords = box
    return [int(page), *(round(float(c), 1) for c in coords)]


def _pages_json(parsed: ParsedPaper) -> list[dict]:
    return [asdict(info) for info in parsed.page_info] if has_pages(parsed) else []


def _removed_json(parsed: ParsedPaper) -> list[dict]:
    paged = has_pages(parsed)
    return [{**asdict(line), "page": line.page if paged else None} for line in parsed.removed]


def _save_text(paper: Paper, revision: TextRevision, parsed: ParsedPaper) -> None:
    paged = has_pages(parsed)
    labels = {info.number: info.label[:32] for info in parsed.page_info} if paged else {}
    sections = Section.objects.bulk_create(
        Section(
            paper=paper,
            revision=revision,
            order=i,
            number=s.number[:40],
            heading=s.heading[:500],
            level=s.level,
        )
        for i, s in enumerate(parsed.sections)
    )
    offsets = parsed.passage_offsets()
    passages = Passage.objects.bulk_create(
        Passage(
            paper=paper,
            revision=revision,
            order=i,
            kind=p.kind,
            section=sections[p.section] if p.section is not None else None,
            page=p.page if paged else None,
            page_label=labels.get(p.page, "") if paged and p.page is not None else "",
            boxes=[_box(b) for b in p.boxes] if paged else [],
            ocr_conf=p.ocr_conf,
            text=p.text,
            start=offsets[i][0],
            end=offsets[i][1],
        )
        for i, p in enumerate(parsed.passages)
    )
    footnotes = Footnote.objects.bulk_create(
        Footnote(
            paper=paper,
            revision=revision,
            order=i,
            marker=f.marker[:16],
            page=f.page if paged else None,
            text=f.text,
            passage=passages[f.passage] if f.passage is not None else None,
        )
        for i, f in enumerate(parsed.footnotes)
    )
    references = Reference.objects.bulk_create(
        Reference(
            paper=paper,
            revision=revision,
            order=i,
            marker=r.marker[:16],
            raw=r.raw,
            authors=r.authors,
            title=r.title[:1000],
            type_code=r.type_code[:8],
            container=r.container[:500],
            year=r.year,
            pages=r.pages[:40],
            doi=r.doi[:200],
            passage=passages[r.passage] if r.passage is not None else None,
        )
        for i, r in enumerate(parsed.references)
    )
    Citation.objects.bulk_create(
        Citation(
            passage=passages[c.passage],
            marker=c.marker[:32],
            start=c.start,
            end=c.end,
            footnote=footnotes[c.target] if c.target_kind == "footnote" and c.target is not None else None,
            reference=references[c.target] if c.target_kind == "reference" and c.target is not None else None,
        )
        for c in parsed.citations
    )


@transaction.atomic
def paper_save_parsed(
    *,
    parsed: ParsedPaper,
    user=None,
    data: bytes | None = None,
    status: str = PaperStatus.PUBLISHED,
    record_id: int | None = None,
) -> IngestOutcome:
    """Save a parsed paper (see the module docstring for the outcomes). ``record_id``: the
    metadata-only paper the admin picked for this text (ignored once it has a text)."""
    parsed = _without_bidi(parsed)
    existing_source = SourceFile.objects.filter(sha256=parsed.source.sha256).select_related("paper").first()
    if existing_source is not None and existing_source.paper is not None:
        return IngestOutcome(status=UNCHANGED, paper=existing_source.paper)

    picked = Paper.objects.filter(pk=record_id, revisions__isnull=True).first() if record_id else None
    paper = picked or _find_existing(parsed)
    previous = None
    record_only = False
    if paper is None:
        paper = Paper(status=status)
        outcome = LOADED
    else:
        previous = paper.revisions.filter(is_current=True).first()
        # No text yet: an imported record receives its first text (its metadata stays).
        record_only = previous is None and not paper.revisions.exists()
        outcome = LOADED if record_only else REVISED
    if record_only:
        _fill_metadata(paper, parsed)
    else:
        _apply_metadata(paper, parsed)
    paper.full_clean(validate_unique=False)
    paper.save()
    if not (record_only and paper.authorships.exists()):
        _save_authors(paper, parsed)

    source = existing_source or SourceFile(
        filename=parsed.source.filename[:255],
        format=parsed.source.format,
        sha256=parsed.source.sha256,
        size=parsed.source.size or (len(data) if data is not None else 0),
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
    )
    source.paper = paper
    if data is not None and not source.file:
        source.file.save(parsed.source.filename, ContentFile(data), save=False)
    source.save()

    number = 1
    if previous is not None:
        number = previous.number + 1
        TextRevision.objects.filter(pk=previous.pk).update(is_current=False)
    revision = TextRevision.objects.create(
        paper=paper,
        number=number,
        text=parsed.canonical_text(),
        source=source,
        is_current=True,
        pages=_pages_json(parsed),
        removed=_removed_json(parsed),
    )
    _save_text(paper, revision, parsed)
    return IngestOutcome(status=outcome, paper=paper, revision=revision, previous_revision=previous)
