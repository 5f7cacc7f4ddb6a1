"""Concept mentions: automatic detection, rejection, and mentions editors add by hand.

Contract:

- ``mentions_detect(passages=...)`` replaces the *automatic, active* mentions of those
  passages with what the current thesaurus finds (``kb.lib.conceptmatch``). Manual
  mentions are kept, and an automatic match is skipped where a rejected mention covers
  the same concept and span, or (in a later revision of the paper) the same concept,
  surface and context. So rejections survive re-detection.
- It runs for a paper when the paper is loaded (``kb.services.followups.paper_loaded``) and
  for the whole corpus when the thesaurus changes (``mentions_detect_all``).
- ``mention_reject`` and ``mention_create`` are the editors' writes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.utils.translation import gettext_lazy as _

from kb.lib.conceptmatch import ConceptMatcher
from kb.models import Concept, Mention, MentionOrigin, MentionStatus
from kb.search.service import search_index_enqueue, search_index_enqueue_papers
from kb.services.aggregates import aggregates_refresh
from papers.models import Passage, PassageKind

CONTEXT_CHARS = 8
# Reference lists and metadata lines cite titles; counting them as mentions would skew the matrix.
SKIPPED_KINDS = (PassageKind.REFERENCE, PassageKind.METADATA)

MENTION_BAD_SPAN = _("所选文字超出了段落范围。")
MENTION_EMPTY = _("请选择要标注的文字。")
MENTION_EXISTS = _("这段文字已标注为该概念。")
MENTION_MERGED_CONCEPT = _("该概念已合并，请选择合并后的概念。")

_cache: dict[str, object] = {}
_lock = threading.Lock()


def concept_terms(concept: Concept) -> list[str]:
    """Every string under which a concept is found: labels and aliases."""
    return [
        t for t in [concept.label_zh, concept.label_en, *(concept.aliases or [])] if isinstance(t, str) and t
    ]


def _version() -> tuple:
    row = Concept.objects.aggregate(n=Count("pk"), t=Max("updated_at"))
    return (row["n"], row["t"])


def thesaurus_matcher() -> ConceptMatcher:
    """The matcher for the current thesaurus, rebuilt when a concept changed."""
    version = _version()
    with _lock:
        if _cache.get("version") != version:
            concepts = Concept.objects.filter(merged_into=None).order_by("pk")
            entries = [(c.pk, term) for c in concepts for term in concept_terms(c)]
            _cache["matcher"] = ConceptMatcher(entries)
            _cache["version"] = version
        return _cache["matcher"]  # type: ignore[return-value]


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    return text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS]


def _was_rejected(contexts, prefix: str, suffix: str) -> bool:
    """Same surface in the same context (the stored context may be cut short by a passage edge)."""
    return any(prefix.endswith(p) and suffix.startswith(s) for p, s in contexts)


@transaction.atomic
def mentions_detect(*, passages: Iterable[Passage], concept_ids: set[int] | None = None) -> int:
    """Re-detect automatic mentions in ``passages`` (optionally only of ``concept_ids``). Returns the count.

    The papers whose mentions changed are reindexed (their passages carry concept ids).
    """
    passages = list(passages)
    count, changed = _detect(passages, concept_ids)
    # Every paper whose passages were looked at: a revision's old mentions stop counting too.
    aggregates_refresh(paper_ids=changed | {p.paper_id for p in passages})
    search_index_enqueue_papers(paper_ids=changed)
    return count


def _detect(passages: Iterable[Passage], concept_ids: set[int] | None) -> tuple[int, set[int]]:
    """``mentions_detect`` without the reindexing: (new mentions, ids of the papers that changed)."""
    passages = [p for p in passages if p.kind not in SKIPPED_KINDS]
    if not passages:
        return 0, set()
    matcher = thesaurus_matcher()
    ids = [p.pk for p in passages]
    stale = Mention.objects.filter(passage_id__in=ids, origin=MentionOrigin.AUTO, status=MentionStatus.ACTIVE)
    if concept_ids is not None:
        stale = stale.filter(concept_id__in=concept_ids)
    changed = set(stale.values_list("passage__paper_id", flat=True).distinct())
    stale.delete()
    paper_ids = {p.paper_id for p in passages}
    kept = Mention.objects.filter(passage__paper_id__in=paper_ids).exclude(
        origin=MentionOrigin.AUTO, status=MentionStatus.ACTIVE
    )
    spans = set()
    rejected_context: dict[tuple[int, str], list[tuple[str, str]]] = {}
    for m in kept.values_list(
        "concept_id", "passage_id", "start", "end", "status", "surface", "prefix", "suffix"
    ):
        concept_id, passage_id, start, end, status, surface, prefix, suffix = m
        spans.add((concept_id, passage_id, start, end))
        if status == MentionStatus.REJECTED:
            rejected_context.setdefault((concept_id, surface), []).append((prefix, suffix))
    new = []
    for passage in passages:
        for match in matcher.find(passage.text):
            if concept_ids is not None and match.concept_id not in concept_ids:
                continue
            if (match.concept_id, passage.pk, match.start, match.end) in spans:
                continue
            surface = passage.text[match.start : match.end]
            prefix, suffix = _context(passage.text, match.start, match.end)
            if _was_rejected(rejected_context.get((match.concept_id, surface), ()), prefix, suffix):
                continue
            new.append(
                Mention(
                    concept_id=match.concept_id,
                    passage=passage,
                    start=match.start,
                    end=match.end,
                    surface=surface[:200],
                    prefix=prefix,
                    suffix=suffix,
                )
            )
    Mention.objects.bulk_create(new, batch_size=500)
    return len(new), changed | {m.passage.paper_id for m in new}


def mentions_detect_paper(*, paper) -> int:
    return mentions_detect(passages=Passage.objects.filter(paper=paper).current())


@transaction.atomic
def mentions_detect_all(*, concept_ids: set[int] | None = None, batch: int = 2000) -> int:
    """After a thesaurus change: re-detect in every current passage, in batches."""
    total, changed = 0, set()
    qs = Passage.objects.current().exclude(kind__in=SKIPPED_KINDS).order_by("pk")
    last = 0
    while True:
        chunk = list(qs.filter(pk__gt=last)[:batch])
        if not chunk:
            search_index_enqueue_papers(paper_ids=changed)
            return total
        count, papers = _detect(chunk, concept_ids)
        aggregates_refresh(paper_ids=papers)
        total, changed = total + count, changed | papers
        last = chunk[-1].pk


@transaction.atomic
def mention_reject(*, mention: Mention, user) -> Mention:
    """Mark a mention wrong. The row stays, so detection never brings it back."""
    mention.status = MentionStatus.REJECTED
    mention.created_by = mention.created_by or user
    if not mention.prefix and not mention.suffix:
        mention.prefix, mention.suffix = _context(mention.passage.text, mention.start, mention.end)
    mention.full_clean()
    mention.save()
    aggregates_refresh(paper_ids=[mention.passage.paper_id])
    search_index_enqueue(obj=mention)
    return mention


@transaction.atomic
def mention_create(*, passage: Passage, concept: Concept, start: int, end: int, user) -> Mention:
    """An editor marks ``passage.text[start:end]`` as a mention of ``concept``."""
    if concept.merged_into_id:
        raise ValidationError(MENTION_MERGED_CONCEPT)
    if not (0 <= start < end <= len(passage.text)):
        raise ValidationError(MENTION_BAD_SPAN)
    surface = passage.text[start:end]
    if not surface.strip():
        raise ValidationError(MENTION_EMPTY)
    existing = Mention.objects.filter(concept=concept, passage=passage, start=start, end=end).first()
    if existing is not None:
        if existing.status == MentionStatus.ACTIVE:
            raise ValidationError(MENTION_EXISTS)
        existing.status = MentionStatus.ACTIVE
        existing.origin = MentionOrigin.MANUAL
        existing.created_by = user
        existing.save()
        aggregates_refresh(paper_ids=[passage.paper_id])
        search_index_enqueue(obj=existing)
        return existing
    prefix, suffix = _context(passage.text, start, end)
    mention = Mention(
        concept=concept,
        passage=passage,
        start=start,
        end=end,
        surface=surface[:200],
        prefix=prefix,
        suffix=suffix,
        origin=MentionOrigin.MANUAL,
        created_by=user,
    )
    mention.full_clean()
    mention.save()
    aggregates_refresh(paper_ids=[mention.passage.paper_id])
    search_index_enqueue(obj=mention)
    return mention
