"""The thesaurus services, one module per use case.

- ``editing``: create, update, edit (the form; a new label is a rename) and merge single concepts.
- ``thesaurus``: load the curated thesaurus; find the passages definitions quote.
- ``candidates``: offer frequent corpus terms as new concepts; accept or dismiss them.
- ``skos_import`` / ``skos_apply``: import a SKOS thesaurus (JSON-LD): preview, then apply.

The names are re-exported here, so callers import ``kb.services.concepts`` alone.
"""

from kb.services.concepts.candidates import (
    CANDIDATE_CLOSED,
    CANDIDATE_STOPWORDS,
    concept_candidate_accept,
    concept_candidate_dismiss,
    concept_candidates_refresh,
)
from kb.services.concepts.editing import (
    CONCEPT_BROADER_CYCLE,
    CONCEPT_LABEL_REQUIRED,
    CONCEPT_LABEL_TAKEN,
    CONCEPT_MERGE_MERGED,
    CONCEPT_MERGE_SELF,
    concept_create,
    concept_edit,
    concept_merge,
    concept_update,
)
from kb.services.concepts.thesaurus import THESAURUS_FILE, definition_sources_resolve, thesaurus_load

__all__ = [
    "CANDIDATE_CLOSED",
    "CANDIDATE_STOPWORDS",
    "CONCEPT_BROADER_CYCLE",
    "CONCEPT_LABEL_REQUIRED",
    "CONCEPT_LABEL_TAKEN",
    "CONCEPT_MERGE_MERGED",
    "CONCEPT_MERGE_SELF",
    "THESAURUS_FILE",
    "concept_candidate_accept",
    "concept_candidate_dismiss",
    "concept_candidates_refresh",
    "concept_create",
    "concept_edit",
    "concept_merge",
    "concept_update",
    "definition_sources_resolve",
    "thesaurus_load",
]
