"""Ranked results on a small fixture, in exact order: BM25 with paper-title and heading boosts."""

import pytest

from kb.search.selectors import search_query
from tests import factories as f
from tests.kb.search.conftest import make_paper


@pytest.fixture
def corpus(db, reindex):
    a, pa = make_paper(
        "数字鸿沟与共同富裕",
        [("heading", "数字鸿沟的内涵"), ("paragraph", "数字鸿沟是数字时代社会不平等的新形态。")],
        heading="数字鸿沟的内涵",
        year=2023,
    )
    b, pb = make_paper(
        "乡村振兴研究",
        [
            (
                "paragraph",
                "城乡之间存在数字鸿沟，也存在收入差距、教育差距、医疗差距与养老差距等诸多方面的差距。",
            ),
            ("footnote", "①参见国家统计局关于数字鸿沟的数据。"),
        ],
        year=2020,
    )
    c, pc = make_paper(
        "平台经济治理",
        [("paragraph", "弥合数字鸿沟，数字鸿沟，数字鸿沟。"), ("paragraph", "平台经济的治理路径。")],
        year=2021,
    )
    f.AuthorshipFactory(paper=a, author=f.AuthorFactory(name="王小明"), order=0)
    reindex()
    return {"a": pa, "b": pb, "c": pc}


def _keys(results):
    return [(h.type, h.obj_id) for h in results.hits]


def test_title_and_heading_boosts_then_bm25(corpus, scholar):
    results = search_query(query="数字鸿沟 type:passage", user=scholar)
    a, b, c = corpus["a"], corpus["b"], corpus["c"]
    assert _keys(results) == [
        ("passage", a[0].pk),  # in a heading, under that heading, in a paper of that title
        ("passage", a[1].pk),  # under that heading, in a paper of that title
        ("passage", c[0].pk),  # three times in a short passage
        ("passage", b[1].pk),  # once in a short footnote
        ("passage", b[0].pk),  # once in a long paragraph
    ]


def test_paper_metadata_is_searchable(corpus, scholar):
    results = search_query(query="王小明", user=scholar)
    assert _keys(results) == [("paper", corpus["a"][0].paper_id)]


def test_filters(corpus, scholar):
    b = corpus["b"]
    assert _keys(search_query(query="数字鸿沟 kind:footnote", user=scholar)) == [("passage", b[1].pk)]
    assert _keys(search_query(query="数字鸿沟 kind:脚注", user=scholar)) == [("passage", b[1].pk)]
    years = search_query(query="数字鸿沟 year:2020..2021 type:passage", user=scholar)
    assert {h.year for h in years.hits} == {2020, 2021}
    assert len(search_query(query="数字鸿沟 author:王小明", user=scholar).hits) == 3
    assert search_query(query="数字鸿沟 author:无此人", user=scholar).hits == []
    only_c = search_query(query="数字鸿沟", user=scholar, filters={"paper": [str(corpus["c"][0].paper_id)]})
    assert _keys(only_c) == [("passage", corpus["c"][0].pk)]


def test_exclusion_or_and_phrase(corpus, scholar):
    c = corpus["c"]
    assert ("passage", c[0].pk) not in _keys(search_query(query="数字鸿沟 -弥合", user=scholar))
    either = search_query(query="养老 OR 平台 type:passage", user=scholar)
    assert set(_keys(either)) == {("passage", corpus["b"][0].pk), ("passage", c[1].pk)}
    phrase = search_query(query='"鸿沟是数字"', user=scholar)
    assert _keys(phrase) == [("passage", corpus["a"][1].pk)]


def test_a_phrase_never_runs_across_punctuation(corpus, scholar):
    # Passage c[0] reads "弥合数字鸿沟，数字鸿沟，……": 鸿沟 and 数字 are only ever split by a comma.
    assert _keys(search_query(query='"鸿沟数字" type:passage', user=scholar)) == []
    assert ("passage", corpus["c"][0].pk) in _keys(search_query(query='"合数字鸿"', user=scholar))


def test_english_phrases_are_words_in_a_row(db, reindex, scholar):
    _, (first, second) = make_paper(
        "英文摘要",
        [
            ("abstract", "The digital divide widens; access to the internet divides regions."),
            ("abstract", "Divide the digital economy from the divide in skills; 5G网络 reaches villages."),
        ],
    )
    reindex()
    assert _keys(search_query(query='"digital divide"', user=scholar)) == [("passage", first.pk)]
    assert _keys(search_query(query='"5g网络"', user=scholar)) == [("passage", second.pk)]
    # Other scripts' words, quoted, are found whole.
    _, (french,) = make_paper("法文摘要", [("abstract", "Le café numérique réduit la fracture.")])
    reindex()
    assert _keys(search_query(query='"café"', user=scholar)) == [("passage", french.pk)]
    assert _keys(search_query(query='"numérique"', user=scholar)) == [("passage", french.pk)]
    # One English word alone matches by its stem, quoted or not.
    assert set(_keys(search_query(query='"divides"', user=scholar))) == {
        ("passage", first.pk),
        ("passage", second.pk),
    }


def test_bigram_fallback_finds_a_differently_segmented_word(corpus, scholar):
    # "鸿沟是数" is no word of the dictionary: it segments differently from the text.
    results = search_query(query="鸿沟是数", user=scholar)
    assert ("passage", corpus["a"][1].pk) in _keys(results)


def test_facets_and_groups(corpus, scholar):
    results = search_query(query="数字鸿沟 type:passage", user=scholar)
    assert results.total == 5
    years = {v.value: v.count for v in results.facets["year"]}
    assert years == {"2023": 2, "2021": 1, "2020": 2}
    kinds = {v.value: v.count for v in results.facets["kind"]}
    assert kinds == {"heading": 1, "paragraph": 3, "footnote": 1}
    assert [(g.label.replace("<mark>", "").replace("</mark>", ""), g.count) for g in results.groups] == [
        ("数字鸿沟与共同富裕", 2),
        ("平台经济治理", 1),
        ("乡村振兴研究", 2),
    ]


def test_snippet_marks_and_links_into_reader(corpus, scholar):
    hit = search_query(query="数字鸿沟 kind:footnote", user=scholar).hits[0]
    assert "<mark>数字鸿沟</mark>" in hit.snippet
    assert hit.url.endswith("#p-1")
    assert "hl=" in hit.url


def test_pagination(corpus, scholar):
    first = search_query(query="数字鸿沟 type:passage", user=scholar, per_page=2)
    second = search_query(query="数字鸿沟 type:passage", user=scholar, per_page=2, page=2)
    assert first.num_pages == 3 and first.has_next and not first.has_previous
    assert len({*_keys(first), *_keys(second)}) == 4
