"""The search page and the JSON endpoint, for every persona, with a query-count bound."""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.kb.search.conftest import make_paper


@pytest.fixture
def indexed(db, reindex):
    for i in range(3):
        make_paper(f"数字鸿沟论文{i}", [("paragraph", f"数字鸿沟第{i}段。"), ("footnote", "数字鸿沟脚注。")])
    reindex()


def test_every_persona_searches_with_bounded_queries(indexed, persona, django_assert_max_num_queries):
    name, client = persona
    with django_assert_max_num_queries(12):
        response = client.get(reverse("kb:search"), {"q": "數字鴻溝"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<mark>数字鸿沟</mark>" in html
    assert "#p-0" in html and "hl=" in html


def test_json_endpoint(indexed, scholar_client):
    response = scholar_client.get(reverse("kb:search-api"), {"q": "数字鸿沟", "kind": "footnote"})
    data = response.json()
    assert data["total"] == 3
    assert {h["kind"] for h in data["hits"]} == {"footnote"}
    assert "<mark>数字鸿沟</mark>" in data["hits"][0]["snippet"]
    # Enough to point at the passage (the reader's passage picker uses it).
    assert all(
        h["paper_id"] and h["order"] is not None and h["url"].endswith(f"#p-{h['order']}")
        for h in data["hits"]
    )


def test_json_endpoint_gives_a_concepts_slug(db, reindex, scholar_client):
    concept = f.ConceptFactory(label_zh="测试概念甲", slug="ce-shi-jia")
    reindex()
    data = scholar_client.get(reverse("kb:search-api"), {"q": "测试概念甲 type:concept"}).json()
    assert [(h["type"], h["slug"], h["order"]) for h in data["hits"]] == [("concept", concept.slug, None)]


@pytest.mark.parametrize("q", ['"', "-", "OR", "！？。", "a" * 10000, "year:abc (x) [y] {z} ^~*?\\ AND NOT"])
def test_malformed_queries_never_error(indexed, scholar_client, q):
    assert scholar_client.get(reverse("kb:search"), {"q": q, "page": "x"}).status_code == 200
    assert scholar_client.get(reverse("kb:search-api"), {"q": q, "page": "999"}).status_code == 200


def test_user_text_is_escaped(db, reindex, scholar_client):
    make_paper("论文", [("paragraph", "<script>alert(1)</script> 数字鸿沟")])
    reindex()
    html = scholar_client.get(reverse("kb:search"), {"q": "数字鸿沟"}).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_private_site_redirects_anonymous(indexed, anonymous_client, settings):
    settings.KB_PUBLIC_READ = False
    assert anonymous_client.get(reverse("kb:search"), {"q": "数字鸿沟"}).status_code == 302


def test_a_scope_put_first_survives_a_pasted_paragraph(db, reindex, scholar_client):
    # What the passage picker sends: its scope, then the user's words, however many.
    a, _ = make_paper("甲", [("paragraph", "数字鸿沟的测量。")])
    make_paper("乙", [("paragraph", "数字鸿沟的弥合。")])
    reindex()
    q = f"type:passage paper:{a.pk} 数字鸿沟 " + "很长的粘贴文字" * 80
    data = scholar_client.get(reverse("kb:search-api"), {"q": q[:2000]}).json()
    assert {h["paper_id"] for h in data["hits"]} <= {a.pk}
    q = f"type:passage paper:{a.pk} 数字鸿沟"
    assert {h["paper_id"] for h in scholar_client.get(reverse("kb:search-api"), {"q": q}).json()["hits"]} == {
        a.pk
    }


def test_export_of_the_papers_a_search_matches(db, reindex, scholar_client, django_assert_max_num_queries):
    first, _ = make_paper(
        "数字鸿沟的测量", [("paragraph", "数字鸿沟在城乡之间。"), ("paragraph", "数字鸿沟再论。")]
    )
    second, _ = make_paper("平台治理", [("paragraph", "平台经济与数字鸿沟。")])
    other, _ = make_paper("乡村振兴", [("paragraph", "产业兴旺。")])
    draft, _ = make_paper("草稿论文", [("paragraph", "数字鸿沟草稿。")])
    draft.status = "draft"
    draft.save()
    reindex()
    page = scholar_client.get(reverse("kb:search"), {"q": "数字鸿沟"}).content.decode()
    assert reverse("kb:search-export", args=["ris"]) + "?q=" in page
    with django_assert_max_num_queries(12):
        response = scholar_client.get(reverse("kb:search-export", args=["ris"]), {"q": "数字鸿沟"})
    ris = response.content.decode()
    assert response["Content-Disposition"] == 'attachment; filename="tanyuan-search.ris"'
    titles = [line[6:] for line in ris.splitlines() if line.startswith("TI  - ")]
    assert titles == ["数字鸿沟的测量", "平台治理"]  # most matches first; no draft, no unrelated paper
    bib = scholar_client.get(reverse("kb:search-export", args=["bib"]), {"q": "数字鸿沟", "paper": second.pk})
    assert bib.content.decode().count("@article{") == 1 and "平台治理" in bib.content.decode()
    assert scholar_client.get(reverse("kb:search-export", args=["pdf"]), {"q": "x"}).status_code == 404
    empty = scholar_client.get(reverse("kb:search-export", args=["ris"]), {"q": ""})
    assert empty.status_code == 200 and empty.content == b""
