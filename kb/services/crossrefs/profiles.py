"""Term profiles of passages, the input of the cross-reference suggestions.

Each passage gets a profile once (``passage_profiles_build``), when its paper is
loaded: its jieba tokens (concept labels are single tokens) and its concepts, and a
posting under each concept (``ProfilePosting``, the suggestions' candidate index). Document
frequencies (``TermStat``) are updated by the difference, never recounted: of each token,
of each concept (key ``concept_key(id)``) and the number of profiles (``PROFILES_KEY``).
The reserved keys start with ``#``, which no token does; the suggestions read the three
kinds from this one table instead of counting over the library.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest

from kb.lib.textnorm import fold
from kb.models import Mention, MentionStatus
from kb.models.crossrefs import PassageProfile, ProfilePosting, TermStat
from kb.services.counters import increment
from kb.services.mentions import thesaurus_matcher
from papers.models import Passage, PassageKind

PROFILE_KINDS = (PassageKind.PARAGRAPH, PassageKind.ABSTRACT)
MIN_PASSAGE_CHARS = 40
MAX_TERM_CHARS = 64
PROFILES_KEY = "#profiles"


def concept_key(concept_id: int) -> str:
    return f"#c{concept_id}"


_TOKEN_OK = re.compile(r"^(?:[\u3400-\u9fff]{2,}|[a-z][a-z0-9]{2,})$")
# Function words and the generic vocabulary of any paper of this kind.
STOPWORDS = frozenset(
    """
    我们 他们 它们 这些 那些 这个 这种 一种 一个 以及 并且 而且 因此 所以
    但是 然而 同时 通过 进行 实现 需要 可以 能够 已经 不仅 也是 还是 就是
    其中 之间 方面 过程 问题 作用 具有 成为 进一步 不断 更加 提供 推动 促进
    提升 加强 重要 有效 相关 基于 对于 关于 由于 从而 进而 如何
    the and for with that this from are was were has have been
    its into which
    """.split()  # noqa: SIM905 - a block of words reads and diffs better than quoted items
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
    """Add ``delta`` to the document frequencies: one upsert a batch, never a read of the rows.

    Decreases (a revised paper's old profiles) are rare and clamp at zero."""
    increment(TermStat, ("term",), ("df",), [(t, d) for t, d in delta.items() if d > 0])
    by_amount: dict[int, list[str]] = defaultdict(list)
    for term, d in delta.items():
        if d < 0:
            by_amount[-d].append(term)
    for amount, terms in sorted(by_amount.items()):
        for i in range(0, len(terms), 500):
            TermStat.objects.filter(term__in=sorted(terms[i : i + 500])).update(
                df=Greatest(F("df") - amount, Value(0))
            )


@transaction.atomic
def passage_profiles_build(*, paper) -> int:
    """(Re)build the profiles of a paper's current passages and update document frequencies."""
    delta: Counter = Counter()
    old = PassageProfile.objects.filter(paper=paper)
    for terms, old_concepts in old.values_list("terms", "concepts"):
        delta.subtract(terms.keys())
        delta.subtract(concept_key(c) for c in old_concepts)
        delta[PROFILES_KEY] -= 1
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
        delta.update(concept_key(c) for c in concepts[passage.pk])
        delta[PROFILES_KEY] += 1
        profiles.append(
            PassageProfile(
                passage=passage, paper=paper, terms=dict(counts), concepts=sorted(concepts[passage.pk])
            )
        )
    PassageProfile.objects.bulk_create(profiles, batch_size=500)
    ProfilePosting.objects.bulk_create(
        [
            ProfilePosting(profile=p, concept_id=c, passage_id=p.passage_id, paper_id=paper.pk)
            for p in profiles
            for c in p.concepts
        ],
        batch_size=1000,
    )
    _apply_df(delta)
    return len(profiles)
