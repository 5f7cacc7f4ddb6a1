"""Graph layouts for the server-drawn SVG graphs: networkx's spring layout, fitted to a box.

A graph is given as string node ids, weighted edges and node radii. ``spring_positions``
runs ``networkx.spring_layout`` (Fruchterman–Reingold on numpy; deterministic through its
seed, and started from earlier positions when there are some, so that a recomputed picture
keeps its shape), scales it into the drawing box with ``margin`` kept free on every side, and
pushes overlapping nodes apart by their radii. ``fingerprint`` says whether a stored layout
still fits a graph; ``place_new`` puts nodes a stored layout does not know next to their
neighbours (or on a circle) until the layout is recomputed.

Pure: no Django, no models. Cost: quadratic in the nodes, for the few hundred a legible
drawing holds (the pages cap them).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence

import networkx as nx
import numpy as np

Edge = tuple[str, str, float]
Positions = dict[str, tuple[float, float]]
SEED = 7
ITERATIONS = 120
NODE_GAP = 4.0  # px kept between two nodes' circles
LONELY_STEP = 80.0  # px between unlinked nodes in their rows along the bottom


def fingerprint(nodes: Iterable[str], edges: Iterable[Edge], *, box: Sequence[float] = ()) -> str:
    """A hash of the node ids and the edges with weights rounded to a tenth of the heaviest.

    Small shifts in the weights (a paper more or less in the library) keep the fingerprint,
    so a layout is recomputed when the picture would change visibly, not on every load.
    """
    edge_list = [(a, b, float(w)) for a, b, w in edges]
    top = max((abs(w) for _, _, w in edge_list), default=1.0) or 1.0
    data = {
        "nodes": sorted(set(nodes)),
        "edges": sorted((min(a, b), max(a, b), round(w / top, 1)) for a, b, w in edge_list),
        "box": [round(v, 1) for v in box],
    }
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()


def _fit(
    raw: Mapping[str, Sequence[float]], *, width: float, height: float, margin: float
) -> dict[str, list[float]]:
    """Scale positions into [margin, width - margin] × [margin, height - margin]."""
    xs = [p[0] for p in raw.values()]
    ys = [p[1] for p in raw.values()]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    inner_w, inner_h = max(width - 2 * margin, 1.0), max(height - 2 * margin, 1.0)
    return {
        node: [
            margin + (p[0] - min(xs)) / span_x * inner_w if len(xs) > 1 else width / 2,
            margin + (p[1] - min(ys)) / span_y * inner_h if len(ys) > 1 else height / 2,
        ]
        for node, p in raw.items()
    }


def _separate(
    pos: dict[str, list[float]],
    sizes: Mapping[str, float],
    *,
    width: float,
    height: float,
    margin: float,
    rounds: int = 60,
) -> None:
    """Push overlapping circles apart (in place), keeping every centre inside the margins."""
    nodes = list(pos)
    if len(nodes) < 2:
        return
    xy = np.array([pos[n] for n in nodes], dtype=float)
    radii = np.array([float(sizes.get(n, 0.0)) for n in nodes])
    need = radii[:, None] + radii[None, :] + NODE_GAP
    np.fill_diagonal(need, 0.0)
    for _ in range(rounds):
        delta = xy[:, None, :] - xy[None, :, :]
        dist = np.hypot(delta[..., 0], delta[..., 1])
        overlap = np.where(dist < need, need - dist, 0.0)
        np.fill_diagonal(overlap, 0.0)
        if not overlap.any():
            break
        # Coincident centres get a fixed direction, so the result stays deterministic.
        safe = np.where(dist > 1e-6, dist, 1.0)
        unit = np.where((dist > 1e-6)[..., None], delta / safe[..., None], np.array([1.0, 0.0]))
        xy += 0.5 * (unit * overlap[..., None]).sum(axis=1)
        xy[:, 0] = np.clip(xy[:, 0], margin, width - margin)
        xy[:, 1] = np.clip(xy[:, 1], margin, height - margin)
    for n, (x, y) in zip(nodes, xy, strict=True):
        pos[n] = [float(x), float(y)]


def spring_positions(
    nodes: Sequence[str],
    edges: Sequence[Edge],
    *,
    width: float,
    height: float,
    margin: float,
    sizes: Mapping[str, float] | None = None,
    start: Mapping[str, Sequence[float]] | None = None,
) -> Positions:
    """Positions (x, y) inside the box for every node; ``start`` holds earlier positions."""
    if not nodes:
        return {}
    if len(nodes) == 1:
        return {nodes[0]: (round(width / 2, 1), round(height / 2, 1))}
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    top = max((w for _, _, w in edges), default=1.0) or 1.0
    known = set(nodes)
    for a, b, w in edges:
        if a in known and b in known and a != b:
            graph.add_edge(a, b, weight=0.3 + w / top)
    # Unlinked nodes would fly to the edges and squeeze the rest into the middle: they go in
    # rows along the bottom, and the linked ones fill the box above them.
    linked = [n for n in nodes if graph.degree(n) > 0] or list(nodes)
    lonely = [n for n in nodes if n not in set(linked)]
    per_row = max(1, int((width - 2 * margin) // LONELY_STEP))
    rows = math.ceil(len(lonely) / per_row)
    band = rows * LONELY_STEP * 0.8
    upper = max(height - band, 2 * margin + 1)
    initial = None
    fixed_start = {n: p for n, p in (start or {}).items() if n in known}
    if fixed_start:
        # Earlier positions, in the unit square the spring layout works in; new nodes get theirs.
        placed = place_new(linked, edges, fixed_start, width=width, height=upper, margin=margin)
        initial = {n: ((x / width) * 2 - 1, (y / upper) * 2 - 1) for n, (x, y) in placed.items()}
    raw = nx.spring_layout(
        graph.subgraph(linked),
        pos=initial,
        k=1.6 / math.sqrt(len(linked)),
        iterations=ITERATIONS,
        weight="weight",
        seed=SEED,
    )
    # Spread the drawing over the wide box rather than a square in its middle.
    pos = _fit({n: raw[n] for n in linked}, width=width, height=upper, margin=margin)
    for i, node in enumerate(lonely):
        row, col = divmod(i, per_row)
        in_row = min(per_row, len(lonely) - row * per_row)
        step = (width - 2 * margin) / in_row
        pos[node] = [margin + step * (col + 0.5), upper - margin + LONELY_STEP * 0.8 * (row + 1)]
    _separate(pos, sizes or {}, width=width, height=height, margin=margin)
    return {n: (round(x, 1), round(y, 1)) for n, (x, y) in pos.items()}


def place_new(
    nodes: Sequence[str],
    edges: Sequence[Edge],
    stored: Mapping[str, Sequence[float]],
    *,
    width: float,
    height: float,
    margin: float,
) -> Positions:
    """Stored positions for the nodes that have one; the others next to their placed
    neighbours (their mean, nudged by a fixed angle), or on a circle around the centre."""
    result: Positions = {n: (float(stored[n][0]), float(stored[n][1])) for n in nodes if n in stored}
    fresh = [n for n in nodes if n not in result]
    if not fresh:
        return result
    neighbours: dict[str, list[str]] = {}
    for a, b, _w in edges:
        neighbours.setdefault(a, []).append(b)
        neighbours.setdefault(b, []).append(a)
    cx, cy = width / 2, height / 2
    radius = max(min(width, height) / 2 - margin, 10.0)
    for i, node in enumerate(fresh):
        angle = 2 * math.pi * i / len(fresh)
        near = [result[m] for m in neighbours.get(node, []) if m in result]
        if near:
            x = sum(p[0] for p in near) / len(near) + 28 * math.cos(angle)
            y = sum(p[1] for p in near) / len(near) + 28 * math.sin(angle)
        else:
            x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        result[node] = (
            round(min(width - margin, max(margin, x)), 1),
            round(min(height - margin, max(margin, y)), 1),
        )
    return result
