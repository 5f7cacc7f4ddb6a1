"""The paper list pages through any number of papers (50 a page), sorts three ways, keeps its
filters across pages, and its query count does not grow with the papers."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests import factories as f

URL = reverse("papers:paper-list")


@pytest.fixture
def many(db):
    author = f.AuthorFactory(name="同一作者")
    papers = []
    for i in range(120):
        paper = f.PaperFactory(title=f"论文{i:03d}", year=2000 + i % 20)
        f.AuthorshipFactory(paper=paper, author=author if i % 2 else f.AuthorFactory(), order=0)
        papers.append(paper)
    return papers


def titles(html: str) -> list[str]:
    return re.findall(r'class="paper-item__title" href="[^"]+">([^<]+)<', html)


def test_pages_of_fifty(many, scholar_client):
    first = scholar_client.get(URL).content.decode()
    assert len(titles(first)) == 50 and "共 120 篇" in first and "第 1 / 3 页" in first
    assert 'rel="next" href="?sort=year&amp;page=2"' in first
    last = scholar_client.get(URL, {"page": 3}).content.decode()
    assert len(titles(last)) == 20
    assert titles(scholar_client.get(URL, {"page": 999}).content.decode()) == titles(last)
    assert titles(scholar_client.get(URL, {"page": "x"}).content.decode()) == titles(first)


def test_three_orders(many, scholar_client):
    by_title = titles(scholar_client.get(URL, {"sort": "title"}).content.decode())
    assert by_title == [f"论文{i:03d}" for i in range(50)]
    added = titles(scholar_client.get(URL, {"sort": "added"}).content.decode())
    assert added[:3] == ["论文119", "论文118", "论文117"]
    by_year = titles(scholar_client.get(URL, {"sort": "nonsense"}).content.decode())
    assert by_year[:6] == ["论文019", "论文039", "论文059", "论文079", "论文099", "论文119"]  # 2019 first


def test_filters_survive_paging(many, scholar_client):
    author = many[1].authorships.get().author
    html = scholar_client.get(URL, {"author": author.pk, "sort": "title"}).content.decode()
    assert "共 60 篇" in html
    assert f'href="?sort=title&amp;author={author.pk}&amp;page=2"' in html
    second = scholar_client.get(URL, {"author": author.pk, "sort": "title", "page": 2}).content.decode()
    assert titles(second) == [f"论文{i:03d}" for i in range(101, 120, 2)]


def test_queries_do_not_grow_with_papers(db, scholar_client, django_assert_max_num_queries):
    for i in range(60):
        f.AuthorshipFactory(paper=f.PaperFactory(title=f"甲{i}"), order=0)
    with django_assert_max_num_queries(12) as few:
        scholar_client.get(URL)
    for i in range(200):
        f.AuthorshipFactory(paper=f.PaperFactory(title=f"乙{i}"), order=0)
    with django_assert_max_num_queries(len(few.captured_queries)):
        scholar_client.get(URL, {"page": 4})
