"""A deterministic force-directed layout (Fruchterman–Reingold) for server-side SVG graphs.

Nodes start on a circle in the given order (callers order them by group, so groups
start together), edges pull with their weight, all pairs push apart, and the
temperature cools linearly. No randomness: the same graph always draws the same
picture. Quadratic in the number of nodes, which is fine for the 50–150 nodes a
legible drawing holds.

Pure: no Django, no models.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence


def force_layout(
    nodes: Sequence[Hashable],
    edges: Sequence[tuple[Hashable, Hashable, float]],
    *,
    width: float = 1000,
    height: float = 720,
    margin: float = 60,
    iterations: int = 300,
    sizes: dict[Hashable, float] | None = None,
) -> dict[Hashable, tuple[float, float]]:
    """Positions (x, y) inside the box for each node; ``sizes`` are node radii kept apart."""
    n = len(nodes)
    if n == 0:
        return {}
    cx, cy = width / 2, height / 2
    if n == 1:
        return {nodes[0]: (cx, cy)}
    index = {node: i for i, node in enumerate(nodes)}
    radius = min(width, height) / 2 - margin
    pos = [
        [cx + radius * math.cos(2 * math.pi * i / n), cy + radius * math.sin(2 * math.pi * i / n)]
        for i in range(n)
    ]
    radii = [(sizes or {}).get(node, 0.0) for node in nodes]
    area = (width - 2 * margin) * (height - 2 * margin)
    # A smaller ideal distance than the classic sqrt(area/n) keeps nodes off the walls.
    k = 0.6 * math.sqrt(area / n)
    links = [(index[a], index[b], w) for a, b, w in edges if a in index and b in index and a != b]
    max_w = max((w for _, _, w in links), default=1.0) or 1.0
    temperature = width / 8
    for step in range(iterations):
        disp = [[0.0, 0.0] for _ in range(n)]
        for i in range(n):
            xi, yi = pos[i]
            for j in range(i + 1, n):
                dx, dy = xi - pos[j][0], yi - pos[j][1]
                dist = math.hypot(dx, dy) or 0.01
                gap = max(dist - radii[i] - radii[j], 0.5)
                force = k * k / gap
                fx, fy = dx / dist * force, dy / dist * force
                disp[i][0] += fx
                disp[i][1] += fy
                disp[j][0] -= fx
                disp[j][1] -= fy
        for i, j, w in links:
            dx, dy = pos[i][0] - pos[j][0], pos[i][1] - pos[j][1]
            dist = math.hypot(dx, dy) or 0.01
            force = dist * dist / k * (0.3 + w / max_w)
            fx, fy = dx / dist * force, dy / dist * force
            disp[i][0] -= fx
            disp[i][1] -= fy
            disp[j][0] += fx
            disp[j][1] += fy
        for i in range(n):
            # A weak pull to the centre keeps unconnected nodes from drifting to the walls.
            disp[i][0] += (cx - pos[i][0]) * 0.06 * k / 10
            disp[i][1] += (cy - pos[i][1]) * 0.06 * k / 10
            length = math.hypot(*disp[i]) or 0.01
            move = min(length, temperature)
            pos[i][0] = min(width - margin, max(margin, pos[i][0] + disp[i][0] / length * move))
            pos[i][1] = min(height - margin, max(margin, pos[i][1] + disp[i][1] / length * move))
        temperature = max(width / 8 * (1 - (step + 1) / iterations), 0.5)
    return {node: (round(pos[i][0], 1), round(pos[i][1], 1)) for i, node in enumerate(nodes)}
