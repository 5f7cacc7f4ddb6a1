"""Reader overlay of the citation network: the sections after the reference list.

Registered with ``papers.reader`` in ``KbConfig.ready``. It adds no spans; it gives the
template the paper's references with what they resolve to (a library paper or a cited
work), the statements of the library papers citing it, and the works cited together with
it (``kb.selectors.citations.paper_citation_network``: a fixed number of queries).
"""

from __future__ import annotations

from kb.selectors.citations import paper_citation_network
from papers.reader import Overlay

SECTION_TEMPLATE = "kb/_reader_citations.html"


def citation_overlay(*, paper, passages, user) -> Overlay:
    network = paper_citation_network(paper=paper, user=user)
    if not network:
        return Overlay()
    return Overlay(context={"kb_citations": network}, section_templates=[SECTION_TEMPLATE])
