"""The citation network on the pages: the reader's sections, the cited work page, and the
editors' forms (link decisions, stance corrections) through to the history page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kb.models import CitationStatement, CitedWork, LinkStatus, ReferenceLink
from kb.services import loading
from tests.kb.citation_samples import CITED, CITING

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    citing = loading.paper_load(data=CITING.encode(), filename="a.txt").paper_id
    cited = loading.paper_load(data=CITED.encode(), filename="b.txt").paper_id
    return citing, cited


def page(client, pk):
    response = client.get(reverse("papers:paper-detail", args=[pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_reader_shows_resolved_references_cited_by_and_co_cited(pair, scholar_client):
    citing, cited = pair
    html = page(scholar_client, citing)
    assert f'href="/papers/{cited}/" class="resolved-ref__paper"' in html
    assert "题名相同 + 第一作者" in html
    assert "确认关联" not in html  # no editor controls for a scholar
    html = page(scholar_client, cited)
    assert "本库中的施引文献" in html
    assert (
        '<mark class="citing-sentence citing-sentence--supporting">'
        "已有研究从接入与使用两个层次测度数字鸿沟，本文的发现与张明的结论一致[1]。</mark>"
    ) in html
    assert "系统建议，依据：“与张明的结论一致”" in html
    assert "共被引" in html and "数字鸿沟会自然消失吗" in html


def test_cited_work_page_lists_citing_papers_with_statements(pair, scholar_client):
    citing, _ = pair
    work = CitedWork.objects.get(title="数字鸿沟会自然消失吗")
    html = scholar_client.get(work.get_absolute_url()).content.decode()
    assert "共同富裕视域下的数字包容" in html
    assert "然而也有学者认为数字鸿沟会自然消失[2]。</mark>" in html
    assert "数字包容是共同富裕的重要条件[2]。</mark>" in html


def test_editor_corrects_a_stance_and_the_history_shows_it(pair, editor_client, editor):
    citing, cited = pair
    statement = CitationStatement.objects.get(citing_paper_id=citing, citation__marker="[1]")
    url = reverse("papers:paper-detail", args=[cited])
    response = editor_client.post(
        reverse("kb:citation-stance", args=[statement.pk]),
        {"stance": "mentioning", "version": statement.version, "next": url},
    )
    assert response.status_code == 302 and response["Location"] == url
    statement.refresh_from_db()
    assert (statement.stance, statement.confirmed_by) == ("mentioning", editor)
    history = editor_client.get(reverse("kb:history", args=["citationstatement", statement.pk]))
    assert history.status_code == 200
    html = history.content.decode()
    assert '<td>立场</td><td class="before"></td><td class="after">mentioning</td>' in html
    assert "（提及）" in html  # the statement as it is now


def test_editor_rejects_then_sets_a_link_by_url(pair, editor_client):
    citing, cited = pair
    link = ReferenceLink.objects.get(citing_paper_id=citing, reference__order=0)
    editor_client.post(
        reverse("kb:reference-link-decide", args=[link.pk, "reject"]), {"version": link.version}
    )
    link.refresh_from_db()
    assert (link.paper_id, link.status) == (None, LinkStatus.REJECTED)
    response = editor_client.post(
        reverse("kb:reference-link-decide", args=[link.pk, "set"]),
        {"version": link.version, "paper": f"http://testserver/papers/{cited}/"},
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert (link.paper_id, link.status) == (cited, LinkStatus.CONFIRMED)
    bad = editor_client.post(
        reverse("kb:reference-link-decide", args=[link.pk, "set"]), {"paper": "不是论文"}, follow=True
    )
    assert "没有找到该论文" in bad.content.decode()
    history = editor_client.get(reverse("kb:history", args=["referencelink", link.pk])).content.decode()
    assert "<td>已否决的论文</td>" in history and "参考文献关联" in history


def test_a_scholar_cannot_decide(pair, scholar_client):
    citing, _ = pair
    link = ReferenceLink.objects.get(citing_paper_id=citing, reference__order=0)
    response = scholar_client.post(reverse("kb:reference-link-decide", args=[link.pk, "reject"]))
    assert response.status_code == 403
    link.refresh_from_db()
    assert link.status == LinkStatus.SUGGESTED


def test_network_exports_read_back_in_networkx(pair, scholar_client):
    import csv
    import io

    import networkx as nx

    citing, cited = pair
    response = scholar_client.get(reverse("kb:citation-network-export", args=["graphml"]))
    assert response.status_code == 200
    graph = nx.read_graphml(io.BytesIO(response.content))
    assert graph.has_edge(f"paper:{citing}", f"paper:{cited}")
    assert graph.nodes[f"paper:{cited}"] == {
        "label": "数字鸿沟的测度与治理",
        "kind": "paper",
        "cited_by": 1,
    }
    works = [n for n, data in graph.nodes(data=True) if data["kind"] == "work"]
    assert sorted(graph.nodes[n]["label"] for n in works) == [
        "数字鸿沟会自然消失吗",
        "熵值法在综合评价中的应用",
    ]
    assert graph.number_of_edges() == 3
    rows = list(
        csv.DictReader(io.StringIO(scholar_client.get("/citations/network.csv").content.decode("utf-8-sig")))
    )
    assert {(r["source"], r["target_label"], r["references"]) for r in rows} == {
        (f"paper:{citing}", "数字鸿沟的测度与治理", "1"),
        (f"paper:{citing}", "数字鸿沟会自然消失吗", "1"),
        (f"paper:{citing}", "熵值法在综合评价中的应用", "1"),
    }
    assert scholar_client.get("/citations/network.xlsx").status_code == 404


def test_network_export_hides_draft_papers(pair, scholar_client):
    from papers.models import Paper, PaperStatus

    citing, cited = pair
    Paper.objects.filter(pk=cited).update(status=PaperStatus.DRAFT)
    body = scholar_client.get("/citations/network.csv").content.decode("utf-8-sig")
    assert f"paper:{cited}" not in body  # the reference points at the cited work instead
    assert ",数字鸿沟的测度与治理,work,2021,1" in body


def test_network_export_and_pages_cost_a_fixed_number_of_queries(
    pair, scholar_client, django_assert_max_num_queries
):
    citing, cited = pair
    more = CITING.replace("共同富裕视域下的数字包容", "数字包容的第二篇论文")
    loading.paper_load(data=more.encode(), filename="c.txt")  # a second paper citing the same works
    with django_assert_max_num_queries(8):
        assert scholar_client.get("/citations/network.graphml").status_code == 200
    work = CitedWork.objects.get(title="数字鸿沟会自然消失吗")
    with django_assert_max_num_queries(10):
        assert scholar_client.get(work.get_absolute_url()).status_code == 200


def test_concept_page_shows_the_works_most_cited_by_papers_mentioning_it(db, scholar_client):
    from tests import factories as f

    concept = f.ConceptFactory(label_zh="数字包容", slug="数字包容")
    loading.paper_load(data=CITING.encode(), filename="a.txt")
    loading.paper_load(data=CITING.replace("共同富裕视域下的", "乡村").encode(), filename="c.txt")
    html = scholar_client.get(concept.get_absolute_url()).content.decode()
    section = html[html.index("最常被引的文献") :]
    assert '数字鸿沟会自然消失吗</a> <span class="count">×2</span>' in section


def test_a_promoted_record_shows_who_cites_it(pair, editor_client):
    citing, _ = pair
    work = CitedWork.objects.get(title="数字鸿沟会自然消失吗")
    response = editor_client.post(reverse("kb:cited-work-promote", args=[work.pk]))
    work.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == work.paper.get_absolute_url()
    html = page(editor_client, work.paper_id)
    assert "尚无全文" in html
    assert "然而也有学者认为数字鸿沟会自然消失[2]。</mark>" in html
    assert "由被引文献创建" in html
