"""Snippets: a window of the original text around the matches, matches in ``<mark>``.

Escaping comes first and marking second, so user text is never trusted as
HTML. Matching is done on folded text (traditional and full-width forms match
their simplified, half-width query) and mapped back to the original
characters; English words match by Snowball stem. Pure: no models.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape  # what django.utils.html.escape wraps, without its lazy-string check per call

from django.utils.safestring import SafeString, mark_safe

from kb.lib.textnorm import fold_with_offsets, fold_with_offsets_many, latin_words, stem

WIDTH = 160
LEAD = 24  # characters of context shown before the first match


def match_spans(
    text: str, terms: Iterable[str], *, folded: tuple[str, list[int]] | None = None
) -> list[tuple[int, int]]:
    """Merged (start, end) spans of ``text`` (original offsets) that match any folded term.

    ``folded``: ``fold_with_offsets(text)``, when the caller folded a batch at once.
    """
    terms = [t for t in terms if t and t.strip()]
    if not terms or not text:
        return []
    folded, offsets = folded if folded is not None else fold_with_offsets(text)
    spans: list[tuple[int, int]] = []
    stems = {stem(t) for t in terms if t.isascii() and t.isalpha()}
    for term in terms:
        if term.isascii() and term.isalpha():
            continue
        start = folded.find(term)
        while start != -1:
            spans.append((start, start + len(term)))
            start = folded.find(term, start + 1)
    if stems:
        spans.extend((s, e) for s, e, word in latin_words(folded) if word in stems or stem(word) in stems)
    if not spans:
        return []
    spans.sort()
    merged = [spans[0]]
    for start, end in spans[1:]:
        if start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return [(offsets[s], offsets[e - 1] + 1) for s, e in merged]


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


def snippet(
    text: str, terms: Iterable[str], *, width: int = WIDTH, folded: tuple[str, list[int]] | None = None
) -> SafeString:
    """The best ``width``-character window of ``text`` with its matches marked.

    ``folded``: ``fold_with_offsets`` of the whitespace-collapsed text (see ``snippets``).
    """
    text = " ".join(text.split())
    spans = match_spans(text, terms, folded=folded)
    if len(text) <= width:
        lo, hi = 0, len(text)
    elif not spans:
        lo, hi = 0, width
    else:
        # The window that holds the most matches, starting a little before its first one.
        best, best_count = spans[0][0], -1
        for start, _ in spans:
            count = sum(1 for s, e in spans if s >= start and e <= start + width - LEAD)
            if count > best_count:
                best, best_count = start, count
        lo = max(0, min(best - LEAD, len(text) - width))
        hi = lo + width
    html = _render(text, spans, lo, hi)
    return mark_safe(("…" if lo > 0 else "") + html + ("…" if hi < len(text) else ""))  # noqa: S308 -- escaped in _render


def highlight(text: str, terms: Iterable[str], *, folded: tuple[str, list[int]] | None = None) -> SafeString:
    """All of ``text``, escaped, with its matches marked (titles, labels)."""
    spans = match_spans(text, terms, folded=folded)
    return mark_safe(_render(text, spans, 0, len(text)))  # noqa: S308 -- escaped in _render


def snippets(texts: list[str], terms: Iterable[str], *, width: int = WIDTH) -> list[SafeString]:
    """``snippet`` of each text, folded together (a page of results in one pass)."""
    terms = list(terms)
    texts = [" ".join(t.split()) for t in texts]
    folded = fold_with_offsets_many(texts)
    return [snippet(t, terms, width=width, folded=f) for t, f in zip(texts, folded, strict=True)]


def highlights(texts: list[str], terms: Iterable[str]) -> list[SafeString]:
    """``highlight`` of each text, folded together; a text that repeats is marked once."""
    terms = list(terms)
    unique = list(dict.fromkeys(texts))
    marked = {
        t: highlight(t, terms, folded=f) for t, f in zip(unique, fold_with_offsets_many(unique), strict=True)
    }
    return [marked[t] for t in texts]
