"""Reading in place in Chromium (issue browser test 3): hovering a footnote marker and a citation
shows their popovers, and the link back from the note returns focus to the marker. Also: the
keyboard and touch paths, a highlight's note, the editor's mention form staying hidden until text
is selected, and the language switch keeping the #p-N anchor."""

from __future__ import annotations

import pytest

from kb.lib.markdown import render_markdown
from kb.models import Visibility
from papers.models import Reference
from tests import factories as f
from tests.e2e.conftest import SELECT_JS, login, screenshot, watch_errors

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def noted(transactional_db):
    paper = f.PaperFactory(title="数字治理的公共价值")
    revision = f.RevisionFactory(paper=paper)
    s1 = f.SectionFactory(revision=revision, order=0, number="一、", heading="场景")
    s2 = f.SectionFactory(revision=revision, order=1, number="二、", heading="价值")
    texts = [
        ("heading", s1, "一、场景"),
        ("paragraph", s1, "数字治理的场景①，再次引用①。" + "场景治理需要公共价值的引导。" * 12),
        ("footnote", s1, "①第一页的脚注，说明场景。"),
        ("heading", s2, "二、价值"),
        ("paragraph", s2, "公共价值的实现①，见文献[1]。" + "价值实现依赖多元主体的协同。" * 30),
        ("footnote", s2, "①第二页的脚注。"),
        ("reference", None, "[1] 王某：《公共价值管理》，2020。"),
    ]
    p = f.passages_for(revision, texts)
    fn1 = f.FootnoteFactory(revision=revision, order=0, passage=p[2], text="第一页的脚注，说明场景。")
    fn2 = f.FootnoteFactory(revision=revision, order=1, page=2, passage=p[5], text="第二页的脚注。")
    ref = Reference.objects.create(
        paper=paper, revision=revision, order=0, marker="[1]", raw=p[6].text, passage=p[6]
    )
    cites = [
        p[1].citations.create(marker="①", start=6, end=7, footnote=fn1),
        p[1].citations.create(marker="①", start=12, end=13, footnote=fn1),
        p[4].citations.create(marker="①", start=6, end=7, footnote=fn2),
        p[4].citations.create(marker="[1]", start=11, end=14, reference=ref),
    ]
    base = p[4].start
    annotation = f.AnnotationFactory(
        passage=p[4],
        paper=paper,
        start=base,
        end=base + 4,
        exact="公共价值",
        body="**方法**上的要点",
        body_html=render_markdown("**方法**上的要点"),
        visibility=Visibility.PUBLIC,
    )
    return {"paper": paper, "passages": p, "cites": cites, "annotation": annotation}


def test_hover_footnote_and_citation_then_return_to_the_marker(page, live_server, noted):
    errors = watch_errors(page)
    c1, c2, c3, c4 = noted["cites"]
    page.goto(live_server.url + noted["paper"].get_absolute_url())
    popover = page.locator("#reader-popover")

    marker = page.locator(f"#cite-{c2.pk}")
    marker.hover()
    expect(popover).to_be_visible()
    expect(popover).to_contain_text("脚注 1")
    expect(popover).to_contain_text("第一页的脚注，说明场景。")
    expect(marker).to_have_attribute("aria-describedby", "reader-popover")
    expect(popover).to_have_attribute("role", "tooltip")
    screenshot(page, "popover-footnote", full_page=False)

    page.locator(f"#cite-{c4.pk}").hover()
    expect(popover).to_contain_text("参考文献")
    expect(popover).to_contain_text("王某：《公共价值管理》")
    expect(popover).not_to_contain_text("第一页的脚注")
    page.keyboard.press("Escape")
    expect(popover).to_be_hidden()

    # Following the second marker to its note, then its link back "b" returns to that marker.
    marker.click()
    expect(page.locator("#p-2")).to_be_focused()
    page.locator(f'#p-2 a[data-backlink="cite-{c2.pk}"]').click()
    expect(marker).to_be_focused()
    assert page.url.endswith(f"#cite-{c2.pk}")
    expect(marker).to_be_in_viewport()
    assert errors == []


def test_keyboard_focus_opens_and_escape_closes(page, live_server, noted):
    c1 = noted["cites"][0]
    page.goto(live_server.url + noted["paper"].get_absolute_url())
    page.locator(f"#cite-{c1.pk}").focus()
    popover = page.locator("#reader-popover")
    expect(popover).to_be_visible()
    expect(popover).to_contain_text("第一页的脚注")
    page.keyboard.press("Escape")
    expect(popover).to_be_hidden()
    expect(page.locator(f"#cite-{c1.pk}")).to_be_focused()


def test_highlight_shows_its_note(page, live_server, noted):
    page.goto(live_server.url + noted["paper"].get_absolute_url())
    mark = page.locator(f'mark[data-annotation="{noted["annotation"].pk}"]')
    expect(mark).to_have_attribute("tabindex", "0")
    mark.hover()
    popover = page.locator("#reader-popover")
    expect(popover).to_contain_text("批注")
    expect(popover).to_contain_text("方法上的要点")
    expect(popover.locator("strong")).to_have_text("方法")  # the sanitised Markdown, cloned


def test_tap_opens_the_popover_before_following(new_page, live_server, noted):
    page = new_page(has_touch=True, is_mobile=True, viewport={"width": 390, "height": 844})
    c3 = noted["cites"][2]
    url = live_server.url + noted["paper"].get_absolute_url()
    page.goto(url)
    page.locator(f"#cite-{c3.pk}").tap()
    expect(page.locator("#reader-popover")).to_contain_text("第二页的脚注")
    assert "#" not in page.url  # the first tap only previews
    page.locator(f"#cite-{c3.pk}").tap()
    expect(page).to_have_url(url + "#p-5")


def test_editor_mention_form_is_hidden_until_text_is_selected(page, live_server, noted, editor):
    login(page, live_server, editor)
    page.goto(live_server.url + noted["paper"].get_absolute_url())
    form = page.locator("#mention-add")
    expect(form).to_have_count(1)
    expect(form).to_be_hidden()  # a CSS display rule used to override the hidden attribute
    page.evaluate(SELECT_JS, [noted["passages"][4].pk, "多元主体"])
    expect(form).to_be_visible()


def test_language_switch_keeps_the_path_query_and_anchor(page, live_server, noted):
    url = live_server.url + noted["paper"].get_absolute_url() + "?hl=公共价值#p-4"
    page.goto(url)
    with page.expect_navigation():
        page.locator(".lang-switch button").first.click()
    assert page.url.endswith("#p-4")
    assert noted["paper"].get_absolute_url() in page.url and "hl=" in page.url
    expect(page.locator("html")).to_have_attribute("lang", "en")
