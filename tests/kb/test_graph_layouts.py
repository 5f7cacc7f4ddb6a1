"""Graphs laid out once: stored layouts are reused, a changed graph queues one recompute (served
meanwhile from the stored positions), the task stores the new positions; the graphs and the
matrix read the page aggregates, never the mentions, in a bounded number of rows; focus."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from kb.lib import layout as layout_lib
from kb.models.layouts import GraphLayout
from kb.selectors import concept_graphs, concept_maps
from kb.services.aggregates import aggregates_refresh
from kb.services.layouts import layout_key, layout_positions
from kb.tasks import graph_layout_task
from tests import factories as f

pytestmark = pytest.mark.django_db

GROUPS = ("治理", "经济")


def _library(n_papers: int, concepts, *, first_year: int = 2000):
    papers = []
    for p in range(n_papers):
        paper = f.PaperFactory(title=f"数字治理研究第{p:02d}篇", year=first_year + p)
        revision = f.RevisionFactory(paper=paper)
        passages = [f.PassageFactory(paper=paper, revision=revision, order=k) for k in range(2)]
        for i, concept in enumerate(concepts):
            if (i + p) % 2 == 0 or i < 2:
                for passage in passages[: 1 + (i + p) % 2]:
                    f.MentionFactory(concept=concept, passage=passage, start=0, end=4)
        papers.append(paper)
    aggregates_refresh(paper_ids=[p.pk for p in papers])
    return papers


@pytest.fixture
def concepts(db):
    return [
        f.ConceptFactory(label_zh=f"概念{i:02d}", label_en=f"concept {i}", slug=f"k{i}", group=GROUPS[i % 2])
        for i in range(8)
    ]


@pytest.fixture
def library(concepts):
    return _library(4, concepts)


def _html(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def _circles(html: str) -> list[tuple[str, str]]:
    drawing = html[html.index('<g class="graph__nodes">') : html.index("</svg>")]
    return re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"', drawing)


def test_layout_is_stored_once_and_reused(library, scholar_client):
    url = reverse("kb:concept-graph")
    first = _html(scholar_client, url)
    stored = GraphLayout.objects.get(key="concepts:")
    assert len(stored.positions) == 8 and stored.pending == ""
    with mock.patch("kb.services.layouts.spring_positions", wraps=layout_lib.spring_positions) as spring:
        second = _html(scholar_client, url)
        assert not spring.called  # served from storage
    circles = _circles(first)
    assert len(circles) == 8 and circles == _circles(second)
    for x, y in circles:  # inside the box, clear of the margins kept for labels
        assert 70 <= float(x) <= 1100 - 70 and 70 <= float(y) <= 780 - 70
    assert not DBTaskResult.objects.exists()


def test_each_filter_has_its_own_layout(library, scholar_client):
    _html(scholar_client, reverse("kb:concept-graph"), group="治理")
    _html(scholar_client, reverse("kb:paper-concept-graph"), group="经济", **{"from": 2001, "to": 2003})
    assert set(GraphLayout.objects.values_list("key", flat=True)) == {
        "concepts:治理",
        "papers:经济:2001-2003",
    }
    assert len(GraphLayout.objects.get(key="concepts:治理").positions) == 4


def test_a_changed_graph_is_served_from_storage_and_queues_one_recompute(
    library, concepts, scholar_client, django_capture_on_commit_callbacks
):
    url = reverse("kb:paper-concept-graph")
    _html(scholar_client, url)
    before = GraphLayout.objects.get(key="papers::-")
    _library(1, concepts, first_year=2020)  # a new paper: a new node, the graph's fingerprint changes
    with mock.patch("kb.services.layouts.spring_positions") as spring:
        with django_capture_on_commit_callbacks(execute=True):
            html = _html(scholar_client, url)
        with django_capture_on_commit_callbacks(execute=True):
            _html(scholar_client, url)  # still stale: no second task for the same graph
    assert not spring.called  # nothing laid out in the request
    assert html.count('class="graph__node graph__node--paper') == 5
    tasks = list(DBTaskResult.objects.all())
    assert [(t.task_path, t.queue_name) for t in tasks] == [("kb.tasks.graph_layout_task", "default")]
    after = GraphLayout.objects.get(pk=before.pk)
    assert after.positions == before.positions and after.pending and after.pending != after.fingerprint

    # The worker runs the task: positions for the new graph, the pending mark cleared.
    graph_layout_task.call(*tasks[0].args_kwargs["args"])
    done = GraphLayout.objects.get(pk=before.pk)
    assert done.fingerprint == after.pending and done.pending == ""
    assert len(done.positions) == len(before.positions) + 1
    with mock.patch("kb.services.layouts.spring_positions") as spring:
        _html(scholar_client, url)
    assert not spring.called and DBTaskResult.objects.count() == 1


def test_a_stale_layout_places_new_nodes_beside_their_neighbours(db):
    box = {"width": 1100, "height": 780, "margin": 70}
    sizes = {"a": 10.0, "b": 10.0, "c": 10.0}
    first = layout_positions(
        key=layout_key("test", "x"), nodes=["a", "b"], edges=[("a", "b", 1.0)], sizes=sizes, **box
    )
    served = layout_positions(
        key=layout_key("test", "x"),
        nodes=["a", "b", "c"],
        edges=[("a", "b", 1.0), ("c", "a", 1.0)],
        sizes=sizes,
        **box,
    )
    assert served["a"] == first["a"] and served["b"] == first["b"]
    assert abs(served["c"][0] - first["a"][0]) <= 30 and abs(served["c"][1] - first["a"][1]) <= 30


def test_long_keys_are_shortened_with_their_hash():
    key = layout_key("papers", "组" * 300, "2000-2020")
    assert len(key) <= 200 and key != layout_key("papers", "组" * 301, "2000-2020")


def _tables(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize(
    "url",
    [
        reverse("kb:concept-graph"),
        reverse("kb:paper-concept-graph"),
        reverse("kb:comparison"),
        reverse("kb:concept-graph") + "?focus=概念01",
    ],
)
def test_graphs_and_matrix_never_read_the_mentions(library, editor_client, url):
    for sql in _tables(editor_client, url) + _tables(editor_client, url):
        assert '"kb_mention"' not in sql, sql


def test_the_paper_graph_draws_the_newest_papers_within_the_years(library, scholar_client, monkeypatch):
    monkeypatch.setattr(concept_graphs, "MAX_GRAPH_PAPERS", 2)
    html = _html(scholar_client, reverse("kb:paper-concept-graph"))
    assert re.findall(r"数字治理研究第(\d\d)篇 \(", html) == ["02", "03"]
    html = _html(scholar_client, reverse("kb:paper-concept-graph"), **{"from": 2000, "to": 2001})
    assert re.findall(r"数字治理研究第(\d\d)篇 \(", html) == ["00", "01"]
    assert 'value="2000"' in html and 'value="2001"' in html
    assert "显示最新的 2 篇论文" in html


def test_the_concept_graph_draws_the_top_concepts_of_a_group(library, scholar_client, monkeypatch):
    monkeypatch.setattr(concept_graphs, "MAX_GRAPH_CONCEPTS", 3)
    html = _html(scholar_client, reverse("kb:concept-graph"), group="经济")
    drawn = re.findall(r'<a href="/concepts/(k\d)/" class="graph__node', html)
    assert len(drawn) == 3 and all(int(k[1:]) % 2 == 1 for k in drawn)


def test_focus_marks_the_node_and_centres_the_view(library, scholar_client):
    url = reverse("kb:concept-graph")
    html = _html(scholar_client, url, focus="concept 3")  # the English label works too
    focused = re.findall(
        r'<a href="([^"]+)" class="graph__node graph__node--concept graph__node--focused"', html
    )
    assert focused == ["/concepts/k3/"]
    x, y = re.search(
        r'<a href="/concepts/k3/" class="[^"]*focused" aria-current="true"><title>[^<]*</title>\s*'
        r'<circle cx="([\d.]+)" cy="([\d.]+)"',
        html,
    ).groups()
    view = re.search(r'<svg class="graph__svg" viewBox="([-\d. ]+)"', html).group(1).split()
    vx, vy, vw, vh = map(float, view)
    assert (vw, vh) == (550.0, 390.0)
    assert abs(vx + vw / 2 - float(x)) < 0.2 and abs(vy + vh / 2 - float(y)) < 0.2
    assert 'data-home="0 0 1100 780"' in html
    assert "已定位到“概念03”" in html

    plain = _html(scholar_client, url)
    assert 'viewBox="0 0 1100 780"' in plain and "graph__node--focused" not in plain
    missing = _html(scholar_client, url, focus="不存在的概念")
    assert "图中没有“不存在的概念”" in missing and 'viewBox="0 0 1100 780"' in missing


def test_focus_finds_a_paper_by_part_of_its_title(library, scholar_client):
    html = _html(scholar_client, reverse("kb:paper-concept-graph"), focus="第02篇")
    assert html.count("graph__node--focused") == 1
    assert re.search(r'href="/papers/\d+/" class="graph__node graph__node--paper graph__node--focused"', html)


def test_matrix_pages_over_papers_and_bounds_its_columns(library, concepts, scholar_client, monkeypatch):
    monkeypatch.setattr(concept_maps, "MATRIX_PAPERS", 3)
    monkeypatch.setattr(concept_maps, "MATRIX_CONCEPTS", 5)
    html = _html(scholar_client, reverse("kb:comparison"))
    assert html.count('class="matrix__paper"') == 3 and html.count('class="matrix__concept"') == 5
    assert 'rel="next" href="?page=2"' in html and 'rel="prev"' not in html
    html = _html(scholar_client, reverse("kb:comparison"), page=2)
    assert html.count('class="matrix__paper"') == 1 and 'rel="prev" href="?page=1"' in html
    assert 'rel="next"' not in html
    assert _html(scholar_client, reverse("kb:comparison"), page="x").count('class="matrix__paper"') == 3
    grouped = _html(scholar_client, reverse("kb:comparison"), group="治理")
    assert grouped.count('class="matrix__concept"') == 4


def test_matrix_cells_are_the_stored_counts(library, concepts, scholar):
    matrix = concept_maps.comparison_matrix(user=scholar)
    first = library[0]
    # Paper 0: concepts 0, 2, 4, 6 in one passage each, concept 1 in both passages (as every i < 2).
    assert {c: n for (p, c), n in matrix.cells.items() if p == first.pk} == {
        concepts[0].pk: 1,
        concepts[1].pk: 2,
        concepts[2].pk: 1,
        concepts[4].pk: 1,
        concepts[6].pk: 1,
    }


def test_csv_streams_every_paper_and_concept(library, concepts, scholar_client, monkeypatch):
    monkeypatch.setattr(concept_maps, "MATRIX_PAPERS", 1)
    monkeypatch.setattr(concept_maps, "CSV_CHUNK", 2)
    response = scholar_client.get(reverse("kb:comparison-csv"))
    assert response.streaming
    rows = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(rows) == 5 and rows[0].count("(concept ") == 8
    assert [r.split(",")[2] for r in rows[1:]] == ["2000", "2001", "2002", "2003"]
