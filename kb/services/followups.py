"""What the knowledge layer does after a paper is saved (an ``AFTER_SAVE`` hook of ``paper_load``).

In order, for the saved paper only: detect concept mentions, point concept
definitions at this paper's passages where they quote it, build the passages'
term profiles, and suggest cross-references to the other papers.
"""

from __future__ import annotations

from kb.services.concepts import definition_sources_resolve
from kb.services.crossrefs import crossrefs_suggest_for_paper, passage_profiles_build
from kb.services.mentions import mentions_detect_paper


def concepts_after_paper_saved(outcome) -> None:
    paper = outcome.paper
    mentions_detect_paper(paper=paper)
    definition_sources_resolve(paper=paper)
    passage_profiles_build(paper=paper)
    crossrefs_suggest_for_paper(paper=paper)
