"""Every passage on its original page, in Chromium: a reader opens a real PDF paper, clicks
“在原页查看” on a passage, and sees the passage's region highlighted over the text of the page
image; ← and → turn the pages. Screenshots: docs/screenshots/page-view.png and
test-artifacts/page-view.png."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from papers.services import paper_save_parsed
from tests.e2e.conftest import REPO, screenshot
from tests.papers.pagepdf import parsed_from_text_layer

expect = pytest.importorskip("playwright.sync_api").expect

PDF = REPO.parent / "shared" / "pdf" / "hanspub_mos_2026_151009_road_traffic_flow.pdf"
DOCS_SCREENSHOT = REPO / "docs" / "screenshots" / "page-view.png"


@pytest.fixture
def pdf_paper(transactional_db):
    if not PDF.is_file():
        pytest.skip(f"shared PDF not found at {PDF}")
    data = PDF.read_bytes()
    parsed = parsed_from_text_layer(
        data, filename=PDF.name, title="支路汇入型道路车流量模型构建与预测研究", pages=(2, 3)
    )
    parsed.venue, parsed.year, parsed.volume, parsed.issue = "建模与仿真", 2026, "15", "1"
    for info in parsed.page_info:  # the article runs from page 93 of its issue
        info.label = str(info.number + 92)
    return paper_save_parsed(parsed=parsed, data=data).paper


def _dark_share(png: bytes, box: dict) -> float:
    """The share of dark (text) pixels inside ``box`` (viewport coordinates) of a viewport screenshot."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        area = (box["x"], box["y"], box["x"] + box["width"], box["y"] + box["height"])
        histogram = image.crop(tuple(round(v) for v in area)).convert("L").histogram()
    return sum(histogram[:128]) / max(sum(histogram), 1)


def test_view_on_page_highlights_the_passage_on_the_page_image(pdf_paper, page, console_errors, live_server):
    # a passage in the body of page 2 (the introduction), by its text
    passage = pdf_paper.passages.get(text__contains="城市主干道监测设备覆盖率")
    page.goto(f"{live_server.url}{pdf_paper.get_absolute_url()}")
    item = page.locator(f"#{passage.anchor}")
    expect(item.locator(".passage__page")).to_have_text("p. 2（印刷页码 94）")
    item.scroll_into_view_if_needed()
    screenshot(page, "reader-pages", full_page=False)
    item.get_by_role("link", name="在原页查看").click()

    expect(page).to_have_url(f"{live_server.url}/papers/{pdf_paper.pk}/pages/2/?passage={passage.pk}")
    expect(page.locator("#cite-passage-gbt7714")).to_contain_text("建模与仿真, 2026, 15(1): 94.")
    image = page.locator("img.pageview__image")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    rects = page.locator(".pageview__region.is-selected rect")
    # pageview.js brings the highlight up to the upper part of the window
    page.wait_for_function(
        "r => { const t = r.getBoundingClientRect().top; return t >= 0 && t <= innerHeight * 0.6; }",
        arg=rects.first.element_handle(),
    )
    image_box = image.bounding_box()
    assert rects.count() == len(passage.boxes)
    expect(rects.first).to_be_visible()
    for i in range(rects.count()):
        box = rects.nth(i).bounding_box()
        assert box["width"] > 20 and box["height"] > 5
        assert (
            image_box["x"] <= box["x"] and box["x"] + box["width"] <= image_box["x"] + image_box["width"] + 1
        )
        assert (
            image_box["y"] <= box["y"]
            and box["y"] + box["height"] <= image_box["y"] + image_box["height"] + 1
        )
    # the highlight lies over printed text, not over a margin: its pixels are partly dark
    first, image_box = rects.first.bounding_box(), image.bounding_box()
    shot = page.screenshot()
    assert _dark_share(shot, first) > 0.02
    margin = {**first, "x": image_box["x"] + 2, "width": 30}  # the page's left margin beside it
    assert _dark_share(shot, margin) < 0.005

    DOCS_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS_SCREENSHOT), full_page=False)
    screenshot(page, "page-view", full_page=False)

    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(f"{live_server.url}/papers/{pdf_paper.pk}/pages/3/?passage={passage.pk}")
    expect(page.locator(".pageview__region.is-selected")).to_have_count(0)
    page.keyboard.press("ArrowLeft")
    expect(page).to_have_url(f"{live_server.url}/papers/{pdf_paper.pk}/pages/2/?passage={passage.pk}")

    page.get_by_role("link", name="返回阅读器").click()
    expect(page).to_have_url(f"{live_server.url}{pdf_paper.get_absolute_url()}#{passage.anchor}")
    assert console_errors == []
    assert Path(DOCS_SCREENSHOT).stat().st_size > 10_000
    # Close the browser's idle keep-alive sockets while the live server still shares its
    # database connection: a server thread ending after the test would fail to close it.
    page.context.close()


def test_page_view_and_paged_reader_have_no_accessibility_violations(pdf_paper, new_page, live_server):
    from tests.e2e.test_accessibility import AXE, violations

    if not AXE.is_file():
        pytest.fail(f"axe-core not installed at {AXE}: run `make axe`")
    page = new_page(bypass_csp=True)  # injecting axe is an inline script
    passage = pdf_paper.passages.get(text__contains="城市主干道监测设备覆盖率")
    base = live_server.url
    found = violations(page, f"{base}{pdf_paper.get_absolute_url()}")
    found += violations(page, f"{base}/papers/{pdf_paper.pk}/pages/2/?passage={passage.pk}")
    screenshot(page, "page-view-axe", full_page=False)
    page.context.close()  # see above: no keep-alive socket outlives the live server's connection
    assert found == []
