"""Reader overlay of reading in place: the bar above the paper and what the reader remembers.

Registered with ``papers.reader`` in ``KbConfig.ready``. It adds no spans; it gives the
template the user's concept-underline setting (one query for a signed-in user, none for
a visitor, whose setting lives in the browser) and the partial of the reading bar:
"back to results", the concept-underline toggle, and the reading-position recorder.
"""

from __future__ import annotations

from kb.lib import roles
from kb.services.preferences import preference_get
from papers.reader import Overlay

TOOLS_TEMPLATE = "kb/_reader_tools.html"


def reading_overlay(*, paper, passages, user) -> Overlay:
    signed_in = roles.has_role(user, roles.SCHOLAR)  # a signed-in reader with a role
    context = {
        "kb_reader_paper": paper,
        "kb_signed_in_reader": signed_in,
        # None for a visitor: the browser remembers (localStorage), the page shows underlines first.
        "kb_show_concepts": preference_get(user=user).show_concepts if signed_in else None,
    }
    return Overlay(context=context, tool_templates=[TOOLS_TEMPLATE])
