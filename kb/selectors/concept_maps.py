"""The papers × concepts comparison matrix: mentions, or claims, per cell, one page at a time.

A page shows at most ``MATRIX_PAPERS`` papers × ``MATRIX_CONCEPTS`` concepts, so its cost is
bounded by what it shows, not by the library:

- mentions: the columns are the concepts with the most mentions (``ConceptStat``), the rows the
  papers mentioning one of them, oldest first (year, then order of loading), paged; the cells
  come from ``PaperConceptCount`` (the page aggregates), never from the mentions. Shades are
  on a log scale up to the largest cell of the shown concepts in the whole library, so a page
  reads the same as the next.
- claims (``kb.selectors.claim_matrix``): the columns are the concepts most claims are tagged
  with, the rows the papers those claims were made on or quote.

The CSV export (``matrix_csv_rows``) has every paper and every concept: it streams the
mention counts from ``PaperConceptCount`` in chunks, so its memory stays bounded.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Subquery

from kb.models import Concept
from kb.models.aggregates import PaperConceptCount
from kb.selectors.claim_matrix import claim_concepts, claim_counts, papers_with_claims
from papers.models import Paper

MATRIX_PAPERS = 40
MATRIX_CONCEPTS = 30
MAX_PAGE = 10_000
CSV_CHUNK = 2000


@dataclass
class Matrix:
    papers: list[Paper]
    concepts: list[Concept]
    cells: dict[tuple[int, int], int]  # (paper id, concept id) -> mentions, or claims
    rows: list[dict]
    max_count: int
    mode: str = "mentions"
    page: int = 1
    has_next: bool = False


def _mention_concepts(*, group: str, limit: int | None) -> list[Concept]:
    """Concepts by mentions (stored), each with its total and its largest cell in the library."""
    concepts = Concept.objects.filter(merged_into=None, stat__mentions__gt=0)
    if group:
        concepts = concepts.filter(group=group)
    largest = (
        PaperConceptCount.objects.filter(concept=OuterRef("pk")).order_by("-mentions").values("mentions")
    )
    concepts = concepts.annotate(matrix_total=F("stat__mentions"), largest=Subquery(largest[:1])).order_by(
        "-matrix_total", "label_zh", "pk"
    )
    return list(concepts if limit is None else concepts[:limit])


def _paged(papers, page: int) -> tuple[list[Paper], bool]:
    start = (page - 1) * MATRIX_PAPERS
    rows = list(papers.order_by(F("year").asc(nulls_last=True), "pk")[start : start + MATRIX_PAPERS + 1])
    return rows[:MATRIX_PAPERS], len(rows) > MATRIX_PAPERS


def comparison_matrix(*, user, group: str = "", mode: str = "mentions", page: int = 1) -> Matrix:
    """One page of papers × concepts, each cell the paper's mentions of the concept or
    (``mode="claims"``) the visible claims about it made on or quoting the paper."""
    page = min(max(page, 1), MAX_PAGE)
    if mode == "claims":
        concepts = claim_concepts(user=user, group=group, limit=MATRIX_CONCEPTS)
        ids = [c.pk for c in concepts]
        papers, has_next = _paged(papers_with_claims(user=user, concept_ids=ids), page)
        counts = claim_counts(user=user, group=group, paper_ids=[p.pk for p in papers], concept_ids=ids)
        max_count = max(counts.values(), default=0)
    else:
        mode = "mentions"
        concepts = _mention_concepts(group=group, limit=MATRIX_CONCEPTS)
        ids = [c.pk for c in concepts]
        mentioning = PaperConceptCount.objects.filter(paper_id=OuterRef("pk"), concept_id__in=ids)
        papers, has_next = _paged(Paper.objects.visible_to(user).filter(Exists(mentioning)), page)
        counts = {
            (p, c): n
            for p, c, n in PaperConceptCount.objects.filter(
                paper_id__in=[p.pk for p in papers], concept_id__in=ids
            ).values_list("paper_id", "concept_id", "mentions")
        }
        max_count = max((c.largest or 0 for c in concepts), default=0)
    concepts.sort(key=lambda c: (c.group, -c.matrix_total, c.label_zh, c.pk))
    rows = []
    for paper in papers:
        cells = []
        for concept in concepts:
            n = counts.get((paper.pk, concept.pk), 0)
            # Five shades, on a log scale so that 2 and 300 mentions both read.
            level = 0 if not n else min(5, 1 + int(4 * math.log1p(n) / math.log1p(max_count or 1)))
            cells.append({"concept": concept, "count": n, "level": level})
        rows.append({"paper": paper, "cells": cells, "total": sum(c["count"] for c in cells)})
    return Matrix(
        papers=papers,
        concepts=concepts,
        cells=counts,
        rows=rows,
        max_count=max_count,
        mode=mode,
        page=page,
        has_next=has_next,
    )


def matrix_csv_rows(*, user, group: str = "", mode: str = "mentions") -> Iterator[list]:
    """The whole matrix as CSV rows (a header, then one row per paper), produced lazily."""
    if mode == "claims":  # claims are editorial: a few thousand at most, counted in one query
        concepts = claim_concepts(user=user, group=group, limit=10_000)
        counts = claim_counts(user=user, group=group, concept_ids=[c.pk for c in concepts])
        by_paper: dict[int, dict[int, int]] = {}
        for (p, c), n in counts.items():
            by_paper.setdefault(p, {})[c] = n
        papers = Paper.objects.visible_to(user).filter(pk__in=list(by_paper))
        stream = ((p, by_paper[p.pk]) for p in papers.order_by("year", "pk").iterator(chunk_size=CSV_CHUNK))
    else:
        concepts = _mention_concepts(group=group, limit=None)
        stream = _mention_stream(user=user, concept_ids=[c.pk for c in concepts])
    concepts.sort(key=lambda c: (c.group, -c.matrix_total, c.label_zh, c.pk))
    yield ["paper_id", "title", "year", *(f"{c.label_zh} ({c.label_en})" for c in concepts)]
    for paper, cells in stream:
        yield [paper.pk, paper.display_title, paper.year or "", *(cells.get(c.pk, 0) for c in concepts)]


def _mention_stream(*, user, concept_ids: list[int]) -> Iterator[tuple[Paper, dict[int, int]]]:
    rows = (
        PaperConceptCount.objects.filter(concept_id__in=concept_ids, paper__in=Paper.objects.visible_to(user))
        .order_by(F("paper__year").asc(nulls_last=True), "paper_id")
        .values_list("paper_id", "paper__title", "paper__title_en", "paper__year", "concept_id", "mentions")
        .iterator(chunk_size=CSV_CHUNK)
    )
    paper: Paper | None = None
    cells: dict[int, int] = {}
    for paper_id, title, title_en, year, concept_id, mentions in rows:
        if paper is None or paper.pk != paper_id:
            if paper is not None:
                yield paper, cells
            paper, cells = Paper(pk=paper_id, title=title, title_en=title_en, year=year), {}
        cells[concept_id] = mentions
    if paper is not None:
        yield paper, cells
