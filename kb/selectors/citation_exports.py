"""The library's citation network as files for Gephi, VOSviewer or a spreadsheet.

``citation_network(user=...)`` reads the current references of the papers the user may
see (at most ``EDGE_LIMIT``) and returns nodes and edges: an edge runs from a citing paper
to the library paper its reference resolves to (suggested or confirmed, and visible to the
user), else to the cited work. Nodes carry their kind, label, year and how many library
papers cite them. ``network_csv`` writes the edge list (one row per citing paper → work,
with the number of references between them); ``network_graphml`` writes GraphML with the
node attributes declared, which Gephi and VOSviewer read as they are.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from kb.lib.spreadsheet import SafeWriter
from kb.models import CitedWork, LinkStatus, ReferenceLink
from papers.models import Paper

EDGE_LIMIT = 200_000
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot hold
RESOLVED = (LinkStatus.SUGGESTED, LinkStatus.CONFIRMED)


@dataclass
class Node:
    id: str
    kind: str  # "paper" (in the library) or "work" (cited, not in the library)
    label: str
    year: int | None
    cited_by: int = 0


@dataclass
class Network:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: Counter = field(default_factory=Counter)  # (source id, target id) -> references


def citation_network(*, user) -> Network:
    visible = Paper.objects.visible_to(user)
    rows = (
        ReferenceLink.objects.filter(reference__revision__is_current=True, citing_paper__in=visible)
        .values_list("citing_paper_id", "paper_id", "cited_work_id", "status")
        .order_by("citing_paper_id", "pk")[:EDGE_LIMIT]
    )
    rows = list(rows)
    paper_ids = {r[0] for r in rows} | {r[1] for r in rows if r[1] and r[3] in RESOLVED}
    papers = {
        pk: (title, year)
        for pk, title, year in visible.filter(pk__in=paper_ids).values_list("pk", "title", "year")
    }
    network = Network()
    work_ids = set()
    for citing, paper, work, status in rows:
        target = None
        if paper and status in RESOLVED and paper in papers:
            target = f"paper:{paper}"
        elif work:
            target = f"work:{work}"
            work_ids.add(work)
        if target is not None:
            network.edges[(f"paper:{citing}", target)] += 1
    for pk, (title, year) in papers.items():
        network.nodes[f"paper:{pk}"] = Node(f"paper:{pk}", "paper", title, year)
    for pk, title, raw, year in CitedWork.objects.filter(pk__in=work_ids).values_list(
        "pk", "title", "raw", "year"
    ):
        network.nodes[f"work:{pk}"] = Node(f"work:{pk}", "work", title or raw[:200], year)
    for _source, target in network.edges:
        network.nodes[target].cited_by += 1
    return network


def network_csv(network: Network) -> str:
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(
        ["source", "source_label", "target", "target_label", "target_kind", "target_year", "references"]
    )
    for (source, target), weight in sorted(network.edges.items()):
        s, t = network.nodes[source], network.nodes[target]
        writer.writerow([source, s.label, target, t.label, t.kind, t.year or "", weight])
    return out.getvalue()


def network_graphml(network: Network) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
        '  <key id="label" for="node" attr.name="label" attr.type="string"/>',
        '  <key id="kind" for="node" attr.name="kind" attr.type="string"/>',
        '  <key id="year" for="node" attr.name="year" attr.type="int"/>',
        '  <key id="cited_by" for="node" attr.name="cited_by" attr.type="int"/>',
        '  <key id="weight" for="edge" attr.name="weight" attr.type="double"/>',
        '  <graph id="citations" edgedefault="directed">',
    ]
    for node in sorted(network.nodes.values(), key=lambda n: n.id):
        lines.append(f"    <node id={quoteattr(node.id)}>")
        lines.append(f'      <data key="label">{escape(_NOT_XML.sub("", node.label))}</data>')
        lines.append(f'      <data key="kind">{node.kind}</data>')
        if node.year:
            lines.append(f'      <data key="year">{node.year}</data>')
        lines.append(f'      <data key="cited_by">{node.cited_by}</data>')
        lines.append("    </node>")
    for i, ((source, target), weight) in enumerate(sorted(network.edges.items())):
        lines.append(
            f'    <edge id="e{i}" source={quoteattr(source)} target={quoteattr(target)}>'
            f'<data key="weight">{weight}</data></edge>'
        )
    lines += ["  </graph>", "</graphml>", ""]
    return "\n".join(lines)
