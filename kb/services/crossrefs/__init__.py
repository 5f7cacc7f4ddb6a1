"""Cross-references between passages of different papers: suggestions, and editors' decisions.

Modules: ``profiles`` (step 1), ``suggestions`` (steps 2 and 3), ``decisions`` (the
editors' writes). The names are re-exported here.

Suggestions (``crossrefs_suggest_for_paper``), computed when a paper is loaded, for
that paper's passages against the passages of the *other* papers:

1. Each passage gets a profile once (``passage_profiles_build``): its jieba tokens
   (concept labels are single tokens) and its concepts. Token document frequencies
   (``TermStat``) are updated by the difference, never recounted.
2. Candidates for a passage are the other papers' passages that share a concept,
   ranked first by the summed IDF of the shared concepts (a cheap inverted-index
   step, capped at ``POOL`` candidates), then scored by
   ``CONCEPT_WEIGHT * weighted concept Jaccard + (1 - CONCEPT_WEIGHT) * TF-IDF cosine``.
3. The best ``PER_PASSAGE`` candidates above ``MIN_SCORE`` are stored as suggestions with
   their reason: the shared concepts and the overlapping terms that weigh most.

Pairs an editor already confirmed or rejected (in either direction) are never
suggested again. Adding a paper costs work proportional to that paper, not to the
corpus: the thousandth paper does not recompute the first 999.
"""

from kb.services.crossrefs.decisions import (
    CROSSREF_BAD_RELATION,
    CROSSREF_EXISTS,
    CROSSREF_NOT_SUGGESTED,
    CROSSREF_SAME_PAPER,
    crossref_confirm,
    crossref_create,
    crossref_reject,
)
from kb.services.crossrefs.profiles import STOPWORDS, passage_profiles_build, tokens
from kb.services.crossrefs.suggestions import Candidate, crossref_candidates, crossrefs_suggest_for_paper

__all__ = [
    "CROSSREF_BAD_RELATION",
    "CROSSREF_EXISTS",
    "CROSSREF_NOT_SUGGESTED",
    "CROSSREF_SAME_PAPER",
    "STOPWORDS",
    "Candidate",
    "crossref_candidates",
    "crossref_confirm",
    "crossref_create",
    "crossref_reject",
    "crossrefs_suggest_for_paper",
    "passage_profiles_build",
    "tokens",
]
