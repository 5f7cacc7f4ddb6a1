"""Every query the parser accepts runs against a real index: no field name the schema lacks,
no operator the engine refuses (tag: once raised ``Field 'tag' is not defined in the schema``)."""

from __future__ import annotations

import pytest
import tantivy
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.search.index import build_schema
from kb.search.parser import FIELDS
from kb.search.query import FILTER_FIELDS
from kb.search.selectors import search_paper_ids, search_query
from tests import factories as f
from tests.kb.search.conftest import make_paper

pytestmark = pytest.mark.django_db

_WORDS = [
    *(f"{name}:" for name in FIELDS),
    "-",
    '"',
    "“",
    "AND",
    "OR",
    "NOT",
    "并且",
    "或者",
    "不含",
    "数字鸿沟",
    "城乡",
    "待核实",
    "2020..2023",
    "footnote",
    "claim",
    "12",
    "..",
    "*",
    "\\",
    "(",
]
_queries = st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=6)), max_size=8).map(
    lambda parts: "".join(p + (" " if i % 2 else "") for i, p in enumerate(parts))
)


@pytest.fixture
def corpus(reindex):
    make_paper("数字鸿沟与城乡", [("paragraph", "数字鸿沟在城乡之间。"), ("footnote", "城乡脚注。")])
    make_paper("另一篇", [("paragraph", "城乡差距。")])
    annotation = f.AnnotationFactory(body="有待进一步的数据")
    annotation.tags.add("待核实")
    reindex()
    return annotation


def test_every_filter_reads_a_field_of_the_schema():
    schema = build_schema()
    assert set(FILTER_FIELDS) == set(FIELDS)
    for name, field_name in FILTER_FIELDS.items():
        value = "x" if name in ("kind", "tag", "type", "cited") else 1
        tantivy.Query.term_query(schema, field_name, value)  # raises on a field the schema lacks


def test_tag_filter_finds_the_tagged_annotation(corpus, scholar):
    results = search_query(query="tag:待核实", user=scholar)
    assert [(h.type, h.obj_id) for h in results.hits] == [("annotation", corpus.pk)]


def test_tag_filter_in_the_page_api_and_export(corpus, scholar_client):
    assert scholar_client.get(reverse("kb:search"), {"q": "tag:待核实"}).status_code == 200
    assert scholar_client.get(reverse("kb:search-api"), {"q": "tag:待核实"}).json()["total"] == 1


@pytest.mark.parametrize(
    ("query", "total"),
    [
        ("数字鸿沟 城乡", 2),
        ("数字鸿沟 AND 城乡", 2),
        ("数字鸿沟 并且 城乡", 2),
        ("城乡 NOT 数字鸿沟", 2),
        ("城乡 不含 数字鸿沟", 2),
        ("城乡", 4),
    ],
)
def test_explicit_operators_find_what_the_implicit_ones_find(corpus, scholar, query, total):
    assert search_query(query=query, user=scholar).total == total


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=_queries)
def test_any_parsed_query_runs_against_the_index(corpus, scholar, raw):
    search_query(query=raw, user=scholar)
    search_paper_ids(query=raw, user=scholar)
