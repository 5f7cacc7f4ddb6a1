"""Snippets: a window of the original text around the matches, matches in ``<mark>``.

Escaping comes first and marking second, so user text is never trusted as
HTML. Matching is done on folded text (traditional and full-width forms match
their simplified, half-width query) and mapped back to the original
characters; English words match by Snowball stem. Pure: no models.

Bounded work: one long document must not slow a search down for everyone. A
snippet examines at most ``SCAN`` characters of a text (around the first exact
occurrence of a term, or its beginning), marks at most ``MAX_MATCHES`` matches,
and picks its window in one linear pass; ``highlight`` of a long label marks
its first ``MAX_MATCHES`` matches only.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape  # what django.utils.html.escape wraps, without its lazy-string check per call

from django.utils.safestring import SafeString, mark_safe

from kb.lib.textnorm import fold_with_offsets, fold_with_offsets_many, latin_words, stem

WIDTH = 160
LEAD = 24  # characters of context shown before the first match
SCAN = 2_000  # characters of one text examined for matches (most passages are shorter)
MAX_MATCHES = 200  # matches marked per text


def match_spans(
    text: str, terms: Iterable[str], *, folded: tuple[str, list[int]] | None = None
) -> list[tuple[int, int]]:
    """Merged (start, end) spans of ``text`` (original offsets) that match any folded term.

    At most ``MAX_MATCHES`` spans per term (the first ones), so the work is linear in
    ``text`` whatever it repeats. ``folded``: ``fold_with_offsets(text)``, when the
    caller folded a batch at once.
    """
    terms = [t for t in terms if t and t.strip()]
    if not terms or not text:
        return []
    haystack, offsets = folded if folded is not None else fold_with_offsets(text)
    spans: list[tuple[int, int]] = []
    stems = {stem(t) for t in terms if t.isascii() and t.isalpha()}
    for term in terms:
        if term.isascii() and term.isalpha():
            continue
        start, found = haystack.find(term), 0
        while start != -1 and found < MAX_MATCHES:
            spans.append((start, start + len(term)))
            found += 1
            start = haystack.find(term, start + 1)
    if stems:
        found = 0
        for s, e, word in latin_words(haystack):
            if word in stems or stem(word) in stems:
                spans.append((s, e))
                found += 1
                if found >= MAX_MATCHES:
                    break
    if not spans:
        return []
    spans.sort()
    merged = [spans[0]]
    for start, end in spans[1:]:
        if start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return [(offsets[s], offsets[e - 1] + 1) for s, e in merged[:MAX_MATCHES]]


def _render(text: str, spans: list[tuple[int, int]], lo: int, hi: int) -> str:
    out, cursor = [], lo
    for start, end in spans:
        if end <= lo or start >= hi:
            continue
        start, end = max(start, lo), min(end, hi)
        out.append(escape(text[cursor:start]))
        out.append("<mark>" + escape(text[start:end]) + "</mark>")
        cursor = end
    out.append(escape(text[cursor:hi]))
    return "".join(out)


def _best_window(spans: list[tuple[int, int]], span_width: int) -> int:
    """Start of the first span of the window holding the most whole spans (two pointers, linear)."""
    best, best_count, right = spans[0][0], -1, 0
    for left, (start, _) in enumerate(spans):
        right = max(right, left)
        while right < len(spans) and spans[right][1] <= start + span_width:
            right += 1
        if right - left > best_count:
            best, best_count = start, right - left
    return best


def _clip(text: str, terms: list[str]) -> tuple[str, bool, bool]:
    """At most ``SCAN`` characters of ``text``: from its first exact match when that lies
    beyond the start, else its beginning; and whether text was cut before and after."""
    if len(text) <= SCAN:
        return text, False, False
    lowered = text.lower() if any(t.isascii() for t in terms) else text
    hits = [i for t in terms if t and (i := lowered.find(t)) != -1]
    first = min(hits, default=0)
    lo = 0 if first < SCAN - WIDTH else max(0, min(first - LEAD, len(text) - SCAN))
    return text[lo : lo + SCAN], lo > 0, lo + SCAN < len(text)


def _snippet(
    text: str,
    terms: list[str],
    *,
    width: int,
    folded: tuple[str, list[int]] | None,
    before: bool,
    after: bool,
) -> SafeString:
    spans = match_spans(text, terms, folded=folded)
    if len(text) <= width:
        lo, hi = 0, len(text)
    elif not spans:
        lo, hi = 0, width
    else:
        # The window that holds the most matches, starting a little before its first one.
        best = _best_window(spans, width - LEAD)
        lo = max(0, min(best - LEAD, len(text) - width))
        hi = lo + width
    html = _render(text, spans, lo, hi)
    head = "…" if lo > 0 or before else ""
    tail = "…" if hi < len(text) or after else ""
    return mark_safe(head + html + tail)  # noqa: S308 -- escaped in _render


def snippet(text: str, terms: Iterable[str], *, width: int = WIDTH) -> SafeString:
    """The best ``width``-character window of ``text`` with its matches marked."""
    terms = list(terms)
    clipped, before, after = _clip(" ".join(text.split()), terms)
    return _snippet(clipped, terms, width=width, folded=None, before=before, after=after)


def highlight(text: str, terms: Iterable[str], *, folded: tuple[str, list[int]] | None = None) -> SafeString:
    """All of ``text``, escaped, with its matches marked (titles, labels)."""
    spans = match_spans(text, terms, folded=folded)
    return mark_safe(_render(text, spans, 0, len(text)))  # noqa: S308 -- escaped in _render


def snippets(texts: list[str], terms: Iterable[str], *, width: int = WIDTH) -> list[SafeString]:
    """``snippet`` of each text, folded together (a page of results in one pass)."""
    terms = list(terms)
    clips = [_clip(" ".join(t.split()), terms) for t in texts]
    folded = fold_with_offsets_many([c[0] for c in clips])
    return [
        _snippet(text, terms, width=width, folded=f, before=before, after=after)
        for (text, before, after), f in zip(clips, folded, strict=True)
    ]


def highlights(texts: list[str], terms: Iterable[str]) -> list[SafeString]:
    """``highlight`` of each text, folded together; a text that repeats is marked once."""
    terms = list(terms)
    unique = list(dict.fromkeys(texts))
    marked = {
        t: highlight(t, terms, folded=f) for t, f in zip(unique, fold_with_offsets_many(unique), strict=True)
    }
    return [marked[t] for t in texts]
