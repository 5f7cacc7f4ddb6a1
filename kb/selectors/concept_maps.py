"""The papers × concepts comparison matrix and the two graphs (concept co-occurrence,
paper–concept), each assembled from one or two aggregate queries.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count

from kb.lib.forcelayout import force_layout
from kb.models import Concept
from kb.selectors.concepts import active_mentions
from papers.models import Paper

# Colours of concept groups in the graphs (order of first appearance); legible on white.
PALETTE = ["#1f6feb", "#d1495b", "#2a9d8f", "#e9a03b", "#7b5ea7", "#5c7c3a", "#c0587e", "#3d5a80", "#8d6e63"]
MAX_GRAPH_CONCEPTS = 70
MAX_GRAPH_EDGES = 180


@dataclass
class Matrix:
    papers: list[Paper]
    concepts: list[Concept]
    cells: dict[tuple[int, int], int]  # (paper id, concept id) -> mentions
    rows: list[dict]
    max_count: int


def comparison_matrix(*, user, group: str = "") -> Matrix:
    mentions = active_mentions(user=user)
    if group:
        mentions = mentions.filter(concept__group=group)
    counts = {
        (row["passage__paper_id"], row["concept_id"]): row["n"]
        for row in mentions.values("passage__paper_id", "concept_id").annotate(n=Count("pk"))
    }
    paper_ids = {p for p, _ in counts}
    concept_totals = Counter()
    for (_, c), n in counts.items():
        concept_totals[c] += n
    concepts = sorted(
        Concept.objects.filter(pk__in=concept_totals.keys()),
        key=lambda c: (c.group, -concept_totals[c.pk], c.label_zh),
    )
    papers = list(Paper.objects.visible_to(user).filter(pk__in=paper_ids).order_by("year", "title", "pk"))
    rows = []
    for paper in papers:
        cells = []
        for concept in concepts:
            n = counts.get((paper.pk, concept.pk), 0)
            cells.append({"concept": concept, "count": n})
        rows.append({"paper": paper, "cells": cells, "total": sum(c["count"] for c in cells)})
    for concept in concepts:
        concept.matrix_total = concept_totals[concept.pk]
    max_count = max(counts.values(), default=0)
    for row in rows:
        for cell in row["cells"]:
            # Five shades, on a log scale so that 2 and 300 mentions both read.
            cell["level"] = (
                0
                if not cell["count"]
                else min(5, 1 + int(4 * math.log1p(cell["count"]) / math.log1p(max_count or 1)))
            )
    return Matrix(papers=papers, concepts=concepts, cells=counts, rows=rows, max_count=max_count)


def _group_colours(groups) -> dict[str, str]:
    ordered = sorted({g for g in groups})
    return {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(ordered)}


@dataclass
class Graph:
    nodes: list[dict]
    edges: list[dict]
    legend: list[tuple[str, str]]
    width: int
    height: int


def concept_graph(*, user, group: str = "", min_together: int = 2) -> Graph:
    """Concepts linked when they share passages, edge weight = NPMI over passages (positive only)."""
    mentions = active_mentions(user=user)
    pairs = set(mentions.values_list("passage_id", "concept_id").distinct())
    passages_of: dict[int, set[int]] = defaultdict(set)
    for passage_id, concept_id in pairs:
        passages_of[concept_id].add(passage_id)
    total = len({p for p, _ in pairs}) or 1
    concepts = {c.pk: c for c in Concept.objects.filter(pk__in=passages_of.keys())}
    if group:
        concepts = {pk: c for pk, c in concepts.items() if c.group == group}
    chosen = sorted(concepts, key=lambda pk: -len(passages_of[pk]))[:MAX_GRAPH_CONCEPTS]
    edges = []
    for i, a in enumerate(chosen):
        for b in chosen[i + 1 :]:
            both = len(passages_of[a] & passages_of[b])
            if both < min_together:
                continue
            p_xy = both / total
            pmi = math.log(p_xy / ((len(passages_of[a]) / total) * (len(passages_of[b]) / total)))
            npmi = pmi / -math.log(p_xy) if p_xy < 1 else 1.0
            if npmi > 0:
                edges.append((a, b, npmi, both))
    edges.sort(key=lambda e: -e[2])
    edges = edges[:MAX_GRAPH_EDGES]
    colours = _group_colours(concepts[pk].group or "—" for pk in chosen)
    ordered = sorted(chosen, key=lambda pk: (concepts[pk].group, -len(passages_of[pk])))
    biggest = max((len(passages_of[pk]) for pk in chosen), default=1)
    radius = {pk: 5 + 17 * math.sqrt(len(passages_of[pk]) / biggest) for pk in chosen}
    width, height = 1100, 780
    pos = force_layout(
        ordered, [(a, b, w) for a, b, w, _ in edges], width=width, height=height, margin=70, sizes=radius
    )
    nodes = [
        {
            "id": pk,
            "x": pos[pk][0],
            "y": pos[pk][1],
            "r": round(radius[pk], 1),
            "label": concepts[pk].label_zh,
            "title": f"{concepts[pk].label_zh} · {concepts[pk].label_en} · {len(passages_of[pk])}",
            "url": concepts[pk].get_absolute_url(),
            "colour": colours[concepts[pk].group or "—"],
            "label_dy": round(radius[pk] + 13, 1),
        }
        for pk in ordered
    ]
    top = edges[0][2] if edges else 1.0
    lines = [
        {
            "x1": pos[a][0],
            "y1": pos[a][1],
            "x2": pos[b][0],
            "y2": pos[b][1],
            "width": round(0.6 + 3.4 * w / top, 2),
            "opacity": round(0.15 + 0.5 * w / top, 2),
            "title": f"{concepts[a].label_zh} — {concepts[b].label_zh}: NPMI {w:.2f}, {both}",
        }
        for a, b, w, both in edges
    ]
    return Graph(nodes=nodes, edges=lines, legend=sorted(colours.items()), width=width, height=height)


def paper_concept_graph(*, user, group: str = "", per_paper: int = 14) -> Graph:
    """Papers (squares) linked to their most mentioned concepts (circles); edge width = mentions."""
    mentions = active_mentions(user=user)
    if group:
        mentions = mentions.filter(concept__group=group)
    counts = list(mentions.values("passage__paper_id", "concept_id").annotate(n=Count("pk")))
    by_paper: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for row in counts:
        by_paper[row["passage__paper_id"]].append((row["concept_id"], row["n"]))
    kept = []
    for paper_id, items in by_paper.items():
        items.sort(key=lambda item: -item[1])
        kept.extend((paper_id, cid, n) for cid, n in items[:per_paper])
    papers = {p.pk: p for p in Paper.objects.visible_to(user).filter(pk__in=by_paper.keys())}
    concepts = {c.pk: c for c in Concept.objects.filter(pk__in={cid for _, cid, _ in kept})}
    kept = [k for k in kept if k[0] in papers and k[1] in concepts]
    degree = Counter(cid for _, cid, _ in kept)
    paper_nodes = [("p", pk) for pk in sorted(papers)]
    concept_nodes = [("c", pk) for pk in sorted(concepts, key=lambda pk: (concepts[pk].group, -degree[pk]))]
    top = max((n for _, _, n in kept), default=1)
    sizes = {
        **{node: 22.0 for node in paper_nodes},
        **{node: 6 + 2.5 * degree[node[1]] for node in concept_nodes},
    }
    width, height = 1100, 780
    pos = force_layout(
        paper_nodes + concept_nodes,
        [(("p", p), ("c", c), n) for p, c, n in kept],
        width=width,
        height=height,
        margin=80,
        sizes=sizes,
    )
    colours = _group_colours(c.group or "—" for c in concepts.values())
    nodes = []
    for node in paper_nodes:
        paper = papers[node[1]]
        x, y = pos[node]
        nodes.append(
            {
                "kind": "paper",
                "x": x,
                "y": y,
                "x0": round(x - 18, 1),
                "y0": round(y - 18, 1),
                "r": 22,
                "label": (paper.display_title[:14] + "…")
                if len(paper.display_title) > 14
                else paper.display_title,
                "title": f"{paper.display_title} ({paper.year or '—'})",
                "url": paper.get_absolute_url(),
                "colour": "#333",
                "label_dy": 36,
            }
        )
    for node in concept_nodes:
        concept = concepts[node[1]]
        x, y = pos[node]
        r = round(sizes[node], 1)
        nodes.append(
            {
                "kind": "concept",
                "x": x,
                "y": y,
                "r": r,
                "label": concept.label_zh,
                "title": f"{concept.label_zh} · {concept.label_en}",
                "url": concept.get_absolute_url(),
                "colour": colours[concept.group or "—"],
                "label_dy": round(r + 13, 1),
            }
        )
    lines = [
        {
            "x1": pos[("p", p)][0],
            "y1": pos[("p", p)][1],
            "x2": pos[("c", c)][0],
            "y2": pos[("c", c)][1],
            "width": round(0.6 + 4 * n / top, 2),
            "opacity": round(0.2 + 0.45 * n / top, 2),
            "title": f"{papers[p].display_title} — {concepts[c].label_zh}: {n}",
        }
        for p, c, n in kept
    ]
    return Graph(nodes=nodes, edges=lines, legend=sorted(colours.items()), width=width, height=height)
