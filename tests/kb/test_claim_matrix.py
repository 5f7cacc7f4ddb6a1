"""The comparison matrix's claims mode: claims per paper × concept, the cells' links to the
filtered claim list, who sees which claims, and a query count that does not grow with the data."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kb.lib import roles
from kb.models import ClaimStatus, Evidence
from kb.selectors.claim_matrix import claim_counts
from kb.selectors.concept_maps import comparison_matrix
from papers.models import PaperStatus
from tests import factories as f


def _claim(paper, statement, concepts, *, evidence_from=(), status=ClaimStatus.PROPOSED):
    claim = f.ClaimFactory(paper=paper, statement=statement, status=status)
    claim.concepts.set(concepts)
    for passage in evidence_from:
        Evidence.objects.create(
            claim=claim, passage=passage, revision=passage.revision, start=0, end=4, exact=passage.text[:4]
        )
    return claim


@pytest.fixture
def world(db):
    """Papers A and B (published) and D (a draft); concepts X, Y and Z (another group).

    - c1 on A about X and Y, quoting A;
    - c2 on A about X, quoting B (evidence from a second paper);
    - c3 on B about Y, rejected;
    - c4 on A with no concept;
    - c5 on A about X, quoting the draft D.
    """
    papers = {key: f.PaperFactory(title=f"论文{key}", year=2020 + i) for i, key in enumerate("AB")}
    papers["D"] = f.PaperFactory(title="论文D", status=PaperStatus.DRAFT)
    passages = {
        key: f.PassageFactory(paper=p, revision=f.RevisionFactory(paper=p)) for key, p in papers.items()
    }
    x = f.ConceptFactory(label_zh="数字鸿沟", slug="数字鸿沟", group="治理")
    y = f.ConceptFactory(label_zh="共同富裕", slug="common-prosperity", group="治理")
    z = f.ConceptFactory(label_zh="数据要素", slug="data-factor", group="经济")
    claims = {
        "c1": _claim(papers["A"], "论断一", [x, y], evidence_from=[passages["A"]]),
        "c2": _claim(papers["A"], "论断二", [x], evidence_from=[passages["B"]]),
        "c3": _claim(papers["B"], "论断三", [y], status=ClaimStatus.REJECTED),
        "c4": _claim(papers["A"], "论断四", []),
        "c5": _claim(papers["A"], "论断五", [x, z], evidence_from=[passages["D"]]),
    }
    return {"papers": papers, "passages": passages, "x": x, "y": y, "z": z, **claims}


def _cells(world, counts):
    names = {p.pk: k for k, p in world["papers"].items()}
    concepts = {world[k].pk: k for k in "xyz"}
    return {(names[p], concepts[c]): n for (p, c), n in counts.items() if n}


def test_cells_count_claims_made_on_or_quoting_a_paper(world, scholar):
    matrix = comparison_matrix(user=scholar, mode="claims")
    assert matrix.mode == "claims"
    # c2 counts for A (made there) and for B (its evidence); c1 quoting its own paper counts once;
    # c3 is rejected (hidden from a scholar), c4 has no concept, D is a draft.
    assert _cells(world, matrix.cells) == {
        ("A", "x"): 3,
        ("A", "y"): 1,
        ("A", "z"): 1,
        ("B", "x"): 1,
    }
    assert [p.title for p in matrix.papers] == ["论文A", "论文B"]
    assert [row["total"] for row in matrix.rows] == [5, 1]


def test_rejected_claims_and_drafts_count_for_those_who_may_see_them(world, editor, admin_user):
    assert _cells(world, comparison_matrix(user=editor, mode="claims").cells)[("B", "y")] == 1
    assert ("D", "x") not in _cells(world, comparison_matrix(user=editor, mode="claims").cells)
    admin_cells = _cells(world, comparison_matrix(user=admin_user, mode="claims").cells)
    assert admin_cells[("D", "x")] == 1 and admin_cells[("B", "y")] == 1


def test_group_filter_and_unknown_mode(world, scholar):
    assert _cells(world, claim_counts(user=scholar, group="经济")) == {("A", "z"): 1}
    assert _cells(world, claim_counts(user=scholar, group="治理")) == {
        ("A", "x"): 3,
        ("A", "y"): 1,
        ("B", "x"): 1,
    }
    assert comparison_matrix(user=scholar, mode="bogus").mode == "mentions"


def test_claim_counts_is_one_query(world, scholar, django_assert_num_queries):
    roles.is_editor(scholar)  # the user's roles are looked up once per request, and cached
    with django_assert_num_queries(1):
        claim_counts(user=scholar)


def test_page_queries_do_not_grow_with_claims(world, scholar_client):
    url = reverse("kb:comparison") + "?mode=claims"
    with CaptureQueriesContext(connection) as few:
        assert scholar_client.get(url).status_code == 200
    for i in range(6):
        paper = f.PaperFactory(title=f"新论文{i}")
        passage = f.PassageFactory(paper=paper, revision=f.RevisionFactory(paper=paper))
        _claim(paper, f"新论断{i}", [world["x"], world["y"]], evidence_from=[passage, world["passages"]["A"]])
    with CaptureQueriesContext(connection) as many:
        response = scholar_client.get(url)
    assert response.content.decode().count('class="matrix__paper"') == 8
    assert len(many) == len(few)


def test_each_cell_links_to_its_claims(world, scholar_client):
    a, b = world["papers"]["A"], world["papers"]["B"]
    page = scholar_client.get(reverse("kb:comparison") + "?mode=claims").content.decode()
    link = f"{reverse('kb:claim-list')}?paper={a.pk}&amp;concept={quote('数字鸿沟')}"
    assert f'href="{link}"' in page
    assert 'aria-current="page">论断数</a>' in page

    listed = scholar_client.get(reverse("kb:claim-list"), {"paper": a.pk, "concept": "数字鸿沟"})
    assert listed.status_code == 200
    assert [c.statement for c in listed.context["claims"]] == ["论断五", "论断二", "论断一"]
    via_evidence = scholar_client.get(reverse("kb:claim-list"), {"paper": b.pk, "concept": "数字鸿沟"})
    assert [c.statement for c in via_evidence.context["claims"]] == ["论断二"]
    assert "筛选条件：" in via_evidence.content.decode()


def test_claim_list_hides_rejected_claims_from_non_editors(world, scholar_client, editor_client):
    params = {"paper": world["papers"]["B"].pk, "concept": "common-prosperity"}
    assert list(scholar_client.get(reverse("kb:claim-list"), params).context["claims"]) == []
    assert [c.statement for c in editor_client.get(reverse("kb:claim-list"), params).context["claims"]] == [
        "论断三"
    ]


def test_status_links_keep_the_narrowing(world, scholar_client):
    params = {"paper": world["papers"]["A"].pk, "concept": "数字鸿沟"}
    page = scholar_client.get(reverse("kb:claim-list"), params).content.decode()
    assert f"?status=approved&amp;paper={world['papers']['A'].pk}&amp;concept=" in page


@pytest.mark.parametrize(
    "params, status",
    [
        ({"concept": "no-such-concept"}, 404),
        ({"paper": "not-a-number"}, 200),  # a malformed filter is ignored
        ({"paper": str(10**30)}, 404),
        ({"paper": "-3"}, 404),
    ],
)
def test_bad_filters(world, scholar_client, params, status):
    assert scholar_client.get(reverse("kb:claim-list"), params).status_code == status


def test_a_draft_paper_is_a_404_for_a_scholar(world, scholar_client, admin_client_):
    params = {"paper": world["papers"]["D"].pk}
    assert scholar_client.get(reverse("kb:claim-list"), params).status_code == 404
    assert [c.statement for c in admin_client_.get(reverse("kb:claim-list"), params).context["claims"]] == [
        "论断五"
    ]


def test_csv_exports_the_claims_mode(world, scholar_client):
    response = scholar_client.get(reverse("kb:comparison-csv") + "?mode=claims")
    assert "claims" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["paper_id", "title", "year"]
    by_title = {row[1]: row[3:] for row in rows[1:]}
    assert sorted(by_title) == ["论文A", "论文B"]
    assert sorted(by_title["论文A"]) == ["1", "1", "3"] and sorted(by_title["论文B"]) == ["0", "0", "1"]
