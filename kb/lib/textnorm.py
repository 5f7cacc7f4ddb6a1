"""Text folding shared by indexing, querying and highlighting.

``fold`` maps the variants a reader may type onto one form: traditional to
simplified Chinese (OpenCC ``t2s``), full-width and other compatibility forms
to their plain form (NFKC), and case (``casefold``). Punctuation becomes a
space, so the segmenter only ever sees words. ``stem`` reduces an English
word to its Snowball stem so that ``divides`` finds ``divide``.

``fold_with_offsets`` does the same folding but also says, for each folded
character, which character of the original it came from, so that matches
found in folded text can be marked in the original one.

Pure: no Django, no models.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import opencc
import snowballstemmer

_T2S = opencc.OpenCC("t2s")
_STEMMER = snowballstemmer.stemmer("english")

# Every punctuation and symbol code point becomes a space (categories P* and S*).
# Punctuation and symbols (anything that is neither a word character nor a space), and "_".
_NON_WORD = re.compile(r"[^\w\s]|_")
_ASTRAL = re.compile("[\\U00010000-\\U0010ffff]")
_LATIN_WORD = re.compile(r"[a-z]+")
CJK_CLASS = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"
# Whitespace between two Han characters is an artefact (PDF line breaks, stray spaces in names).
# Written to start with the whitespace (the look-behind checks it again with the Han character
# before it): a pattern that starts with a look-behind is tried at every position, one that
# starts with a character class skips ahead to the next space (four times faster).
_CJK_GAP = re.compile(f"\\s(?<=[{CJK_CLASS}]\\s)\\s*(?=[{CJK_CLASS}])")
_CJK_GAP_IN_LINE = re.compile(f"[^\\S\\n](?<=[{CJK_CLASS}][^\\S\\n])[^\\S\\n]*(?=[{CJK_CLASS}])")


_HAN = re.compile(f"[{CJK_CLASS}]")


def has_han(text: str) -> bool:
    """True when ``text`` holds a Han character anywhere."""
    return _HAN.search(text or "") is not None


def to_simplified(text: str) -> str:
    """Traditional characters turned into simplified ones (OpenCC t2s), nothing else changed."""
    return _T2S.convert(text)


_MATCH_DROP = re.compile(r"[\W_]+")


def match_key(text: str) -> str:
    """A title or name folded for matching records against each other: ``fold`` with every
    space and punctuation mark dropped (``數位鴻溝：理論`` = ``数位鸿沟 理论``)."""
    return _MATCH_DROP.sub("", fold(text or ""))


def is_cjk(ch: str) -> bool:
    """True for a Han character (the scripts that need segmentation)."""
    cp = ord(ch)
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2EBEF
        or 0xF900 <= cp <= 0xFAFF
        or cp == 0x3007
    )


@functools.cache
def _non_word_bmp() -> re.Pattern:
    """``_NON_WORD`` within the BMP as one character class (about 430 ranges).

    An alternation is tried at every position; a class is a bitmap lookup that the
    regex engine skips ahead with (twice as fast on Chinese text).
    """
    ranges: list[list[int]] = []
    for c in range(0x10000):
        if _NON_WORD.match(chr(c)):
            if ranges and ranges[-1][1] == c - 1:
                ranges[-1][1] = c
            else:
                ranges.append([c, c])
    return re.compile(
        "["
        + "".join(re.escape(chr(lo)) + ("" if lo == hi else "-" + re.escape(chr(hi))) for lo, hi in ranges)
        + "]"
    )


def spaces_for_punctuation(text: str) -> str:
    """``_NON_WORD.sub(" ", text)``: every punctuation and symbol character, and "_", becomes a space."""
    text = _non_word_bmp().sub(" ", text)
    # Beyond the BMP (emoji, rare Han): the plain pattern, only when there is such a character.
    return _NON_WORD.sub(" ", text) if _ASTRAL.search(text) else text


@functools.cache
def _changed_by_nfkc() -> re.Pattern:
    """A character class of the BMP code points NFKC changes on its own (about 3,700), and
    every code point beyond the BMP (rare in text; most come back unchanged).

    Built on first use (about 0.02 s): only code points with a decomposition can change.
    Beyond the BMP a class is matched range by range, within it by a bitmap, hence the split.
    """
    points = [
        chr(c)
        for c in range(0x10000)
        if unicodedata.decomposition(chr(c)) and unicodedata.normalize("NFKC", chr(c)) != chr(c)
    ]
    return re.compile("[" + "".join(map(re.escape, points)) + "\\U00010000-\\U0010ffff]")


@functools.lru_cache(maxsize=4096)
def _nfkc_char(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch)


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, several times faster on long text with a few
    compatibility characters (a paragraph with a footnote marker ①).

    Each character NFKC changes on its own is replaced by its normal form first; that
    keeps the text compatibility-equivalent, so if the result is normal it *is* the
    text's NFKC. Otherwise (a combining mark to compose, say) the full normalisation runs.
    """
    if unicodedata.is_normalized("NFKC", text):
        return text
    out = _changed_by_nfkc().sub(lambda m: _nfkc_char(m.group()), text)
    return out if unicodedata.is_normalized("NFKC", out) else unicodedata.normalize("NFKC", out)


def _fold_plain(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return _T2S.convert(text)


def fold(text: str) -> str:
    """Fold variants, drop whitespace between Han characters, turn punctuation into spaces.

    The order is chosen for speed (this runs on every passage): once punctuation is
    gone, most Chinese text is already NFKC-normal and the costly normalisation is skipped.
    """
    text = spaces_for_punctuation(_CJK_GAP.sub("", text))
    if not unicodedata.is_normalized("NFKC", text):
        text = spaces_for_punctuation(nfkc(text))
    return _T2S.convert(text.casefold())


def one_line(text: str) -> str:
    # str.replace is C-fast; str.translate with a table looks up every character.
    return text.replace("\n", " ").replace("\r", " ") if "\n" in text or "\r" in text else text


def fold_many(texts: list[str]) -> list[str]:
    """``[fold(t) for t in texts]`` in one pass over their concatenation, with line breaks as spaces.

    Bulk indexing calls this on a batch of passages: the regular expressions, the NFKC
    check, ``casefold`` and OpenCC then run once per batch instead of once per passage.
    The passages are joined by ``"\\n"`` after their own line breaks became spaces (all
    whitespace folds alike), the gap rule never removes that separator, and no other
    step changes or moves it, so splitting on it gives each passage back.
    """
    if not texts:
        return []
    joined = "\n".join(map(one_line, texts))
    joined = spaces_for_punctuation(_CJK_GAP_IN_LINE.sub("", joined))
    if not unicodedata.is_normalized("NFKC", joined):
        # Normalise only the texts that need it (usually a few in a batch): it is costly.
        lines = joined.split("\n")
        joined = "\n".join(
            line if unicodedata.is_normalized("NFKC", line) else spaces_for_punctuation(nfkc(line))
            for line in lines
        )
    out = _T2S.convert(joined.casefold()).split("\n")
    if len(out) != len(texts):  # cannot happen with the steps above; never trust it blindly
        return [fold(one_line(t)) for t in texts]
    return out


@functools.lru_cache(maxsize=65536)
def _fold_char(ch: str) -> str:
    return _fold_plain(ch)


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` and return, for each folded character, the index of its source character.

    Folding is done one character at a time when the whole-text folding does
    not keep the length (NFKC expands ``①`` to ``1``, casefold ``ß`` to ``ss``),
    so the offsets are always exact; phrase-level OpenCC conversions are the
    price of the slow path and only matter for highlighting.
    """
    return _with_offsets(text, _fold_plain(text))


def fold_with_offsets_many(texts: list[str]) -> list[tuple[str, list[int]]]:
    """``fold_with_offsets`` of each text, with one NFKC/casefold/OpenCC pass over them all.

    A page of results folds twenty snippets' texts; per-call overhead dominated. Line
    breaks become spaces (whitespace folds alike); offsets are unchanged by that.
    """
    if not texts:
        return []
    texts = [one_line(t) for t in texts]
    parts = _fold_plain("\n".join(texts)).split("\n")
    if len(parts) != len(texts):
        return [fold_with_offsets(t) for t in texts]
    return [_with_offsets(text, part) for text, part in zip(texts, parts, strict=True)]


def _with_offsets(text: str, folded: str) -> tuple[str, list[int]]:
    if len(folded) == len(text):
        offsets = list(range(len(text)))
    else:
        parts: list[str] = []
        offsets = []
        for i, ch in enumerate(text):
            out = _fold_char(ch)
            parts.append(out)
            offsets.extend([i] * len(out))
        folded = "".join(parts)
    gaps = [m.span() for m in _CJK_GAP.finditer(folded)]
    if gaps:
        keep = [True] * len(folded)
        for start, end in gaps:
            keep[start:end] = [False] * (end - start)
        folded = "".join(c for c, k in zip(folded, keep, strict=True) if k)
        offsets = [o for o, k in zip(offsets, keep, strict=True) if k]
    return spaces_for_punctuation(folded), offsets


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball (Porter 2) stem of a folded English word; other words come back unchanged."""
    if word.isascii() and word.isalpha() and len(word) > 2:
        return _STEMMER.stemWord(word)
    return word


def latin_words(folded: str) -> list[tuple[int, int, str]]:
    """(start, end, word) for each run of Latin letters in folded text."""
    return [(m.start(), m.end(), m.group()) for m in _LATIN_WORD.finditer(folded)]
