"""The segmenter's user dictionary and the search synonyms, from the thesaurus.

User words are the terms in ``terms.txt`` plus every concept's labels and
aliases, so domain terms stay single tokens. Synonyms: a word that is one of
a concept's labels or aliases also finds the others (``數位落差`` → the
concept ``数字鸿沟``). Both are kept per process and refreshed when the
thesaurus changes (checked at most every ``KB_SEARCH_THESAURUS_TTL`` seconds,
or at once after ``thesaurus_changed()``).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max

from kb.lib.segment import Segmenter
from kb.lib.textnorm import fold
from kb.models import Concept

TERMS_FILE = Path(__file__).with_name("terms.txt")


def file_terms() -> list[str]:
    lines = TERMS_FILE.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _folded(value: str) -> str:
    return " ".join(fold(value).split())


@dataclass
class Thesaurus:
    segmenter: Segmenter
    synonyms: dict[str, list[str]] = field(default_factory=dict)
    version: tuple = ()
    checked_at: float = 0.0


_state: Thesaurus | None = None
_lock = threading.Lock()


def _version() -> tuple:
    row = Concept.objects.aggregate(n=Count("pk"), t=Max("updated_at"))
    return (row["n"], row["t"])


def _synonyms(concepts) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for label_zh, label_en, aliases in concepts:
        names = [label_zh, label_en, *(a for a in aliases or [] if isinstance(a, str))]
        group = list(dict.fromkeys(n for n in (_folded(x) for x in names if x) if n))
        if len(group) > 1:
            for name in group:
                out.setdefault(name, [])
                out[name].extend(g for g in group if g != name and g not in out[name])
    return out


def thesaurus() -> Thesaurus:
    """The current segmenter and synonyms (the segmenter is built once per process)."""
    global _state
    with _lock:
        now = time.monotonic()
        ttl = getattr(settings, "KB_SEARCH_THESAURUS_TTL", 30)
        if _state is not None and now - _state.checked_at < ttl:
            return _state
        version = _version()
        if _state is not None and version == _state.version:
            _state.checked_at = now
            return _state
        concepts = list(Concept.objects.values_list("label_zh", "label_en", "aliases"))
        words = set(file_terms())
        for label_zh, label_en, aliases in concepts:
            words.update(x for x in [label_zh, label_en, *(aliases or [])] if isinstance(x, str) and x)
        words = {fold(w).strip() for w in words}
        if _state is None or not _state.segmenter.words <= words:
            segmenter = Segmenter(words)  # a word went away: jieba cannot forget one
        else:
            segmenter = _state.segmenter
            segmenter.add_words(words)
        _state = Thesaurus(segmenter=segmenter, synonyms=_synonyms(concepts), version=version, checked_at=now)
        return _state


def thesaurus_changed() -> None:
    """Make the next ``thesaurus()`` call look at the database again."""
    with _lock:
        if _state is not None:
            _state.checked_at = float("-inf")
            _state.version = ()
