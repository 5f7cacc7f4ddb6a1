"""kb.lib.labelplace: greedy label placement; drawn labels never overlap, on any graph."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kb.lib.labelplace import LabelRequest, Rect, label_nodes, place_labels, short_label, text_width

WIDTH, HEIGHT = 600.0, 400.0


def test_cjk_characters_are_one_em_and_latin_narrower():
    assert text_width("数字鸿沟", 13) == 52
    assert text_width("ＡＢ", 10) == 20  # full-width forms count as CJK
    assert 0 < text_width("AI", 13) < text_width("数字", 13)


def test_short_label_keeps_short_text_and_cuts_long_text_with_an_ellipsis():
    assert short_label("数字鸿沟", 4) == "数字鸿沟"
    assert short_label("数字鸿沟研究", 4) == "数字鸿…"
    assert len(short_label("数" * 30, 14)) == 14


def test_lone_label_sits_centred_below_its_node():
    placed = place_labels([LabelRequest("a", 300, 200, 10, "数字鸿沟")], width=WIDTH, height=HEIGHT)
    label = placed["a"]
    assert label.shown and label.anchor == "middle" and label.x == 300
    assert label.box.top >= 200 + 10
    assert label.box.left == 300 - 26 and label.box.right == 300 + 26


def test_heavier_node_keeps_the_best_slot_and_a_neighbour_moves():
    requests = [
        LabelRequest("light", 300, 200, 5, "共同富裕", weight=1),
        LabelRequest("heavy", 310, 205, 5, "数字鸿沟", weight=9),
    ]
    placed = place_labels(requests, width=WIDTH, height=HEIGHT)
    assert placed["heavy"].shown and placed["heavy"].anchor == "middle"  # below, its first choice
    assert placed["heavy"].box.top > 205
    assert placed["light"].shown and not placed["light"].box.overlaps(placed["heavy"].box)


def test_label_that_fits_nowhere_is_left_for_hover():
    # A ring of heavy nodes around a light one leaves it no free slot.
    ring = [
        LabelRequest(f"n{i}", 300 + dx * 40, 200 + dy * 22, 12, "概念概念概念", weight=5)
        for i, (dx, dy) in enumerate([(-1, -1), (0, -1), (1, -1), (-1, 0), (1, 0), (-1, 1), (0, 1), (1, 1)])
    ]
    placed = place_labels(
        [*ring, LabelRequest("middle", 300, 200, 4, "中间", weight=0)], width=WIDTH, height=HEIGHT
    )
    assert placed["middle"].shown is False
    assert placed["middle"].anchor == "middle"  # drawn below its node on hover


def test_labels_stay_inside_the_drawing():
    placed = place_labels([LabelRequest("edge", 595, 395, 4, "右下角的概念")], width=WIDTH, height=HEIGHT)
    box = placed["edge"].box
    assert placed["edge"].shown and box.right <= WIDTH and box.bottom <= HEIGHT
    assert placed["edge"].anchor == "end"  # moved to the upper left


def test_a_label_never_covers_another_node():
    requests = [
        LabelRequest("a", 300, 200, 8, "数字治理", weight=2),
        LabelRequest("b", 300, 225, 8, "", weight=1),
    ]
    placed = place_labels(requests, width=WIDTH, height=HEIGHT)
    assert not placed["a"].box.hits_circle(300, 225, 8)


def test_placement_is_deterministic():
    requests = [LabelRequest(i, 100 + 7 * i, 100 + 3 * i, 6, f"概念{i}", weight=i % 3) for i in range(30)]
    assert place_labels(requests, width=WIDTH, height=HEIGHT) == place_labels(
        requests, width=WIDTH, height=HEIGHT
    )


node = st.builds(
    lambda x, y, r, text, weight, size: (x, y, r, text, weight, size),
    st.floats(0, WIDTH),
    st.floats(0, HEIGHT),
    st.floats(2, 25),
    st.text(alphabet="数字鸿沟共同富裕治理AIab ", min_size=1, max_size=12),
    st.floats(0, 100),
    st.sampled_from([11.0, 13.0, 14.0]),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(node, max_size=60))
def test_no_two_drawn_labels_overlap_on_random_graphs(nodes):
    requests = [LabelRequest(i, x, y, r, text, w, size) for i, (x, y, r, text, w, size) in enumerate(nodes)]
    placed = place_labels(requests, width=WIDTH, height=HEIGHT)
    assert set(placed) == set(range(len(nodes)))
    shown = [(i, p.box) for i, p in placed.items() if p.shown]
    for n, (i, a) in enumerate(shown):
        assert (
            Rect(0, 0, WIDTH, HEIGHT).left <= a.left
            and a.right <= WIDTH
            and a.top >= 0
            and a.bottom <= HEIGHT
        )
        for j, b in shown[n + 1 :]:
            assert not a.overlaps(b), (i, j, a, b)
        for k, req in enumerate(requests):
            if k != i:
                assert not a.hits_circle(req.x, req.y, req.r), (i, k)


@settings(max_examples=50, deadline=None)
@given(st.lists(node, min_size=2, max_size=40))
def test_the_heaviest_label_is_drawn_when_it_fits_alone(nodes):
    requests = [LabelRequest(i, x, y, r, text, w, size) for i, (x, y, r, text, w, size) in enumerate(nodes)]
    heaviest = max(range(len(requests)), key=lambda i: (requests[i].weight, -i))
    alone = place_labels([requests[heaviest]], width=WIDTH, height=HEIGHT)[heaviest]
    together = place_labels(requests, width=WIDTH, height=HEIGHT)[heaviest]
    # Nothing is placed before the heaviest label: only other nodes can push it.
    if alone.shown and all(
        not alone.box.hits_circle(r.x, r.y, r.r) for k, r in enumerate(requests) if k != heaviest
    ):
        assert together == alone


def test_label_nodes_fills_in_graph_node_dicts():
    nodes = [
        {"x": 300, "y": 200, "r": 10, "label": "数字鸿沟", "weight": 5},
        {"x": 302, "y": 204, "r": 4, "label": "共同富裕"},  # nearly on top of the first
    ]
    label_nodes(nodes, width=WIDTH, height=HEIGHT)
    assert nodes[0]["label_shown"] and nodes[0]["label_anchor"] == "middle"
    assert nodes[0]["label_x"] == 300 and nodes[0]["label_y"] > 210
    assert nodes[1]["label_shown"] is False  # its node sits inside the first: no slot is free
    assert {"label_x", "label_y", "label_anchor"} <= nodes[1].keys()
