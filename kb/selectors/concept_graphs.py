"""The concept co-occurrence graph and the paper–concept graph, read from the page aggregates.

Both cost what they draw, never what the library holds: they read ``ConceptStat``,
``ConceptPair``, ``LibraryStat`` and ``PaperConceptCount`` (``kb.models.aggregates``, published
papers only), never the mentions.

- Concept graph: the ``MAX_GRAPH_CONCEPTS`` concepts mentioned in the most passages (optionally
  of one group), linked by positive NPMI over passages when they share at least two; at most
  ``MAX_GRAPH_CONCEPTS²`` pairs are read.
- Paper–concept graph: the ``MAX_GRAPH_PAPERS`` newest papers (by year, then most recently
  added; optionally within a year range and mentioning a concept of one group), each linked
  to its ``PER_PAPER`` most mentioned concepts. Newest rather than most mentioned, because
  the newest papers come straight off the year index, while ranking every paper by its
  mentions reads the whole library; the year range reaches older ones.

Positions come from the layout store (``kb.services.layouts``): laid out once per graph and
served from storage. ``focus`` names a node (label, English label, slug or title): it is
marked and the drawing's initial view is centred on it, zoomed in. Labels are placed
without overlaps by ``kb.lib.labelplace``.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Window
from django.db.models.functions import RowNumber

from kb.lib.labelplace import label_nodes, short_label
from kb.models import Concept
from kb.models.aggregates import ConceptPair, ConceptStat, LibraryStat, PaperConceptCount
from kb.services.layouts import layout_key, layout_positions
from papers.models import Paper

# Colours of concept groups in the graphs (order of first appearance); legible on white.
PALETTE = ["#1f6feb", "#d1495b", "#2a9d8f", "#e9a03b", "#7b5ea7", "#5c7c3a", "#c0587e", "#3d5a80", "#8d6e63"]
MAX_GRAPH_CONCEPTS = 70
MAX_GRAPH_EDGES = 180
MAX_GRAPH_PAPERS = 40
PER_PAPER = 14
MAX_PAPER_GRAPH_CONCEPTS = 120
WIDTH, HEIGHT = 1100, 780
FOCUS_ZOOM = 2.0
FOCUS_CHARS = 100
LABEL_CHARS = 14  # a paper's title as a node label


@dataclass
class Graph:
    nodes: list[dict]
    edges: list[dict]
    legend: list[tuple[str, str]]
    width: int
    height: int
    view_box: str = ""
    focus: dict | None = None  # the focused node
    focus_query: str = ""  # what was asked for, when no node matched
    limit: int = 0  # the most nodes of the main kind shown
    extra: dict = field(default_factory=dict)


def _group_colours(groups) -> dict[str, str]:
    ordered = sorted(set(groups))
    return {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(ordered)}


def _concept_node(
    concept, xy, radius: float, colours: dict[str, str], *, weight, title: str, **extra
) -> dict:
    """A concept's node: named by its labels and slug, coloured by its group."""
    return {
        **extra,
        "x": xy[0],
        "y": xy[1],
        "r": round(radius, 1),
        "label": concept.label_zh,
        "names": [concept.label_zh, concept.label_en, concept.slug],
        "title": title,
        "url": concept.get_absolute_url(),
        "colour": colours[concept.group or "—"],
        "weight": weight,
    }


def _line(
    start, end, share: float, *, widths: tuple[float, float], opacities: tuple[float, float], title: str
) -> dict:
    """A straight edge whose width and opacity grow with ``share``, its weight over the heaviest."""
    return {
        "x1": start[0],
        "y1": start[1],
        "x2": end[0],
        "y2": end[1],
        "width": round(widths[0] + widths[1] * share, 2),
        "opacity": round(opacities[0] + opacities[1] * share, 2),
        "title": title,
    }


def drawn_graph(
    nodes: list[dict], edges: list[dict], *, legend, limit: int, focus: str, extra: dict | None = None
) -> Graph:
    """The graph of these nodes and edges in the standard drawing box: labels placed without
    overlaps, the node ``focus`` names centred (``focus_graph``)."""
    label_nodes(nodes, width=WIDTH, height=HEIGHT)
    graph = Graph(
        nodes=nodes,
        edges=edges,
        legend=legend,
        width=WIDTH,
        height=HEIGHT,
        limit=limit,
        extra=dict(extra or {}),
    )
    return focus_graph(graph, focus)


def _fold(text: str) -> str:
    return "".join(str(text).split()).casefold()


def focus_graph(graph: Graph, query: str) -> Graph:
    """Mark the node ``query`` names (exact name first, then the first containing it, heaviest
    first) and centre the initial view on it; ``graph.focus_query`` keeps a query that matched none."""
    graph.view_box = f"0 0 {graph.width} {graph.height}"
    wanted = _fold(query[:FOCUS_CHARS])
    if not wanted:
        return graph
    ranked = sorted(graph.nodes, key=lambda n: -float(n.get("weight", 0)))
    match = next((n for n in ranked if wanted in {_fold(name) for name in n["names"]}), None)
    match = match or next((n for n in ranked if any(wanted in _fold(name) for name in n["names"])), None)
    if match is None:
        graph.focus_query = query[:FOCUS_CHARS]
        return graph
    match["focused"] = True
    match["label_shown"] = True  # the node asked for is always named
    graph.focus = match
    w, h = graph.width / FOCUS_ZOOM, graph.height / FOCUS_ZOOM
    graph.view_box = (
        f"{round(match['x'] - w / 2, 1)} {round(match['y'] - h / 2, 1)} {round(w, 1)} {round(h, 1)}"
    )
    return graph


def _mentioned_passages() -> int:
    return LibraryStat.objects.filter(key="mentioned_passages").values_list("value", flat=True).first() or 0


def npmi(both: int, a: int, b: int, total: int) -> float:
    """Normalised pointwise mutual information of two concepts over ``total`` passages."""
    p_xy = both / total
    pmi = math.log(p_xy / ((a / total) * (b / total)))
    return pmi / -math.log(p_xy) if p_xy < 1 else 1.0


def concept_graph(*, group: str = "", focus: str = "", min_together: int = 2) -> Graph:
    """Concepts linked when they share passages, edge weight = NPMI over passages (positive only)."""
    stats = ConceptStat.objects.filter(concept__merged_into=None, passages__gt=0)
    if group:
        stats = stats.filter(concept__group=group)
    top = list(stats.select_related("concept").order_by("-passages", "concept_id")[:MAX_GRAPH_CONCEPTS])
    concepts = {s.concept_id: s.concept for s in top}
    passages = {s.concept_id: s.passages for s in top}
    total = max(_mentioned_passages(), max(passages.values(), default=0), 1)
    pairs = ConceptPair.objects.filter(
        a_id__in=list(concepts), b_id__in=list(concepts), passages__gte=min_together
    ).values_list("a_id", "b_id", "passages")
    edges = []
    for a, b, both in pairs:
        weight = npmi(min(both, passages[a], passages[b]), passages[a], passages[b], total)
        if weight > 0:
            edges.append((a, b, weight, both))
    edges.sort(key=lambda e: (-e[2], e[0], e[1]))
    edges = edges[:MAX_GRAPH_EDGES]
    colours = _group_colours(c.group or "—" for c in concepts.values())
    ordered = sorted(concepts, key=lambda pk: (concepts[pk].group, -passages[pk], pk))
    biggest = max(passages.values(), default=1) or 1
    radius = {pk: 5 + 17 * math.sqrt(passages[pk] / biggest) for pk in ordered}
    pos = layout_positions(
        key=layout_key("concepts", group),
        nodes=[f"c{pk}" for pk in ordered],
        edges=[(f"c{a}", f"c{b}", w) for a, b, w, _ in edges],
        sizes={f"c{pk}": r for pk, r in radius.items()},
        width=WIDTH,
        height=HEIGHT,
        margin=70,
    )
    nodes = []
    for pk in ordered:
        concept = concepts[pk]
        x, y = pos[f"c{pk}"]
        nodes.append(
            _concept_node(
                concept,
                (x, y),
                radius[pk],
                colours,
                weight=passages[pk],
                title=f"{concept.label_zh} · {concept.label_en} · {passages[pk]}",
                id=pk,
            )
        )
    top_weight = edges[0][2] if edges else 1.0
    lines = [
        _line(
            pos[f"c{a}"],
            pos[f"c{b}"],
            w / top_weight,
            widths=(0.6, 3.4),
            opacities=(0.15, 0.5),
            title=f"{concepts[a].label_zh} — {concepts[b].label_zh}: NPMI {w:.2f}, {both}",
        )
        for a, b, w, both in edges
    ]
    return drawn_graph(nodes, lines, legend=sorted(colours.items()), limit=MAX_GRAPH_CONCEPTS, focus=focus)


def _paper_rows(*, user, group: str, years: tuple[int | None, int | None]):
    """The newest papers with a mention (of the group), and their most mentioned concepts."""
    counts = PaperConceptCount.objects.filter(concept__merged_into=None)
    if group:
        counts = counts.filter(concept__group=group)
    papers = Paper.objects.visible_to(user).filter(Exists(counts.filter(paper_id=OuterRef("pk"))))
    if years[0] is not None:
        papers = papers.filter(year__gte=years[0])
    if years[1] is not None:
        papers = papers.filter(year__lte=years[1])
    # Dated papers newest first, then undated ones: two orders the year index serves, where one
    # "year DESC NULLS LAST" sorted every paper of the library to find the newest few.
    shown = list(papers.filter(year__isnull=False).order_by("-year", "-pk")[:MAX_GRAPH_PAPERS])
    if len(shown) < MAX_GRAPH_PAPERS:
        shown += list(papers.filter(year=None).order_by("-pk")[: MAX_GRAPH_PAPERS - len(shown)])
    rows = list(
        counts.filter(paper_id__in=[p.pk for p in shown])
        .annotate(
            nth=Window(
                RowNumber(), partition_by=F("paper_id"), order_by=[F("mentions").desc(), F("concept_id")]
            )
        )
        .filter(nth__lte=PER_PAPER)
        .values_list("paper_id", "concept_id", "mentions")
    )
    return shown, rows


def paper_concept_graph(
    *, user, group: str = "", years: tuple[int | None, int | None] = (None, None), focus: str = ""
) -> Graph:
    """Papers (squares) linked to their most mentioned concepts (circles); edge width = mentions."""
    shown, kept = _paper_rows(user=user, group=group, years=years)
    degree = Counter(cid for _, cid, _ in kept)
    keep = {cid for cid, _ in degree.most_common(MAX_PAPER_GRAPH_CONCEPTS)}
    kept = sorted((k for k in kept if k[1] in keep), key=lambda k: (k[0], -k[2], k[1]))
    papers = {p.pk: p for p in shown}
    concepts = Concept.objects.in_bulk(keep)
    kept = [k for k in kept if k[1] in concepts]
    paper_ids = sorted(papers)
    concept_ids = sorted(concepts, key=lambda pk: (concepts[pk].group, -degree[pk], pk))
    top = max((n for _, _, n in kept), default=1)
    sizes = {
        **{f"p{pk}": 22.0 for pk in paper_ids},
        **{f"c{pk}": 6 + 2.5 * degree[pk] for pk in concept_ids},
    }
    pos = layout_positions(
        key=layout_key("papers", group, f"{years[0] or ''}-{years[1] or ''}"),
        nodes=[f"p{pk}" for pk in paper_ids] + [f"c{pk}" for pk in concept_ids],
        edges=[(f"p{p}", f"c{c}", n) for p, c, n in kept],
        sizes=sizes,
        width=WIDTH,
        height=HEIGHT,
        margin=80,
    )
    colours = _group_colours(c.group or "—" for c in concepts.values())
    links = Counter(p for p, _, _ in kept)
    nodes = []
    for pk in paper_ids:
        paper = papers[pk]
        x, y = pos[f"p{pk}"]
        title = paper.display_title
        nodes.append(
            {
                "kind": "paper",
                "x": x,
                "y": y,
                "x0": round(x - 18, 1),
                "y0": round(y - 18, 1),
                "r": 25,  # the square's half diagonal: labels keep off its corners
                "label": short_label(title, LABEL_CHARS),
                "names": [title, paper.title_en],
                "title": f"{title} ({paper.year or '—'})",
                "url": paper.get_absolute_url(),
                "colour": "#333",
                "weight": 1_000_000 + links[pk],  # papers are labelled first
                "font_size": 14,
            }
        )
    for pk in concept_ids:
        concept = concepts[pk]
        x, y = pos[f"c{pk}"]
        nodes.append(
            _concept_node(
                concept,
                (x, y),
                sizes[f"c{pk}"],
                colours,
                weight=degree[pk],
                title=f"{concept.label_zh} · {concept.label_en}",
                kind="concept",
            )
        )
    lines = [
        _line(
            pos[f"p{p}"],
            pos[f"c{c}"],
            n / top,
            widths=(0.6, 4),
            opacities=(0.2, 0.45),
            title=f"{papers[p].display_title} — {concepts[c].label_zh}: {n}",
        )
        for p, c, n in kept
    ]
    return drawn_graph(nodes, lines, legend=sorted(colours.items()), limit=MAX_GRAPH_PAPERS, focus=focus)
