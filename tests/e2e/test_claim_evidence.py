"""Claims across papers in Chromium (issue 13, browser test 2).

An editor reading a second paper selects a sentence, opens "作为证据添加到论断…", finds an
existing claim of another paper with the keyboard (type, ↓, Enter), marks the quote as
contradicting it, and sees the tally on the claim page: one paper supports, one contradicts.
And on the reader's claim form, a concept is completed from a half-typed label (数字鸿 + Enter).
Screenshots: test-artifacts/claim-picker.png, test-artifacts/claim-tally.png.
"""

from __future__ import annotations

import pytest

from kb.models import Claim, Concept
from kb.search.service import search_index_rebuild
from kb.services import claims as claim_services
from papers.models import Passage, SourceFile
from tests.e2e.conftest import SELECT_JS, login, screenshot

expect = pytest.importorskip("playwright.sync_api").expect

SUPPORTING = "数字技术作为一种赋能型的新生产要素和新生产力"
CONTRADICTING = "数字技术已经成为重塑社会治理的基础性力量"


def _passage(prefix: str, sentence: str) -> Passage:
    paper = SourceFile.objects.get(filename__startswith=prefix).paper
    return Passage.objects.get(paper=paper, revision__is_current=True, text__contains=sentence)


def test_editor_adds_evidence_from_a_second_paper_and_sees_the_tally(
    indexed_corpus, editor, other_editor, page, live_server, console_errors
):
    first = _passage("002_", SUPPORTING)
    start = first.text.index(SUPPORTING)
    claim = claim_services.claim_create(
        user=other_editor,
        paper=first.paper,
        statement="数字技术赋能共同富裕",
        evidence=[{"passage": first, "start": start, "end": start + len(SUPPORTING), "exact": SUPPORTING}],
    )
    search_index_rebuild()  # the claim is found through the index, as once the worker has run
    second = _passage("003_", CONTRADICTING)
    assert second.paper_id != claim.paper_id

    login(page, live_server, editor)
    page.goto(f"{live_server.url}{second.paper.get_absolute_url()}")
    page.evaluate(SELECT_JS, [second.pk, CONTRADICTING])
    page.locator("#annotator .annotator__toolbar").get_by_role("button", name="作为证据添加到论断…").click()
    form = page.locator('#annotator [data-form="evidence"]')
    box = form.get_by_role("combobox", name="查找论断")
    expect(box).to_be_focused()
    expect(form.locator("[data-quote]")).to_have_text(f"“{CONTRADICTING}”")
    box.press_sequentially("赋能共同富裕", delay=30)
    options = form.get_by_role("listbox", name="论断").get_by_role("option")
    expect(options.first).to_contain_text("数字技术赋能共同富裕")
    screenshot(page, "claim-picker", full_page=False)

    box.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    assert box.get_attribute("aria-activedescendant") == options.first.get_attribute("id")
    box.press("Enter")
    expect(form.get_by_role("listbox", name="论断")).to_be_hidden()
    expect(form.locator("[data-claim-picker-status]")).to_contain_text("已选：数字技术赋能共同富裕")
    stance = form.get_by_label("立场")
    expect(stance).to_be_focused()
    stance.select_option("contradicts")
    form.get_by_role("button", name="添加证据").click()
    link = form.get_by_role("link", name="查看论断")
    expect(link).to_be_focused()

    evidence = claim.evidence.get(passage=second)
    assert (evidence.exact, evidence.stance) == (CONTRADICTING, "contradicts")

    link.click()
    expect(page).to_have_url(f"{live_server.url}{claim.get_absolute_url()}")
    expect(page.locator("[data-tally]")).to_have_text("1 篇论文支持，1 篇反驳，0 篇限定")
    groups = page.locator("section.evidence-paper")
    expect(groups).to_have_count(2)
    expect(groups.nth(1).locator(".stance")).to_have_text("反驳")
    expect(groups.nth(1).locator("mark.evidence")).to_have_text(CONTRADICTING)
    expect(groups.nth(1).get_by_role("link", name=f"¶ {second.order}")).to_have_attribute(
        "href", second.get_absolute_url()
    )
    screenshot(page, "claim-tally")
    assert console_errors == []


def test_a_half_typed_concept_is_completed_not_dropped(
    indexed_corpus, editor, page, live_server, console_errors
):
    passage = _passage("002_", SUPPORTING)
    login(page, live_server, editor)
    page.goto(f"{live_server.url}{passage.paper.get_absolute_url()}")
    page.evaluate(SELECT_JS, [passage.pk, SUPPORTING])
    page.locator("#annotator .annotator__toolbar").get_by_role("button", name="提出论断").click()
    form = page.locator('#annotator [data-form="claim"]')
    form.locator("textarea[name=statement]").fill("数字技术缩小数字鸿沟")
    concepts = form.get_by_role("combobox", name="概念（中文名、英文名或别名，逗号分隔）")
    concepts.press_sequentially("数字鸿", delay=30)
    listbox = form.get_by_role("listbox", name="概念")
    expect(listbox.get_by_role("option").first).to_contain_text("数字鸿沟")
    concepts.press("Enter")  # takes the active (first) option: the form is not submitted yet
    expect(concepts).to_have_value("数字鸿沟，")
    expect(listbox).to_be_hidden()
    concepts.press_sequentially("數位落", delay=30)  # an alias, in traditional script
    expect(listbox.get_by_role("option").first).to_contain_text("数字鸿沟")
    concepts.press("Escape")  # closes the list only
    expect(listbox).to_be_hidden()
    expect(form).to_be_visible()
    concepts.fill("数字鸿沟，没有这个概念")
    form.get_by_role("button", name="提出论断").click()
    expect(form.locator("[data-error]")).to_have_text("未找到概念：没有这个概念")
    assert not Claim.objects.exists()
    concepts.fill("数字鸿沟，digital technology")
    with page.expect_navigation():
        form.get_by_role("button", name="提出论断").click()
    claim = Claim.objects.get()
    expected = set(Concept.objects.filter(label_zh__in=["数字鸿沟", "数字技术"]))
    assert len(expected) == 2 and set(claim.concepts.all()) == expected
    assert [e for e in console_errors if "400 (Bad Request)" not in e] == []
