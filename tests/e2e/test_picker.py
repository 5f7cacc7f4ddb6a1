"""Pickers in the reader's annotator, in Chromium: an editor links a sentence of paper 003 to a
passage found by searching (keyboard only: type, ↓, Enter), and gets concept identifiers
suggested while typing a concept. Screenshot: test-artifacts/picker.png.
"""

from __future__ import annotations

import re

import pytest

from kb.models import AnchorStatus, Annotation, CrossReference
from kb.services import annotations as annotation_services
from papers.models import Passage, SourceFile
from tests.e2e.conftest import SELECT_JS, login, screenshot

expect = pytest.importorskip("playwright.sync_api").expect

SENTENCE = "数字技术与社会治理的融合将产生正负双重影响。"


def test_editor_picks_a_cross_reference_target_by_searching(
    indexed_corpus, editor, page, live_server, console_errors
):
    paper = SourceFile.objects.get(filename__startswith="003_").paper
    source = Passage.objects.get(paper=paper, revision__is_current=True, text__contains=SENTENCE)
    login(page, live_server, editor)
    page.goto(f"{live_server.url}/papers/{paper.pk}/")

    page.evaluate(SELECT_JS, [source.pk, SENTENCE])
    page.locator("#annotator .annotator__toolbar").get_by_role("button", name="交叉引用").click()
    form = page.locator('#annotator [data-form="crossref"]')
    box = form.get_by_role("combobox", name="查找目标段落")
    box.fill("数字鸿沟")
    options = form.get_by_role("listbox", name="段落").get_by_role("option")
    expect(options.first).to_be_visible()
    expect(form.locator("[data-picker-status]")).to_contain_text("条结果")
    expect(options.first.locator("mark").first).to_have_text("数字鸿沟")
    screenshot(page, "picker", full_page=False)

    box.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    assert box.get_attribute("aria-activedescendant") == options.first.get_attribute("id")
    box.press("Enter")
    expect(form.get_by_role("listbox")).to_be_hidden()
    expect(form.locator("[data-picker-status]")).to_contain_text("已选")
    target_paper = int(form.locator("input[name=target_paper]").input_value())
    target_order = int(form.locator("input[name=target_order]").input_value())
    target = Passage.objects.get(paper_id=target_paper, order=target_order, revision__is_current=True)
    # The first hit, in another paper (the picker leaves out the paper being read).
    assert target_paper != paper.pk
    assert "数字鸿沟" in target.text or "digital divide" in target.text.lower()

    form.locator("select[name=relation]").select_option("elaborates")
    form.get_by_role("button", name="保存").click()
    # The page reloads at the passage, with the new link in the cross-references column.
    expect(page).to_have_url(re.compile(f"#{source.anchor}$"))
    expect(
        page.locator(".margin-crossrefs a.crossref-note__other").filter(has_text=f"¶ {target_order}")
    ).to_be_visible()
    ref = CrossReference.objects.get(source_passage=source, target_passage=target)
    assert ref.relation == "elaborates"

    # Concept identifiers are suggested as one types a label.
    page.evaluate(SELECT_JS, [source.pk, SENTENCE])
    page.locator("#annotator .annotator__toolbar").get_by_role("button", name="关联概念").click()
    page.locator('#annotator input[name="concept"]').fill("数字鸿")
    suggestion = page.locator("#annotator-concepts option")
    expect(suggestion.first).to_be_attached()
    values = suggestion.evaluate_all("(options) => options.map((o) => o.value)")
    assert "digital-divide" in values, values
    assert console_errors == []


def test_editor_reattaches_an_orphan_in_one_click(indexed_corpus, editor, page, live_server, console_errors):
    paper = SourceFile.objects.get(filename__startswith="003_").paper
    passage = Passage.objects.get(paper=paper, revision__is_current=True, text__contains=SENTENCE)
    start = passage.text.index(SENTENCE)
    note = annotation_services.annotation_create(
        user=editor,
        passage=passage,
        start=start,
        end=start + len(SENTENCE),
        exact=SENTENCE,
        body="孤立了",
        visibility="editors",
    )
    # As after a revision that reworded the sentence beyond what re-anchoring accepts.
    Annotation.objects.filter(pk=note.pk).update(
        anchor_status=AnchorStatus.ORPHANED, exact="数字技术和社会治理融合会产生正负两方面的影响。"
    )
    login(page, live_server, editor)
    page.goto(f"{live_server.url}/annotations/orphans/")
    item = page.locator(f"#orphan-annotation-{note.pk}")
    candidate = item.locator(".orphan-candidates li").first
    expect(candidate).to_contain_text(f"¶ {passage.order}")
    screenshot(page, "orphans", full_page=False)
    candidate.get_by_role("button", name="挂接到这里").click()
    expect(page.locator(f"#orphan-annotation-{note.pk}")).to_have_count(0)
    note.refresh_from_db()
    assert (note.passage_id, note.anchor_status) == (passage.pk, AnchorStatus.MOVED)
    assert note.exact in passage.text
    assert console_errors == []
