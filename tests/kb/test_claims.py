"""Claims: creation with evidence, review workflow, relations, pages by persona, query bounds."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kb.models import Claim, ClaimStatus, CrossReference
from kb.services import claims as services
from tests import factories as f


def _evidence(paper, quote="社会不平等", order=1):
    passage = paper.passages.get(order=order)
    start = passage.text.index(quote)
    return {"passage": passage, "start": start, "end": start + len(quote), "exact": quote}


@pytest.fixture
def concept(db):
    return f.ConceptFactory(label_zh="数字鸿沟", slug="数字鸿沟")


@pytest.fixture
def claim(paper_with_text, editor, concept):
    return services.claim_create(
        user=editor,
        paper=paper_with_text,
        statement="数字鸿沟是社会不平等的新形态。",
        kind="thesis",
        concepts=[concept],
        evidence=[_evidence(paper_with_text)],
    )


@pytest.fixture
def other_claim(editor, concept):
    paper = f.PaperFactory(title="另一篇")
    revision = f.RevisionFactory(paper=paper, text="数字技术能够缩小城乡收入差距。")
    passage = f.PassageFactory(revision=revision, order=0, text=revision.text, start=0)
    return services.claim_create(
        user=editor,
        paper=paper,
        statement="数字技术缩小收入差距。",
        kind="finding",
        concepts=[concept],
        evidence=[{"passage": passage, "start": 0, "end": 4, "exact": "数字技术"}],
    )


def test_create_claim_with_anchored_evidence(claim, paper_with_text, editor, concept):
    assert (claim.status, claim.creator, list(claim.concepts.all())) == ("proposed", editor, [concept])
    ev = claim.evidence.get()
    assert (
        ev.revision.text[ev.start : ev.end] == "社会不平等" and ev.prefix and ev.anchor_status == "anchored"
    )
    assert {r.history_user for r in claim.history.all()} == {editor}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"statement": " "}, services.EMPTY_STATEMENT),
        ({"kind": "opinion"}, services.BAD_KIND),
        ({"evidence": []}, services.NO_EVIDENCE),
    ],
)
def test_invalid_claims_are_rejected(paper_with_text, editor, kwargs, message):
    args = {"statement": "陈述", "kind": "thesis", "evidence": [_evidence(paper_with_text)], **kwargs}
    with pytest.raises(ValidationError) as exc:
        services.claim_create(user=editor, paper=paper_with_text, **args)
    assert exc.value.messages == [message]
    assert Claim.objects.count() == 0


def test_evidence_may_come_from_another_paper(paper_with_text, editor):
    other = f.PassageFactory()
    claim = services.claim_create(
        user=editor,
        paper=paper_with_text,
        statement="x",
        evidence=[{"passage": other, "start": 0, "end": 4, "exact": "", "stance": "qualifies"}],
    )
    ev = claim.evidence.get()
    assert (ev.passage, ev.exact, ev.stance) == (other, "数字鸿沟", "qualifies")


def test_scholar_cannot_create_claims(paper_with_text, scholar):
    with pytest.raises(PermissionDenied):
        services.claim_create(
            user=scholar, paper=paper_with_text, statement="x", evidence=[_evidence(paper_with_text)]
        )


def test_creator_cannot_approve_own_claim(claim, editor):
    with pytest.raises(PermissionDenied) as exc:
        services.claim_review(user=editor, claim=claim, decision="approved")
    assert str(exc.value) == services.SELF_REVIEW


def test_second_editor_approves(claim, other_editor):
    services.claim_review(user=other_editor, claim=claim, decision="approved")
    claim.refresh_from_db()
    assert (claim.status, claim.reviewed_by) == ("approved", other_editor) and claim.reviewed_at


def test_admin_may_approve_own_claim(paper_with_text, admin_user):
    own = services.claim_create(
        user=admin_user, paper=paper_with_text, statement="x", evidence=[_evidence(paper_with_text)]
    )
    services.claim_review(user=admin_user, claim=own, decision="rejected")
    assert Claim.objects.get(pk=own.pk).status == "rejected"


def test_editing_an_approved_claim_sends_it_back_to_review(claim, other_editor, editor, concept):
    services.claim_review(user=other_editor, claim=claim, decision="approved")
    services.claim_update(
        user=editor, claim=claim, statement="改写后的陈述", kind="thesis", concepts=[concept]
    )
    claim.refresh_from_db()
    assert (claim.status, claim.reviewed_by) == ("proposed", None)


def test_relations_between_claims(claim, other_claim, editor):
    rel = services.claim_relation_create(
        user=editor, source=claim, target=other_claim, relation="supports", note="同向"
    )
    assert (rel.status, rel.relation, rel.note) == ("confirmed", "supports", "同向")
    assert rel.history.get().history_user == editor
    with pytest.raises(ValidationError) as exc:
        services.claim_relation_create(user=editor, source=claim, target=other_claim, relation="supports")
    assert exc.value.messages == [services.DUPLICATE_RELATION]
    with pytest.raises(ValidationError) as exc:
        services.claim_relation_create(user=editor, source=claim, target=claim, relation="supports")
    assert exc.value.messages == [services.SAME_CLAIM]
    with pytest.raises(ValidationError) as exc:
        services.claim_relation_create(user=editor, source=claim, target=other_claim, relation="cites")
    assert exc.value.messages == [services.BAD_RELATION]


# --- views ---------------------------------------------------------------------------


def test_api_creates_claim_from_selection(paper_with_text, editor_client, concept):
    ev = _evidence(paper_with_text, "新形态")
    payload = {
        "statement": "数字鸿沟是新形态",
        "kind": "definition",
        "concepts": ["数字鸿沟"],
        "evidence": [
            {"passage": ev["passage"].pk, "start": ev["start"], "end": ev["end"], "exact": "新形态"}
        ],
    }
    url = reverse("kb:api-claim-create", args=[paper_with_text.pk])
    response = editor_client.post(url, data=json.dumps(payload), content_type="application/json")
    assert response.status_code == 201, response.content
    claim = Claim.objects.get()
    assert response.json()["url"] == claim.get_absolute_url()
    assert (claim.kind, list(claim.concepts.all()), claim.evidence.get().exact) == (
        "definition",
        [concept],
        "新形态",
    )


def test_api_claim_create_forbidden_for_scholar(paper_with_text, scholar_client):
    url = reverse("kb:api-claim-create", args=[paper_with_text.pk])
    assert scholar_client.post(url, data="{}", content_type="application/json").status_code == 403


def test_claim_page_shows_evidence_in_context_and_relations(claim, other_claim, editor, persona):
    services.claim_relation_create(
        user=editor, source=claim, target=other_claim, relation="contradicts", note="相反"
    )
    name, client = persona
    html = client.get(claim.get_absolute_url()).content.decode()
    assert '数字鸿沟是数字时代<mark class="evidence">社会不平等</mark>的新形态' in html
    assert "数字技术缩小收入差距。" in html and "相反" in html
    assert ('name="decision"' in html) == (name == "admin")  # the creator cannot review; scholars never
    assert ("添加关系" in html) == (name in ("editor", "admin"))


def test_review_view(claim, other_editor, editor_client, scholar_client):
    url = reverse("kb:claim-review", args=[claim.pk])
    assert scholar_client.post(url, {"decision": "approved"}).status_code == 403
    editor_client.post(url, {"decision": "approved"})
    assert Claim.objects.get(pk=claim.pk).status == "proposed"  # own claim
    from django.test import Client

    client = Client()
    client.force_login(other_editor)
    assert client.post(url, {"decision": "approved"}).status_code == 302
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.APPROVED


def test_relation_view_links_claims(claim, other_claim, editor_client, scholar_client):
    url = reverse("kb:claim-relation-create", args=[claim.pk])
    data = {"target": other_claim.pk, "relation": "supports", "note": "n"}
    assert scholar_client.post(url, data).status_code == 403
    assert editor_client.post(url, data).status_code == 302
    rel = CrossReference.objects.get(source_claim=claim)
    assert (rel.target_claim, rel.relation) == (other_claim, "supports")
    assert editor_client.post(reverse("kb:relation-delete", args=[rel.pk])).status_code == 302
    assert not CrossReference.objects.filter(pk=rel.pk).exists()


def test_rejected_claims_hidden_from_readers(claim, admin_user, scholar_client, editor_client):
    services.claim_review(user=admin_user, claim=claim, decision="rejected")
    assert scholar_client.get(claim.get_absolute_url()).status_code == 404
    assert editor_client.get(claim.get_absolute_url()).status_code == 200


def test_pages_render_for_every_persona(claim, other_claim, editor, concept, persona):
    services.claim_relation_create(user=editor, source=claim, target=other_claim, relation="supports")
    _, client = persona
    for url in [
        reverse("kb:claim-list"),
        reverse("kb:claim-graph"),
        reverse("kb:claim-graph") + "?concept=数字鸿沟",
        reverse("kb:concept-claims", args=[concept.slug]),
    ]:
        assert client.get(url).status_code == 200, url


def test_concept_comparison_puts_quotes_side_by_side(claim, other_claim, client):
    html = client.get(reverse("kb:concept-claims", args=["数字鸿沟"])).content.decode()
    assert "数字鸿沟与共同富裕" in html and "另一篇" in html
    assert "“社会不平等”" in html and "“数字技术”" in html


def test_claim_graph_draws_clickable_nodes_and_edges(claim, other_claim, editor, client):
    services.claim_relation_create(user=editor, source=claim, target=other_claim, relation="supports")
    html = client.get(reverse("kb:claim-graph")).content.decode()
    assert html.count('class="edge edge--supports"') == 1
    assert f'href="{claim.get_absolute_url()}"' in html and f'href="{other_claim.get_absolute_url()}"' in html


def test_claim_page_query_count_is_bounded(claim, editor, editor_client, paper_with_text):
    with CaptureQueriesContext(connection) as few:
        editor_client.get(claim.get_absolute_url())
    for i in range(6):
        other = services.claim_create(
            user=editor,
            paper=paper_with_text,
            statement=f"s{i}",
            evidence=[_evidence(paper_with_text, "新形态")],
        )
        services.claim_relation_create(user=editor, source=claim, target=other, relation="elaborates")
        quote = ("数字鸿沟", "数字时代", "社会不", "平等", "新形态", "的新")[i]
        services.evidence_add(user=editor, claim=claim, **_evidence(paper_with_text, quote))
    with CaptureQueriesContext(connection) as many:
        editor_client.get(claim.get_absolute_url())
    assert len(many) == len(few)


def test_passage_crossref_from_reader(paper_with_text, editor_client, scholar_client):
    other = f.PassageFactory(order=7)
    source = paper_with_text.passages.get(order=1)
    url = reverse("kb:api-crossref-create", args=[paper_with_text.pk])
    data = {"passage": source.pk, "target_paper": other.paper_id, "target_order": 7, "relation": "elaborates"}
    assert scholar_client.post(url, data=json.dumps(data), content_type="application/json").status_code == 403
    response = editor_client.post(url, data=json.dumps(data), content_type="application/json")
    assert response.status_code == 201, response.content
    xref = CrossReference.objects.get()
    assert (xref.source_passage, xref.target_passage, xref.status) == (source, other, "confirmed")


def test_api_adds_evidence_to_an_existing_claim(claim, paper_with_text, editor_client, scholar_client):
    ev = _evidence(paper_with_text, "共同富裕", order=3)
    payload = json.dumps(
        {"passage": ev["passage"].pk, "start": ev["start"], "end": ev["end"], "exact": "共同富裕"}
    )
    url = reverse("kb:api-evidence-add", args=[claim.pk])
    assert scholar_client.post(url, data=payload, content_type="application/json").status_code == 403
    response = editor_client.post(url, data=payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert [e.exact for e in claim.evidence.order_by("pk")] == ["社会不平等", "共同富裕"]
    old = f.PassageFactory(revision=f.RevisionFactory(is_current=False))  # any paper, but its current text
    bad = json.dumps({"passage": old.pk, "exact": "数字"})
    assert editor_client.post(url, data=bad, content_type="application/json").status_code == 400


def test_reader_offers_existing_claims_for_more_evidence(claim, paper_with_text, editor_client):
    # Every claim one can see, through the claim picker (tests/kb/test_claims_across_papers.py).
    html = editor_client.get(paper_with_text.get_absolute_url()).content.decode()
    assert reverse("kb:api-claim-search") in html and 'data-action="evidence"' in html


def test_claim_edit_form(claim, editor_client, scholar_client, concept):
    url = reverse("kb:claim-edit", args=[claim.pk])
    assert scholar_client.post(url, {"statement": "x", "kind": "thesis"}).status_code == 403
    response = editor_client.post(url, {"statement": "新的陈述", "kind": "challenge", "concepts": ""})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.statement, claim.kind, list(claim.concepts.all())) == ("新的陈述", "challenge", [])
    editor_client.post(url, {"statement": " ", "kind": "challenge"})
    assert Claim.objects.get(pk=claim.pk).statement == "新的陈述"
