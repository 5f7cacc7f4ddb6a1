"""kb.lib.layout: spring layouts fitted to the box, deterministic, without overlapping nodes;
fingerprints that ignore small weight shifts; new nodes placed beside their neighbours."""

from __future__ import annotations

import math

from kb.lib.layout import fingerprint, place_new, spring_positions

BOX = {"width": 1100, "height": 780, "margin": 70}


def _graph(n: int):
    nodes = [f"c{i}" for i in range(n)]
    edges = [(f"c{i}", f"c{(i * 7 + 3) % n}", 1 + i % 5) for i in range(2 * n)]
    return nodes, edges


def test_positions_fill_the_box_inside_the_margins_without_overlaps():
    nodes, edges = _graph(60)
    sizes = {n: 12.0 for n in nodes}
    pos = spring_positions(nodes, edges, sizes=sizes, **BOX)
    assert set(pos) == set(nodes)
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    assert min(xs) >= 70 and max(xs) <= 1030 and min(ys) >= 70 and max(ys) <= 710
    assert max(xs) - min(xs) > 700 and max(ys) - min(ys) > 450  # spread over the wide box
    gaps = [math.dist(pos[a], pos[b]) for i, a in enumerate(nodes) for b in nodes[i + 1 :]]
    assert min(gaps) >= 24 - 0.5  # two radii apart


def test_the_same_graph_draws_the_same_picture():
    nodes, edges = _graph(30)
    assert spring_positions(nodes, edges, **BOX) == spring_positions(nodes, edges, **BOX)


def test_tiny_graphs():
    assert spring_positions([], [], **BOX) == {}
    assert spring_positions(["a"], [], **BOX) == {"a": (550.0, 390.0)}


def test_starting_from_stored_positions_keeps_the_shape():
    nodes, edges = _graph(30)
    first = spring_positions(nodes, edges, **BOX)
    again = spring_positions([*nodes, "new"], [*edges, ("new", "c0", 2)], start=first, **BOX)
    moved = sum(math.dist(first[n], again[n]) for n in nodes) / len(nodes)
    assert moved < 250  # not a new picture


def test_fingerprint_ignores_small_weight_shifts_but_not_new_nodes_or_edges():
    nodes, edges = _graph(10)
    base = fingerprint(nodes, edges)
    assert fingerprint(list(reversed(nodes)), [(b, a, w * 1.01) for a, b, w in edges]) == base
    assert fingerprint([*nodes, "c99"], edges) != base
    assert fingerprint(nodes, edges[1:]) != base
    assert fingerprint(nodes, edges, box=(800, 600, 50)) != base


def test_new_nodes_go_beside_their_neighbours_or_on_a_circle():
    stored = {"a": (300.0, 300.0), "b": (500.0, 300.0)}
    placed = place_new(["a", "b", "c", "d"], [("c", "a", 1.0), ("c", "b", 1.0)], stored, **BOX)
    assert placed["a"] == (300.0, 300.0) and placed["b"] == (500.0, 300.0)
    assert math.dist(placed["c"], (400.0, 300.0)) <= 28.5
    assert math.dist(placed["d"], (550.0, 390.0)) > 200  # no neighbour: on the circle


def test_unlinked_nodes_sit_in_a_row_along_the_bottom():
    nodes, edges = _graph(20)
    pos = spring_positions([*nodes, "x", "y"], edges, **BOX)
    assert pos["x"][1] == pos["y"][1] == 710.0
    assert all(pos[n][1] < 710.0 - 40 for n in nodes)
    assert max(pos[n][1] for n in nodes) - min(pos[n][1] for n in nodes) > 450  # the rest fill the box
