"""Chinese word segmentation for the search index and its queries.

A ``Segmenter`` wraps one rjieba (jieba-rs) instance: jieba's dictionary plus
the project's user words (concept labels and aliases, editable terms), so a
domain term such as ``数字鸿沟`` is a single token. All input is folded text
(``kb.lib.textnorm.fold``), and user words are folded the same way.

- ``index_tokens``: search-engine mode (``cut_for_search``), which also emits
  the shorter words inside a long one (``智能`` inside ``人工智能``), so a
  query for either finds it.
- ``query_tokens``: precise mode (``cut``) with the same dictionary, so that a
  query word is looked up as the word a reader meant.
- ``grams``: character bigrams of Han runs. They
  are the fallback for a query that segments differently from the text and
  the basis of exact phrase matching.

HMM new-word discovery is on, as in jieba's default (and it is faster in
jieba-rs). It depends on the surrounding text, so a word may be cut one way in
a passage and another way in a query: the bigram fallback covers that.

Pure: no Django, no models.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from collections.abc import Iterable

import rjieba

from kb.lib.textnorm import CJK_CLASS, fold, stem

# Tokens longer than this are noise (a pasted hash, a 10,000-character "word").
MAX_TOKEN_CHARS = 40
# A line needs the token-by-token path when it may hold a word to stem or a token to drop.
# Overlong tokens are runs of digits (letters take that path anyway); jieba's Han words
# are dictionary or HMM words, far shorter.
_NEEDS_FINISH = re.compile(f"[a-z]|[0-9]{{{MAX_TOKEN_CHARS + 1}}}")


def _finish(tokens: list[str]) -> list[str]:
    return [stem(t) if t.isascii() else t for t in tokens if not t.isspace() and len(t) <= MAX_TOKEN_CHARS]


class Segmenter:
    """jieba's dictionary plus user words; cheap to call, costly (about 0.3 s) to build."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self._jieba = rjieba.Jieba()
        self.words: frozenset[str] = frozenset()
        self.add_words(words)

    def add_words(self, words: Iterable[str]) -> None:
        added = set()
        for raw in words:
            word = fold(raw).strip()
            # jieba cuts on spaces, so a multi-word English label can never be one token.
            if word and " " not in word and word not in self.words and len(word) <= MAX_TOKEN_CHARS:
                self._jieba.add_word(word, None, None)
                added.add(word)
        self.words = self.words | added

    def index_tokens(self, folded: str) -> list[str]:
        return _finish(self._jieba.cut_for_search(folded, True))

    def index_lines(self, folded: list[str]) -> list[str]:
        """``" ".join(self.index_tokens(f))`` for each folded text, segmented in one call.

        The texts are joined by ``"\\n"`` (folded text has no other line break): jieba cuts
        on whitespace before anything else, so every text gets exactly the tokens it gets
        alone, and each separator comes back as a ``"\\n"`` token. Whitespace tokens are
        left in (the index's whitespace tokenizer skips them); only a text with Latin
        letters (to stem) or an overlong token (to drop) goes token by token.
        """
        if not folded:
            return []
        joined = " ".join(self._jieba.cut_for_search("\n".join(folded), True))
        lines = joined.split("\n")
        if len(lines) != len(folded):  # a text held a line break after all
            return [" ".join(self.index_tokens(f)) for f in folded]
        # One scan of the whole batch finds the few lines that need the slow path.
        starts = list(itertools.accumulate((len(line) + 1 for line in lines), initial=0))
        for i in {bisect.bisect_right(starts, m.start()) - 1 for m in _NEEDS_FINISH.finditer(joined)}:
            lines[i] = " ".join(_finish(lines[i].split()))
        return lines

    def query_tokens(self, folded: str) -> list[str]:
        return _finish(self._jieba.cut(folded, True))


# At each position: a lone Han character, or the bigram starting there (overlapping, via lookahead).
_GRAMS = re.compile(f"(?=((?<![{CJK_CLASS}])[{CJK_CLASS}](?![{CJK_CLASS}])|[{CJK_CLASS}]{{2}}))")
_HAN = re.compile(f"[{CJK_CLASS}]")
_HAN_RUN = re.compile(f"[{CJK_CLASS}]+")


def grams(folded: str) -> list[str]:
    """Overlapping bigrams of each Han run (a lone character stays a unigram), in text order.

    Latin words are left to the segmented field, where they are single tokens anyway.
    """
    return _GRAMS.findall(folded)


def grams_line(folded: str) -> str:
    """``" ".join(grams(folded))``, built run by run (faster: bulk indexing calls it per passage)."""
    return " ".join(
        [
            " ".join(map(operator.add, run, run[1:])) if len(run) > 1 else run
            for run in _HAN_RUN.findall(folded)
        ]
    )


def has_cjk(folded: str) -> bool:
    return _HAN.search(folded) is not None
