"""Find the concept labels and aliases that occur in a text, with offsets into the original.

``ConceptMatcher`` is built once from ``(concept_id, term)`` pairs and then called on
each passage:

- Text and terms are folded the same way (``kb.lib.textnorm``: traditional to
  simplified, full- to half-width, case, punctuation to spaces, stray spaces between
  Han characters dropped); offsets found in the folded text are mapped back to the
  original text, so a match on ``數位落差`` or ``ｄｉｇｉｔａｌ divide`` marks exactly those
  characters.
- Longest match wins: every occurrence of every term is a candidate, candidates are
  taken longest first, and one that overlaps an accepted match is dropped
  (``数字新质生产力`` is not also ``新质生产力`` at the same place).
- Segmentation-aware: a Han term is only accepted where it starts and ends on a word
  boundary of the text's jieba segmentation (with every term in the user dictionary),
  so ``公共价值`` is not found inside ``公共价值观``. Latin terms need non-alphanumeric
  neighbours.

Pure: no Django, no models.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import rjieba

from kb.lib.textnorm import fold, fold_with_offsets

# Terms shorter than this (in folded characters) are too ambiguous to match on their own.
MIN_TERM_CHARS = 2
_ALNUM = re.compile(r"[0-9a-z]")


def fold_term(term: str) -> str:
    """The folded form under which a label or alias is looked up (inner spaces collapsed)."""
    return " ".join(fold(term).split())


@dataclass(frozen=True)
class Match:
    start: int  # offsets into the original text
    end: int
    concept_id: int
    term: str  # the folded term that matched


def _is_latin(term: str) -> bool:
    return term.isascii()


class ConceptMatcher:
    """A compiled thesaurus. Building costs a jieba instance (about 0.3 s); matching is cheap."""

    def __init__(self, entries: Iterable[tuple[int, str]]) -> None:
        self._jieba = rjieba.Jieba()
        self._by_first: dict[str, list[tuple[str, int]]] = {}
        self.terms: dict[str, int] = {}
        for concept_id, raw in entries:
            term = fold_term(raw)
            if len(term) < MIN_TERM_CHARS or term in self.terms:
                # The first concept to claim a term keeps it (ambiguous aliases are not split).
                continue
            self.terms[term] = concept_id
            self._by_first.setdefault(term[0], []).append((term, concept_id))
            if not _is_latin(term) and " " not in term:
                self._jieba.add_word(term, None, None)
        for bucket in self._by_first.values():
            bucket.sort(key=lambda item: -len(item[0]))

    def _boundaries(self, folded: str) -> set[int]:
        cuts = {0}
        position = 0
        for token in self._jieba.cut(folded, False):
            position += len(token)
            cuts.add(position)
        return cuts

    def cut(self, folded: str) -> list[str]:
        """Precise-mode jieba tokens of folded text, with the thesaurus terms as user words."""
        return self._jieba.cut(folded, False)

    def find(self, text: str) -> list[Match]:
        if not text or not self.terms:
            return []
        folded, offsets = fold_with_offsets(text)
        candidates: list[tuple[int, int, str, int]] = []
        for i, ch in enumerate(folded):
            for term, concept_id in self._by_first.get(ch, ()):
                if folded.startswith(term, i):
                    candidates.append((i, i + len(term), term, concept_id))
        if not candidates:
            return []
        boundaries: set[int] | None = None
        accepted: list[tuple[int, int, str, int]] = []
        taken: list[tuple[int, int]] = []
        for start, end, term, concept_id in sorted(candidates, key=lambda c: (-(c[1] - c[0]), c[0])):
            if _is_latin(term):
                before = folded[start - 1] if start else " "
                after = folded[end] if end < len(folded) else " "
                if _ALNUM.match(before) or _ALNUM.match(after):
                    continue
            else:
                if boundaries is None:
                    boundaries = self._boundaries(folded)
                if start not in boundaries or end not in boundaries:
                    continue
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            accepted.append((start, end, term, concept_id))
        matches = [Match(offsets[s], offsets[e - 1] + 1, cid, term) for s, e, term, cid in accepted]
        return sorted(matches, key=lambda m: m.start)
