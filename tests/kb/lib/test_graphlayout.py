"""kb.lib.graphlayout: deterministic grouped circle layout."""

from kb.lib.graphlayout import grouped_circle_layout


def test_groups_are_spread_and_members_distinct():
    pos = grouped_circle_layout([["a", "b"], ["c"]], width=900, height=640)
    assert set(pos) == {"a", "b", "c"}
    assert len(set(pos.values())) == 3
    assert pos["c"][0] > 450 > max(pos["a"][0], pos["b"][0])  # first group left, second right
    assert all(0 <= x <= 900 and 0 <= y <= 640 for x, y in pos.values())


def test_layout_is_deterministic():
    groups = [[1, 2, 3], [4], [5, 6]]
    assert grouped_circle_layout(groups) == grouped_circle_layout(groups)


def test_single_group_is_centred():
    assert grouped_circle_layout([["only"]], width=100, height=100) == {"only": (50.0, 50.0)}
