"""Annotating in Chromium: an editor comments on a sentence of paper 003 with a tag, reloads and
sees the highlight on the same characters; turns another sentence into a claim with evidence and
links it to a claim of paper 001 as "supports"; a scholar cannot see the editor's private annotation
and gets the note toolbar without the editors' tools.

Screenshots: test-artifacts/annotate-*.png (reader, claim page, graph target, the scholar's view).
"""

from __future__ import annotations

import pytest
from django.core.management import call_command

from kb.models import Annotation, Claim, CrossReference
from kb.services import claims as claim_services
from papers.models import Passage, SourceFile
from tests.e2e.conftest import REPO, SELECT_JS, login, screenshot, watch_errors

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e

CORPUS = REPO.parent / "shared" / "corpus"
COMMENTED = "数字技术与社会治理的融合将产生正负双重影响。"
CLAIMED = "政府借力数字技术可以为社会治理赋能，推动实现社会治理的数字化转型。"

HIGHLIGHTED_JS = """(id) => Array.from(document.querySelectorAll(`mark[data-annotation="${id}"]`))
  .filter(m => !m.parentElement.closest(`mark[data-annotation="${id}"]`))
  .map(m => m.textContent).join('')"""


@pytest.fixture
def corpus(transactional_db):
    if not CORPUS.is_dir():
        pytest.skip(f"sample corpus not found at {CORPUS}")
    call_command("ingest", str(CORPUS), verbosity=0)


def _paper(prefix: str):
    return SourceFile.objects.get(filename__startswith=prefix).paper


def _passage_with(paper, quote: str) -> Passage:
    return Passage.objects.get(paper=paper, revision__is_current=True, text__contains=quote)


@pytest.fixture
def claim_of_001(corpus, other_editor):
    paper = _paper("001_")
    passage = _passage_with(paper, "数字技术为共同富裕的推进带来了新的契机")
    start = passage.text.index("数字技术为共同富裕的推进带来了新的契机")
    return claim_services.claim_create(
        user=other_editor,
        paper=paper,
        statement="数字技术为推进共同富裕带来新契机。",
        kind="thesis",
        evidence=[{"passage": passage, "start": start, "end": start + 19, "exact": ""}],
    )


def test_editor_annotates_and_claims_scholar_cannot_see_private(
    claim_of_001, editor, scholar, new_page, live_server
):
    paper = _paper("003_")
    url = f"{live_server.url}/papers/{paper.pk}/"
    page = new_page()
    errors = watch_errors(page)
    login(page, live_server, editor)
    page.goto(url)

    # 1. Select a sentence, comment on it with a tag (private by default).
    commented = _passage_with(paper, COMMENTED)
    page.evaluate(SELECT_JS, [commented.pk, COMMENTED])
    toolbar = page.locator("#annotator .annotator__toolbar")
    expect(toolbar).to_be_visible()
    toolbar.get_by_role("button", name="评论").click()
    form = page.locator('#annotator [data-form="annotation"]')
    form.locator("textarea[name=body]").fill("这句话是全文的**转折**。")
    form.locator("input[name=tags]").fill("正负影响")
    form.get_by_role("button", name="保存").click()
    expect(page.locator(".anno-card").filter(has_text="正负影响")).to_be_visible()
    annotation = Annotation.objects.get(creator=editor)
    assert (annotation.exact, annotation.tag_list, annotation.visibility) == (
        COMMENTED,
        ["正负影响"],
        "private",
    )

    # 2. Reload: the highlight covers exactly the same characters.
    page.reload()
    assert page.evaluate(HIGHLIGHTED_JS, annotation.pk) == COMMENTED
    expect(page.locator(f"#annotation-{annotation.pk} .anno-card__body strong")).to_have_text("转折")
    page.locator(f'mark[data-annotation="{annotation.pk}"]').first.scroll_into_view_if_needed()
    screenshot(page, "annotate-reader", full_page=False)
    page.locator(f"#annotation-{annotation.pk}").hover()
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "annotate-reader-top", full_page=False)

    # Tag autocomplete offers the tag just used.
    claimed = _passage_with(paper, CLAIMED)
    page.evaluate(SELECT_JS, [claimed.pk, CLAIMED])
    toolbar.get_by_role("button", name="标签").click()
    form.locator("input[name=tags]").press_sequentially("正负")
    expect(page.locator('#annotator-tags option[value="正负影响"]')).to_have_count(1)
    form.get_by_role("button", name="取消").click()
    expect(page.locator("#annotator")).to_be_hidden()

    # 3. Another sentence becomes a claim with its evidence, linked to paper 001's claim as "supports".
    page.evaluate(SELECT_JS, [claimed.pk, CLAIMED])
    expect(toolbar).to_be_visible()
    toolbar.get_by_role("button", name="提出论断").click()
    claim_form = page.locator('#annotator [data-form="claim"]')
    claim_form.locator("textarea[name=statement]").fill("数字技术为社会治理赋能，推动其数字化转型。")
    claim_form.locator("select[name=kind]").select_option("finding")
    with page.expect_navigation():
        claim_form.get_by_role("button", name="提出论断").click()
    claim = Claim.objects.get(creator=editor)
    assert page.url.endswith(claim.get_absolute_url())
    assert [e.exact for e in claim.evidence.all()] == [CLAIMED]
    expect(page.locator(".evidence-item mark.evidence")).to_have_text(CLAIMED)
    page.select_option("#rel-relation", "supports")
    page.select_option("#rel-target", str(claim_of_001.pk))
    page.fill("#rel-note", "两文都认为数字技术具有赋能作用。")
    with page.expect_navigation():
        page.get_by_role("button", name="添加").click()
    relation = CrossReference.objects.get(source_claim=claim)
    assert (relation.target_claim, relation.relation) == (claim_of_001, "supports")
    expect(page.locator(".relation--supports")).to_contain_text("数字技术为推进共同富裕带来新契机")
    screenshot(page, "annotate-claim")
    page.goto(f"{live_server.url}/claims/graph/")
    expect(page.locator("svg.claim-graph line.edge--supports")).to_have_count(1)
    screenshot(page, "annotate-graph", full_page=False)
    with page.expect_navigation():
        page.locator(f'svg.claim-graph a[href="{claim_of_001.get_absolute_url()}"]').click()
    screenshot(page, "annotate-graph-target")
    assert errors == []

    # 4. A scholar sees neither the private highlight nor its comment, by page or by API.
    other = new_page()
    login(other, live_server, scholar)
    other.goto(url)
    expect(other.locator("#annotation-margin")).to_be_visible()
    assert other.locator(f'mark[data-annotation="{annotation.pk}"]').count() == 0
    assert "转折" not in other.content()
    assert other.request.get(f"{live_server.url}/api/annotations/{annotation.pk}/").status == 404
    # The scholar has the toolbar for their own notes, without the editors' tools.
    assert other.locator("#annotator").count() == 1
    assert other.locator('#annotator [data-action="claim"], #annotator [data-action="crossref"]').count() == 0
    screenshot(other, "annotate-scholar", full_page=False)
