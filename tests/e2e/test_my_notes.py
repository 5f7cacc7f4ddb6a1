"""My notes in Chromium (issue 13, browser test 1, first half): a scholar highlights a sentence
in two colours (keyboard 2 for red, which they named "反驳", a click on the green swatch), comments on it with a tag,
finds the note on "My notes" by colour and by searching its text, opens the reader at its passage
from there, and exports the list as Markdown (the downloaded file's content is checked).

Screenshots: test-artifacts/my-notes-*.png (the reader with the palette, the notes page).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.models import Annotation
from kb.search import dictionary
from kb.search.index import forget_index
from tests import factories as f
from tests.e2e.conftest import SELECT_JS, login, screenshot, watch_errors

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e

SENTENCE = "数字鸿沟是数字时代社会不平等的新形态。"
FIRST, SECOND = "数字鸿沟", "社会不平等"


@pytest.fixture
def paper(transactional_db, settings, tmp_path):
    # The index is updated by the tasks the services enqueue: run them at once, in the server.
    settings.KB_SEARCH_INDEX_DIR = str(tmp_path / "search-index")
    settings.KB_SEARCH_THESAURUS_TTL = 0
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }
    dictionary.thesaurus_changed()
    paper = f.PaperFactory(
        title="数字鸿沟与共同富裕", year=2023, venue="社会科学研究", volume="39", issue="3"
    )
    f.AuthorshipFactory(paper=paper, order=0, author=f.AuthorFactory(name="王佃利"))
    revision = f.RevisionFactory(paper=paper)
    section = f.SectionFactory(revision=revision, order=0, heading="数字鸿沟的内涵")
    texts = [
        ("heading", "一、数字鸿沟的内涵"),
        ("paragraph", SENTENCE),
        ("paragraph", "弥合数字鸿沟是实现共同富裕的路径。"),
    ]
    f.passages_for(revision, [(kind, section, text) for kind, text in texts], page=12)
    yield paper
    forget_index(settings.KB_SEARCH_INDEX_DIR)


def test_scholar_highlights_in_two_colours_finds_and_exports_the_note(paper, scholar, page, live_server):
    errors = watch_errors(page)
    login(page, live_server, scholar)

    # 0. Red means "反驳" to this scholar (the colours' names page).
    page.goto(f"{live_server.url}/notes/colours/")
    page.get_by_label("2 · 红色").fill("反驳")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    expect(page.get_by_label("2 · 红色")).to_have_value("反驳")
    screenshot(page, "my-notes-colours", full_page=False)

    page.goto(f"{live_server.url}{paper.get_absolute_url()}")
    passage = paper.passages.get(order=1)
    toolbar = page.locator("#annotator .annotator__toolbar")

    # 1. Red by keyboard: select, Alt+Shift+A into the toolbar, then 2.
    page.evaluate(SELECT_JS, [passage.pk, FIRST])
    expect(toolbar).to_be_visible()
    page.keyboard.press("Alt+Shift+A")
    page.keyboard.press("2")
    red = page.locator("mark.anno--c-red")
    expect(red).to_have_text(FIRST)
    expect(red).to_have_attribute("title", "红色 · 反驳")

    # 2. Green by a click on the palette.
    page.evaluate(SELECT_JS, [passage.pk, SECOND])
    toolbar.get_by_role("button", name="3 高亮：绿色").click()
    expect(page.locator("mark.anno--c-green")).to_have_text(SECOND)
    expect(page.locator('#annotator button[data-color="green"]')).to_have_attribute("aria-pressed", "true")

    # 3. A comment with a tag on the whole sentence, in the colour picked last (green).
    page.evaluate(SELECT_JS, [passage.pk, SENTENCE])
    toolbar.get_by_role("button", name="评论").click()
    form = page.locator('#annotator [data-form="annotation"]')
    expect(form.locator("select[name=color]")).to_have_value("green")
    form.locator("select[name=color]").select_option("red")
    form.locator("textarea[name=body]").fill("不平等的**新形态**，可作为研究方法的切入点。")
    form.locator("input[name=tags]").fill("方法")
    form.get_by_role("button", name="保存").click()
    expect(page.locator(".anno-card").filter(has_text="可作为研究方法")).to_be_visible()
    notes = list(Annotation.objects.filter(creator=scholar).order_by("pk"))
    assert [(a.exact, a.color, a.tag_list) for a in notes] == [
        (FIRST, "red", []),
        (SECOND, "green", []),
        (SENTENCE, "red", ["方法"]),
    ]
    page.reload()
    shown = page.evaluate(
        """() => [...new Set(Array.from(document.querySelectorAll('mark.anno'),
             m => m.dataset.annotation + ':' + m.className.split(' ').pop()))].sort()"""
    )
    assert shown == sorted(
        f"{a.pk}:anno--c-{a.color}" for a in notes
    )  # overlapping marks, each in its colour
    page.evaluate(SELECT_JS, [passage.pk, SENTENCE])
    expect(toolbar).to_be_visible()
    screenshot(page, "my-notes-reader", full_page=False)
    page.keyboard.press("Escape")

    # 4. My notes: all three, then the red ones, then a search of the note's text.
    page.get_by_role("link", name="我的笔记").click()
    items = page.locator(".note-item")
    expect(items).to_have_count(3)
    page.locator("select[name=color]").select_option("red")
    page.get_by_role("button", name="筛选").click()
    expect(items).to_have_count(2)
    page.locator("select[name=color]").select_option("")
    page.fill("#notes-q", "研究方法")
    page.get_by_role("button", name="筛选").click()
    expect(items).to_have_count(1)
    note = items.first
    expect(note).to_contain_text("#方法")
    expect(note).to_contain_text("p. 12")
    expect(note.locator(".color-chip")).to_have_text("红色 · 反驳")
    screenshot(page, "my-notes-list")

    # 5. Export the (filtered) list as Markdown.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="导出 Markdown").click()
    download = download_info.value
    assert download.suggested_filename.startswith("tanyuan-notes-") and download.suggested_filename.endswith(
        ".md"
    )
    text = Path(download.path()).read_text(encoding="utf-8")
    assert "## 数字鸿沟与共同富裕" in text
    assert "王佃利. 数字鸿沟与共同富裕\\[J\\]. 社会科学研究, 2023, 39(3)." in text
    assert f"> {SENTENCE}\n\np. 12 · [¶ 1]({live_server.url}/papers/{paper.pk}/#p-1)" in text
    assert "不平等的**新形态**，可作为研究方法的切入点。" in text
    assert "标签：#方法 · 颜色：红色（反驳）" in text
    assert f"> {FIRST}\n" not in text  # filtered out: not the searched note

    # 6. The note opens the reader at its passage.
    with page.expect_navigation():
        note.locator(".note-item__quote a").click()
    assert page.url.endswith(f"/papers/{paper.pk}/#p-1")
    assert errors == []


def test_my_notes_pages_and_the_palette_pass_axe(paper, scholar, new_page, live_server):
    from kb.services import annotations as annotation_services
    from tests.e2e.test_accessibility import AXE, RUN_AXE, violations

    if not AXE.is_file():
        pytest.fail(f"axe-core not installed at {AXE}: run `make axe`")
    passage = paper.passages.get(order=1)
    for color, tag in (("red", "方法"), ("", "数据")):
        annotation_services.annotation_create(
            user=scholar, passage=passage, start=0, end=4, exact=FIRST, body="笔记", tags=[tag], color=color
        )
    page = new_page(bypass_csp=True)  # injecting axe is an inline script
    login(page, live_server, scholar)
    found = violations(page, f"{live_server.url}/notes/")
    found += violations(page, f"{live_server.url}/notes/?color=red&since=2030-01-01&until=2020-01-01")
    found += violations(page, f"{live_server.url}/notes/colours/")
    found += violations(page, f"{live_server.url}{paper.get_absolute_url()}")
    page.evaluate(SELECT_JS, [passage.pk, SENTENCE])
    expect(page.locator("#annotator .annotator__toolbar")).to_be_visible()
    found += [f"toolbar: {v}" for v in page.evaluate(RUN_AXE)]
    assert found == [], "\n".join(found)
