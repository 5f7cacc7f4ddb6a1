"""The citation network in Chromium (issue 16, browser test).

Two papers loaded through the real load path: one cites the other. The citing paper's page
shows the reference resolved to the library paper; following the link opens the cited
paper, whose "本库中的施引文献" shows the citing sentence marked, with its suggested stance
and the cue. An editor corrects the stance with the keyboard-reachable form, and the change
appears on the statement's history page.
Screenshots: test-artifacts/citations-cited-by.png, citations-history.png, citations-cited-work.png.
"""

from __future__ import annotations

import pytest

from kb.models import CitationStatement
from kb.services import loading
from tests.e2e.conftest import login, screenshot
from tests.kb.citation_samples import CITED, CITING

expect = pytest.importorskip("playwright.sync_api").expect

SENTENCE = "已有研究从接入与使用两个层次测度数字鸿沟，本文的发现与张明的结论一致[1]。"


def test_reference_resolves_cited_by_shows_the_sentence_and_an_editor_corrects_the_stance(
    transactional_db, editor, page, live_server, console_errors
):
    citing = loading.paper_load(data=CITING.encode(), filename="citing.txt").paper_id
    cited = loading.paper_load(data=CITED.encode(), filename="cited.txt").paper_id
    login(page, live_server, editor)
    page.goto(f"{live_server.url}/papers/{citing}/")

    resolved = page.locator("#references-resolved .resolved-ref__paper")
    expect(resolved).to_have_count(1)
    expect(resolved).to_contain_text("数字鸿沟的测度与治理")
    expect(page.locator("#references-resolved")).to_contain_text("题名相同 + 第一作者")
    resolved.click()
    page.wait_for_url(f"**/papers/{cited}/")

    cited_by = page.locator("#cited-by")
    mark = cited_by.locator("mark.citing-sentence")
    expect(mark).to_have_text(SENTENCE)
    expect(mark).to_have_class("citing-sentence citing-sentence--supporting")
    statement = cited_by.locator("blockquote.citing__statement")
    expect(statement.locator(".stance-badge")).to_have_text("支持")
    expect(statement).to_contain_text("系统建议，依据：“与张明的结论一致”")
    statement.scroll_into_view_if_needed()
    screenshot(page, "citations-cited-by", full_page=False)

    select = statement.get_by_label("引用立场")
    select.focus()
    select.select_option("mentioning")
    statement.get_by_role("button", name="确认立场").press("Enter")
    page.wait_for_load_state()
    statement = page.locator("#cited-by blockquote.citing__statement")
    expect(statement.locator(".stance-badge")).to_have_text("提及")
    expect(statement).to_contain_text("编辑已确认")
    expect(page.locator("#cited-by mark.citing-sentence")).to_have_class(
        "citing-sentence citing-sentence--mentioning"
    )
    assert CitationStatement.objects.get(citation__marker="[1]").stance == "mentioning"

    statement.get_by_role("link", name="历史").click()
    page.wait_for_url("**/history/citationstatement/**")
    expect(page.locator(".history-entry").first).to_contain_text(editor.get_username())
    expect(page.locator(".history-diff").first).to_contain_text("mentioning")
    screenshot(page, "citations-history", full_page=False)

    # The citing paper's other references are cited works; each has its page of citing papers.
    page.goto(f"{live_server.url}/papers/{citing}/")
    page.locator("#references-resolved").get_by_role("link", name="被引文献").first.click()
    expect(page.locator("h1")).to_have_text("数字鸿沟会自然消失吗")
    expect(page.locator(".citing__paper")).to_contain_text("共同富裕视域下的数字包容")
    expect(page.locator("mark.citing-sentence--contrasting")).to_have_text(
        "然而也有学者认为数字鸿沟会自然消失[2]。"
    )
    screenshot(page, "citations-cited-work", full_page=False)
    assert console_errors == []
