"""Labels of the claim graph's nodes, placed without overlaps (``kb.lib.labelplace``).

Each node is labelled with its statement cut to a dozen characters; the most connected claims
are placed first. A label with no free slot is drawn only on hover or focus of its node.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from kb.lib.labelplace import label_nodes, short_label

NODE_RADIUS = 12
LABEL_CHARS = 12


def claim_graph_labels(nodes: Sequence, edges: Sequence, *, width: float, height: float) -> None:
    """Set ``node.label`` (a dict: text, x, y, anchor, shown) on each graph node, in place."""
    degree = Counter()
    for edge in edges:
        degree[edge.crossref.source_claim_id] += 1
        degree[edge.crossref.target_claim_id] += 1
    labels = [
        {
            "x": node.x,
            "y": node.y,
            "r": NODE_RADIUS,
            "label": short_label(node.claim.statement, LABEL_CHARS),
            "weight": degree[node.claim.pk],
            "font_size": 11,
        }
        for node in nodes
    ]
    label_nodes(labels, width=width, height=height)
    for node, label in zip(nodes, labels, strict=True):
        node.label = label
