"""The query language, parsed into a small tree. Pure: no Django, no engine.

    数字鸿沟 共同富裕          both words (AND is the default)
    数字鸿沟 AND 城乡          the same, spelt out (also 并且)
    "数字 鸿沟"  “数字鸿沟”     an exact phrase (ASCII, full-width or Chinese quotes)
    -乡村  NOT 乡村            without this word (or phrase, or filter: -kind:footnote); also 不含
    治理 OR 管理               either word (also 或者); OR binds tighter than AND
    author:王 year:2022 year:2020..2023 concept:数字鸿沟 paper:12 kind:footnote tag:方法 type:claim
    type:citation cited:12 (statements citing library paper 12) cited:w7 (citing cited work 7)

Nothing here raises. Input that makes no sense degrades: a lone quote is
ignored, an ``OR`` without two sides is dropped, a ``NOT`` with nothing after
it is dropped, an unknown ``field:`` is an
ordinary word, a malformed year is ignored, text past ``MAX_QUERY_CHARS`` and
clauses past ``MAX_CLAUSES`` are dropped. What a word *means* (folding,
segmentation, punctuation) is the engine's business, not the parser's.

The operators are words of their own between spaces, as in CNKI: ``AND``,
``OR`` and ``NOT`` in capitals (lower case ``and`` stays a word), or
``并且``, ``或者`` and ``不含``. Quoted, they are words (``"OR"``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

MAX_QUERY_CHARS = 500
MAX_CLAUSES = 32
FIELDS = ("author", "year", "concept", "paper", "kind", "tag", "type", "cited")
YEAR_MIN, YEAR_MAX = 1000, 2999

_QUOTES = str.maketrans({c: '"' for c in "“”„‟「」『』〝〞＂"})
_FIELD = re.compile(r"(" + "|".join(FIELDS) + r"):(?=\S)", re.IGNORECASE)
AND_WORDS = frozenset({"AND", "并且"})
OR_WORDS = frozenset({"OR", "或者"})
NOT_WORDS = frozenset({"NOT", "不含"})
_YEAR = re.compile(r"^(\d{4})?(?:(\.\.|-|–|~)(\d{4})?)?$")


@dataclass(frozen=True)
class Term:
    text: str
    phrase: bool = False


@dataclass(frozen=True)
class Clause:
    """One AND-ed unit: any of ``terms`` must match (or none may, when negated)."""

    terms: tuple[Term, ...]
    negated: bool = False


@dataclass(frozen=True)
class Filter:
    field: str
    value: str
    negated: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    clauses: tuple[Clause, ...] = ()
    filters: tuple[Filter, ...] = ()
    raw: str = ""

    @property
    def positive(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if not c.negated)

    @property
    def negative(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if c.negated)

    def is_empty(self) -> bool:
        return not self.clauses and not self.filters

    def values(self, name: str, *, negated: bool = False) -> list[str]:
        return [f.value for f in self.filters if f.field == name and f.negated == negated]


@dataclass
class _Token:
    text: str
    phrase: bool = False
    negated: bool = False
    field: str | None = None
    is_or: bool = False
    is_and: bool = False
    is_not: bool = False

    @property
    def is_operator(self) -> bool:
        return self.is_or or self.is_and or self.is_not


@dataclass
class _Scanner:
    text: str
    pos: int = 0
    tokens: list[_Token] = field(default_factory=list)

    def run(self) -> list[_Token]:
        text, n = self.text, len(self.text)
        while self.pos < n:
            if text[self.pos].isspace():
                self.pos += 1
                continue
            negated = False
            if text[self.pos] == "-" and self.pos + 1 < n and not text[self.pos + 1].isspace():
                negated = True
                self.pos += 1
            name = None
            match = _FIELD.match(text, self.pos)
            if match:
                name = match.group(1).lower()
                self.pos = match.end()
            token = self._phrase() if text[self.pos] == '"' else None
            if token is None:
                token = self._word()
            token.negated, token.field = negated, name
            if not negated and name is None and not token.phrase:
                token.is_or = token.text in OR_WORDS
                token.is_and = token.text in AND_WORDS
                token.is_not = token.text in NOT_WORDS
            self.tokens.append(token)
        return self.tokens

    def _phrase(self) -> _Token | None:
        end = self.text.find('"', self.pos + 1)
        if end == -1:
            # A lone quote: read on as if it were not there.
            self.pos += 1
            return None
        token = _Token(self.text[self.pos + 1 : end], phrase=True)
        self.pos = end + 1
        return token

    def _word(self) -> _Token:
        start = self.pos
        n = len(self.text)
        while self.pos < n and not self.text[self.pos].isspace() and self.text[self.pos] != '"':
            self.pos += 1
        if self.pos == start:  # a quote that _phrase gave up on, now skipped
            return _Token("")
        return _Token(self.text[start : self.pos])


def _year_filter(value: str, negated: bool) -> Filter | None:
    match = _YEAR.match(value.strip())
    if not match or not (match.group(1) or match.group(3)):
        return None
    low, sep, high = match.groups()
    if not sep:
        high = low
    lo = int(low) if low else YEAR_MIN
    hi = int(high) if high else YEAR_MAX
    if not (YEAR_MIN <= lo <= YEAR_MAX and YEAR_MIN <= hi <= YEAR_MAX):
        return None
    lo, hi = min(lo, hi), max(lo, hi)
    return Filter("year", f"{lo}..{hi}", negated)


def make_filter(name: str, value: str, *, negated: bool = False) -> Filter | None:
    """A filter given apart from the query string (a facet link); None when it makes no sense."""
    name = name.lower()
    if name not in FIELDS or not value or not value.strip():
        return None
    value = unicodedata.normalize("NFKC", value)[:MAX_QUERY_CHARS].strip()
    return _year_filter(value, negated) if name == "year" else Filter(name, value, negated)


def year_bounds(value: str) -> tuple[int, int]:
    """Bounds of a normalised year filter value (``2020..2023``)."""
    low, high = value.split("..")
    return int(low), int(high)


def parse(raw: str) -> ParsedQuery:
    """Parse a query string. Never raises."""
    raw = raw or ""
    text = unicodedata.normalize("NFKC", raw[: MAX_QUERY_CHARS * 2])[:MAX_QUERY_CHARS].translate(_QUOTES)
    tokens = [t for t in _Scanner(text).run() if t.text.strip()]

    filters: list[Filter] = []
    groups: list[list[_Token]] = []
    pending_or = pending_not = False
    for token in tokens:
        if token.is_or:
            pending_or = bool(groups) and not groups[-1][0].negated and not pending_not
            continue
        if token.is_and:
            pending_or = False
            continue
        if token.is_not:
            pending_or, pending_not = False, True
            continue
        if pending_not:
            token.negated, pending_not = True, False
        if token.field is not None:
            made = make_filter(token.field, token.text, negated=token.negated)
            if made is not None:
                filters.append(made)
            pending_or = False
            continue
        if pending_or and not token.negated:
            groups[-1].append(token)
        else:
            groups.append([token])
        pending_or = False

    clauses = tuple(
        Clause(tuple(Term(t.text, t.phrase) for t in group), negated=group[0].negated)
        for group in groups[:MAX_CLAUSES]
    )
    return ParsedQuery(clauses=clauses, filters=tuple(filters[:MAX_CLAUSES]), raw=raw[:MAX_QUERY_CHARS])
