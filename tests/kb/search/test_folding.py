"""Traditional/simplified, thesaurus synonyms, full-width and English stemming."""

import pytest

from kb.search.selectors import search_query
from tests import factories as f
from tests.kb.search.conftest import make_paper


@pytest.fixture
def passage(db, reindex):
    _, passages = make_paper("数字鸿沟研究", [("paragraph", "弥合数字鸿沟需要提升AI素养。")])
    f.PaperFactory(
        title="Digital divides", abstract="", abstract_en="Digital divides widen inequality.", keywords=[]
    )
    f.ConceptFactory(
        label_zh="数字鸿沟", label_en="digital divide", slug="digital-divide", aliases=["數位落差"]
    )
    reindex()
    return passages[0]


@pytest.mark.parametrize("query", ["数字鸿沟", "數字鴻溝", "數位落差", "ＡＩ素养"])
def test_folded_queries_find_the_passage(passage, scholar, query):
    hits = search_query(query=query, user=scholar).hits
    assert ("passage", passage.pk) in [(h.type, h.obj_id) for h in hits]


def test_traditional_query_marks_simplified_text(passage, scholar):
    hit = next(h for h in search_query(query="數字鴻溝", user=scholar).hits if h.type == "passage")
    assert "<mark>数字鸿沟</mark>" in hit.snippet


def test_english_is_stemmed_and_case_insensitive(passage, scholar):
    hits = search_query(query="DIVIDE inequalities", user=scholar).hits
    assert [h.type for h in hits] == ["paper"]
    assert "<mark>divides</mark>" in hits[0].snippet


def test_concept_is_a_hit(passage, scholar):
    hits = search_query(query="數位落差 type:concept", user=scholar).hits
    assert [(h.type, str(h.label)) for h in hits] == [("concept", "<mark>数字鸿沟</mark>")]
