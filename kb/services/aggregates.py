"""Keeping the page aggregates (``kb.models.aggregates``) up to date, one paper at a time.

``aggregates_refresh(paper_ids=...)`` is the one write path. For each paper it reads what
the paper contributes now (its current passages and the active mentions of unmerged
concepts in them, if the paper is published) and what it contributed at its last refresh
(``PaperAggregate`` and its ``PaperConceptCount`` rows), and adds the difference to the
library-wide tables. The cost is bounded by the paper, never by the library. Increments are
``INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n`` statements (PostgreSQL and SQLite
alike), so two workers refreshing different papers never lose each other's counts.

Callers: ``kb.services.followups`` (a paper loaded or revised, its metadata corrected),
``kb.services.mentions`` (mentions detected, created or rejected) and ``concept_merge``.

``aggregates_rebuild()`` starts from empty tables and refreshes every paper;
``aggregates_expected()`` recomputes everything by whole-library grouping queries, an
independent path that the tests and ``manage.py rebuild_aggregates --check`` compare with.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import combinations

from django.db import transaction

from kb.models import Mention, MentionStatus
from kb.models.aggregates import (
    ConceptPair,
    ConceptStat,
    ConceptYear,
    LibraryStat,
    PaperAggregate,
    PaperConceptCount,
)
from kb.services.counters import increment
from papers.models import Paper, PaperStatus, Passage

BATCH = 400


@dataclass
class Contribution:
    counted: bool = False
    year: int = 0
    passages: int = 0
    mentioned_passages: int = 0
    concepts: dict[int, tuple[int, int]] = field(default_factory=dict)  # id -> (mentions, passages)
    pairs: dict[str, int] = field(default_factory=dict)  # "a:b" (a < b) -> passages


def _pairs_of(concepts_by_passage: dict[int, set[int]]) -> Counter:
    pairs: Counter = Counter()
    for concepts in concepts_by_passage.values():
        pairs.update(f"{a}:{b}" for a, b in combinations(sorted(concepts), 2))
    return pairs


def _active(queryset):
    return queryset.filter(
        status=MentionStatus.ACTIVE, passage__revision__is_current=True, concept__merged_into=None
    )


def _now(paper: Paper) -> Contribution:
    """What ``paper`` contributes in the database now (nothing unless it is published)."""
    if paper.status != PaperStatus.PUBLISHED:
        return Contribution(year=paper.year or 0)
    rows = list(_active(Mention.objects.filter(passage__paper=paper)).values_list("passage_id", "concept_id"))
    mentions: Counter = Counter(concept for _passage, concept in rows)
    by_passage: dict[int, set[int]] = defaultdict(set)
    for passage_id, concept_id in rows:
        by_passage[passage_id].add(concept_id)
    passages_of: Counter = Counter(c for concepts in by_passage.values() for c in concepts)
    return Contribution(
        counted=True,
        year=paper.year or 0,
        passages=Passage.objects.filter(paper=paper).current().count(),
        mentioned_passages=len(by_passage),
        concepts={c: (n, passages_of[c]) for c, n in mentions.items()},
        pairs=dict(_pairs_of(by_passage)),
    )


def _stored(paper_id: int) -> tuple[PaperAggregate | None, Contribution]:
    row = PaperAggregate.objects.select_for_update().filter(paper_id=paper_id).first()
    if row is None:
        return None, Contribution()
    concepts = {
        c: (m, p)
        for c, m, p in PaperConceptCount.objects.filter(paper_id=paper_id).values_list(
            "concept_id", "mentions", "passages"
        )
    }
    return row, Contribution(
        counted=row.counted,
        year=row.year,
        passages=row.passages,
        mentioned_passages=row.mentioned_passages,
        concepts=concepts,
        pairs=dict(row.pairs),
    )


def _apply(before: Contribution, after: Contribution) -> None:
    library = Counter(
        {
            "papers": int(after.counted) - int(before.counted),
            "passages": after.passages - before.passages,
            "mentioned_passages": after.mentioned_passages - before.mentioned_passages,
        }
    )
    increment(LibraryStat, ("key",), ("value",), [(k, v) for k, v in library.items()])
    stats, years = [], Counter()
    for concept in before.concepts.keys() | after.concepts.keys():
        m0, p0 = before.concepts.get(concept, (0, 0))
        m1, p1 = after.concepts.get(concept, (0, 0))
        papers = int(concept in after.concepts) - int(concept in before.concepts)
        stats.append((concept, m1 - m0, p1 - p0, papers))
    for concept, (m, _p) in before.concepts.items():
        years[(concept, before.year, "m")] -= m
        years[(concept, before.year, "p")] -= 1
    for concept, (m, _p) in after.concepts.items():
        years[(concept, after.year, "m")] += m
        years[(concept, after.year, "p")] += 1
    increment(ConceptStat, ("concept_id",), ("mentions", "passages", "papers"), stats)
    year_keys = {(c, y) for c, y, _kind in years}
    increment(
        ConceptYear,
        ("concept_id", "year"),
        ("mentions", "papers"),
        [(c, y, years[(c, y, "m")], years[(c, y, "p")]) for c, y in sorted(year_keys)],
    )
    pair_delta = Counter(after.pairs)
    pair_delta.subtract(before.pairs)
    increment(
        ConceptPair,
        ("a_id", "b_id"),
        ("passages",),
        [(*map(int, key.split(":")), n) for key, n in sorted(pair_delta.items()) if n],
    )
    touched = [c for c, *_ in stats]
    if touched:  # rows that fell to zero go, so that the tables hold what exists
        ConceptStat.objects.filter(concept_id__in=touched, mentions__lte=0).delete()
        ConceptYear.objects.filter(concept_id__in=touched, papers__lte=0).delete()
        ConceptPair.objects.filter(a_id__in=touched, passages__lte=0).delete()


@transaction.atomic
def aggregates_refresh(*, paper_ids: Iterable[int]) -> int:
    """Bring the aggregates up to date with ``paper_ids``' current state. Returns papers refreshed."""
    done = 0
    for paper in Paper.objects.filter(pk__in=sorted(set(paper_ids))).order_by("pk"):
        row, before = _stored(paper.pk)
        after = _now(paper)
        _apply(before, after)
        PaperConceptCount.objects.filter(paper=paper).delete()
        PaperConceptCount.objects.bulk_create(
            [
                PaperConceptCount(paper=paper, concept_id=c, mentions=m, passages=p)
                for c, (m, p) in after.concepts.items()
            ],
            batch_size=500,
        )
        fields = {
            "counted": after.counted,
            "year": after.year,
            "passages": after.passages,
            "mentioned_passages": after.mentioned_passages,
            "pairs": after.pairs,
        }
        if row is None:
            PaperAggregate.objects.create(paper=paper, **fields)
        else:
            PaperAggregate.objects.filter(paper=paper).update(**fields)
        done += 1
    return done


def aggregates_rebuild(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Empty every aggregate table, then refresh every paper (in batches of ``BATCH``)."""
    with transaction.atomic():
        for model in (PaperConceptCount, PaperAggregate, ConceptPair, ConceptYear, ConceptStat, LibraryStat):
            model.objects.all().delete()
    ids = list(Paper.objects.order_by("pk").values_list("pk", flat=True))
    for i in range(0, len(ids), BATCH):
        aggregates_refresh(paper_ids=ids[i : i + BATCH])
        if progress:
            progress(min(i + BATCH, len(ids)), len(ids))
    return len(ids)


def library_counts() -> dict[str, int]:
    return dict(LibraryStat.objects.values_list("key", "value"))


def aggregates_stored() -> dict:
    """The stored aggregates, in the shape of ``aggregates_expected`` (zero rows left out)."""
    return {
        "library": {k: v for k, v in library_counts().items() if v},
        "paper_concept": {
            (p, c): (m, n)
            for p, c, m, n in PaperConceptCount.objects.values_list(
                "paper_id", "concept_id", "mentions", "passages"
            )
        },
        "concept": {
            c: (m, p, n)
            for c, m, p, n in ConceptStat.objects.values_list("concept_id", "mentions", "passages", "papers")
            if m
        },
        "year": {
            (c, y): (m, n)
            for c, y, m, n in ConceptYear.objects.values_list("concept_id", "year", "mentions", "papers")
            if n
        },
        "pair": {(a, b): n for a, b, n in ConceptPair.objects.values_list("a_id", "b_id", "passages") if n},
    }


def aggregates_expected() -> dict:
    """Every aggregate recomputed from the whole library by grouping queries (for checks)."""
    published = Paper.objects.filter(status=PaperStatus.PUBLISHED)
    rows = list(
        _active(Mention.objects.filter(passage__paper__in=published)).values_list(
            "passage__paper_id", "passage__paper__year", "passage_id", "concept_id"
        )
    )
    paper_concept: Counter = Counter((p, c) for p, _y, _s, c in rows)
    passage_sets: dict[tuple[int, int], set[int]] = defaultdict(set)
    by_passage: dict[int, set[int]] = defaultdict(set)
    years: dict[int, int] = {}
    for paper_id, year, passage_id, concept_id in rows:
        passage_sets[(paper_id, concept_id)].add(passage_id)
        by_passage[passage_id].add(concept_id)
        years[paper_id] = year or 0
    concept: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    year: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for (paper_id, concept_id), n in paper_concept.items():
        concept[concept_id][0] += n
        concept[concept_id][1] += len(passage_sets[(paper_id, concept_id)])
        concept[concept_id][2] += 1
        year[(concept_id, years[paper_id])][0] += n
        year[(concept_id, years[paper_id])][1] += 1
    library = {
        "papers": published.count(),
        "passages": Passage.objects.current().filter(paper__in=published).count(),
        "mentioned_passages": len(by_passage),
    }
    return {
        "library": {k: v for k, v in library.items() if v},
        "paper_concept": {k: (n, len(passage_sets[k])) for k, n in paper_concept.items()},
        "concept": {c: tuple(v) for c, v in concept.items()},
        "year": {k: tuple(v) for k, v in year.items()},
        "pair": {tuple(map(int, k.split(":"))): n for k, n in _pairs_of(by_passage).items()},
    }
