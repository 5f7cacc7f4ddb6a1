"""Reading in place: footnote numbers and placement, back links, back to the results,
the concept-underline setting, and where each reader stopped ("continue reading")."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.urls import reverse

from kb.models import ReadingPosition, UserPreference
from kb.search import backlink
from kb.selectors.reading import continue_reading
from kb.services.reading import ERR_NO_PASSAGE, reading_position_record
from papers.models import PaperStatus, Reference
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def noted_paper():
    """Two sections; ①-markers restarting on page 2; one footnote cited twice; a reference cited once."""
    paper = f.PaperFactory(title="数字治理的公共价值")
    revision = f.RevisionFactory(paper=paper)
    s1 = f.SectionFactory(revision=revision, order=0, number="一、", heading="场景")
    s2 = f.SectionFactory(revision=revision, order=1, number="二、", heading="价值")
    texts = [
        ("heading", s1, "一、场景"),
        ("paragraph", s1, "数字治理的场景①，再次引用①。"),  # 0: heading, 1
        ("footnote", s1, "①第一页的脚注。"),  # 2
        ("heading", s2, "二、价值"),  # 3
        ("paragraph", s2, "公共价值的实现①，见文献[1]。"),  # 4
        ("footnote", s2, "①第二页的脚注。"),  # 5
        ("reference", None, "[1] 王某：《公共价值》，2020。"),  # 6
    ]
    p = f.passages_for(revision, texts)
    fn1 = f.FootnoteFactory(
        revision=revision, order=0, marker="①", page=1, passage=p[2], text="第一页的脚注。"
    )
    fn2 = f.FootnoteFactory(
        revision=revision, order=1, marker="①", page=2, passage=p[5], text="第二页的脚注。"
    )
    ref = Reference.objects.create(
        paper=paper, revision=revision, order=0, marker="[1]", raw=p[6].text, passage=p[6]
    )
    c1 = p[1].citations.create(marker="①", start=6, end=7, footnote=fn1)
    c2 = p[1].citations.create(marker="①", start=12, end=13, footnote=fn1)
    c3 = p[4].citations.create(marker="①", start=6, end=7, footnote=fn2)
    c4 = p[4].citations.create(marker="[1]", start=11, end=14, reference=ref)
    return {"paper": paper, "passages": p, "cites": [c1, c2, c3, c4]}


def _html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# -- footnotes --------------------------------------------------------------------------------


def test_footnotes_are_numbered_through_the_paper(client, noted_paper):
    html = _html(client, noted_paper["paper"].get_absolute_url())
    c1, c2, c3, c4 = noted_paper["cites"]
    # Both printed ① markers, on two pages, become notes 1 and 2.
    assert re.search(rf'href="#p-2" id="cite-{c1.pk}" data-popover="p-2" data-note="1"', html)
    assert re.search(rf'href="#p-5" id="cite-{c3.pk}" data-popover="p-5" data-note="2"', html)
    # The footnote itself shows its number in place of the printed marker (kept in the text).
    assert '<span class="note-marker" data-note="2" title="①">①</span>第二页的脚注。' in html
    # A citation of a reference is marked as such, and has no note number.
    assert f'class="cite cite--ref" href="#p-6" id="cite-{c4.pk}"' in html


def test_each_footnote_ends_its_own_section(client, noted_paper):
    html = _html(client, noted_paper["paper"].get_absolute_url())
    first, second = html.index('id="p-2"'), html.index('id="p-5"')
    heading2, para2 = html.index('id="p-3"'), html.index('id="p-4"')
    assert html.index('id="p-1"') < first < heading2 < para2 < second  # not pooled at the end
    assert html.count('class="section-notes"') == 2
    assert 'id="footnotes"' not in html


def test_notes_and_references_link_back_to_every_marker(client, noted_paper):
    html = _html(client, noted_paper["paper"].get_absolute_url())
    c1, c2, c3, c4 = noted_paper["cites"]
    note = html[html.index('id="p-2"') : html.index("</p>", html.index('id="p-2"'))]
    assert f'href="#cite-{c1.pk}" data-backlink="cite-{c1.pk}"' in note
    assert f'href="#cite-{c2.pk}" data-backlink="cite-{c2.pk}"' in note
    assert re.search(r">a</a> <a [^>]*>b</a>", note)  # ↩ a b
    ref = html[html.index('id="p-6"') : html.index("</p>", html.index('id="p-6"'))]
    assert f'data-backlink="cite-{c4.pk}"' in ref and f"cite-{c1.pk}" not in ref


def test_reader_page_offers_the_popover_script_and_labels(client, noted_paper):
    html = _html(client, noted_paper["paper"].get_absolute_url())
    assert "js/popovers.js" in html and 'id="popover-labels"' in html


def test_reader_query_count_with_notes_does_not_grow(client, noted_paper, django_assert_max_num_queries):
    revision = noted_paper["paper"].revisions.get()
    for order in range(7, 60):
        passage = f.PassageFactory(revision=revision, order=order, kind="footnote", text=f"①注{order}")
        note = f.FootnoteFactory(revision=revision, order=order, passage=passage)
        noted_paper["passages"][1].citations.create(marker="①", start=0, end=1, footnote=note)
    with django_assert_max_num_queries(14):
        client.get(noted_paper["paper"].get_absolute_url())


# -- back to the results ---------------------------------------------------------------------------


def test_hit_link_carries_the_query_page_and_filters():
    encoded = backlink.encode(query="数字鸿沟", page=3, filters={"type": ["passage"], "evil": ["x"]})
    assert parse_qs(encoded) == {"from": ["search"], "q": ["数字鸿沟"], "page": ["3"], "type": ["passage"]}
    assert backlink.encode(query="  ", page=2) == ""


def test_reader_shows_back_to_results_keeping_query_and_page(client, noted_paper):
    url = noted_paper["paper"].get_absolute_url()
    html = _html(client, url + "?hl=公共价值&from=search&q=公共价值&page=2&type=passage#p-4")
    link = re.search(r'<a class="reader-tools__back" href="([^"]+)"', html)
    assert link, "no back-to-results link"
    target = urlsplit(link.group(1).replace("&amp;", "&"))
    assert target.path == reverse("kb:search")
    assert parse_qs(target.query) == {"q": ["公共价值"], "page": ["2"], "type": ["passage"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=x", ""),  # not from a search
        ("from=search&q=", ""),
        ("from=search&q=a&page=abc", "/search/?q=a"),
        ("from=search&q=a&page=999", "/search/?q=a"),
        ("from=search&q=a&next=//evil.example", "/search/?q=a"),
    ],
)
def test_back_to_results_is_validated(query, expected):
    assert backlink.decode(QueryDict(query)) == expected


def test_back_to_results_bounds_the_query():
    url = backlink.decode(QueryDict("from=search&q=" + "字" * 500))
    assert len(parse_qs(urlsplit(url).query)["q"][0]) == backlink.MAX_QUERY


def test_reader_without_search_has_no_back_link(client, noted_paper):
    assert "reader-tools__back" not in _html(client, noted_paper["paper"].get_absolute_url())


# -- concept underlines ---------------------------------------------------------------------------------


def test_toggle_remembers_hiding_concepts_per_user(scholar, scholar_client, editor_client, noted_paper):
    url = noted_paper["paper"].get_absolute_url()
    assert "reader--no-concepts" not in _html(scholar_client, url)
    response = scholar_client.post(
        reverse("kb:reading-preferences"), {"show_concepts": "0"}, HTTP_ACCEPT="application/json"
    )
    assert response.json() == {"show_concepts": False}
    assert UserPreference.objects.get(user=scholar).show_concepts is False
    assert 'class="reader reader--no-concepts"' in _html(scholar_client, url)
    assert "reader--no-concepts" not in _html(editor_client, url)  # another user's setting
    response = scholar_client.post(reverse("kb:reading-preferences"), {"show_concepts": "1", "next": url})
    assert response.status_code == 302 and response["Location"] == url  # the form without scripts
    assert "reader--no-concepts" not in _html(scholar_client, url)


def test_toggle_refuses_a_bad_value_and_visitors(scholar_client, anonymous_client, scholar):
    response = scholar_client.post(
        reverse("kb:reading-preferences"), {"show_concepts": "maybe"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    assert not UserPreference.objects.filter(user=scholar).exists()
    response = anonymous_client.post(reverse("kb:reading-preferences"), {"show_concepts": "0"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not UserPreference.objects.exists()


def test_visitor_reader_keeps_the_setting_in_the_browser(client, noted_paper):
    html = _html(client, noted_paper["paper"].get_absolute_url())
    assert 'data-concept-toggle data-signed-in="0"' in html
    assert 'id="reading-position"' not in html  # nothing is recorded for a visitor


# -- reading position ----------------------------------------------------------------------------------


def test_position_service_keeps_one_row_per_paper(scholar, noted_paper):
    p = noted_paper["passages"]
    reading_position_record(user=scholar, passage_id=p[1].pk)
    position = reading_position_record(user=scholar, passage_id=p[4].pk)
    assert ReadingPosition.objects.get(user=scholar).passage == p[4] == position.passage


def test_position_service_refuses_hidden_or_old_passages(scholar, noted_paper):
    draft = f.PassageFactory(revision=f.RevisionFactory(paper=f.PaperFactory(status=PaperStatus.DRAFT)))
    old = f.PassageFactory(revision=f.RevisionFactory(paper=noted_paper["paper"], number=0, is_current=False))
    for passage in (draft, old):
        with pytest.raises(ValidationError) as exc:
            reading_position_record(user=scholar, passage_id=passage.pk)
        assert exc.value.messages == [str(ERR_NO_PASSAGE)]
    with pytest.raises(PermissionDenied):
        reading_position_record(user=f.UserFactory(), passage_id=noted_paper["passages"][1].pk)  # no role
    assert not ReadingPosition.objects.exists()


def test_position_endpoint_records_for_the_signed_in_reader(scholar, scholar_client, noted_paper):
    passage = noted_paper["passages"][4]
    response = scholar_client.post(reverse("kb:reading-position"), {"passage": str(passage.pk)})
    assert response.status_code == 200
    assert response.json() == {"paper": noted_paper["paper"].pk, "passage": passage.pk}
    assert ReadingPosition.objects.get(user=scholar).passage == passage


@pytest.mark.parametrize("value", ["", "abc", "-1", "9" * 30, "999999"])
def test_position_endpoint_rejects_bad_passages(scholar_client, value):
    response = scholar_client.post(reverse("kb:reading-position"), {"passage": value})
    assert response.status_code == 400
    assert not ReadingPosition.objects.exists()


def test_position_endpoint_refuses_visitors_and_get(anonymous_client, scholar_client, noted_paper):
    data = {"passage": str(noted_paper["passages"][1].pk)}
    response = anonymous_client.post(reverse("kb:reading-position"), data)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert scholar_client.get(reverse("kb:reading-position")).status_code == 405
    assert not ReadingPosition.objects.exists()


def test_position_endpoint_needs_the_csrf_token(scholar, noted_paper):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(scholar)
    response = client.post(reverse("kb:reading-position"), {"passage": str(noted_paper["passages"][1].pk)})
    assert response.status_code == 403
    assert not ReadingPosition.objects.exists()


def test_reader_gives_signed_in_readers_the_recorder(scholar_client, noted_paper):
    html = _html(scholar_client, noted_paper["paper"].get_absolute_url())
    assert f'id="reading-position" hidden data-url="{reverse("kb:reading-position")}"' in html
    assert "js/reading.js" in html


def test_paper_list_offers_continue_reading(scholar, scholar_client, editor, noted_paper):
    passage = noted_paper["passages"][4]
    reading_position_record(user=scholar, passage_id=passage.pk)
    other = f.PassageFactory(revision=f.RevisionFactory(), text="编辑读到的段落")
    reading_position_record(user=editor, passage_id=other.pk)
    html = _html(scholar_client, reverse("papers:paper-list"))
    assert "继续阅读" in html
    assert f'href="{noted_paper["paper"].get_absolute_url()}#{passage.anchor}"' in html
    assert other.paper.get_absolute_url() + "#" not in html  # only one's own positions


def test_continue_reading_hides_papers_no_longer_visible(scholar, noted_paper):
    reading_position_record(user=scholar, passage_id=noted_paper["passages"][1].pk)
    assert [p.paper for p in continue_reading(user=scholar)] == [noted_paper["paper"]]
    noted_paper["paper"].status = PaperStatus.DRAFT
    noted_paper["paper"].save()
    assert continue_reading(user=scholar) == []


def test_continue_reading_is_one_query_and_bounded(scholar, django_assert_num_queries):
    for _ in range(8):
        reading_position_record(user=scholar, passage_id=f.PassageFactory(revision=f.RevisionFactory()).pk)
    with django_assert_num_queries(1):
        positions = continue_reading(user=scholar)
        titles = [(p.paper.display_title, p.passage.anchor) for p in positions]
    assert len(titles) == 5


def test_visitor_paper_list_has_no_continue_reading(client, noted_paper):
    assert "continue-reading" not in _html(client, reverse("papers:paper-list"))


def test_position_endpoint_query_count_is_bounded(scholar_client, noted_paper, django_assert_max_num_queries):
    passage = noted_paper["passages"][4]
    # session, user, role, the passage, then update_or_create (select, insert, two savepoints each way)
    with django_assert_max_num_queries(10):
        response = scholar_client.post(reverse("kb:reading-position"), {"passage": str(passage.pk)})
    assert response.status_code == 200
