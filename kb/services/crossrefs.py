"""Cross-references between passages of different papers: suggestions, and editors' decisions.

Suggestions (``crossrefs_suggest_for_paper``), computed when a paper is loaded, for
that paper's passages against the passages of the *other* papers:

1. Each passage gets a profile once (``passage_profiles_build``): its jieba tokens
   (concept labels are single tokens) and its concepts. Token document frequencies
   (``TermStat``) are updated by the difference, never recounted.
2. Candidates for a passage are the other papers' passages that share a concept,
   ranked first by the summed IDF of the shared concepts (a cheap inverted-index
   step, capped at ``POOL`` candidates), then scored by
   ``CONCEPT_WEIGHT * weighted concept Jaccard + (1 - CONCEPT_WEIGHT) * TF-IDF cosine``.
3. The best ``PER_PASSAGE`` candidates above ``MIN_SCORE`` are stored as suggestions with
   their reason: the shared concepts and the overlapping terms that weigh most.

Pairs an editor already confirmed or rejected (in either direction) are never
suggested again. Adding a paper costs work proportional to that paper, not to the
corpus: the thousandth paper does not recompute the first 999.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q

from kb.lib.textnorm import fold
from kb.models import Concept, CrossReference, CrossRefStatus, Mention, MentionStatus, Relation
from kb.models.crossrefs import PassageProfile, TermStat
from kb.services.mentions import thesaurus_matcher
from papers.models import Passage, PassageKind

PROFILE_KINDS = (PassageKind.PARAGRAPH, PassageKind.ABSTRACT)
MIN_PASSAGE_CHARS = 40
POOL = 150
PER_PASSAGE = 5
MIN_SCORE = 0.12
CONCEPT_WEIGHT = 0.2
MAX_TERM_CHARS = 64

CROSSREF_SAME_PAPER = "交叉引用须连接两篇不同论文的段落。"
CROSSREF_EXISTS = "这两个段落之间已有相同关系的交叉引用。"
CROSSREF_NOT_SUGGESTED = "该建议已被处理。"
CROSSREF_BAD_RELATION = "未知的关系类型。"

_TOKEN_OK = re.compile(r"^(?:[\u3400-\u9fff]{2,}|[a-z][a-z0-9]{2,})$")
# Function words and the generic vocabulary of any paper of this kind.
STOPWORDS = frozenset(
    [
        "我们",
        "他们",
        "它们",
        "这些",
        "那些",
        "这个",
        "这种",
        "一种",
        "一个",
        "以及",
        "并且",
        "而且",
        "因此",
        "所以",
        "但是",
        "然而",
        "同时",
        "通过",
        "进行",
        "实现",
        "需要",
        "可以",
        "能够",
        "已经",
        "不仅",
        "也是",
        "还是",
        "就是",
        "其中",
        "之间",
        "方面",
        "过程",
        "问题",
        "作用",
        "具有",
        "成为",
        "进一步",
        "不断",
        "更加",
        "提供",
        "推动",
        "促进",
        "提升",
        "加强",
        "重要",
        "有效",
        "相关",
        "基于",
        "对于",
        "关于",
        "由于",
        "以及",
        "从而",
        "进而",
        "如何",
        "the",
        "and",
        "for",
        "with",
        "that",
        "this",
        "from",
        "are",
        "was",
        "were",
        "has",
        "have",
        "been",
        "its",
        "into",
        "which",
    ]
)


def tokens(text: str) -> list[str]:
    """Content tokens of a text (folded; concept labels stay whole)."""
    folded = fold(text)
    out = []
    for token in thesaurus_matcher().cut(folded):
        token = token.strip()
        if token and len(token) <= MAX_TERM_CHARS and _TOKEN_OK.match(token) and token not in STOPWORDS:
            out.append(token)
    return out


def _eligible(passage: Passage) -> bool:
    return passage.kind in PROFILE_KINDS and len(passage.text) >= MIN_PASSAGE_CHARS


def _apply_df(delta: Counter) -> None:
    terms = [t for t, d in delta.items() if d]
    existing: dict[str, TermStat] = {}
    for i in range(0, len(terms), 500):
        for stat in TermStat.objects.filter(term__in=terms[i : i + 500]):
            existing[stat.term] = stat
    changed, new = [], []
    for term in terms:
        stat = existing.get(term)
        if stat is None:
            if delta[term] > 0:
                new.append(TermStat(term=term, df=delta[term]))
        else:
            stat.df = max(0, stat.df + delta[term])
            changed.append(stat)
    TermStat.objects.bulk_update(changed, ["df"], batch_size=500)
    TermStat.objects.bulk_create(new, batch_size=500)


@transaction.atomic
def passage_profiles_build(*, paper) -> int:
    """(Re)build the profiles of a paper's current passages and update document frequencies."""
    delta: Counter = Counter()
    old = PassageProfile.objects.filter(paper=paper)
    for terms in old.values_list("terms", flat=True):
        delta.subtract(terms.keys())
    old.delete()
    passages = [p for p in Passage.objects.filter(paper=paper).current().order_by("order") if _eligible(p)]
    concepts: dict[int, set[int]] = defaultdict(set)
    for passage_id, concept_id in Mention.objects.filter(
        passage__in=passages, status=MentionStatus.ACTIVE
    ).values_list("passage_id", "concept_id"):
        concepts[passage_id].add(concept_id)
    profiles = []
    for passage in passages:
        counts = Counter(tokens(passage.text))
        delta.update(counts.keys())
        profiles.append(
            PassageProfile(
                passage=passage, paper=paper, terms=dict(counts), concepts=sorted(concepts[passage.pk])
            )
        )
    PassageProfile.objects.bulk_create(profiles, batch_size=500)
    _apply_df(delta)
    return len(profiles)


@dataclass
class Candidate:
    passage_id: int
    score: float
    concept_score: float
    text_score: float
    shared_concepts: list[int] = field(default_factory=list)
    shared_terms: list[str] = field(default_factory=list)


class _Stats:
    """IDF of terms and concepts, loaded once per run."""

    def __init__(self, terms: set[str]):
        self.n = max(1, PassageProfile.objects.count())
        self.term_df: dict[str, int] = {}
        _load_terms(self, terms)
        self.concept_df = dict(
            Mention.objects.filter(status=MentionStatus.ACTIVE, passage__revision__is_current=True)
            .values("concept_id")
            .annotate(n=Count("passage_id", distinct=True))
            .values_list("concept_id", "n")
        )

    def term_idf(self, term: str) -> float:
        # A term in (nearly) every passage says nothing about a pair: its weight goes to zero.
        return max(0.0, math.log((self.n + 1) / (1 + self.term_df.get(term, 0))))

    def concept_idf(self, concept_id: int) -> float:
        # Squared, so that sharing a rare concept (算法黑箱) counts far more than a ubiquitous one (数字技术).
        return max(0.0, math.log((self.n + 1) / (1 + self.concept_df.get(concept_id, 0)))) ** 2


def _vector(terms: dict[str, int], stats: _Stats) -> tuple[dict[str, float], float]:
    vec = {t: (1 + math.log(c)) * stats.term_idf(t) for t, c in terms.items()}
    return vec, math.sqrt(sum(v * v for v in vec.values())) or 1.0


def _rank(
    source: PassageProfile, pool: dict[int, PassageProfile], stats: _Stats, limit: int
) -> list[Candidate]:
    source_concepts = set(source.concepts)
    if not source_concepts:
        return []
    src_vec, src_norm = _vector(source.terms, stats)
    ranked = []
    for pid, target in pool.items():
        shared = source_concepts & set(target.concepts)
        if not shared:
            continue
        union = source_concepts | set(target.concepts)
        concept_score = sum(stats.concept_idf(c) for c in shared) / (
            sum(stats.concept_idf(c) for c in union) or 1.0
        )
        tgt_vec, tgt_norm = _vector(target.terms, stats)
        overlap = {t: src_vec[t] * tgt_vec[t] for t in src_vec.keys() & tgt_vec.keys()}
        text_score = sum(overlap.values()) / (src_norm * tgt_norm)
        score = CONCEPT_WEIGHT * concept_score + (1 - CONCEPT_WEIGHT) * text_score
        top_terms = [t for t, _ in sorted(overlap.items(), key=lambda kv: -kv[1])[:8]]
        ranked.append(
            Candidate(
                passage_id=pid,
                score=round(score, 4),
                concept_score=round(concept_score, 4),
                text_score=round(text_score, 4),
                shared_concepts=sorted(shared, key=lambda c: -stats.concept_idf(c)),
                shared_terms=top_terms,
            )
        )
    ranked.sort(key=lambda c: (-c.score, c.passage_id))
    return ranked[:limit]


def _pools(sources: list[PassageProfile], stats: _Stats) -> dict[int, dict[int, PassageProfile]]:
    """For each source passage, the other papers' passages that share its rarest concepts (one query)."""
    wanted = {c for s in sources for c in s.concepts}
    by_concept: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for passage_id, paper_id, concept_id in (
        Mention.objects.filter(
            concept_id__in=wanted,
            status=MentionStatus.ACTIVE,
            passage__revision__is_current=True,
            passage__kind__in=PROFILE_KINDS,
        )
        .values_list("passage_id", "passage__paper_id", "concept_id")
        .distinct()
    ):
        by_concept[concept_id].append((passage_id, paper_id))
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
    stats = _Stats({t for s in sources for t in s.terms})
    pools = _pools(sources, stats)
    needed_terms = {t for pool in pools.values() for p in pool.values() for t in p.terms}
    _load_terms(stats, needed_terms - stats.term_df.keys())
    return {s.passage_id: _rank(s, pools[s.passage_id], stats, limit) for s in sources}


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
    CrossReference.objects.filter(status=CrossRefStatus.SUGGESTED).filter(
        Q(source_passage__paper=paper) | Q(target_passage__paper=paper)
    ).delete()
    passages = list(Passage.objects.filter(paper=paper).current())
    ranked = crossref_candidates(passages=passages, limit=per_passage)
    decided = set()
    for a, b in CrossReference.objects.filter(
        Q(source_passage__paper=paper) | Q(target_passage__paper=paper), source_passage__isnull=False
    ).values_list("source_passage_id", "target_passage_id"):
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


# --- editors' decisions ----------------------------------------------------------------------


def _check_relation(relation: str) -> None:
    if relation not in Relation.values:
        raise ValidationError(CROSSREF_BAD_RELATION)


def _check_unique(crossref: CrossReference) -> None:
    clash = CrossReference.objects.filter(
        source_passage=crossref.source_passage,
        target_passage=crossref.target_passage,
        relation=crossref.relation,
    ).exclude(pk=crossref.pk)
    if clash.exists():
        raise ValidationError(CROSSREF_EXISTS)


@transaction.atomic
def crossref_confirm(*, crossref: CrossReference, relation: str, note: str = "", user) -> CrossReference:
    """Accept a suggestion, giving it a relation type and a note."""
    if crossref.status != CrossRefStatus.SUGGESTED:
        raise ValidationError(CROSSREF_NOT_SUGGESTED)
    _check_relation(relation)
    crossref.relation = relation
    crossref.note = note.strip()
    crossref.status = CrossRefStatus.CONFIRMED
    crossref.creator = user
    _check_unique(crossref)
    crossref.full_clean()
    crossref.save()
    return crossref


@transaction.atomic
def crossref_reject(*, crossref: CrossReference, user) -> CrossReference:
    if crossref.status != CrossRefStatus.SUGGESTED:
        raise ValidationError(CROSSREF_NOT_SUGGESTED)
    crossref.status = CrossRefStatus.REJECTED
    crossref.creator = user
    crossref.full_clean()
    crossref.save()
    return crossref


@transaction.atomic
def crossref_create(
    *, source: Passage, target: Passage, relation: str, note: str = "", user
) -> CrossReference:
    """An editor links two passages of different papers by hand (confirmed at once)."""
    if source.paper_id == target.paper_id:
        raise ValidationError(CROSSREF_SAME_PAPER)
    _check_relation(relation)
    open_suggestion = CrossReference.objects.filter(
        Q(source_passage=source, target_passage=target) | Q(source_passage=target, target_passage=source),
        status=CrossRefStatus.SUGGESTED,
    ).first()
    if open_suggestion is not None:
        open_suggestion.source_passage, open_suggestion.target_passage = source, target
        open_suggestion.status = CrossRefStatus.SUGGESTED
        return crossref_confirm(crossref=open_suggestion, relation=relation, note=note, user=user)
    crossref = CrossReference(
        source_passage=source,
        target_passage=target,
        relation=relation,
        note=note.strip(),
        status=CrossRefStatus.CONFIRMED,
        creator=user,
    )
    _check_unique(crossref)
    crossref.full_clean()
    crossref.save()
    return crossref
