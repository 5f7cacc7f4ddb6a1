"""Anchoring a quote that came from elsewhere (a Hypothesis or W3C import) in our text.

``anchor_quote`` first asks the reader's own anchoring (``kb.lib.anchoring.anchor``:
position, exact with context, then fuzzy). A quote taken from another rendering of
the paper often differs only in form: PDF line breaks and spaces inside Chinese
text, full-width punctuation, traditional instead of simplified characters. So it
then runs the same anchoring on folded text (``kb.lib.textnorm.fold_with_offsets``:
traditional → simplified, NFKC, case, punctuation as space) with all whitespace
removed, on both the text and the selector, and maps the match back to offsets of
the original text.

Pure: no models.
"""

from __future__ import annotations

from kb.lib import anchoring
from kb.lib.textnorm import fold_with_offsets

FOLDED = "folded"


class FoldedText:
    """A text folded once for all the quotes anchored in it (fold and offsets)."""

    def __init__(self, text: str):
        folded, offsets = fold_with_offsets(text)
        keep = [i for i, ch in enumerate(folded) if not ch.isspace()]
        self.text = "".join(folded[i] for i in keep)
        self.offsets = [offsets[i] for i in keep]


def squeeze(text: str) -> str:
    """``text`` folded the way ``FoldedText`` folds, without the offsets."""
    return "".join(ch for ch in fold_with_offsets(text)[0] if not ch.isspace())


def anchor_quote(
    text: str, selector: anchoring.Selector, *, folded: FoldedText | None = None
) -> anchoring.Match | None:
    """Where ``selector`` lies in ``text``: the reader's anchoring, then on folded text."""
    match = anchoring.anchor(text, selector)
    if match is not None:
        return match
    exact = squeeze(selector.exact)
    if not exact:
        return None
    folded = folded or FoldedText(text)
    loose = anchoring.Selector(exact=exact, prefix=squeeze(selector.prefix), suffix=squeeze(selector.suffix))
    found = anchoring.anchor(folded.text, loose)
    if found is None:
        return None
    start, end = folded.offsets[found.start], folded.offsets[found.end - 1] + 1
    return anchoring.Match(start, end, FOLDED, found.score)
