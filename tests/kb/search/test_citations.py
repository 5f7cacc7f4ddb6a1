"""Citation statements in search: ``type:citation`` finds the citing sentence with its stance and
cited target, ``cited:`` filters by the library paper or cited work cited, the reader sees only
statements in papers they may read, and every write path keeps the index current."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from kb.models import CitationStatement, LinkStatus, ReferenceLink
from kb.search.citations import cited_values
from kb.search.parser import Filter, parse
from kb.search.selectors import search_query
from kb.services import citations as services
from kb.services import loading
from papers.models import Paper, PaperStatus
from tests.kb.citation_samples import CITED, CITING


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(write):
        with django_capture_on_commit_callbacks(execute=True):
            return write()

    return run


@pytest.fixture
def loaded(db, reindex):
    """The citing paper and the paper its reference [1] resolves to, then a full rebuild."""
    citing = loading.paper_load(data=CITING.encode(), filename="a.txt").paper_id
    cited = loading.paper_load(data=CITED.encode(), filename="b.txt").paper_id
    reindex()
    return Paper.objects.get(pk=citing), Paper.objects.get(pk=cited)


def _statement(paper, marker: str) -> CitationStatement:
    return CitationStatement.objects.select_related("reference__link").get(
        citing_paper=paper, citation__marker=marker
    )


def citations(query: str, user) -> dict[int, object]:
    return {h.obj_id: h for h in search_query(query=query, user=user).hits if h.type == "citation"}


def test_rebuild_indexes_statements_with_stance_and_cited_paper(loaded, scholar):
    citing, cited = loaded
    statement = _statement(citing, "[1]")
    assert statement.reference.link.paper_id == cited.pk  # the sample resolves [1] to the cited paper
    hits = citations("type:citation 张明的结论一致", scholar)
    assert list(hits) == [statement.pk]
    hit = hits[statement.pk]
    assert hit.stance_label == "支持" and hit.kind == "supporting"
    assert hit.cited_label == cited.title
    assert hit.cited_url == reverse("papers:paper-detail", args=[cited.pk])
    assert hit.url.startswith(reverse("papers:paper-detail", args=[citing.pk]))
    assert hit.url.endswith(f"#p-{statement.passage.order}")
    assert "张明" in hit.snippet
    # ``type:citation`` alone lists every statement of the library (nothing else).
    everything = search_query(query="type:citation", user=scholar)
    assert {h.type for h in everything.hits} == {"citation"}
    assert everything.total == CitationStatement.objects.count() == 4


def test_cited_filter_by_library_paper_and_by_cited_work(loaded, scholar):
    citing, cited = loaded
    first = _statement(citing, "[1]")
    work_id = _statement(citing, "[3]").reference.link.cited_work_id
    by_paper = citations(f"cited:{cited.pk}", scholar)
    assert set(by_paper) == {first.pk}
    assert set(citations(f"type:citation cited:paper:{cited.pk}", scholar)) == {first.pk}
    by_work = citations(f"cited:w{work_id}", scholar)
    assert set(by_work) == set(
        CitationStatement.objects.filter(reference__link__cited_work_id=work_id).values_list("pk", flat=True)
    )
    assert by_work and first.pk not in by_work
    hit = next(iter(by_work.values()))
    assert hit.cited_url == reverse("kb:cited-work-detail", args=[work_id])
    # The cited work of [1] names the same statement as the library paper does.
    assert set(citations(f"cited:w{first.reference.link.cited_work_id}", scholar)) == {first.pk}
    assert citations("cited:w999999", scholar) == {}
    assert search_query(query="cited:不是编号", user=scholar).total == 0
    # Excluding a cited target keeps the others.
    others = citations(f"type:citation -cited:{cited.pk}", scholar)
    assert first.pk not in others and len(others) == 3
    # A stance filter narrows statements, through the same ``kind`` facet as passage kinds.
    assert set(citations("type:citation kind:using_method", scholar)) == {_statement(citing, "[3]").pk}
    assert set(citations("type:citation kind:使用方法", scholar)) == {_statement(citing, "[3]").pk}


def test_statements_in_a_draft_are_found_by_admins_only(loaded, scholar, editor, admin_user):
    citing, _cited = loaded
    Paper.objects.filter(pk=citing.pk).update(status=PaperStatus.DRAFT)
    from kb.search.service import search_index_rebuild

    search_index_rebuild()
    assert citations("type:citation 张明", scholar) == {}
    assert citations("type:citation 张明", editor) == {}
    assert citations("type:citation 张明", AnonymousUser()) == {}
    assert set(citations("type:citation 张明", admin_user)) == {_statement(citing, "[1]").pk}


def test_a_corrected_stance_is_searchable_at_once(loaded, editor, scholar, committed):
    citing, _cited = loaded
    statement = _statement(citing, "[1]")
    assert statement.pk not in citations("type:citation kind:contrasting", scholar)
    committed(lambda: services.statement_set_stance(statement=statement, stance="contrasting", user=editor))
    hits = citations("type:citation kind:contrasting", scholar)
    assert statement.pk in hits and hits[statement.pk].stance_label == "对立"


def test_a_link_decision_moves_the_cited_filter(loaded, editor, scholar, committed):
    citing, cited = loaded
    statement = _statement(citing, "[1]")
    link = ReferenceLink.objects.get(pk=statement.reference.link.pk)
    committed(lambda: services.reference_link_reject(link=link, user=editor))
    assert ReferenceLink.objects.get(pk=link.pk).status == LinkStatus.REJECTED
    assert citations(f"cited:{cited.pk}", scholar) == {}
    # Still found through its cited work, now shown as the cited work.
    hit = citations(f"cited:w{link.cited_work_id}", scholar)[statement.pk]
    assert hit.cited_url == reverse("kb:cited-work-detail", args=[link.cited_work_id])
    link.refresh_from_db()
    committed(lambda: services.reference_link_set(link=link, paper=cited, user=editor))
    assert set(citations(f"cited:{cited.pk}", scholar)) == {statement.pk}


def test_a_paper_loaded_later_resolves_and_reindexes_older_statements(db, reindex, scholar, committed):
    citing = loading.paper_load(data=CITING.encode(), filename="a.txt").paper_id
    reindex()
    cited = committed(lambda: loading.paper_load(data=CITED.encode(), filename="b.txt")).paper_id
    statement = _statement(citing, "[1]")
    assert set(citations(f"cited:{cited}", scholar)) == {statement.pk}


def test_parser_reads_type_citation_and_cited():
    parsed = parse("数字鸿沟 type:citation cited:w7 -cited:12")
    assert Filter("type", "citation") in parsed.filters
    assert Filter("cited", "w7") in parsed.filters
    assert Filter("cited", "12", negated=True) in parsed.filters
    assert [t.text for c in parsed.clauses for t in c.terms] == ["数字鸿沟"]
    assert cited_values("12") == ["paper:12"]
    assert cited_values("paper:12") == ["paper:12"]
    assert cited_values("W7") == ["work:7"]
    assert cited_values("work:7") == ["work:7"]
    assert cited_values("张明") == []
    assert cited_values("w") == []


def test_results_page_shows_the_stance_badge_and_cited_link(loaded, client, scholar):
    citing, cited = loaded
    client.force_login(scholar)
    response = client.get(reverse("kb:search"), {"q": f"type:citation cited:{cited.pk}"})
    html = response.content.decode()
    assert 'class="stance-badge stance-badge--supporting"' in html
    assert f'href="{reverse("papers:paper-detail", args=[cited.pk])}"' in html
    assert "type:citation" in html  # the syntax help
    api = client.get(reverse("kb:search-api"), {"q": f"type:citation cited:{cited.pk}"}).json()
    assert api["hits"][0]["type"] == "citation"
    assert api["hits"][0]["cited"]["url"] == reverse("papers:paper-detail", args=[cited.pk])


def test_cited_work_page_links_to_its_statements_in_search(loaded, client, scholar):
    citing, _cited = loaded
    work_id = _statement(citing, "[3]").reference.link.cited_work_id
    client.force_login(scholar)
    html = client.get(reverse("kb:cited-work-detail", args=[work_id])).content.decode()
    assert f"?q=type:citation+cited:w{work_id}" in html
    assert "在搜索中查看施引语句" in html
