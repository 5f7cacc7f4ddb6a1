"""Claims across papers: evidence from any paper with a stance, the tally of papers per stance,
the claim picker, concepts named by label/alias/script on the claim forms, and the per-concept
comparison showing every claim."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kb.models import Claim, Evidence
from kb.search import dictionary
from kb.search.index import forget_index
from kb.search.service import search_index_rebuild
from kb.selectors import claim_evidence, concept_names
from kb.services import claims as services
from kb.services.versions import StaleEdit
from tests import factories as f


@pytest.fixture(autouse=True)
def _own_search_index(settings, tmp_path):
    # The claim picker searches the index: never the project's own (var/).
    settings.KB_SEARCH_INDEX_DIR = str(tmp_path / "search-index")
    settings.KB_SEARCH_THESAURUS_TTL = 0
    dictionary.thesaurus_changed()
    yield
    forget_index(settings.KB_SEARCH_INDEX_DIR)


def _paper(title: str, text: str, *, year: int = 2022, page: int | None = 3):
    paper = f.PaperFactory(title=title, year=year)
    f.AuthorshipFactory(paper=paper, order=0, author=f.AuthorFactory(name="王明"))
    revision = f.RevisionFactory(paper=paper)
    section = f.SectionFactory(revision=revision, order=0)
    (passage,) = f.passages_for(revision, [("paragraph", section, text)], page=page)
    return paper, passage


def _quote(passage, quote: str) -> dict:
    start = passage.text.index(quote)
    return {"passage": passage, "start": start, "end": start + len(quote), "exact": quote}


@pytest.fixture
def divide(db):
    return f.ConceptFactory(
        label_zh="数字鸿沟",
        label_en="digital divide",
        slug="digital-divide",
        aliases=["數位落差", "digital gap"],
    )


@pytest.fixture
def prosperity(db):
    return f.ConceptFactory(label_zh="共同富裕", label_en="common prosperity", slug="common-prosperity")


@pytest.fixture
def papers(db):
    """Three papers, each with one passage."""
    return [
        _paper("数字技术与共同富裕", "数字技术显著缩小了城乡收入差距。", year=2021),
        _paper("数字鸿沟的再审视", "数字技术反而扩大了城乡收入差距。", year=2022, page=None),
        _paper("平台经济与分配", "只有在基础设施完善的地区，数字技术才缩小收入差距。", year=2023),
    ]


@pytest.fixture
def claim(papers, editor):
    paper, passage = papers[0]
    return services.claim_create(
        user=editor,
        paper=paper,
        statement="数字技术赋能共同富裕。",
        evidence=[_quote(passage, "缩小了城乡收入差距")],
    )


# --- service --------------------------------------------------------------------------------


def test_evidence_from_another_paper_with_a_stance(claim, papers, editor):
    _, passage = papers[1]
    ev = services.evidence_add(user=editor, claim=claim, stance="contradicts", **_quote(passage, "扩大了"))
    assert (ev.passage, ev.revision.paper, ev.stance, ev.anchor_status) == (
        passage,
        papers[1][0],
        "contradicts",
        "anchored",
    )
    assert ev.history.get().history_user == editor
    assert claim.evidence.get(stance="supports").passage == papers[0][1]  # the default stance


def test_bad_stance_and_duplicate_quote_are_refused(claim, papers, editor):
    _, passage = papers[1]
    with pytest.raises(ValidationError) as exc:
        services.evidence_add(user=editor, claim=claim, stance="agrees", **_quote(passage, "扩大了"))
    assert exc.value.messages == [services.BAD_STANCE]
    services.evidence_add(user=editor, claim=claim, **_quote(passage, "扩大了"))
    with pytest.raises(ValidationError) as exc:
        services.evidence_add(user=editor, claim=claim, stance="qualifies", **_quote(passage, "扩大了"))
    assert exc.value.messages == [services.DUPLICATE_EVIDENCE]
    assert claim.evidence.count() == 2


def test_scholar_cannot_add_evidence_or_change_a_stance(claim, papers, scholar):
    with pytest.raises(PermissionDenied):
        services.evidence_add(user=scholar, claim=claim, **_quote(papers[1][1], "扩大了"))
    with pytest.raises(PermissionDenied):
        services.evidence_set_stance(user=scholar, evidence=claim.evidence.get(), stance="qualifies")


def test_stance_change_keeps_history_and_refuses_a_stale_version(claim, editor, other_editor):
    ev = claim.evidence.get()
    services.evidence_set_stance(user=other_editor, evidence=ev, stance="qualifies", version=ev.version)
    ev.refresh_from_db()
    assert ev.stance == "qualifies"
    history = list(ev.history.order_by("history_id"))
    assert [(h.stance, h.history_user) for h in history] == [
        ("supports", editor),
        ("qualifies", other_editor),
    ]
    with pytest.raises(StaleEdit):
        services.evidence_set_stance(user=editor, evidence=ev, stance="contradicts", version=1)
    assert Evidence.objects.get(pk=ev.pk).stance == "qualifies"


def test_tally_counts_papers_under_each_stance_they_have_evidence_for(claim, papers, editor):
    services.evidence_add(user=editor, claim=claim, stance="supports", **_quote(papers[0][1], "数字技术"))
    services.evidence_add(user=editor, claim=claim, stance="contradicts", **_quote(papers[1][1], "扩大了"))
    services.evidence_add(
        user=editor, claim=claim, stance="qualifies", **_quote(papers[2][1], "基础设施完善")
    )
    services.evidence_add(user=editor, claim=claim, stance="supports", **_quote(papers[2][1], "缩小收入差距"))
    groups, tally = claim_evidence.evidence_by_paper(claim=claim, user=editor)
    assert (tally.supports, tally.contradicts, tally.qualifies) == (2, 1, 1)
    assert [g.paper for g in groups] == [p for p, _ in papers]  # the claim's own paper first, then by year
    assert [len(g.items) for g in groups] == [2, 1, 2]
    assert groups[0].reference.startswith("王明. 数字技术与共同富裕[J]")


# --- views ----------------------------------------------------------------------------------


def _post_json(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


def test_api_adds_evidence_from_another_paper(claim, papers, editor_client, scholar_client):
    _, passage = papers[1]
    quote = _quote(passage, "扩大了")
    payload = {**quote, "passage": passage.pk, "stance": "contradicts"}
    url = reverse("kb:api-evidence-add", args=[claim.pk])
    assert _post_json(scholar_client, url, payload).status_code == 403
    response = _post_json(editor_client, url, payload)
    assert response.status_code == 201, response.content
    assert response.json()["stance"] == "contradicts" and response.json()["url"] == claim.get_absolute_url()
    assert claim.evidence.get(passage=passage).stance == "contradicts"


def test_api_refuses_an_old_revision_a_draft_and_a_bad_stance(claim, papers, editor_client):
    url = reverse("kb:api-evidence-add", args=[claim.pk])
    old = f.PassageFactory(revision=f.RevisionFactory(is_current=False))
    draft_paper, draft = _paper("草稿", "数字技术改变了一切。")
    draft_paper.status = "draft"
    draft_paper.save()
    for passage in (old, draft):
        response = _post_json(editor_client, url, {"passage": passage.pk, "exact": "数字"})
        assert response.status_code == 400, passage
    response = _post_json(editor_client, url, {"passage": papers[1][1].pk, "exact": "扩大了", "stance": "x"})
    assert response.json() == {"errors": [str(services.BAD_STANCE)]}
    assert claim.evidence.count() == 1


def test_claim_page_groups_evidence_by_paper_with_pages_links_and_tally(claim, papers, editor, client):
    services.evidence_add(user=editor, claim=claim, stance="contradicts", **_quote(papers[1][1], "扩大了"))
    services.evidence_add(
        user=editor, claim=claim, stance="qualifies", **_quote(papers[2][1], "基础设施完善")
    )
    html = client.get(claim.get_absolute_url()).content.decode()
    assert "1 篇论文支持，1 篇反驳，1 篇限定" in html
    assert html.count('class="evidence-paper"') == 3
    assert html.index("数字技术与共同富裕") < html.index("数字鸿沟的再审视") < html.index("平台经济与分配")
    assert html.count('<span class="evidence-item__page">p. 3</span>') == 2  # the text source has no page
    assert f'href="{papers[1][1].get_absolute_url()}"' in html
    assert '<mark class="evidence">扩大了</mark>' in html


def test_claim_page_query_count_does_not_grow_with_papers(claim, editor, editor_client):
    with CaptureQueriesContext(connection) as few:
        editor_client.get(claim.get_absolute_url())
    for i in range(5):
        _, passage = _paper(f"论文{i}", f"第{i}篇论文认为数字技术缩小差距。")
        services.evidence_add(user=editor, claim=claim, stance="qualifies", **_quote(passage, "数字技术"))
    with CaptureQueriesContext(connection) as many:
        response = editor_client.get(claim.get_absolute_url())
    assert "1 篇论文支持，0 篇反驳，5 篇限定" in response.content.decode()
    assert len(many) == len(few)


def test_stance_form_on_the_claim_page(claim, editor_client, scholar_client):
    ev = claim.evidence.get()
    url = reverse("kb:evidence-stance", args=[ev.pk])
    assert scholar_client.post(url, {"stance": "contradicts"}).status_code == 403
    response = editor_client.post(url, {"stance": "contradicts", "version": ev.version})
    assert response.status_code == 302 and response["Location"].endswith(f"#evidence-{ev.pk}")
    assert Evidence.objects.get(pk=ev.pk).stance == "contradicts"
    stale = editor_client.post(url, {"stance": "qualifies", "version": ev.version}, follow=True)
    assert Evidence.objects.get(pk=ev.pk).stance == "contradicts"
    assert "保存未完成" in stale.content.decode()


def test_claim_picker_searches_claims_of_every_paper(claim, papers, editor, editor_client, scholar_client):
    other = f.ClaimFactory(paper=papers[1][0], creator=editor, statement="数字技术扩大城乡收入差距。")
    f.ClaimFactory(paper=papers[2][0], creator=editor, statement="平台经济重塑分配。")
    url = reverse("kb:api-claim-search")
    assert scholar_client.get(url, {"q": "数字技术"}).status_code == 403
    found = editor_client.get(url, {"q": "数字技术"}).json()["claims"]
    assert {c["id"] for c in found} == {claim.pk, other.pk}
    hit = next(c for c in found if c["id"] == other.pk)
    assert hit["evidence_api"] == reverse("kb:api-evidence-add", args=[other.pk])
    assert hit["paper"] == "数字鸿沟的再审视"
    assert editor_client.get(url, {"q": ""}).json() == {"claims": []}


def test_claim_picker_uses_the_search_index(claim, papers, editor, django_capture_on_commit_callbacks):
    search_index_rebuild()
    # 數字技術 (traditional script) matches through the index's folding; a plain icontains would not.
    found = claim_evidence.claim_search(user=editor, query="數字技術 共同富裕")
    assert [c.pk for c in found] == [claim.pk]


def test_claim_picker_leaves_out_rejected_claims_for_readers_and_bounds_results(
    claim, papers, editor, admin_user
):
    for i in range(15):
        f.ClaimFactory(paper=papers[1][0], creator=editor, statement=f"数字技术第{i}条论断")
    services.claim_review(user=admin_user, claim=claim, decision="rejected")
    found = claim_evidence.claim_search(user=editor, query="数字技术")
    assert len(found) == claim_evidence.SEARCH_LIMIT
    scholar = f.UserFactory(username="s2", role="Scholar")
    assert claim.pk not in {c.pk for c in claim_evidence.claim_search(user=scholar, query="赋能")}


def test_reader_offers_the_claim_picker_to_editors_only(claim, papers, editor_client, scholar_client):
    url = papers[1][0].get_absolute_url()
    html = editor_client.get(url).content.decode()
    assert 'data-action="evidence"' in html and reverse("kb:api-claim-search") in html
    assert 'data-action="evidence"' not in scholar_client.get(url).content.decode()


# --- concepts by name -----------------------------------------------------------------------


def test_concepts_resolve_by_label_alias_english_slug_and_other_script(divide, prosperity):
    names = "數字鴻溝，common prosperity、 digital gap, 数位落差;digital-divide"
    assert concept_names.concepts_resolve(names=names) == [divide, prosperity]
    assert concept_names.concepts_resolve(names=["ＤＩＧＩＴＡＬ　ＤＩＶＩＤＥ"]) == [divide]


def test_unknown_concept_names_are_an_error_naming_them(divide):
    with pytest.raises(ValidationError) as exc:
        concept_names.concepts_resolve(names="数字鸿, 数字鸿沟, 不存在")
    assert exc.value.messages == ["未找到概念：数字鸿、不存在"]


def test_merged_concept_names_lead_to_the_target(divide):
    old = f.ConceptFactory(label_zh="信息鸿沟", slug="information-divide", merged_into=divide)
    assert concept_names.concepts_resolve(names="信息鸿沟") == [divide]
    assert [s.slug for s in concept_names.concept_suggest(query="信息")] == [divide.slug]
    assert old.pk != divide.pk


def test_claim_edit_form_reports_an_unknown_concept_and_keeps_the_text(claim, divide, editor_client):
    url = reverse("kb:claim-edit", args=[claim.pk])
    data = {"statement": "改过的陈述", "kind": "finding", "concepts": "数字鸿", "version": claim.version}
    response = editor_client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "未找到概念：数字鸿" in html and "改过的陈述" in html and 'value="数字鸿"' in html
    claim.refresh_from_db()
    assert (claim.statement, list(claim.concepts.all())) == ("数字技术赋能共同富裕。", [])


def test_claim_edit_form_accepts_an_alias_in_another_script(claim, divide, prosperity, editor_client):
    url = reverse("kb:claim-edit", args=[claim.pk])
    data = {
        "statement": "改过的陈述",
        "kind": "finding",
        "concepts": "數字鴻溝，共同富裕",
        "version": claim.version,
    }
    assert editor_client.post(url, data).status_code == 302
    assert set(Claim.objects.get(pk=claim.pk).concepts.all()) == {divide, prosperity}
    html = editor_client.get(claim.get_absolute_url()).content.decode()
    assert 'value="共同富裕，数字鸿沟"' in html  # the form shows labels, not identifiers


def test_api_claim_create_refuses_an_unknown_concept(papers, divide, editor_client):
    paper, passage = papers[0]
    payload = {
        "statement": "数字技术缩小差距",
        "concepts": ["数字鸿"],
        "evidence": [{**_quote(passage, "数字技术"), "passage": passage.pk}],
    }
    response = _post_json(editor_client, reverse("kb:api-claim-create", args=[paper.pk]), payload)
    assert response.status_code == 400
    assert response.json() == {"errors": ["未找到概念：数字鸿"]}
    assert not Claim.objects.exists()


def test_concept_suggest_matches_labels_aliases_and_scripts(divide, prosperity, scholar_client, client):
    url = reverse("kb:api-concept-suggest")
    found = scholar_client.get(url, {"q": "數位"}).json()["concepts"]
    assert found == [
        {
            "slug": "digital-divide",
            "label_zh": "数字鸿沟",
            "label_en": "digital divide",
            "matched": "數位落差",
        }
    ]
    assert [c["slug"] for c in scholar_client.get(url, {"q": "数字鸿"}).json()["concepts"]] == [
        "digital-divide"
    ]
    english = scholar_client.get(url, {"q": "COMMON"}).json()["concepts"]
    assert [c["slug"] for c in english] == ["common-prosperity"]
    assert scholar_client.get(url, {"q": ""}).json() == {"concepts": []}


# --- the per-concept comparison -------------------------------------------------------------


def test_comparison_shows_every_claim_made_with_the_concept_typed_by_name(
    papers, divide, editor_client, client
):
    """The reported bug: three claims on 数字鸿沟 from the reader, the comparison showed 1 of 3.

    The reader's claim form sent what the editor typed, and only an exact slug was kept:
    数字鸿沟 (the label) and 數字鴻溝 (another script) were dropped without a word."""
    typed = ["digital-divide", "数字鸿沟", "數字鴻溝"]
    for (paper, passage), name in zip(papers, typed, strict=True):
        payload = {
            "statement": f"关于数字鸿沟的论断（{name}）",
            "kind": "finding",
            "concepts": [name],
            "evidence": [{**_quote(passage, "数字技术"), "passage": passage.pk}],
        }
        response = _post_json(editor_client, reverse("kb:api-claim-create", args=[paper.pk]), payload)
        assert response.status_code == 201, response.content
    html = client.get(reverse("kb:concept-claims", args=[divide.slug])).content.decode()
    for name in typed:
        assert f"关于数字鸿沟的论断（{name}）" in html
    assert html.count("<blockquote>“数字技术”</blockquote>") == 3


def test_comparison_quotes_the_claims_own_paper(claim, papers, editor, divide, client):
    claim.concepts.add(divide)
    services.evidence_add(
        user=editor, claim=claim, stance="contradicts", **_quote(papers[1][1], "数字技术反而")
    )
    html = client.get(reverse("kb:concept-claims", args=[divide.slug])).content.decode()
    assert "“缩小了城乡收入差距”" in html and "“数字技术反而”" not in html


# --- evidence quoting another paper, when that paper's text is revised ----------------------


def test_evidence_from_another_paper_is_reanchored_when_that_paper_is_revised(claim, papers, editor, client):
    from kb.services import anchoring as anchoring_services
    from papers.models import Passage

    paper, passage = papers[1]
    ev = services.evidence_add(user=editor, claim=claim, stance="contradicts", **_quote(passage, "扩大了"))
    passage.revision.is_current = False
    passage.revision.save()
    new = f.RevisionFactory(paper=paper, number=2, text="")
    f.passages_for(new, [("paragraph", None, "近年来，" + passage.text)])
    assert anchoring_services.mark_for_reanchoring(paper=paper) == 1
    anchoring_services.targets_reanchor(paper=paper, user=editor)
    ev.refresh_from_db()
    moved = Passage.objects.get(revision=new)
    assert (ev.anchor_status, ev.revision, ev.passage, ev.exact) == ("moved", new, moved, "扩大了")
    # The reader of the quoted paper marks it, and lists the claim of the other paper in its margin.
    html = client.get(paper.get_absolute_url()).content.decode()
    assert f'<mark class="evidence evidence--proposed" data-claim="{claim.pk}">扩大了</mark>' in html


def test_orphaned_evidence_is_reattached_in_the_paper_it_quotes(claim, papers, editor, editor_client):
    from kb.models import AnchorStatus

    paper, passage = papers[1]
    ev = services.evidence_add(user=editor, claim=claim, **_quote(passage, "扩大了"))
    Evidence.objects.filter(pk=ev.pk).update(anchor_status=AnchorStatus.ORPHANED)
    listing = editor_client.get(reverse("kb:orphan-list")).content.decode()
    assert "数字鸿沟的再审视" in listing  # the quoted paper, not the claim's
    url = reverse("kb:orphan-reattach", args=["evidence", ev.pk])
    editor_client.post(url, {"order": passage.order, "exact": "扩大了"})
    ev.refresh_from_db()
    assert (ev.anchor_status, ev.passage) == ("moved", passage)
