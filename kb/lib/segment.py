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
- ``grams``: character bigrams of Han runs, with the other words (Latin,
  digits) whole between them, in text order. They are the fallback for a
  query that segments differently from the text and the basis of exact
  phrase matching (positions). ``grams_lines`` makes them for a batch of
  texts at once with vectorised character classes (bulk indexing).

HMM new-word discovery is on, as in jieba's default (and it is faster in
jieba-rs). It depends on the surrounding text, so a word may be cut one way in
a passage and another way in a query: the bigram fallback covers that.

Pure: no Django, no models.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import numpy as np
import rjieba

from kb.lib.textnorm import CJK_CLASS, fold, has_han, stem

# Tokens longer than this are noise (a pasted hash, a 10,000-character "word").
MAX_TOKEN_CHARS = 40
# A line needs the token-by-token path when it may hold a word to stem or a token to drop
# (``CodePoints.needs_finish``). Overlong tokens are runs of digits (letters take that path
# anyway); jieba's Han words are dictionary or HMM words, far shorter.


def _finish(tokens: list[str]) -> list[str]:
    return [stem(t) if t.isascii() else t for t in tokens if not t.isspace() and len(t) <= MAX_TOKEN_CHARS]


_LATIN_RUN = re.compile("[a-z]+")


def _stem_line(line: str) -> str:
    """``_finish`` of a line of space-separated tokens with none overlong, touching only the
    runs of Latin letters: a run that is a whole token is stemmed (``stem`` leaves the
    others, with digits or other letters in them, unchanged anyway)."""

    def whole(m: re.Match) -> str:
        start, end = m.span()
        if (start == 0 or line[start - 1] == " ") and (end == len(line) or line[end] == " "):
            return stem(m.group())
        return m.group()

    return _LATIN_RUN.sub(whole, line)


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

    def index_lines(self, folded: list[str], points: CodePoints | None = None) -> list[str]:
        """``" ".join(self.index_tokens(f))`` for each folded text (up to spaces), in one call.

        The texts are joined by ``"\\n"`` (folded text has no other line break): jieba cuts
        on whitespace before anything else, so every text gets exactly the tokens it gets
        alone, and each separator comes back as a ``"\\n"`` token. Whitespace tokens are
        left in (the index's whitespace tokenizer skips them). A text with Latin letters
        has its English words stemmed in place; only a text with a run of more than
        ``MAX_TOKEN_CHARS`` word characters (a token to drop) goes token by token.
        ``points``: the texts' ``CodePoints``, when the caller has them already.
        """
        if not folded:
            return []
        lines = " ".join(self._jieba.cut_for_search("\n".join(folded), True)).split("\n")
        if len(lines) != len(folded):  # a text held a line break after all
            return [" ".join(self.index_tokens(f)) for f in folded]
        points = CodePoints(folded) if points is None else points
        overlong = set(points.overlong_lines())
        for i in points.latin_lines():
            if i not in overlong:
                lines[i] = _stem_line(lines[i])
        for i in overlong:
            lines[i] = " ".join(_finish(lines[i].split()))
        return lines

    def query_tokens(self, folded: str) -> list[str]:
        return _finish(self._jieba.cut(folded, True))


# A Han character, or a run of other word characters (Latin words, numbers).
_GRAM_TOKENS = re.compile(f"[{CJK_CLASS}]+|[^\\s{CJK_CLASS}]+")
_HAN = re.compile(f"[{CJK_CLASS}]")


def grams(folded: str) -> list[str]:
    """Overlapping bigrams of each Han run (a lone character stays a unigram), with the other
    words whole between them, in text order: ``数字鸿沟 5g网络`` gives
    ``数字 字鸿 鸿沟 5g 网络``.

    The index holds them with positions, so a run of characters is a phrase of bigrams,
    and a quoted English phrase a phrase of words.
    """
    out: list[str] = []
    for run in _GRAM_TOKENS.findall(folded):
        if _HAN.match(run) is None or len(run) == 1:
            out.append(run)
        else:
            out.extend(a + b for a, b in zip(run, run[1:], strict=False))
    return out


def grams_line(folded: str) -> str:
    """``" ".join(grams(folded))``."""
    return " ".join(grams(folded))


def has_cjk(folded: str) -> bool:
    return has_han(folded)


# Character classes for ``CodePoints``: one byte per code point.
_OTHER, _HAN_CLASS, _SPACE, _NEWLINE = 0, 1, 2, 3
_RANGES = ((0x3007, 0x3007), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2EBEF))
_SPACES = [c for c in range(0x3001) if chr(c).isspace()]


@functools.cache
def _classes() -> np.ndarray:
    table = np.zeros(0x110000, np.uint8)
    for lo, hi in _RANGES:
        table[lo : hi + 1] = _HAN_CLASS
    table[_SPACES] = _SPACE
    table[ord("\n")] = _NEWLINE
    return table


class CodePoints:
    """A batch of folded texts (no line breaks inside) as one array of code points.

    Bulk indexing asks per-character questions of every passage (where are the bigrams,
    which passages hold Latin letters); answered with array operations over the whole
    batch they cost a few microseconds a passage instead of tens in a Python loop.
    The texts are joined by ``"\\n"``, which is how the answers are split back.
    """

    def __init__(self, folded: list[str]) -> None:
        self.count = len(folded)
        # surrogatepass: a lone surrogate (never valid text, but possible in a str) round-trips.
        data = "\n".join(folded).encode("utf-32-le", "surrogatepass")
        self.points = np.frombuffer(data, np.uint32)
        self.classes = _classes()[self.points]

    def grams_lines(self) -> list[str]:
        """``grams_line(f)`` for each text, up to spaces (each may end in one)."""
        if not self.count:
            return []
        a, cls = self.points, self.classes
        n = len(a)
        han = cls == _HAN_CLASS
        word = cls == _OTHER
        next_han = np.zeros(n, bool)
        next_han[:-1] = han[1:]
        prev_han = np.zeros(n, bool)
        prev_han[1:] = han[:-1]
        next_word = np.zeros(n, bool)
        next_word[:-1] = word[1:]
        pair = han & next_han
        # Up to three code points per position, 0 where nothing is written:
        # a bigram and a space; a lone Han character and a space; a word character
        # (and a space after the last of a word); a line break between texts.
        out = np.zeros((n, 3), np.uint32)
        out[:, 0] = a * (pair | (han & ~prev_han) | word | (cls == _NEWLINE))
        out[:-1, 1] = a[1:] * pair[:-1]
        out[:, 1] |= np.uint32(32) * ((han & ~next_han & ~prev_han) | (word & ~next_word))
        out[:, 2] = np.uint32(32) * pair
        flat = out.ravel()
        text = flat[flat != 0].tobytes().decode("utf-32-le", "surrogatepass")
        return text.split("\n")

    def _line_of(self) -> np.ndarray:
        return np.cumsum(self.classes == _NEWLINE)

    def latin_lines(self) -> list[int]:
        """Indexes of the texts with a Latin letter (English words to stem)."""
        a = self.points
        return np.unique(self._line_of()[(a >= ord("a")) & (a <= ord("z"))]).tolist()

    def overlong_lines(self) -> list[int]:
        """Indexes of the texts with a run of more than ``MAX_TOKEN_CHARS`` word characters
        other than Han (the only way to an overlong token: jieba's Han words are short)."""
        word = np.zeros(len(self.points) + 2, np.int8)
        word[1:-1] = self.classes == _OTHER
        edges = np.diff(word)
        starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        return np.unique(self._line_of()[starts[ends - starts > MAX_TOKEN_CHARS]]).tolist()
