"""What the knowledge layer does after ``papers`` writes: the one place where the order is written.

``paper_loaded`` runs in ``paper_load``'s transaction, after a paper was saved as
new or as a new revision, in this order:

1. re-anchoring: annotations and evidence on the older text are marked, then
   re-anchored to the new revision (a revision only);
2. concept mentions in the paper's passages, and the page aggregates that count them;
3. concept definitions pointed at this paper's passages where they quote it;
4. the passages' term profiles;
5. cross-reference suggestions to the other papers (they read the mentions and profiles);
5b. the citation network: the paper's references resolved to library papers and cited works,
   references of other papers that name it linked to it, its citation statements with their
   suggested stance (``kb.services.citations``);
6. the search index, once the transaction commits (it reads all of the above).

``paper_metadata_changed`` follows an admin's metadata correction (a ``papers``
service): the paper's documents are reindexed, its aggregates refreshed (its status
and year count there) and the references naming it resolved again. ``papers`` never imports ``kb``:
``KbConfig.ready()`` registers it once through ``papers.services.metadata.register_after_update``.
"""

from __future__ import annotations

from kb.search.service import search_index_enqueue
from kb.services.aggregates import aggregates_refresh
from kb.services.anchoring import mark_for_reanchoring, targets_reanchor
from kb.services.citations import citations_resolve_paper, statements_build
from kb.services.concepts import definition_sources_resolve
from kb.services.crossrefs import crossrefs_suggest_for_paper, passage_profiles_build
from kb.services.mentions import mentions_detect_paper
from papers.services.ingest import REVISED


def paper_loaded(outcome, *, crossrefs: bool = True, index: bool = True) -> None:
    """The follow-ups of a saved paper (``outcome``: ``papers.services.IngestOutcome``).

    ``crossrefs=False`` skips steps 4 and 5 (the profiles only feed the suggestions) and
    ``index=False`` step 6: for bulk generated libraries
    (``manage.py generate_papers``), which rebuild the index once at the end.
    """
    paper = outcome.paper
    if outcome.status == REVISED:
        mark_for_reanchoring(paper=paper)
        targets_reanchor(paper=paper)
    mentions_detect_paper(paper=paper)
    definition_sources_resolve(paper=paper)
    if crossrefs:
        passage_profiles_build(paper=paper)
        crossrefs_suggest_for_paper(paper=paper)
    citations_resolve_paper(paper=paper)
    statements_build(paper=paper)
    if index:
        search_index_enqueue(obj=paper)


def paper_metadata_changed(paper) -> None:
    """Titles, years and authors are copied into every document of the paper."""
    aggregates_refresh(paper_ids=[paper.pk])
    citations_resolve_paper(paper=paper)
    search_index_enqueue(obj=paper)
