"""Label placement for the server-rendered graphs: no two drawn labels overlap.

A greedy pass in priority order (heaviest node first, ties in the given order): each label
tries a few slots around its node (below, above, right, left, then the four diagonals) and
takes the first one that stays inside the drawing, crosses no label placed before it and
covers no other node. A label with no free slot is not drawn; the page shows it when its
node is hovered or focused (see ``static/js/svgzoom.js``).

Widths are estimated, not measured: a CJK or full-width character takes about one em,
other characters about 0.6 em, which over-estimates Latin text a little, on the safe side.

Pure: no Django, no models. Spatial lookups go through a coarse grid, so a drawing of a few
hundred nodes places its labels in milliseconds.
"""

from __future__ import annotations

import math
import unicodedata
from collections import defaultdict
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass

# The slots around a node, in the order they are tried: (dx, dy) direction of the label box.
SLOTS: tuple[tuple[int, int], ...] = ((0, 1), (0, -1), (1, 0), (-1, 0), (1, 1), (-1, 1), (1, -1), (-1, -1))
LINE_HEIGHT = 1.2  # box height in em
ASCENT = 0.92  # baseline below the box's top, in em (CJK glyphs fill most of the em box)
GRID = 64.0
LABEL_PAD = 2.0  # px kept free around a drawn label


@dataclass(frozen=True)
class Rect:
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Rect) -> bool:
        """True when the two boxes share area (touching edges do not count)."""
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )

    def hits_circle(self, x: float, y: float, r: float) -> bool:
        nearest_x = min(max(x, self.left), self.right)
        nearest_y = min(max(y, self.top), self.bottom)
        return (nearest_x - x) ** 2 + (nearest_y - y) ** 2 < r * r


@dataclass(frozen=True)
class LabelRequest:
    key: Hashable
    x: float  # the node's centre
    y: float
    r: float  # the node's radius (half the side for a square)
    text: str
    weight: float = 0.0  # heavier labels are placed first
    font_size: float = 13.0


@dataclass(frozen=True)
class Placement:
    x: float  # the text's anchor point: SVG ``x``/``y`` with ``text-anchor``
    y: float
    anchor: str  # "start", "middle" or "end"
    box: Rect
    shown: bool  # False: no free slot; drawn only on hover or focus, at the first slot


def short_label(text: str, chars: int) -> str:
    """The text as a node label: at most ``chars`` characters, the last an ellipsis when cut."""
    return text if len(text) <= chars else text[: chars - 1] + "…"


def text_width(text: str, font_size: float) -> float:
    """Estimated advance of ``text``: one em per wide (CJK) character, 0.6 em for the others."""
    ems = sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.6 for ch in text)
    return ems * font_size


def _slot(request: LabelRequest, dx: int, dy: int, gap: float) -> Placement:
    width = text_width(request.text, request.font_size)
    height = LINE_HEIGHT * request.font_size
    # Diagonal slots sit at the node's corner (45°), so they hug round nodes.
    reach = request.r + gap if dx == 0 or dy == 0 else request.r * math.sqrt(0.5) + gap
    if dx == 0:
        left, anchor, x = request.x - width / 2, "middle", request.x
    elif dx > 0:
        left, anchor = request.x + reach, "start"
        x = left
    else:
        left, anchor = request.x - reach - width, "end"
        x = request.x - reach
    if dy == 0:
        top = request.y - height / 2
    elif dy > 0:
        top = request.y + reach
    else:
        top = request.y - reach - height
    box = Rect(left, top, left + width, top + height)
    baseline = top + (LINE_HEIGHT - 1) / 2 * request.font_size + ASCENT * request.font_size
    return Placement(x=round(x, 1), y=round(baseline, 1), anchor=anchor, box=box, shown=True)


class _Grid:
    """Items bucketed by the grid cells their bounding box touches."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[int]] = defaultdict(list)

    @staticmethod
    def _cells(left: float, top: float, right: float, bottom: float) -> Iterator[tuple[int, int]]:
        for i in range(math.floor(left / GRID), math.floor(right / GRID) + 1):
            for j in range(math.floor(top / GRID), math.floor(bottom / GRID) + 1):
                yield i, j

    def add(self, item: int, left: float, top: float, right: float, bottom: float) -> None:
        for cell in self._cells(left, top, right, bottom):
            self.cells[cell].append(item)

    def near(self, box: Rect) -> set[int]:
        found: set[int] = set()
        for cell in self._cells(box.left, box.top, box.right, box.bottom):
            found.update(self.cells.get(cell, ()))
        return found


def place_labels(
    requests: Sequence[LabelRequest], *, width: float, height: float, gap: float = 3.0
) -> dict[Hashable, Placement]:
    """A placement for every request; ``shown`` is False for the labels that found no free slot."""
    nodes = _Grid()
    for i, req in enumerate(requests):
        nodes.add(i, req.x - req.r, req.y - req.r, req.x + req.r, req.y + req.r)
    placed: list[Rect] = []
    labels = _Grid()
    result: dict[Hashable, Placement] = {}
    order = sorted(range(len(requests)), key=lambda i: (-requests[i].weight, i))
    for i in order:
        req = requests[i]
        slots = [_slot(req, dx, dy, gap) for dx, dy in SLOTS]
        chosen = next(
            (s for s in slots if _free(s.box, i, requests, nodes, placed, labels, width, height)), None
        )
        if chosen is None or not req.text:
            fallback = slots[0]
            result[req.key] = Placement(fallback.x, fallback.y, fallback.anchor, fallback.box, shown=False)
            continue
        labels.add(len(placed), chosen.box.left, chosen.box.top, chosen.box.right, chosen.box.bottom)
        placed.append(chosen.box)
        result[req.key] = chosen
    return result


def _free(
    box: Rect,
    own: int,
    requests: Sequence[LabelRequest],
    nodes: _Grid,
    placed: list[Rect],
    labels: _Grid,
    width: float,
    height: float,
) -> bool:
    if box.left < 0 or box.top < 0 or box.right > width or box.bottom > height:
        return False
    # Labels keep a little air between them, so that two never read as one.
    padded = Rect(box.left - LABEL_PAD, box.top - LABEL_PAD, box.right + LABEL_PAD, box.bottom + LABEL_PAD)
    if any(placed[j].overlaps(padded) for j in labels.near(padded)):
        return False
    return not any(
        j != own and box.hits_circle(requests[j].x, requests[j].y, requests[j].r) for j in nodes.near(box)
    )


def label_nodes(nodes: Sequence[dict], *, width: float, height: float) -> None:
    """Place the labels of graph nodes given as dicts, in place.

    Reads ``x``, ``y``, ``r``, ``label`` and optional ``weight`` and ``font_size``; sets
    ``label_x``, ``label_y``, ``label_anchor`` and ``label_shown`` for the template.
    """
    requests = [
        LabelRequest(
            key=i,
            x=float(n["x"]),
            y=float(n["y"]),
            r=float(n["r"]),
            text=str(n["label"]),
            weight=float(n.get("weight", 0)),
            font_size=float(n.get("font_size", 13)),
        )
        for i, n in enumerate(nodes)
    ]
    placed = place_labels(requests, width=width, height=height)
    for i, node in enumerate(nodes):
        placement = placed[i]
        node["label_x"], node["label_y"] = placement.x, placement.y
        node["label_anchor"], node["label_shown"] = placement.anchor, placement.shown
