"""Anchoring text targets: describe a selection, find it again in changed text.

Pure functions over strings (offsets are code points, as Python indexes them).

A target is described by W3C selectors (``describe``): the quote (``exact``),
the text around it (``prefix``, ``suffix``) and its position (``start``,
``end``). For Chinese the surrounding sentence is a better context than a
fixed number of characters, so the context runs to the sentence boundary,
within ``CONTEXT_MIN`` and ``CONTEXT_MAX`` characters.

``anchor`` finds a target in a (possibly new) text, in three steps:

1. *position*: the quote's old range lies in a part the diff between the old
   and new text left unchanged (or, without an old text, the quote is still at
   its offsets with its context), so it maps exactly;
2. *exact*: the quote occurs in the text; occurrences are scored on context
   and distance from the old place, and one must share enough context;
3. *fuzzy*: the closest approximate match, with at most ``max_errors(len)``
   edits (none for quotes under five characters, so 数字鸿沟 never drifts to
   数字经济) and a minimum combined score of quote, prefix, suffix and position.

Anything else is ``None``: the caller orphans the target, it never guesses.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from diff_match_patch import diff_match_patch
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel, Levenshtein

SENTENCE_ENDS = frozenset("。！？!?；;\n")
CONTEXT_MIN = 8
CONTEXT_MAX = 64

MIN_CONTEXT_EXACT = 0.5  # an exact occurrence elsewhere must share this much context
MIN_SCORE_FUZZY = 0.75
POSITION_SCALE = 400  # characters: how quickly distance from the old place lowers the score

POSITION, EXACT, FUZZY = "position", "exact", "fuzzy"


@dataclass(frozen=True)
class Selector:
    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    method: str  # position, exact or fuzzy
    score: float


def context_before(text: str, start: int) -> str:
    """The sentence before ``start``: from the last sentence end at least CONTEXT_MIN back."""
    low = max(0, start - CONTEXT_MAX)
    for j in range(start - CONTEXT_MIN - 1, low - 1, -1):
        if text[j] in SENTENCE_ENDS:
            return text[j + 1 : start]
    return text[low:start]


def context_after(text: str, end: int) -> str:
    """The rest of the sentence after ``end``, through its end mark (at least CONTEXT_MIN)."""
    high = min(len(text), end + CONTEXT_MAX)
    for k in range(end + CONTEXT_MIN - 1, high):
        if text[k] in SENTENCE_ENDS:
            return text[end : k + 1]
    return text[end:high]


def describe(text: str, start: int, end: int) -> Selector:
    if not 0 <= start < end <= len(text):
        raise ValueError(f"bad range {start}:{end} for a text of {len(text)} characters")
    return Selector(
        exact=text[start:end],
        prefix=context_before(text, start),
        suffix=context_after(text, end),
        start=start,
        end=end,
    )


def max_errors(length: int) -> int:
    """Edits a fuzzy match may differ by: a fifth of the quote, none under five characters."""
    return length // 5


class TextMap:
    """The diff between an old and a new text, computed once for all targets of a paper."""

    def __init__(self, old: str, new: str, *, timeout: float = 2.0):
        dmp = diff_match_patch()
        dmp.Diff_Timeout = timeout
        diffs = dmp.diff_main(old, new, False)
        self._dmp, self._diffs = dmp, diffs
        self._equal: list[tuple[int, int, int]] = []  # (old start, new start, length)
        old_pos = new_pos = 0
        for op, chunk in diffs:
            if op == 0:
                self._equal.append((old_pos, new_pos, len(chunk)))
            if op <= 0:
                old_pos += len(chunk)
            if op >= 0:
                new_pos += len(chunk)
        self._starts = [segment[0] for segment in self._equal]

    def unchanged(self, start: int, end: int) -> int | None:
        """The new start of ``old[start:end]`` if the diff left that whole range untouched."""
        i = bisect.bisect_right(self._starts, start) - 1
        if i < 0:
            return None
        old_start, new_start, length = self._equal[i]
        if old_start <= start and end <= old_start + length:
            return new_start + (start - old_start)
        return None

    def position(self, pos: int) -> int:
        """Where an old offset lands in the new text (nearest point when its text changed)."""
        return self._dmp.diff_xIndex(self._diffs, pos)


def _similarity(expected: str, actual: str) -> float:
    if not expected:
        return 1.0 if not actual else 0.5
    return Indel.normalized_similarity(expected, actual)


def context_score(text: str, selector: Selector, start: int, end: int) -> float:
    """How well the text around ``start:end`` matches the selector's prefix and suffix (0..1)."""
    before = text[max(0, start - len(selector.prefix)) : start]
    after = text[end : end + len(selector.suffix)]
    return (_similarity(selector.prefix, before) + _similarity(selector.suffix, after)) / 2


def _proximity(start: int, hint: int | None) -> float:
    if hint is None:
        return 0.5
    return 1.0 / (1.0 + abs(start - hint) / POSITION_SCALE)


def occurrences(text: str, quote: str) -> list[int]:
    found, i = [], text.find(quote)
    while i != -1:
        found.append(i)
        i = text.find(quote, i + 1)
    return found


def _min_context(length: int, *, unique: bool) -> float:
    """A quote found once needs less shared context the longer it is; a short or repeated one needs more."""
    if unique and length >= 16:
        return 0.0
    if unique and length >= 8:
        return MIN_CONTEXT_EXACT / 2
    return MIN_CONTEXT_EXACT


def _exact(text: str, selector: Selector, hint: int | None) -> Match | None:
    quote = selector.exact
    best: Match | None = None
    found = occurrences(text, quote)
    for s in found:
        ctx = context_score(text, selector, s, s + len(quote))
        if ctx < _min_context(len(quote), unique=len(found) == 1):
            continue
        score = 0.7 * ctx + 0.3 * _proximity(s, hint)
        if best is None or score > best.score:
            best = Match(s, s + len(quote), EXACT, score)
    return best


def _refine(text: str, quote: str, around: int, errors: int) -> tuple[int, int, int] | None:
    """The substring near ``around`` closest to ``quote``: (distance, start, end)."""
    best = None
    n = len(quote)
    for s in range(max(0, around - errors), min(len(text), around + errors) + 1):
        for length in range(max(1, n - errors), n + errors + 1):
            if s + length > len(text):
                break
            d = Levenshtein.distance(quote, text[s : s + length], score_cutoff=errors)
            if d <= errors and (best is None or d < best[0]):
                best = (d, s, s + length)
    return best


def _fuzzy(text: str, selector: Selector, hint: int | None) -> Match | None:
    quote = selector.exact
    errors = max_errors(len(quote))
    if errors == 0 or len(text) < len(quote) - errors:
        return None
    windows = [(0, text)]
    if hint is not None:
        low = max(0, hint - 4 * POSITION_SCALE)
        windows.insert(0, (low, text[low : hint + len(quote) + 4 * POSITION_SCALE]))
    best: Match | None = None
    for offset, window in windows:
        alignment = fuzz.partial_ratio_alignment(quote, window)
        if alignment is None or alignment.score < 100 * (1 - 2 * errors / len(quote)):
            continue
        refined = _refine(text, quote, offset + alignment.dest_start, errors)
        if refined is None:
            continue
        d, s, e = refined
        quote_sim = 1 - d / len(quote)
        ctx = context_score(text, selector, s, e)
        score = 0.5 * quote_sim + 0.35 * ctx + 0.15 * _proximity(s, hint)
        if score >= MIN_SCORE_FUZZY and (best is None or score > best.score):
            best = Match(s, e, FUZZY, score)
    return best


def anchor(text: str, selector: Selector, *, text_map: TextMap | None = None) -> Match | None:
    """Find ``selector`` in ``text`` (see the module docstring). ``text_map`` maps old offsets."""
    quote = selector.exact
    if not quote:
        return None
    start, end = selector.start, selector.end
    hint = start
    if start is not None and end is not None and end - start == len(quote):
        if text_map is not None:
            moved_to = text_map.unchanged(start, end)
            if moved_to is not None and text[moved_to : moved_to + len(quote)] == quote:
                return Match(moved_to, moved_to + len(quote), POSITION, 1.0)
            hint = text_map.position(start)
        elif text[start:end] == quote and context_score(text, selector, start, end) == 1.0:
            return Match(start, end, POSITION, 1.0)
    return _exact(text, selector, hint) or _fuzzy(text, selector, hint)


# Where an orphan may have gone: for a person to choose, so far looser than ``anchor``.
CANDIDATE_MIN_SCORE = 60.0
CANDIDATE_MIN_CHARS = 4
CANDIDATE_MAX_EDITS = 8
CANDIDATE_REFINE_MAX_CHARS = 120


@dataclass(frozen=True)
class Candidate:
    """A place in one of several texts that looks like a lost quote."""

    key: int  # which text (the caller's: a passage's ¶ number, say)
    start: int
    end: int
    quote: str  # the text there, which becomes the new quote
    score: float  # 0-100, rapidfuzz's partial ratio


def candidates(
    exact: str, texts: list[tuple[int, str]], *, limit: int = 3, min_score: float = CANDIDATE_MIN_SCORE
) -> list[Candidate]:
    """The ``limit`` best places for ``exact`` among ``texts`` ((key, text) pairs), best first.

    Each text's best-aligned substring (rapidfuzz ``partial_ratio_alignment``), refined to
    the closest length, scored as a whole against the quote (``fuzz.ratio``: a short
    passage that the quote merely contains does not score 100) and kept from ``min_score``.
    Quotes shorter than ``CANDIDATE_MIN_CHARS`` get none (too many places look alike);
    passages shorter than half the quote cannot hold it.
    """
    if len(exact) < CANDIDATE_MIN_CHARS:
        return []
    # The C++ batch scorer picks the texts; only those few are aligned.
    by_key = {key: text for key, text in texts if len(text) * 2 >= len(exact)}
    best = process.extract(exact, by_key, scorer=fuzz.partial_ratio, score_cutoff=min_score, limit=2 * limit)
    # Refining tries (2e+1)^2 substrings: a few edits' worth, and none for a long quote, where
    # the aligned window is as good as the refinement and its cost would grow with the cube.
    errors = min(CANDIDATE_MAX_EDITS, round(len(exact) * (100 - min_score) / 100))
    found = []
    for _, _, key in best:
        text = by_key[key]
        aligned = fuzz.partial_ratio_alignment(exact, text, score_cutoff=min_score)
        if aligned is None:
            continue
        start, end = aligned.dest_start, aligned.dest_end
        if len(exact) <= CANDIDATE_REFINE_MAX_CHARS:
            refined = _refine(text, exact, start, max(1, errors))
            if refined is not None:
                start, end = refined[1], refined[2]
        score = fuzz.ratio(exact, text[start:end])
        if score >= min_score:
            found.append(Candidate(key, start, end, text[start:end], round(score, 1)))
    found.sort(key=lambda c: (-c.score, c.key))
    return found[:limit]
