"""A deterministic layout for small graphs drawn as server-side SVG.

Groups (e.g. the claims of one paper) sit at even angles on a large circle;
the members of a group sit on a small circle around their group's point. No
randomness, so the same data always draws the same picture.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence


def grouped_circle_layout(
    groups: Sequence[Sequence[Hashable]], *, width: int = 900, height: int = 640, margin: int = 90
) -> dict[Hashable, tuple[float, float]]:
    cx, cy = width / 2, height / 2
    radius = max(min(width, height) / 2 - margin, 10)
    positions: dict[Hashable, tuple[float, float]] = {}
    count = len(groups)
    for g, members in enumerate(groups):
        angle = math.pi + 2 * math.pi * g / max(count, 1)  # the first group on the left
        gx, gy = (cx, cy) if count == 1 else (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
        inner = 0 if len(members) == 1 else min(28 + 6 * len(members), radius / 1.5)
        for m, member in enumerate(members):
            a = angle + 2 * math.pi * m / max(len(members), 1)
            positions[member] = (round(gx + inner * math.cos(a), 1), round(gy + inner * math.sin(a), 1))
    return positions
