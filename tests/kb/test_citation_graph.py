"""The citation graph page: nodes (library papers, cited works) and edges (citing → cited),
the concept and year filters, what readers may see, bounded queries and a layout stored once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kb.models import CitedWork, ReferenceLink
from kb.models.aggregates import PaperConceptCount
from kb.models.layouts import GraphLayout
from kb.selectors.concept_names import UNKNOWN_CONCEPTS
from kb.services import loading
from papers.models import Paper, PaperStatus
from tests import factories as f
from tests.kb.citation_samples import CITED, CITING

pytestmark = pytest.mark.django_db
URL = reverse("kb:citation-graph")


@pytest.fixture
def pair():
    """Two loaded papers: the citing one cites the cited one ([1], resolved) and two works."""
    citing = Paper.objects.get(pk=loading.paper_load(data=CITING.encode(), filename="a.txt").paper_id)
    cited = Paper.objects.get(pk=loading.paper_load(data=CITED.encode(), filename="b.txt").paper_id)
    Paper.objects.filter(pk=citing.pk).update(year=2023)
    Paper.objects.filter(pk=cited.pk).update(year=2021)
    return citing, cited


def graph_of(client, query: str = ""):
    response = client.get(URL + query)
    assert response.status_code == 200
    return response.context["graph"], response.content.decode()


def by_kind(graph) -> dict[str, set[str]]:
    kinds: dict[str, set[str]] = {}
    for node in graph.nodes:
        kinds.setdefault(node["kind"], set()).add(node["full_title"])
    return kinds


def test_papers_and_cited_works_linked_by_citation(pair, scholar_client):
    citing, cited = pair
    graph, html = graph_of(scholar_client)
    kinds = by_kind(graph)
    assert kinds["paper"] == {citing.title, cited.title}
    assert kinds["work"] == {"数字鸿沟会自然消失吗", "熵值法在综合评价中的应用"}
    assert len(graph.edges) == 3
    assert {(e["source"], e["target"]) for e in graph.edges} == {
        (citing.title, cited.title),
        (citing.title, "数字鸿沟会自然消失吗"),
        (citing.title, "熵值法在综合评价中的应用"),
    }
    node = next(n for n in graph.nodes if n["full_title"] == cited.title)
    assert (node["cited_by"], node["url"]) == (1, cited.get_absolute_url())
    assert node["r"] > next(n for n in graph.nodes if n["full_title"] == citing.title)["r"] - 1
    work = CitedWork.objects.get(title="数字鸿沟会自然消失吗")
    assert f'href="{work.get_absolute_url()}"' in html
    assert f'href="{cited.get_absolute_url()}"' in html
    assert 'marker-end="url(#cite-arrow)"' in html
    assert "被引文献（不在本库）" in html  # the legend
    assert f'href="{reverse("kb:citation-network-export", args=["graphml"])}"' in html


def test_a_rejected_link_points_to_its_cited_work_not_the_paper(pair, scholar_client):
    citing, cited = pair
    link = ReferenceLink.objects.get(citing_paper=citing, paper=cited)
    work = CitedWork.objects.create(title="另一条记录", year=2021)
    ReferenceLink.objects.filter(pk=link.pk).update(status="rejected", paper=None, cited_work=work)
    graph, _ = graph_of(scholar_client)
    assert by_kind(graph)["paper"] == {citing.title}
    assert "另一条记录" in by_kind(graph)["work"]


def test_concept_filter_keeps_the_citations_of_papers_mentioning_it(pair, scholar_client):
    citing, _cited = pair
    mentioned = f.ConceptFactory(label_zh="数字包容", slug="digital-inclusion", label_en="digital inclusion")
    f.ConceptFactory(label_zh="公共价值", slug="public-value", label_en="public value")
    PaperConceptCount.objects.create(paper=citing, concept=mentioned, mentions=3, passages=2)
    graph, _ = graph_of(scholar_client, "?concept=digital+inclusion")
    assert len(graph.edges) == 3
    graph, html = graph_of(scholar_client, "?concept=公共价值")
    assert graph.nodes == [] and "所选范围内还没有" in html
    _, html = graph_of(scholar_client, "?concept=没有这个概念")
    assert str(UNKNOWN_CONCEPTS % {"names": "没有这个概念"}) in html


def test_year_filter_is_the_citing_papers_year(pair, scholar_client):
    graph, _ = graph_of(scholar_client, "?from=2023&to=2023")
    assert len(graph.edges) == 3
    graph, _ = graph_of(scholar_client, "?from=2024")
    assert graph.nodes == []
    graph, _ = graph_of(scholar_client, "?from=2021&to=2022")  # the cited paper cites nothing
    assert graph.nodes == []
    graph, _ = graph_of(scholar_client, "?from=2030&to=2020")  # a reversed range is read the right way
    assert len(graph.edges) == 3
    graph, _ = graph_of(scholar_client, "?from=abc&to=-5")  # bad years are ignored, never a 500
    assert len(graph.edges) == 3


def test_readers_never_see_unpublished_papers(pair, scholar_client, admin_client):
    citing, cited = pair
    Paper.objects.filter(pk=cited.pk).update(status=PaperStatus.DRAFT)
    graph, html = graph_of(scholar_client)
    assert cited.title not in by_kind(graph).get("paper", set())
    assert f'href="{cited.get_absolute_url()}"' not in html
    # The reference still names a work: it is drawn as a cited work, as its text says.
    assert cited.title in by_kind(graph)["work"] and len(graph.edges) == 3
    graph, _ = graph_of(admin_client)
    assert cited.title in by_kind(graph)["paper"]
    Paper.objects.filter(pk=citing.pk).update(status=PaperStatus.DRAFT)
    graph, _ = graph_of(scholar_client)
    assert graph.nodes == []


def test_focus_centres_the_view_on_a_node(pair, scholar_client):
    _citing, cited = pair
    graph, html = graph_of(scholar_client, "?focus=" + cited.title)
    assert graph.focus["full_title"] == cited.title and 'aria-current="true"' in html
    assert graph.view_box != f"0 0 {graph.width} {graph.height}"
    graph, html = graph_of(scholar_client, "?focus=不在图中")
    assert graph.focus is None and "图中没有“不在图中”" in html


def test_layout_is_stored_once_per_filter(pair, scholar_client):
    graph_of(scholar_client)
    layout = GraphLayout.objects.get(key__startswith="citations:")
    graph_of(scholar_client)
    assert GraphLayout.objects.filter(key__startswith="citations:").count() == 1
    assert GraphLayout.objects.get(pk=layout.pk).computed_at == layout.computed_at
    graph_of(scholar_client, "?from=2020")
    assert GraphLayout.objects.filter(key__startswith="citations:").count() == 2


def _citing_paper(works: list[CitedWork], n: int) -> None:
    paper = f.PaperFactory(year=2000 + n % 20)
    revision = f.RevisionFactory(paper=paper)
    f.references_to_works(paper=paper, revision=revision, works=works)


def test_queries_do_not_grow_with_papers(scholar_client):
    works = [CitedWork.objects.create(title=f"被引文献{i}", year=2010) for i in range(6)]

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert scholar_client.get(URL).status_code == 200
        return len(queries)

    for n in range(3):
        _citing_paper(works[n % 3 :], n)
    count()  # lays the graph out and stores it
    few = count()
    for n in range(40):
        _citing_paper(works[n % 3 :], n)
    count()  # the graph changed: served from storage, one recompute queued
    assert count() == few <= 9


def test_nodes_are_bounded(scholar_client, monkeypatch):
    from kb.selectors import citation_graph

    monkeypatch.setattr(citation_graph, "MAX_CITED", 4)
    monkeypatch.setattr(citation_graph, "MAX_CITING", 2)
    works = [CitedWork.objects.create(title=f"被引文献{i}", year=2010) for i in range(8)]
    for n in range(5):
        _citing_paper(works[: 3 + n], n)
    graph, _ = graph_of(scholar_client)
    assert by_kind(graph)["work"] == {f"被引文献{i}" for i in range(4)}  # the most cited
    assert len(by_kind(graph)["paper"]) == 2
