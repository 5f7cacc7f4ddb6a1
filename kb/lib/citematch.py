"""Matching a parsed reference to a work: the keys a work is looked up by, and a scored,
explained comparison of two works. Pure: no models, no requests.

Keys (all folded as the search folds text: NFKC, traditional → simplified, case, and
punctuation and spaces dropped):

- ``doi``: lower case, without a ``https://doi.org/`` prefix;
- ``title``: the whole folded title (``數位鴻溝：理論`` = ``数位鸿沟理论``);
- ``head`` / ``tail``: its first and last ``AFFIX`` characters, the keys fuzzy candidates are
  found by (a title with a typo at one end still shares the other);
- ``author``: the first author's family name for Latin names, the whole name for Han names.

``compare`` scores a reference against a candidate: a DOI alone decides (1.0); an equal
title counts 0.9, a similar one its rapidfuzz ratio × 0.8 (from ``FUZZY_MIN``), and the
first author and the year add to it; a conflicting year or author takes away. The reason is
kept as data (``{"doi": true}`` or ``{"title": 0.96, "author": true, "year": true}``) so that
the page can say it in the reader's language ("题名 0.96 + 第一作者 + 年份").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from kb.lib.textnorm import has_han, match_key

AFFIX = 6
FUZZY_MIN = 0.85  # below this title similarity, no suggestion
ACCEPT = 0.8  # a score from here on is suggested
MIN_TITLE = 4  # shorter title keys are too common to match by title

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_INITIALS = re.compile(r"^(?:[A-Z]\.?\s*){1,3}$")


def title_key(title: str) -> str:
    return match_key(title)[:300]


def doi_key(doi: str) -> str:
    return _DOI_PREFIX.sub("", (doi or "").strip()).lower()[:200]


def author_key(name: str) -> str:
    """``王佃利`` → ``王佃利``; ``Smith, J.`` / ``Smith J`` / ``John Smith`` → ``smith``."""
    name = (name or "").strip()
    if not name:
        return ""
    if has_han(name):
        return title_key(name)[:100]
    if "," in name:
        family = name.split(",", 1)[0]
    else:
        parts = name.split()
        rest = " ".join(parts[1:])
        family = parts[0] if len(parts) > 1 and _INITIALS.match(rest) else parts[-1]
    return title_key(family)[:100]


def affixes(key: str) -> tuple[str, str]:
    if len(key) < MIN_TITLE:
        return "", ""
    return key[:AFFIX], key[-AFFIX:]


@dataclass(frozen=True)
class WorkKeys:
    doi: str = ""
    title: str = ""
    author: str = ""
    year: int | None = None

    @classmethod
    def of(cls, *, doi: str = "", title: str = "", author: str = "", year: int | None = None) -> WorkKeys:
        return cls(doi=doi_key(doi), title=title_key(title), author=author_key(author), year=year)

    @property
    def head(self) -> str:
        return affixes(self.title)[0]

    @property
    def tail(self) -> str:
        return affixes(self.title)[1]


@dataclass(frozen=True)
class Match:
    score: float
    reason: dict


def _similarity(a: str, b: str) -> float:
    return fuzz.ratio(a, b) / 100.0


def compare(ref: WorkKeys, cand: WorkKeys) -> Match | None:
    """How well ``cand`` (a library paper or a cited work) is the work ``ref`` names; ``None``
    when it is not a suggestion."""
    if ref.doi and cand.doi:
        if ref.doi == cand.doi:
            return Match(1.0, {"doi": True})
        # Two different DOIs are two different works, whatever the titles say.
        return None
    if len(ref.title) < MIN_TITLE or len(cand.title) < MIN_TITLE:
        return None
    similarity = 1.0 if ref.title == cand.title else _similarity(ref.title, cand.title)
    if similarity < FUZZY_MIN:
        return None
    score = 0.9 if similarity == 1.0 else similarity * 0.8
    reason: dict = {"title": round(similarity, 2)}
    if ref.author and cand.author:
        if ref.author == cand.author:
            score += 0.05
            reason["author"] = True
        else:
            score -= 0.15
            reason["author"] = False
    if ref.year and cand.year:
        if ref.year == cand.year:
            score += 0.05
            reason["year"] = True
        elif abs(ref.year - cand.year) > 1:  # a preprint and its journal version may differ by one
            score -= 0.15
            reason["year"] = False
    if similarity < 1.0 and not reason.get("author") and not reason.get("year"):
        return None  # a similar title alone is too weak
    score = round(min(score, 1.0), 3)
    return Match(score, reason) if score >= ACCEPT else None


def best(ref: WorkKeys, candidates, *, keys=lambda c: c) -> tuple[object, Match] | None:
    """The best-scoring candidate (ties: the first), or ``None``."""
    found = None
    for cand in candidates:
        match = compare(ref, keys(cand))
        if match is not None and (found is None or match.score > found[1].score):
            found = (cand, match)
    return found
