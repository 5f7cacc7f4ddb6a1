"""Which objects of one kind a search matches, as ids: for pages that filter and page in the
database (``kb.selectors.notes``) but find text through the index, never a LIKE scan.

The index applies the reader's scope (visibility), as for every search; callers
still intersect with their own ``visible_to`` query set. A damaged index is
handled as ``search_query`` handles it (``kb.search.repair``): the answer is then
``None``, "search is unavailable", never a wrong empty list.
"""

from __future__ import annotations

from kb.lib import roles
from kb.search import repair
from kb.search.parser import parse
from kb.search.selectors import _build, _with_filters  # the one way a query meets the reader's scope
from kb.search.service import search_index

SEARCH_IDS_MAX = 1000


def search_object_ids(*, query: str, user, type_: str, limit: int = SEARCH_IDS_MAX) -> list[int] | None:
    """Ids of the ``type_`` documents (``annotation``, ``claim`` …) matching ``query`` that
    ``user`` may see, best first, at most ``limit``; ``None`` when the index is unavailable."""
    parsed = _with_filters(parse(query or ""), {"type": [type_]})
    if parsed.is_empty() or not roles.can_read(user):
        return []
    for retried in (False, True):
        index = search_index()
        try:
            searcher, built = _build(index, parsed, user)
            if built.query is None:
                return []
            found = searcher.search(built.query, limit)
            return [searcher.doc(address).to_dict()["obj_id"][0] for _score, address in found.hits]
        except BaseException as exc:  # noqa: BLE001 -- the search library panics as a BaseException
            action = repair.index_failed(index, exc, retried=retried)
            if action == repair.RAISE:
                raise
            if action == repair.REBUILDING:
                return None
    return None
