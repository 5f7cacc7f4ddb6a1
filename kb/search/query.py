"""From a parsed query to a Tantivy query, and the terms to highlight.

A word matches a document when the document has the word's tokens (the
segmented ``text`` field; BM25 ranks on it) *or* has the word as a run of
characters (a phrase over the ``grams`` field: Han bigrams and whole other
words, with positions). The second way finds a word the segmenter cut
differently in the passage than in the query. An exact phrase only uses the
second way, except one English word alone, which matches by its stem. Paper titles and section headings that hold
a query token add to the score but never make a document match on their own.

A word that is a concept label or alias also matches the concept's other
labels and aliases (``數位落差`` finds ``数字鸿沟`` through the thesaurus).

The bigram fallback costs a phrase check in every document that holds all
of the word's bigrams. For a very frequent word (its rarest bigram in more
than ``FALLBACK_MAX_DF`` documents) that the index mostly holds as a token
(the token's document frequency is at least ``FALLBACK_COVERAGE`` of the
rarest bigram's), the fallback is left out: it would check positions in most
of the index to add a few low-ranked hits, so the total of such a query is a
lower bound. A rare word, a word the index seldom holds as a token (a new
dictionary word, an HMM word the passages cut otherwise) and every query on a
small index keep it.

Filters and the reader's scope (visibility) are constant-score clauses, so
they decide what matches without moving the ranking.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import tantivy

from kb.lib.segment import Segmenter, grams, has_cjk
from kb.lib.textnorm import fold, stem
from kb.search.parser import Clause, ParsedQuery, Term, year_bounds

TITLE_BOOST = 2.0
HEADING_BOOST = 1.5
GRAMS_WEIGHT = 0.5
FALLBACK_MAX_DF = 20_000
FALLBACK_COVERAGE = 0.5

MUST = tantivy.Occur.Must
SHOULD = tantivy.Occur.Should
MUST_NOT = tantivy.Occur.MustNot
Q = tantivy.Query

# The index field each filter of the query language reads. A filter name not listed here never
# reaches the index (Tantivy raises on a field the schema does not define).
FILTER_FIELDS = {
    "author": "author_id",
    "year": "year",
    "concept": "concept_id",
    "paper": "paper_id",
    "kind": "kind",
    "tag": "tags",
    "type": "type",
    "cited": "cited",
}


@dataclass(frozen=True)
class Scope:
    """Who is asking: what they may see."""

    user_id: int = 0  # 0 for anonymous
    editor: bool = False
    admin: bool = False
    group_ids: tuple[int, ...] = ()  # the research groups the user belongs to now


@dataclass
class Built:
    query: tantivy.Query | None  # None: nothing can match
    highlight: list[str] = field(default_factory=list)  # folded strings to mark in snippets
    boost_tokens: list[str] = field(default_factory=list)


def _const(query: tantivy.Query) -> tantivy.Query:
    return Q.const_score_query(query, 0.0)


def _any(queries: Sequence[tantivy.Query]) -> tantivy.Query:
    if len(queries) == 1:
        return queries[0]
    return Q.boolean_query([(SHOULD, q) for q in queries])


def _all(queries: Sequence[tantivy.Query]) -> tantivy.Query:
    if len(queries) == 1:
        return queries[0]
    return Q.boolean_query([(MUST, q) for q in queries])


def one_of(schema: tantivy.Schema, field_name: str, values: Sequence) -> tantivy.Query:
    """Documents with any of ``values`` in the field.

    A union of term queries, not ``term_set_query``: inside a conjunction the union skips
    through its posting lists, where the term set was measured several times slower.
    """
    return _any([Q.term_query(schema, field_name, v) for v in dict.fromkeys(values)])


def _dedupe(items: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(items))


class QueryBuilder:
    def __init__(
        self,
        *,
        schema: tantivy.Schema,
        segmenter: Segmenter,
        synonyms: Mapping[str, Sequence[str]] | None = None,
        searcher: tantivy.Searcher | None = None,
    ) -> None:
        self.schema = schema
        self.segmenter = segmenter
        self.synonyms = synonyms or {}
        self.searcher = searcher  # for document frequencies; without it the fallback is always on

    def _needs_fallback(self, seq: list[str], tokens: list[str]) -> bool:
        if self.searcher is None:
            return True
        rarest = min(self.searcher.doc_freq("grams", g) for g in seq)
        if rarest <= FALLBACK_MAX_DF:
            return True
        covered = min(self.searcher.doc_freq("text", t) for t in tokens)
        return covered < FALLBACK_COVERAGE * rarest

    # -- words ---------------------------------------------------------------
    def _grams_query(self, folded: str) -> tantivy.Query | None:
        seq = grams(folded)
        if not seq:
            return None
        if len(seq) == 1:
            return Q.term_query(self.schema, "grams", seq[0])
        words: list[str | tuple[int, str]] = list(seq)
        return Q.phrase_query(self.schema, "grams", words)

    def _phrase(self, folded: str, built: Built) -> tantivy.Query | None:
        """A run of bigrams and words (``grams``) in a row; one English word alone by its stem."""
        seq = grams(folded)
        if not seq:
            return None
        built.highlight.append(folded.strip())
        if len(seq) == 1 and seq[0].isascii() and seq[0].isalpha():
            # One English word: by its stem, as unquoted (other scripts' words are cut into
            # characters in the segmented field, so they are matched whole in the grams).
            word = stem(seq[0])
            built.highlight.append(word)
            return Q.term_query(self.schema, "text", word)
        return self._grams_query(folded)

    def _one(self, folded: str, *, phrase: bool, built: Built) -> tantivy.Query | None:
        if phrase:
            return self._phrase(folded, built)
        tokens = _dedupe(self.segmenter.query_tokens(folded))
        if not tokens:
            return None
        built.highlight.append(folded.strip())
        # A lone character (的, 新) would light up half the snippet; mark it only as the whole word.
        built.highlight.extend(t for t in tokens if len(t) > 1)
        built.boost_tokens.extend(tokens)
        seg = _all([Q.term_query(self.schema, "text", t) for t in tokens])
        seq = grams(folded) if has_cjk(folded) else []
        # A lone character is its own token and its own gram: nothing to fall back on.
        if seq and not (len(seq) == 1 and len(seq[0]) == 1) and self._needs_fallback(seq, tokens):
            fallback = self._grams_query(folded)
            if fallback is not None:
                return _any([seg, Q.boost_query(fallback, GRAMS_WEIGHT)])
        return seg

    def _term(self, term: Term, built: Built) -> tantivy.Query | None:
        folded = " ".join(fold(term.text).split())
        if not folded:
            return None
        variants = [folded, *(v for v in self.synonyms.get(folded, ()) if v != folded)]
        queries = []
        for i, variant in enumerate(variants):
            # A multi-word English label is matched as a phrase, whatever the user typed.
            phrase = term.phrase or (i > 0 and " " in variant)
            query = self._one(variant, phrase=phrase, built=built)
            if query is not None:
                queries.append(query)
        return _any(queries) if queries else None

    def _clause(self, clause: Clause, built: Built) -> tantivy.Query | None:
        queries = [q for q in (self._term(t, built) for t in clause.terms) if q is not None]
        return _any(queries) if queries else None

    # -- filters -------------------------------------------------------------
    def _filter(self, name: str, values: Sequence) -> tantivy.Query:
        if not values or name not in FILTER_FIELDS:
            return Q.empty_query()
        if name == "year":
            return _any(
                [
                    Q.range_query(self.schema, "year", tantivy.FieldType.Unsigned, *year_bounds(v))
                    for v in values
                ]
            )
        return one_of(self.schema, FILTER_FIELDS[name], values)

    def _allowed(self, scope: Scope) -> tantivy.Query:
        shown = [Q.term_query(self.schema, "vis", "public")]
        if scope.editor:
            shown.append(Q.term_query(self.schema, "vis", "editors"))
        if scope.user_id:
            shown.append(Q.term_query(self.schema, "creator", scope.user_id))
        # A group note is indexed with vis "group:<id>" (``documents.annotation_vis``).
        shown += [Q.term_query(self.schema, "vis", f"group:{pk}") for pk in scope.group_ids]
        if scope.admin:
            return _any(shown)
        return _all([_any(shown), Q.term_query(self.schema, "status", "published")])

    def _scope(self, scope: Scope) -> tantivy.Query:
        """What ``scope`` may not see, to exclude: the restricted documents it is not allowed.

        Every document that is public and published is shown to everyone, and only the
        few others carry ``restricted``. Excluding (restricted and not allowed) keeps the
        scope check to those few, where requiring (allowed) would check every match.
        """
        return Q.boolean_query(
            [(MUST, Q.term_query(self.schema, "restricted", 1)), (MUST_NOT, self._allowed(scope))]
        )

    # -- the whole query -----------------------------------------------------
    def build(
        self,
        parsed: ParsedQuery,
        *,
        scope: Scope,
        filters: Mapping[str, Sequence] | None = None,
        excluded: Mapping[str, Sequence] | None = None,
    ) -> Built:
        """``filters``/``excluded``: resolved filter values by name (ids for paper/author/concept)."""
        built = Built(query=None)
        parts: list[tuple[tantivy.Occur, tantivy.Query]] = []
        positives = 0
        for clause in parsed.clauses:
            target = Built(query=None) if clause.negated else built
            query = self._clause(clause, target)
            if query is None:
                continue
            if clause.negated:
                parts.append((MUST_NOT, query))
            else:
                parts.append((MUST, query))
                positives += 1
        filters = filters or {}
        excluded = excluded or {}
        if not positives and not filters:
            return built  # nothing to look for: only exclusions, or only punctuation
        for name, values in filters.items():
            parts.append((MUST, _const(self._filter(name, values))))
        for name, values in excluded.items():
            if values:
                parts.append((MUST_NOT, self._filter(name, values)))
        parts.append((MUST_NOT, self._scope(scope)))
        if not positives:
            parts.append((MUST, _const(Q.all_query())))
        for token in _dedupe(built.boost_tokens):
            parts.append((SHOULD, Q.boost_query(Q.term_query(self.schema, "title", token), TITLE_BOOST)))
            parts.append((SHOULD, Q.boost_query(Q.term_query(self.schema, "heading", token), HEADING_BOOST)))
        built.query = Q.boolean_query(parts)
        built.highlight = _dedupe([h for h in built.highlight if h])
        return built
