"""Cross-reference suggestions between passages of different papers.

Candidates for a passage are the other papers' passages that share a concept,
ranked first by the summed IDF of the shared concepts (a cheap inverted-index step,
capped at ``POOL`` candidates), then scored by
``CONCEPT_WEIGHT * weighted concept Jaccard + (1 - CONCEPT_WEIGHT) * TF-IDF cosine``.
The best ``PER_PASSAGE`` candidates above ``MIN_SCORE`` are stored as suggestions with
their reason: the shared concepts and the overlapping terms that weigh most.

The cost of a paper's suggestions does not grow with the library: the statistics come
from the stored document frequencies (``TermStat``: tokens, concepts, profile count), and
the inverted-index step reads at most ``POSTINGS`` postings per concept from the candidate
index (``ProfilePosting``: all of a rare concept's, the newest of a ubiquitous one's, whose
weight is small anyway), in one index range scan each.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from kb.models import Concept, CrossReference, CrossRefStatus, Relation
from kb.models.crossrefs import PassageProfile, ProfilePosting, TermStat
from kb.services.crossrefs.profiles import PROFILES_KEY, concept_key
from papers.models import Passage

POOL = 150
# Passages read per concept in the inverted-index step (the newest first).
POSTINGS = 2 * POOL
PER_PASSAGE = 5
MIN_SCORE = 0.12
CONCEPT_WEIGHT = 0.2


@dataclass
class Candidate:
    passage_id: int
    score: float
    concept_score: float
    text_score: float
    shared_concepts: list[int] = field(default_factory=list)
    shared_terms: list[str] = field(default_factory=list)


class _Stats:
    """IDF of terms and concepts, from the stored document frequencies, loaded once per run."""

    def __init__(self, terms: set[str], concepts: set[int]):
        self.term_df: dict[str, int] = {}
        keys = {concept_key(c): c for c in concepts}
        _load_terms(self, terms | set(keys) | {PROFILES_KEY})
        self.n = max(1, self.term_df.pop(PROFILES_KEY, 0))
        self.concept_df = {keys[k]: self.term_df.pop(k) for k in list(self.term_df) if k in keys}
        self._idf: dict[str, float] = {}
        self._concept_idf: dict[int, float] = {}

    def term_idf(self, term: str) -> float:
        # A term in (nearly) every passage says nothing about a pair: its weight goes to zero.
        idf = self._idf.get(term)
        if idf is None:
            idf = self._idf[term] = max(0.0, math.log((self.n + 1) / (1 + self.term_df.get(term, 0))))
        return idf

    def concept_idf(self, concept_id: int) -> float:
        # Squared, so that sharing a rare concept (算法黑箱) counts far more than a ubiquitous one (数字技术).
        idf = self._concept_idf.get(concept_id)
        if idf is None:
            df = self.concept_df.get(concept_id, 0)
            idf = self._concept_idf[concept_id] = max(0.0, math.log((self.n + 1) / (1 + df))) ** 2
        return idf


def _vector(terms: dict[str, int], stats: _Stats) -> tuple[dict[str, float], float]:
    vec = {t: (1 + math.log(c)) * stats.term_idf(t) for t, c in terms.items()}
    return vec, math.sqrt(sum(v * v for v in vec.values())) or 1.0


def _rank(
    source: PassageProfile,
    pool: dict[int, PassageProfile],
    stats: _Stats,
    limit: int,
    vectors: dict[int, tuple[dict[str, float], float]],
) -> list[Candidate]:
    """The best ``limit`` of ``pool`` for ``source``; ``vectors`` caches the targets' TF-IDF
    vectors by passage, as one target sits in the pools of many passages of a paper."""
    source_concepts = set(source.concepts)
    if not source_concepts:
        return []
    src_vec, src_norm = _vector(source.terms, stats)
    scored = []
    for pid, target in pool.items():
        target_concepts = set(target.concepts)
        shared = source_concepts & target_concepts
        if not shared:
            continue
        union = source_concepts | target_concepts
        concept_score = sum(stats.concept_idf(c) for c in shared) / (
            sum(stats.concept_idf(c) for c in union) or 1.0
        )
        if pid not in vectors:
            vectors[pid] = _vector(target.terms, stats)
        tgt_vec, tgt_norm = vectors[pid]
        overlap = {t: src_vec[t] * tgt_vec[t] for t in src_vec.keys() & tgt_vec.keys()}
        text_score = sum(overlap.values()) / (src_norm * tgt_norm)
        score = round(CONCEPT_WEIGHT * concept_score + (1 - CONCEPT_WEIGHT) * text_score, 4)
        scored.append((-score, pid, concept_score, text_score, shared, overlap))
    scored.sort(key=lambda row: row[:2])
    # The reasons (concepts by weight, terms by overlap) are worked out for the best only.
    return [
        Candidate(
            passage_id=pid,
            score=-neg_score,
            concept_score=round(concept_score, 4),
            text_score=round(text_score, 4),
            shared_concepts=sorted(shared, key=lambda c: -stats.concept_idf(c)),
            shared_terms=[t for t, _ in sorted(overlap.items(), key=lambda kv: -kv[1])[:8]],
        )
        for neg_score, pid, concept_score, text_score, shared, overlap in scored[:limit]
    ]


def _pools(sources: list[PassageProfile], stats: _Stats) -> dict[int, dict[int, PassageProfile]]:
    """For each source passage, the other papers' passages that share its rarest concepts.

    One bounded query per concept of the paper on the candidate index (``ProfilePosting``): at
    most ``POSTINGS`` profiled passages of other papers.
    """
    wanted = sorted({c for s in sources for c in s.concepts})
    papers = {s.paper_id for s in sources}
    by_concept: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for concept_id in wanted:
        postings = ProfilePosting.objects.filter(concept_id=concept_id)
        if len(papers) == 1:  # a paper's own passages never count, so they take no place in the cap
            postings = postings.exclude(paper_id__in=papers)
        # One range scan of the candidate index (posting_concept_passage), newest first.
        by_concept[concept_id] = list(
            postings.order_by("-passage_id").values_list("passage_id", "paper_id")[:POSTINGS]
        )
    chosen: dict[int, list[int]] = {}
    for source in sources:
        weights: Counter = Counter()
        for concept_id in source.concepts:
            idf = stats.concept_idf(concept_id)
            for pid, paper_id in by_concept.get(concept_id, ()):
                if paper_id != source.paper_id:
                    weights[pid] += idf
        chosen[source.passage_id] = [pid for pid, _ in weights.most_common(POOL)]
    needed = {pid for ids in chosen.values() for pid in ids}
    profiles = {p.passage_id: p for p in PassageProfile.objects.filter(passage_id__in=needed)}
    return {sid: {pid: profiles[pid] for pid in ids if pid in profiles} for sid, ids in chosen.items()}


def crossref_candidates(*, passages: list[Passage], limit: int = 20) -> dict[int, list[Candidate]]:
    """Ranked candidate partners (in other papers) for each of ``passages`` that has a profile."""
    sources = list(PassageProfile.objects.filter(passage__in=passages))
    if not sources:
        return {}
    stats = _Stats({t for s in sources for t in s.terms}, {c for s in sources for c in s.concepts})
    pools = _pools(sources, stats)
    needed_terms = {t for pool in pools.values() for p in pool.values() for t in p.terms}
    _load_terms(stats, needed_terms - stats.term_df.keys())
    vectors: dict[int, tuple[dict[str, float], float]] = {}
    return {s.passage_id: _rank(s, pools[s.passage_id], stats, limit, vectors) for s in sources}


def _load_terms(stats: _Stats, terms: set[str]) -> None:
    term_list = sorted(terms)
    for i in range(0, len(term_list), 500):
        stats.term_df.update(
            TermStat.objects.filter(term__in=term_list[i : i + 500]).values_list("term", "df")
        )


def _reason(candidate: Candidate, labels: dict[int, str]) -> dict:
    return {
        "concepts": [labels[c] for c in candidate.shared_concepts if c in labels][:8],
        "terms": candidate.shared_terms,
        "concept_score": candidate.concept_score,
        "text_score": candidate.text_score,
    }


@transaction.atomic
def crossrefs_suggest_for_paper(
    *, paper, per_passage: int = PER_PASSAGE, min_score: float = MIN_SCORE
) -> int:
    """Replace the open suggestions involving ``paper`` with fresh ones against the other papers."""
    # By the paper's passage ids (two index lookups), not a join through every cross-reference.
    mine = list(Passage.objects.filter(paper=paper).values_list("pk", flat=True))
    involving = Q(source_passage_id__in=mine) | Q(target_passage_id__in=mine)
    CrossReference.objects.filter(involving, status=CrossRefStatus.SUGGESTED).delete()
    passages = list(Passage.objects.filter(paper=paper).current())
    ranked = crossref_candidates(passages=passages, limit=per_passage)
    decided = set()
    for a, b in CrossReference.objects.filter(involving, source_passage__isnull=False).values_list(
        "source_passage_id", "target_passage_id"
    ):
        decided.update({(a, b), (b, a)})
    concept_ids = {c for cands in ranked.values() for cand in cands for c in cand.shared_concepts}
    labels = dict(Concept.objects.filter(pk__in=concept_ids).values_list("pk", "label_zh"))
    new = []
    for source_id, candidates in ranked.items():
        for cand in candidates:
            if cand.score < min_score or (source_id, cand.passage_id) in decided:
                continue
            new.append(
                CrossReference(
                    source_passage_id=source_id,
                    target_passage_id=cand.passage_id,
                    relation=Relation.SAME_TOPIC,
                    status=CrossRefStatus.SUGGESTED,
                    score=cand.score,
                    reason=_reason(cand, labels),
                )
            )
    CrossReference.objects.bulk_create(new, batch_size=500)
    return len(new)
