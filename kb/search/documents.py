"""What the index holds for each kind of object, read from the database.

One ``IndexDoc`` per paper (its metadata in both languages), per passage of a
paper's current revision, per claim, per annotation, per concept and per citation
statement (``kb.search.citations``). A
document carries what search filters and facets on (paper, year, authors,
concepts, passage kind, tags), what visibility needs (the paper's status; an
annotation's visibility and creator) and the text its snippet is cut from.

Queries are batched: a chunk of passages costs a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kb.models import (
    Annotation,
    CitationStatement,
    Claim,
    ClaimStatus,
    Concept,
    Evidence,
    Mention,
    MentionStatus,
    Visibility,
)
from kb.search.index import IndexDoc
from papers.models import Authorship, Paper, Passage

CHUNK = 2000


@dataclass
class _PaperInfo:
    title: str
    year: int
    status: str
    author_ids: list[int]
    label: str = ""  # what a hit's paper is called: the title, or a placeholder (never blank)


def _paper_infos(paper_ids: Iterable[int]) -> dict[int, _PaperInfo]:
    ids = list(set(paper_ids))
    authors: dict[int, list[int]] = defaultdict(list)
    for paper_id, author_id in (
        Authorship.objects.filter(paper_id__in=ids).order_by("order").values_list("paper_id", "author_id")
    ):
        authors[paper_id].append(author_id)
    return {
        pk: _PaperInfo(
            title or title_en, year or 0, status, authors[pk], label=_paper_label(pk, title, title_en)
        )
        for pk, title, title_en, year, status in Paper.objects.filter(pk__in=ids).values_list(
            "pk", "title", "title_en", "year", "status"
        )
    }


def _paper_label(pk: int, title: str, title_en: str) -> str:
    return str(Paper(pk=pk, title=title, title_en=title_en).display_title)


def _paper_doc(paper: Paper, info: _PaperInfo) -> IndexDoc:
    names = [a.author.name for a in paper.authorships.all()] + [
        a.author.name_en for a in paper.authorships.all() if a.author.name_en
    ]
    text = "\n".join(
        [
            paper.title,
            paper.subtitle,
            paper.title_en,
            " ".join(paper.keywords or []),
            " ".join(paper.keywords_en or []),
            paper.abstract,
            paper.abstract_en,
            paper.venue,
            " ".join(names),
        ]
    )
    return IndexDoc(
        key=f"paper:{paper.pk}",
        type="paper",
        obj_id=paper.pk,
        text=text,
        body=paper.abstract or paper.abstract_en or paper.title_en or paper.title,
        paper_id=paper.pk,
        year=info.year,
        status=paper.status,
        title=f"{paper.title} {paper.subtitle} {paper.title_en}",
        label=str(paper.display_title),
        author_ids=info.author_ids,
    )


def _passage_docs(passages: list[Passage], infos: dict[int, _PaperInfo]) -> Iterator[IndexDoc]:
    concepts: dict[int, list[int]] = defaultdict(list)
    for passage_id, concept_id in Mention.objects.filter(
        passage__in=[p.pk for p in passages], status=MentionStatus.ACTIVE
    ).values_list("passage_id", "concept_id"):
        if concept_id not in concepts[passage_id]:
            concepts[passage_id].append(concept_id)
    for passage in passages:
        info = infos[passage.paper_id]
        yield IndexDoc(
            key=f"passage:{passage.pk}",
            type="passage",
            obj_id=passage.pk,
            text=passage.text,
            body=passage.text,
            paper_id=passage.paper_id,
            year=info.year,
            kind=passage.kind,
            order=passage.order,
            status=info.status,
            title=info.title,
            heading=passage.section.heading if passage.section else "",
            label=info.label,
            author_ids=info.author_ids,
            concept_ids=concepts[passage.pk],
        )


def passage_documents(queryset) -> Iterator[IndexDoc]:
    """Documents for the current passages in ``queryset``, read in chunks by primary key."""
    queryset = queryset.current().select_related("section").order_by("pk")
    last = 0
    infos: dict[int, _PaperInfo] = {}
    while True:
        chunk = list(queryset.filter(pk__gt=last)[:CHUNK])
        if not chunk:
            return
        missing = {p.paper_id for p in chunk} - infos.keys()
        if missing:
            if len(infos) > 10_000:
                infos.clear()
            infos.update(_paper_infos(missing))
        yield from _passage_docs(chunk, infos)
        last = chunk[-1].pk


def claim_documents(queryset) -> Iterator[IndexDoc]:
    claims = list(queryset.prefetch_related("concepts"))
    infos = _paper_infos(c.paper_id for c in claims)
    quotes: dict[int, list[str]] = defaultdict(list)
    for claim_id, exact in Evidence.objects.filter(claim__in=claims).values_list("claim_id", "exact"):
        quotes[claim_id].append(exact)
    for claim in claims:
        info = infos[claim.paper_id]
        yield IndexDoc(
            key=f"claim:{claim.pk}",
            type="claim",
            obj_id=claim.pk,
            text="\n".join([claim.statement, *quotes[claim.pk]]),
            body=claim.statement,
            paper_id=claim.paper_id,
            year=info.year,
            kind=claim.kind,
            status=info.status,
            # A rejected claim stays visible to editors and to whoever proposed it.
            vis="editors" if claim.status == ClaimStatus.REJECTED else "public",
            creator=claim.creator_id,
            title=info.title,
            label=info.label,
            author_ids=info.author_ids,
            concept_ids=[c.pk for c in claim.concepts.all()],
        )


def annotation_vis(ann: Annotation) -> str:
    """A group note's audience is its group ("group:<id>"; searches match the reader's groups);
    one whose group is gone is its author's alone."""
    if ann.visibility == Visibility.GROUP:
        return f"group:{ann.group_id}" if ann.group_id else Visibility.PRIVATE
    return ann.visibility


def annotation_documents(queryset) -> Iterator[IndexDoc]:
    annotations = list(queryset.select_related("passage").prefetch_related("tags"))
    infos = _paper_infos(a.passage.paper_id for a in annotations if a.passage)
    for ann in annotations:
        info = infos.get(ann.passage.paper_id) if ann.passage else None
        tags = [t.name for t in ann.tags.all()]
        yield IndexDoc(
            key=f"annotation:{ann.pk}",
            type="annotation",
            obj_id=ann.pk,
            text="\n".join([ann.body, ann.exact, " ".join(tags)]),
            body=ann.body or ann.exact,
            paper_id=ann.passage.paper_id if ann.passage else 0,
            year=info.year if info else 0,
            order=ann.passage.order if ann.passage else 0,
            status=info.status if info else "published",
            vis=annotation_vis(ann),
            creator=ann.creator_id,
            title=info.title if info else "",
            label=info.label if info else "",
            author_ids=info.author_ids if info else [],
            tags=tags,
        )


def concept_documents(queryset) -> Iterator[IndexDoc]:
    for concept in queryset.filter(merged_into__isnull=True):
        aliases = [a for a in (concept.aliases or []) if isinstance(a, str)]
        yield IndexDoc(
            key=f"concept:{concept.pk}",
            type="concept",
            obj_id=concept.pk,
            text="\n".join([concept.label_zh, concept.label_en, *aliases, concept.definition]),
            body=concept.definition or " / ".join([concept.label_en, *aliases]),
            title=f"{concept.label_zh} {concept.label_en}",
            label=concept.label_zh,
            slug=concept.slug,
            concept_ids=[concept.pk],
        )


def paper_documents(paper_ids: Iterable[int]) -> Iterator[IndexDoc]:
    """Everything that belongs to these papers: metadata, passages, claims, annotations,
    the statements in which they cite."""
    from kb.search.citations import citation_documents, citations_in_papers

    ids = list(paper_ids)
    papers = list(Paper.objects.filter(pk__in=ids).prefetch_related("authorships__author"))
    infos = _paper_infos(p.pk for p in papers)
    for paper in papers:
        yield _paper_doc(paper, infos[paper.pk])
    yield from passage_documents(Passage.objects.filter(paper__in=ids))
    yield from claim_documents(Claim.objects.filter(paper__in=ids))
    yield from annotation_documents(Annotation.objects.filter(passage__paper__in=ids))
    yield from citation_documents(citations_in_papers(ids))


def all_documents() -> Iterator[IndexDoc]:
    """Every document, paper after paper, then concepts and annotations on no passage."""
    paper_ids = list(Paper.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(paper_ids), 50):
        yield from paper_documents(paper_ids[start : start + 50])
    yield from concept_documents(Concept.objects.all())
    yield from annotation_documents(Annotation.objects.filter(passage__isnull=True))


def count_all() -> int:
    """About how many documents ``all_documents`` yields (for a progress bar)."""
    return (
        Paper.objects.count()
        + Passage.objects.current().count()
        + Claim.objects.count()
        + Annotation.objects.count()
        + Concept.objects.filter(merged_into__isnull=True).count()
        + CitationStatement.objects.filter(passage__revision__is_current=True).count()
    )
