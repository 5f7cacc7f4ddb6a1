"""The library's citation network: references resolved to papers and cited works
(``resolve``), citation statements with their stance (``statements``) and editors'
decisions on links (``decisions``)."""

from kb.services.citations.decisions import (
    LINK_ALREADY_PAPER,
    LINK_NO_PAPER,
    LINK_NO_TITLE,
    LINK_NOT_EDITOR,
    LINK_SELF,
    cited_work_promote,
    reference_link_confirm,
    reference_link_reject,
    reference_link_set,
)
from kb.services.citations.resolve import citations_backfill, citations_resolve_paper, paper_keys_refresh
from kb.services.citations.statements import (
    STANCE_NOT_EDITOR,
    STANCE_UNKNOWN,
    statement_set_stance,
    statements_build,
)

__all__ = [
    "LINK_ALREADY_PAPER",
    "LINK_NOT_EDITOR",
    "LINK_NO_PAPER",
    "LINK_NO_TITLE",
    "LINK_SELF",
    "STANCE_NOT_EDITOR",
    "STANCE_UNKNOWN",
    "cited_work_promote",
    "citations_backfill",
    "citations_resolve_paper",
    "paper_keys_refresh",
    "reference_link_confirm",
    "reference_link_reject",
    "reference_link_set",
    "statement_set_stance",
    "statements_build",
]
