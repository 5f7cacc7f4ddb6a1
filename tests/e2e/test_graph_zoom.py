"""The pictures in Chromium: the graphs zoom and pan (wheel, drag, keyboard, buttons) by rewriting
the SVG viewBox, labels that do not fit show on hover, and the papers × concepts matrix scrolls
inside its box with its paper column and concept row staying in view.

Screenshots: test-artifacts/graph-zoom.png, matrix-scrolled.png, matrix-claims.png, matrix-mobile.png.
"""

from __future__ import annotations

import pytest

from kb.models import Evidence
from kb.services.aggregates import aggregates_refresh
from tests import factories as f
from tests.e2e.conftest import MOBILE, login, screenshot, watch_errors

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e

GROUPS = ("治理", "经济", "社会")


@pytest.fixture
def crowded(transactional_db, editor):
    """24 papers × 40 concepts with long labels: a matrix wider and taller than its box, and a
    paper–concept graph too crowded to label every node."""
    concepts = [
        f.ConceptFactory(label_zh=f"数字社会治理概念{i:02d}", slug=f"concept-{i}", group=GROUPS[i % 3])
        for i in range(40)
    ]
    papers = []
    for p in range(24):
        paper = f.PaperFactory(title=f"数字技术与基层社会治理现代化研究（第{p:02d}篇）", year=2000 + p)
        revision = f.RevisionFactory(paper=paper)
        passages = [f.PassageFactory(paper=paper, revision=revision, order=k) for k in range(3)]
        for i, concept in enumerate(concepts):
            if (i + p) % 3 == 0:
                for k in range(1 + (i * p) % 3):
                    f.MentionFactory(concept=concept, passage=passages[k], start=0, end=4)
        papers.append((paper, passages))
    aggregates_refresh(paper_ids=[p.pk for p, _ in papers])  # the graphs and the matrix read them
    claim = f.ClaimFactory(paper=papers[0][0], statement="数字技术缩小了城乡差距。", creator=editor)
    claim.concepts.set(concepts[:2])
    passage = papers[1][1][0]
    Evidence.objects.create(
        claim=claim, passage=passage, revision=passage.revision, start=0, end=4, exact="数字鸿沟"
    )
    return {"papers": [p for p, _ in papers], "concepts": concepts, "claim": claim}


def view_box(page) -> list[float]:
    return [float(v) for v in page.locator("svg.graph__svg").get_attribute("viewBox").split()]


def test_graph_zooms_and_pans_with_wheel_drag_keyboard_and_buttons(crowded, scholar, page, live_server):
    errors = watch_errors(page)
    login(page, live_server, scholar)
    page.goto(f"{live_server.url}/graphs/papers/")
    svg = page.locator("svg.graph__svg")
    expect(page.get_by_role("toolbar", name="缩放与平移")).to_be_visible()
    assert view_box(page) == [0, 0, 1100, 780]

    # Wheel up over the drawing zooms in about the pointer.
    box = svg.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.25)
    page.mouse.wheel(0, -400)
    expect(page.locator("[data-zoom-level]")).not_to_have_text("100%")
    x, y, w, h = view_box(page)
    assert w < 1100 and abs(w / h - 1100 / 780) < 0.01
    assert x > 0 and y > 0  # zoomed towards the upper left quarter, not the centre
    assert x + w < 1100

    # Dragging the background pans, and does not navigate.
    url = page.url
    start = (box["x"] + 8, box["y"] + 8)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(start[0] + 120, start[1] + 60, steps=6)
    page.mouse.up()
    x2, y2, w2, _ = view_box(page)
    assert w2 == w and x2 < x and y2 < y
    assert page.url == url

    # A drag that starts on a node pans too, and does not open the node's page.
    svg.focus()
    page.keyboard.press("0")
    x2 = view_box(page)[0]
    rect = page.locator("a.graph__node--paper rect").first
    rect.hover()  # scrolled into view
    node = rect.bounding_box()
    page.mouse.move(node["x"] + node["width"] / 2, node["y"] + node["height"] / 2)
    page.mouse.down()
    page.mouse.move(node["x"] - 60, node["y"] - 30, steps=6)
    page.mouse.up()
    page.wait_for_timeout(200)
    assert view_box(page)[0] > x2 and page.url == url

    # Keyboard: 0 resets, + zooms in about the centre, arrows pan, − zooms out.
    svg.focus()
    page.keyboard.press("0")
    assert view_box(page) == [0, 0, 1100, 780]
    page.keyboard.press("+")
    x, y, w, h = view_box(page)
    assert w < 1100 and abs((x + w / 2) - 550) < 1 and abs((y + h / 2) - 390) < 1
    page.keyboard.press("ArrowRight")
    assert view_box(page)[0] > x
    page.keyboard.press("ArrowDown")
    assert view_box(page)[1] > y
    page.keyboard.press("-")
    assert view_box(page)[2] > w
    expect(svg).to_be_focused()

    # The buttons, by their accessible names.
    page.keyboard.press("0")
    page.get_by_role("button", name="放大").click()
    assert view_box(page)[2] < 1100
    page.get_by_role("button", name="复位").click()
    assert view_box(page) == [0, 0, 1100, 780]
    page.get_by_role("button", name="缩小").click()
    assert view_box(page)[2] > 1100
    expect(page.locator("[data-zoom-level]")).to_have_text("71%")
    screenshot(page, "graph-zoom", full_page=False)
    assert errors == []


def test_labels_that_do_not_fit_show_on_hover_and_focus(crowded, scholar, page, live_server):
    login(page, live_server, scholar)
    page.goto(f"{live_server.url}/graphs/papers/")
    hidden = page.locator("a.graph__node text.label--hover")
    assert hidden.count() > 0, "the crowded graph should leave some labels to hover"
    assert page.locator("a.graph__node text.graph__label:not(.label--hover)").count() > 0
    overlay = page.locator(".svgzoom-overlay text")
    expect(overlay).to_have_count(0)

    node = page.locator("a.graph__node--concept:has(text.label--hover)").first
    label = node.locator("text.label--hover").text_content()
    node.locator("circle").hover()
    expect(overlay).to_have_text(label)
    page.mouse.move(1, 1)
    expect(overlay).to_have_count(0)

    node.focus()  # a keyboard user tabbing through the nodes reads the label too
    expect(overlay).to_have_text(label)

    # Clicking a node (no drag) still follows its link.
    page.locator("a.graph__node--paper rect").first.click()
    expect(page.locator("h1")).to_contain_text("数字技术与基层社会治理现代化研究")


def _sticky_offsets(page) -> dict:
    return page.evaluate(
        """() => {
          const box = document.querySelector('.matrix-scroll').getBoundingClientRect();
          const paper = document.querySelector('tbody tr:last-child th.matrix__paper').getBoundingClientRect();
          const concept = document.querySelector('thead th.matrix__concept:last-child').getBoundingClientRect();
          const corner = document.querySelector('thead th.matrix__corner').getBoundingClientRect();
          return {paperLeft: paper.left - box.left, conceptTop: concept.top - box.top,
                  cornerLeft: corner.left - box.left, cornerTop: corner.top - box.top,
                  pageWidth: document.documentElement.scrollWidth, viewport: window.innerWidth};
        }"""
    )


def test_matrix_scrolls_in_its_box_with_sticky_headers(crowded, scholar, page, live_server):
    errors = watch_errors(page)
    login(page, live_server, scholar)
    page.goto(f"{live_server.url}/compare/")
    region = page.get_by_role("region", name="论文×概念对比：提及数（可用方向键滚动）")
    expect(region).to_be_visible()
    sizes = region.evaluate("el => [el.scrollWidth, el.clientWidth, el.scrollHeight, el.clientHeight]")
    assert sizes[0] > sizes[1] and sizes[2] > sizes[3], sizes  # wider and taller than its box

    # Keyboard scrolling: the region is focusable, and arrows scroll it.
    region.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    expect(region).to_be_focused()
    # Arrow-key scrolling is animated: wait for it to move (fails after the default timeout).
    page.wait_for_function("() => document.querySelector('.matrix-scroll').scrollLeft > 0")
    page.wait_for_function("() => document.querySelector('.matrix-scroll').scrollTop > 0")

    region.evaluate("el => { el.scrollLeft = el.scrollWidth; el.scrollTop = el.scrollHeight; }")
    page.wait_for_timeout(50)
    offsets = _sticky_offsets(page)
    # The last row's paper title stays at the box's left edge, the last concept at its top.
    assert abs(offsets["paperLeft"]) <= 2 and abs(offsets["conceptTop"]) <= 2, offsets
    assert abs(offsets["cornerLeft"]) <= 2 and abs(offsets["cornerTop"]) <= 2, offsets
    assert offsets["pageWidth"] <= offsets["viewport"], offsets  # the page itself never scrolls sideways
    expect(page.locator("tbody tr:last-child th.matrix__paper a")).to_be_in_viewport()
    screenshot(page, "matrix-scrolled", full_page=False)

    # The claims mode: one cell per paper × concept the claim touches, linked to those claims.
    page.get_by_role("link", name="论断数", exact=True).click()
    cells = page.locator("td.matrix__cell a")
    expect(cells).to_have_count(4)  # 2 papers (own + evidence) × 2 concepts
    screenshot(page, "matrix-claims", full_page=False)
    cells.first.click()
    expect(page.locator(".claim-filter")).to_be_visible()
    expect(page.locator("table.table tbody tr")).to_have_count(1)
    expect(page.locator("table.table")).to_contain_text("数字技术缩小了城乡差距。")
    assert errors == []


def test_matrix_on_a_phone_keeps_the_page_from_scrolling_sideways(crowded, scholar, new_page, live_server):
    page = new_page(viewport=MOBILE, is_mobile=True, has_touch=True)
    login(page, live_server, scholar)
    page.goto(f"{live_server.url}/compare/")
    region = page.locator(".matrix-scroll")
    region.evaluate("el => { el.scrollLeft = 600; }")
    offsets = _sticky_offsets(page)
    assert offsets["pageWidth"] <= offsets["viewport"], offsets
    assert abs(offsets["paperLeft"]) <= 2, offsets
    screenshot(page, "matrix-mobile", full_page=False)


# Two touch pointers spreading from 80 px to 160 px apart about the drawing's centre, then one
# finger dragging: the pointer events a phone sends (synthetic here: headless Chromium has no
# multi-touch input).
PINCH_JS = """(svg) => {
  const r = svg.getBoundingClientRect();
  const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
  const fire = (type, id, x, y) => svg.dispatchEvent(new PointerEvent(type, {
    pointerId: id, pointerType: 'touch', isPrimary: id === 1, clientX: x, clientY: y, bubbles: true}));
  fire('pointerdown', 1, cx - 40, cy); fire('pointerdown', 2, cx + 40, cy);
  fire('pointermove', 1, cx - 80, cy); fire('pointermove', 2, cx + 80, cy);
  fire('pointerup', 1, cx - 80, cy); fire('pointerup', 2, cx + 80, cy);
  const pinched = svg.getAttribute('viewBox');
  fire('pointerdown', 3, cx, cy); fire('pointermove', 3, cx - 30, cy); fire('pointermove', 3, cx - 60, cy);
  fire('pointerup', 3, cx - 60, cy);
  return [pinched, svg.getAttribute('viewBox')];
}"""


def test_pinch_zooms_and_one_finger_pans_on_a_phone(crowded, scholar, new_page, live_server):
    page = new_page(viewport=MOBILE, is_mobile=True, has_touch=True)
    errors = watch_errors(page)
    login(page, live_server, scholar)
    page.goto(f"{live_server.url}/graphs/papers/")
    svg = page.locator("svg.graph__svg")
    assert svg.evaluate("el => getComputedStyle(el).touchAction") == "none"
    pinched, panned = (list(map(float, v.split())) for v in svg.evaluate(PINCH_JS))
    x, y, w, h = pinched
    assert abs(w - 550) < 5 and abs(h - 390) < 5, pinched  # twice as close
    assert abs(x + w / 2 - 550) < 5 and abs(y + h / 2 - 390) < 5, pinched  # about the centre
    assert panned[0] > x and panned[1:] == [y, w, h], panned  # dragged left: the view moves right
    screenshot(page, "graph-mobile", full_page=False)
    assert errors == []
