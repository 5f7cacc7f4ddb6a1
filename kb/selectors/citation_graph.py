"""The citation graph page: library papers and cited works, linked by citation.

It costs what it draws, never what the library holds: a fixed number of queries, each
bounded, whatever the number of papers or references.

- The citing papers: those the user may see (``Paper.objects.visible_to``), narrowed to the
  ones mentioning any of the given concepts (``PaperConceptCount``, the stored counts, never
  the mentions) and to a range of their years.
- The cited nodes: the ``MAX_CITED`` works those papers cite most (distinct citing papers).
  A current reference counts for the library paper it resolves to (suggested or confirmed, and
  visible to the user), else for its cited work, as in the CSV and GraphML exports
  (``kb.selectors.citation_exports``); one grouping query ranks both kinds.
- The citing nodes: the ``MAX_CITING`` papers citing most of those, and their edges (one per
  citing paper → cited node, weighted by its references).

A node's size is the number of the (filtered) library papers citing it. Positions come from the
layout store (``kb.services.layouts``), keyed by the filters, laid out once; labels are placed
without overlaps (``kb.lib.labelplace``); ``focus`` centres the view on a node
(``kb.selectors.concept_graphs.drawn_graph``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db.models import Count

from kb.lib import roles
from kb.lib.labelplace import short_label
from kb.models import CitedWork, ReferenceLink
from kb.models.aggregates import PaperConceptCount
from kb.selectors.citations import cited_target
from kb.selectors.concept_graphs import HEIGHT, LABEL_CHARS, WIDTH, Graph, drawn_graph
from kb.services.layouts import layout_key, layout_positions
from papers.models import Paper

MAX_CITED = 80  # cited nodes (library papers and cited works) drawn
MAX_CITING = 60  # citing papers drawn besides them
EXTRA = {"citing_limit": MAX_CITING}
PAPER_COLOUR = "#1f6feb"  # a paper in the library
WORK_COLOUR = "#e9a03b"  # a cited work not in the library


@dataclass(frozen=True)
class Filters:
    concepts: tuple = ()  # Concept objects; papers mentioning any of them
    year_from: int | None = None
    year_to: int | None = None


def _links(*, user, filters: Filters):
    """The current references of the citing papers in the filters, each annotated with its
    ``target``: a library paper's id (positive) or a cited work's id (negative)."""
    visible = Paper.objects.visible_to(user)
    citing = visible
    if filters.concepts:
        mentioning = PaperConceptCount.objects.filter(concept__in=[c.pk for c in filters.concepts])
        citing = citing.filter(pk__in=mentioning.values("paper_id"))
    if filters.year_from is not None:
        citing = citing.filter(year__gte=filters.year_from)
    if filters.year_to is not None:
        citing = citing.filter(year__lte=filters.year_to)
    return (
        ReferenceLink.objects.filter(
            reference__revision__is_current=True, citing_paper__in=citing.values("pk")
        )
        .annotate(target=cited_target(visible))
        .filter(target__isnull=False)
    )


def _node_id(target: int) -> str:
    return f"p{target}" if target > 0 else f"w{-target}"


def citation_graph(*, user, filters: Filters, focus: str = "") -> Graph:
    """Library papers and cited works linked by citation (see the module docstring)."""
    links = _links(user=user, filters=filters)
    ranked = list(
        links.values("target")
        .annotate(n=Count("citing_paper", distinct=True))
        .order_by("-n", "target")[:MAX_CITED]
    )
    cited = {row["target"]: row["n"] for row in ranked}
    if not cited:
        return drawn_graph([], [], legend=[], limit=MAX_CITED, focus="", extra=EXTRA)
    to_shown = links.filter(target__in=list(cited))
    citing_ids = list(
        to_shown.values("citing_paper_id")
        .annotate(n=Count("target", distinct=True))
        .order_by("-n", "citing_paper_id")
        .values_list("citing_paper_id", flat=True)[:MAX_CITING]
    )
    edge_rows = list(
        to_shown.filter(citing_paper_id__in=citing_ids)
        .values("citing_paper_id", "target")
        .annotate(refs=Count("pk"))
        .order_by("citing_paper_id", "target")
        .values_list("citing_paper_id", "target", "refs")
    )
    paper_ids = set(citing_ids) | {t for t in cited if t > 0}
    papers = Paper.objects.visible_to(user).only("pk", "title", "title_en", "year").in_bulk(paper_ids)
    works = CitedWork.objects.only("pk", "title", "raw", "year", "first_author").in_bulk(
        [-t for t in cited if t < 0]
    )
    # Cited works first (by citations), then the citing papers not cited among them.
    order = [t for t in cited if (t > 0 and t in papers) or (t < 0 and -t in works)]
    order += [pk for pk in citing_ids if pk not in cited and pk in papers]
    drawn = set(order)
    edges = [(c, t, refs) for c, t, refs in edge_rows if c in papers and t in drawn]
    biggest = max(cited.values())
    # A paper citing but not cited here keeps a small dot, large enough to find and click.
    radius = {t: (6 + 16 * math.sqrt(cited[t] / biggest)) if t in cited else 7.0 for t in order}
    pos = layout_positions(
        key=layout_key(
            "citations",
            "all" if roles.is_admin(user) else "published",
            ",".join(sorted(str(c.pk) for c in filters.concepts)),
            f"{filters.year_from or ''}-{filters.year_to or ''}",
        ),
        nodes=[_node_id(t) for t in order],
        edges=[(_node_id(c), _node_id(t), refs) for c, t, refs in edges],
        sizes={_node_id(t): r for t, r in radius.items()},
        width=WIDTH,
        height=HEIGHT,
        margin=70,
    )
    nodes, by_target = [], {}
    for t in order:
        x, y = pos[_node_id(t)]
        n = cited.get(t, 0)
        if t > 0:
            paper = papers[t]
            title, names, url, kind = (
                paper.display_title,
                [paper.display_title, paper.title_en],
                paper.get_absolute_url(),
                "paper",
            )
            year = paper.year
        else:
            work = works[-t]
            title = work.title or work.raw[:200] or str(work.pk)
            names, url, kind, year = [title, work.first_author], work.get_absolute_url(), "work", work.year
        node = {
            "kind": kind,
            "x": x,
            "y": y,
            "r": round(radius[t], 1),
            "label": short_label(title, LABEL_CHARS),
            "names": [name for name in names if name],
            "year": year,
            "cited_by": n,
            "full_title": title,
            "url": url,
            "colour": PAPER_COLOUR if kind == "paper" else WORK_COLOUR,
            "weight": n,
        }
        nodes.append(node)
        by_target[t] = node
    top = max((refs for _, _, refs in edges), default=1)
    lines = []
    for c, t, refs in edges:
        source, target = by_target[c], by_target[t]
        dx, dy = target["x"] - source["x"], target["y"] - source["y"]
        length = math.hypot(dx, dy) or 1.0
        cut = min(target["r"] + 3, length / 2)  # the arrow ends at the target's rim
        lines.append(
            {
                "x1": source["x"],
                "y1": source["y"],
                "x2": round(target["x"] - dx / length * cut, 1),
                "y2": round(target["y"] - dy / length * cut, 1),
                "width": round(0.8 + 2.2 * refs / top, 2),
                "opacity": round(0.3 + 0.4 * refs / top, 2),
                "source": source["full_title"],
                "target": target["full_title"],
                "refs": refs,
            }
        )
    return drawn_graph(nodes, lines, legend=[], limit=MAX_CITED, focus=focus, extra=EXTRA)
