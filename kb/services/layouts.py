"""Graph layouts computed once and served from storage (``kb.models.layouts.GraphLayout``).

Any graph can use it: a page passes its ``key``, node ids, weighted edges, node radii and
drawing box to ``layout_positions`` and gets positions back:

- no stored layout for ``key``: computed now (bounded by the capped graph) and stored;
- a stored layout for the same graph (same ``kb.lib.layout.fingerprint``): served as it is;
- a stored layout for another graph (nodes came or went, weights moved): the stored positions
  are served for the nodes that still exist, new nodes go next to their neighbours, and one
  recompute is queued (``graph_layout_task`` on the ``default`` queue, run by ``db_worker``);
  the task starts from the stored positions, so the picture keeps its shape.

``layout_compute`` is what the task runs; it is the only writer of positions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from kb.lib.layout import Edge, Positions, fingerprint, place_new, spring_positions
from kb.models.layouts import GraphLayout

KEY_CHARS = 200


def layout_key(*parts: object) -> str:
    """``"concepts:治理"``; a key too long for the column is shortened with its hash."""
    key = ":".join(str(p) for p in parts)
    if len(key) <= KEY_CHARS:
        return key
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"{key[: KEY_CHARS - 33]}#{digest}"


def _edges(edges: Sequence[Sequence]) -> list[Edge]:
    return [(str(a), str(b), float(w)) for a, b, w in edges]


def layout_compute(
    *,
    key: str,
    nodes: Sequence[str],
    edges: Sequence[Sequence],
    sizes: Mapping[str, float],
    width: int,
    height: int,
    margin: float,
    stored: Mapping[str, Sequence[float]] | None = None,
) -> Positions:
    """Lay the graph out (starting from the stored positions, if any) and store the result.

    ``stored``: the positions already read by the caller; ``{}`` when it found no layout."""
    edge_list = _edges(edges)
    fp = fingerprint(nodes, edge_list, box=(width, height, margin))
    if stored is None:
        stored = GraphLayout.objects.filter(key=key).values_list("positions", flat=True).first()
    positions = spring_positions(
        list(nodes), edge_list, width=width, height=height, margin=margin, sizes=sizes, start=stored or {}
    )
    fields = {
        "fingerprint": fp,
        "positions": {n: list(p) for n, p in positions.items()},
        "width": width,
        "height": height,
        "computed_at": timezone.now(),
    }
    # The queued mark is cleared only when this is the layout it asked for.
    pending = Case(When(pending=fp, then=Value("")), default=F("pending"))
    if stored and GraphLayout.objects.filter(key=key).update(pending=pending, **fields):
        return positions
    try:
        with transaction.atomic():
            GraphLayout.objects.create(key=key, **fields)
    except IntegrityError:  # stored meanwhile by another request or the worker
        GraphLayout.objects.filter(key=key).update(pending=pending, **fields)
    return positions


def layout_positions(
    *,
    key: str,
    nodes: Sequence[str],
    edges: Sequence[Sequence],
    sizes: Mapping[str, float],
    width: int,
    height: int,
    margin: float,
) -> Positions:
    """Positions for the graph: stored, computed now (first time), or stored + a queued recompute."""
    if not nodes:
        return {}
    edge_list = _edges(edges)
    fp = fingerprint(nodes, edge_list, box=(width, height, margin))
    row = GraphLayout.objects.filter(key=key).only("fingerprint", "pending", "positions").first()
    if row is None:
        return layout_compute(
            key=key,
            nodes=nodes,
            edges=edge_list,
            sizes=sizes,
            width=width,
            height=height,
            margin=margin,
            stored={},
        )
    if row.fingerprint != fp and row.pending != fp:
        # Queue one recompute for this graph; the conditional update makes it once, across workers.
        asked = GraphLayout.objects.filter(pk=row.pk).filter(~Q(pending=fp)).update(pending=fp)
        if asked:
            from kb.tasks import graph_layout_task

            args = (key, list(nodes), [list(e) for e in edge_list], dict(sizes), width, height, margin)
            transaction.on_commit(lambda: graph_layout_task.enqueue(*args))
    return place_new(nodes, edge_list, row.positions, width=width, height=height, margin=margin)
