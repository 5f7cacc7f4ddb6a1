"""Search-to-focus in Chromium: ?focus= opens the paper–concept graph zoomed on the node asked
for (marked, its label shown), and "reset" shows the whole drawing. Screenshot: graph-focus.png."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import login, screenshot, watch_errors
from tests.e2e.test_graph_zoom import crowded, view_box  # noqa: F401 - the crowded library fixture

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e


def test_focus_centres_the_graph_on_a_node_and_reset_shows_it_all(crowded, scholar, page, live_server):  # noqa: F811
    errors = watch_errors(page)
    login(page, live_server, scholar)
    page.goto(f"{live_server.url}/graphs/papers/")
    page.get_by_label("定位论文或概念").fill("数字社会治理概念01")
    page.get_by_role("button", name="筛选").click()
    focused = page.locator("a.graph__node--focused")
    expect(focused).to_have_count(1)
    expect(focused.locator("text")).to_have_text("数字社会治理概念01")
    expect(focused.locator("text")).not_to_have_class("graph__label label--hover")
    x, y, w, h = view_box(page)
    assert (w, h) == (550, 390)
    circle = focused.locator("circle")
    cx, cy = float(circle.get_attribute("cx")), float(circle.get_attribute("cy"))
    assert abs(x + w / 2 - cx) < 1 and abs(y + h / 2 - cy) < 1
    expect(page.locator("[data-zoom-level]")).to_have_text("200%")
    screenshot(page, "graph-focus", full_page=False)
    page.get_by_role("button", name="复位").click()
    assert view_box(page) == [0, 0, 1100, 780]
    expect(page.locator("[data-zoom-level]")).to_have_text("100%")
    assert errors == []
