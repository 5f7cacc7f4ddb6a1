"""Resolving references to library papers and cited works: by DOI, title + first author +
year, fuzzy title; explained; incremental in both directions with a bounded query count;
editors' decisions (a rejected paper is never proposed again) and their history."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kb.models import CitedWork, LinkStatus, PaperKey, ReferenceLink
from kb.services import citations as services
from kb.services import loading
from papers.models import Reference
from papers.services.metadata import paper_update_metadata
from tests import factories as f
from tests.kb.citation_samples import CITED, CITING

pytestmark = pytest.mark.django_db


def library_paper(title, *, author="张明", year=2021, doi=None, title_en=""):
    paper = f.PaperFactory(title=title, year=year, doi=doi, title_en=title_en)
    f.AuthorshipFactory(paper=paper, order=0, author=f.AuthorFactory(name=author))
    services.citations_resolve_paper(paper=paper)
    return paper


def citing_paper(*refs, title="引用者的论文"):
    """A paper whose current revision lists ``refs``: (authors, title, year, doi) tuples."""
    paper = f.PaperFactory(title=title, year=2024)
    revision = f.RevisionFactory(paper=paper)
    for order, (authors, ref_title, year, doi) in enumerate(refs):
        raw = f"[{order + 1}] {', '.join(authors)}. {ref_title}[J]. 管理世界, {year}."
        Reference.objects.create(
            paper=paper,
            revision=revision,
            order=order,
            marker=f"[{order + 1}]",
            raw=raw,
            authors=authors,
            title=ref_title,
            year=year,
            doi=doi,
        )
    services.citations_resolve_paper(paper=paper)
    return paper


def links_of(paper):
    return list(ReferenceLink.objects.filter(citing_paper=paper).order_by("reference__order"))


def test_resolves_by_doi_and_says_so():
    cited = library_paper("完全不同的题名", doi="10.1234/abc.2021.1")
    (link,) = links_of(citing_paper((["李四"], "另一个题名", 2020, "https://doi.org/10.1234/ABC.2021.1")))
    assert link.paper == cited
    assert link.status == LinkStatus.SUGGESTED
    assert link.score == 1.0
    assert link.reason_display() == "DOI 相同"


def test_resolves_by_title_across_scripts_and_punctuation_with_author_and_year():
    cited = library_paper("数字鸿沟：测度与治理", author="张明", year=2021)
    (link,) = links_of(citing_paper((["張明"], "數字鴻溝——測度與治理", 2021, "")))
    assert link.paper == cited
    assert link.reason == {"title": 1.0, "author": True, "year": True}
    assert link.reason_display() == "题名相同 + 第一作者 + 年份"


def test_fuzzy_title_is_scored_and_explained():
    cited = library_paper("数字鸿沟的多维测度与协同治理路径研究", author="张明", year=2021)
    (link,) = links_of(citing_paper((["张明"], "数字鸿沟的多维测度与协同治理路经研究", 2021, "")))
    assert link.paper == cited
    assert 0.8 <= link.score < 0.95
    assert link.reason["title"] < 1.0
    assert link.reason_display().startswith("题名 0.9")
    assert link.reason_display().endswith("+ 第一作者 + 年份")


def test_a_similar_title_by_someone_else_years_apart_is_not_suggested():
    library_paper("数字鸿沟的多维测度与协同治理路径研究", author="张明", year=2010)
    (link,) = links_of(citing_paper((["王五"], "数字鸿沟的多维测度与协同治理路经研究", 2021, "")))
    assert link.paper is None
    assert link.status == LinkStatus.UNRESOLVED
    assert link.cited_work is not None


def test_different_dois_never_match_even_with_the_same_title():
    library_paper("数字鸿沟的测度与治理", doi="10.1/a")
    (link,) = links_of(citing_paper((["张明"], "数字鸿沟的测度与治理", 2021, "10.1/b")))
    assert link.paper is None


def test_cited_works_are_one_per_work_across_papers():
    ref = (["陈刚"], "数字鸿沟会自然消失吗", 2019, "")
    a = citing_paper(ref, title="甲")
    b = citing_paper(ref, (["刘强"], "熵值法的应用", 2018, ""), title="乙")
    assert links_of(a)[0].cited_work_id == links_of(b)[0].cited_work_id
    assert CitedWork.objects.count() == 2


def test_a_paper_loaded_later_is_linked_from_existing_references():
    """Backward: the citing paper came first; the cited work now is the library paper."""
    citing = citing_paper((["张明", "李华"], "数字鸿沟的测度与治理", 2021, ""))
    (link,) = links_of(citing)
    assert link.paper is None
    cited = library_paper("数字鸿沟的测度与治理", author="张明", year=2021)
    link.refresh_from_db()
    assert link.paper == cited
    assert link.status == LinkStatus.SUGGESTED
    assert link.cited_work.paper == cited  # the cited work is that paper from now on


def test_through_the_load_path_both_ways():
    citing = loading.paper_load(data=CITING.encode(), filename="a.txt")
    cited = loading.paper_load(data=CITED.encode(), filename="b.txt")
    first = ReferenceLink.objects.get(citing_paper_id=citing.paper_id, reference__order=0)
    assert first.paper_id == cited.paper_id
    others = ReferenceLink.objects.filter(citing_paper_id=citing.paper_id).exclude(pk=first.pk)
    assert [link.paper_id for link in others] == [None, None]


def test_metadata_correction_reruns_the_match():
    paper = library_paper("一个暂定的题名", author="张明", year=2021)
    citing = citing_paper((["张明"], "数字鸿沟的测度与治理", 2021, ""))
    assert links_of(citing)[0].paper is None
    paper_update_metadata(paper=paper, user=None, title="数字鸿沟的测度与治理")
    assert links_of(citing)[0].paper == paper
    assert PaperKey.objects.get(paper=paper).title_key == "数字鸿沟的测度与治理"
    paper_update_metadata(paper=paper, user=None, title="后来改成完全不同的题名")
    assert links_of(citing)[0].paper is None  # the suggestion no longer holds


def test_a_rejected_paper_is_never_proposed_again(editor):
    cited = library_paper("数字鸿沟的测度与治理")
    citing = citing_paper((["张明"], "数字鸿沟的测度与治理", 2021, ""))
    (link,) = links_of(citing)
    services.reference_link_reject(link=link, user=editor, version=link.version)
    link.refresh_from_db()
    assert (link.paper, link.status, link.rejected_papers) == (None, LinkStatus.REJECTED, [cited.pk])
    services.citations_resolve_paper(paper=citing)  # forward again
    services.citations_resolve_paper(paper=cited)  # backward again
    paper_update_metadata(paper=cited, user=None, year=2021)
    link.refresh_from_db()
    assert link.paper is None and link.status == LinkStatus.REJECTED


def test_confirm_and_set_by_hand_stand_and_are_in_history(editor):
    cited = library_paper("数字鸿沟的测度与治理")
    other = library_paper("平台经济的治理", author="赵六")
    citing = citing_paper((["张明"], "数字鸿沟的测度与治理", 2021, ""))
    (link,) = links_of(citing)
    services.reference_link_confirm(link=link, user=editor, version=link.version)
    link.refresh_from_db()
    assert link.status == LinkStatus.CONFIRMED and link.decided_by == editor
    services.reference_link_set(link=link, paper=other, user=editor, version=link.version)
    services.citations_resolve_paper(paper=citing)
    link.refresh_from_db()
    assert (link.paper, link.status, link.reason_display()) == (other, LinkStatus.CONFIRMED, "编辑指定")
    history = list(link.history.order_by("history_date").values_list("status", "paper_id", "history_user_id"))
    assert history[-2:] == [("confirmed", cited.pk, editor.pk), ("confirmed", other.pk, editor.pk)]


def test_editors_only_and_no_self_citation(scholar, editor):
    cited = library_paper("数字鸿沟的测度与治理")
    citing = citing_paper((["张明"], "数字鸿沟的测度与治理", 2021, ""))
    (link,) = links_of(citing)
    with pytest.raises(PermissionDenied):
        services.reference_link_confirm(link=link, user=scholar)
    with pytest.raises(ValidationError) as exc:
        services.reference_link_set(link=link, paper=citing, user=editor)
    assert exc.value.messages == [str(services.LINK_SELF)]
    assert ReferenceLink.objects.get(pk=link.pk).paper == cited


def test_promoting_a_cited_work_makes_a_metadata_only_paper_its_references_link_to(editor):
    a = citing_paper((["陈刚"], "数字鸿沟会自然消失吗", 2019, ""), title="甲")
    b = citing_paper((["陈刚"], "数字鸿沟会自然消失吗", 2019, ""), title="乙")
    work = links_of(a)[0].cited_work
    paper = services.cited_work_promote(work=work, user=editor)
    assert paper.title == "数字鸿沟会自然消失吗" and paper.year == 2019
    assert not paper.revisions.exists()
    for citing in (a, b):
        (link,) = links_of(citing)
        assert link.paper == paper
    with pytest.raises(ValidationError):
        services.cited_work_promote(work=CitedWork.objects.get(pk=work.pk), user=editor)


def _resolve_queries(paper) -> int:
    with CaptureQueriesContext(connection) as queries:
        services.citations_resolve_paper(paper=paper)
    for query in queries:  # every read of the key tables goes through a key, never the whole table
        sql = query["sql"]
        if sql.startswith("SELECT") and ('FROM "kb_paperkey"' in sql or 'FROM "kb_citedwork"' in sql):
            assert "WHERE" in sql, sql
    return len(queries)


def _library(n: int, start: int) -> None:
    for i in range(start, start + n):
        library_paper(f"第{i}篇论文的题名不同于其他论文", author=f"作者{i}", year=2000 + i % 20)
        citing_paper((["某人"], f"第{i}篇引用的文献", 2010, ""), title=f"引用者{i}")


def test_resolution_cost_does_not_grow_with_the_library():
    """Both directions read through indexed keys: the same number of queries at 3 and at 15
    papers (plus as many citing papers)."""
    _library(3, 0)
    new = citing_paper(
        (["张明"], "数字鸿沟的测度与治理", 2021, ""), (["李华"], "平台治理", 2020, ""), title="新"
    )
    small = _resolve_queries(new)
    _library(12, 3)
    large = _resolve_queries(new)
    assert large == small
    cited = library_paper("数字鸿沟的测度与治理")
    backward_small = _resolve_queries(cited)
    _library(5, 20)
    assert _resolve_queries(cited) == backward_small


def test_resolve_citations_builds_the_network_of_an_older_library_once():
    from io import StringIO

    from django.core.management import call_command

    from kb.models import CitationStatement

    citing = loading.paper_load(data=CITING.encode(), filename="a.txt").paper_id
    cited = loading.paper_load(data=CITED.encode(), filename="b.txt").paper_id
    ReferenceLink.objects.all().delete()  # as before the feature
    CitationStatement.objects.all().delete()
    PaperKey.objects.all().delete()
    out = StringIO()
    call_command("resolve_citations", verbosity=0, stdout=out)
    assert "2 papers" in out.getvalue()
    assert ReferenceLink.objects.get(citing_paper_id=citing, reference__order=0).paper_id == cited
    assert CitationStatement.objects.count() == 4
    versions = ReferenceLink.history.count()
    call_command("resolve_citations", verbosity=0, stdout=out)
    assert CitationStatement.objects.count() == 4 and ReferenceLink.objects.count() == 3
    assert ReferenceLink.history.count() == versions  # the second run changed nothing


def test_decisions_carry_over_to_the_next_revision(editor):
    citing = loading.paper_load(data=CITING.encode(), filename="a.txt").paper_id
    cited = loading.paper_load(data=CITED.encode(), filename="b.txt").paper_id
    link = ReferenceLink.objects.get(citing_paper_id=citing, reference__order=0)
    services.reference_link_reject(link=link, user=editor)
    other = ReferenceLink.objects.get(citing_paper_id=citing, reference__order=1)
    services.reference_link_set(link=other, paper=library_paper("另一篇本库论文"), user=editor)
    revised = CITING.replace("二、结论", "二、结论与讨论")
    assert loading.paper_load(data=revised.encode(), filename="a.txt").status == "revised"
    current = list(
        ReferenceLink.objects.filter(citing_paper_id=citing, reference__revision__is_current=True).order_by(
            "reference__order"
        )
    )
    assert [link.pk for link in current] != [link.pk, other.pk, current[2].pk]  # new rows, new references
    assert (current[0].paper_id, current[0].status, current[0].rejected_papers) == (
        None,
        LinkStatus.REJECTED,
        [cited],
    )
    assert (current[1].paper.title, current[1].status) == ("另一篇本库论文", LinkStatus.CONFIRMED)


def test_cocited_and_a_concepts_most_cited_count_a_reference_for_its_paper_else_its_work(scholar):
    from kb.models.aggregates import PaperConceptCount
    from kb.selectors.citations import concept_cited_works, paper_citation_network

    cited = library_paper("数字鸿沟的生成逻辑", author="王佃利", year=2021)
    other = library_paper("共同富裕的实现路径", author="李华", year=2022)
    refs = (
        (["王佃利"], "数字鸿沟的生成逻辑", 2021, ""),
        (["李华"], "共同富裕的实现路径", 2022, ""),
        (["陈刚"], "数字鸿沟会自然消失吗", 2019, ""),
    )
    a, b = citing_paper(*refs, title="甲"), citing_paper(*refs[:2], title="乙")
    assert links_of(a)[1].paper == other
    # A link to a library paper that an editor rejected, with no cited work: counted for nothing.
    ReferenceLink.objects.filter(pk=links_of(b)[1].pk).update(status=LinkStatus.REJECTED, cited_work=None)
    work = links_of(a)[2].cited_work
    network = paper_citation_network(paper=cited, user=scholar)
    # The paper itself is left out; ties go as on the concept page and the graph (works first).
    assert [(c.paper, c.work, c.count) for c in network.cocited] == [(None, work, 1), (other, None, 1)]
    concept = f.ConceptFactory(label_zh="数字包容", slug="数字包容")
    for paper in (a, b):
        PaperConceptCount.objects.create(paper=paper, concept=concept, mentions=2, passages=1)
    most = concept_cited_works(concept_id=concept.pk, user=scholar)
    assert [(c.paper, c.work, c.count) for c in most] == [(cited, None, 2), (None, work, 1), (other, None, 1)]
