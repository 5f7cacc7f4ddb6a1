"""What keeps a search at a million passages fast without losing what it finds.

The bigram fallback is left out only for a frequent word the index mostly holds as a
token; a two-character word cut inside a longer token is found through its gram; facets
of a huge result set are counted in a sample and said to be approximate.
"""

import pytest

from kb.lib.textnorm import fold
from kb.search import query as search_query_module
from kb.search import selectors
from kb.search.dictionary import thesaurus
from kb.search.selectors import search_query
from tests.kb.search.conftest import make_paper


def _ids(results):
    return {h.obj_id for h in results.hits}


@pytest.fixture
def split_word(db, reindex):
    """数字社会 as a token in one passage, hidden inside 数字社会主义 in the other."""
    _, passages = make_paper(
        "数字时代", [("paragraph", "数字社会的到来改变了生活。"), ("paragraph", "数字社会主义的路径选择。")]
    )
    segmenter = thesaurus().segmenter
    whole, split = (segmenter.index_tokens(fold(p.text)) for p in passages)
    assert "数字社会" in whole and "数字社会" not in split  # the fixture means what it says
    reindex()
    return passages


def test_fallback_finds_a_word_the_passage_cut_otherwise(split_word, scholar):
    assert _ids(search_query(query="数字社会", user=scholar)) == {p.pk for p in split_word}


def test_frequent_word_mostly_held_as_a_token_skips_the_fallback(split_word, scholar, monkeypatch):
    monkeypatch.setattr(search_query_module, "FALLBACK_MAX_DF", 0)  # every word counts as frequent
    assert _ids(search_query(query="数字社会", user=scholar)) == {split_word[0].pk}


def test_frequent_word_seldom_held_as_a_token_keeps_the_fallback(split_word, scholar, monkeypatch):
    monkeypatch.setattr(search_query_module, "FALLBACK_MAX_DF", 0)
    monkeypatch.setattr(search_query_module, "FALLBACK_COVERAGE", 1.0)  # one token in two is too few
    assert _ids(search_query(query="数字社会", user=scholar)) == {p.pk for p in split_word}


def test_two_character_word_inside_a_longer_token_is_found(db, reindex, scholar):
    _, passages = make_paper("论文", [("paragraph", "发展新质生产力是推动高质量发展的内在要求。")])
    assert "新质" not in thesaurus().segmenter.index_tokens(fold(passages[0].text))
    reindex()
    assert _ids(search_query(query="新质", user=scholar)) == {passages[0].pk}


def test_facets_of_a_huge_result_set_are_sampled_and_labelled(db, reindex, scholar, client, monkeypatch):
    make_paper("数字鸿沟研究", [("paragraph", f"数字鸿沟的第{i}个方面。") for i in range(30)], year=2021)
    reindex()
    exact = search_query(query="数字鸿沟", user=scholar)
    assert not exact.facets_approximate
    assert {v.value: v.count for v in exact.facets["year"]} == {"2021": 31}

    monkeypatch.setattr(selectors, "FACET_EXACT_MAX", 20)  # 31 results: about 20 of them are counted
    sampled = search_query(query="数字鸿沟", user=scholar)
    assert sampled.facets_approximate
    assert sampled.total == exact.total  # the total stays exact
    assert [h.obj_id for h in sampled.hits] == [h.obj_id for h in exact.hits]
    client.force_login(scholar)
    page = client.get("/search/", {"q": "数字鸿沟"}).content.decode()
    assert "计数为抽样估计" in page and "≈" in page
