"""The concept page costs what it shows: papers a page at a time, a few snippets each, stored counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kb.selectors import concepts as selectors
from kb.services.mentions import mentions_detect
from tests import factories as f

pytestmark = pytest.mark.django_db


def _papers(n: int, *, mentions: int = 1):
    for i in range(n):
        paper = f.PaperFactory(year=2000 + i)
        revision = f.RevisionFactory(paper=paper)
        passage = f.PassageFactory(revision=revision, text="数字鸿沟。" * mentions)
        mentions_detect(passages=[passage])


def test_papers_come_a_page_at_a_time_newest_first(divide, scholar, monkeypatch):
    monkeypatch.setattr(selectors, "PAPERS_PER_PAGE", 3)
    _papers(7)
    first = selectors.concept_detail(slug=divide.slug, user=scholar)
    assert [g["paper"].year for g in first.mention_groups] == [2006, 2005, 2004]
    assert first.extra == {"page": 1, "pages": 3} and first.mention_total == 7
    last = selectors.concept_detail(slug=divide.slug, user=scholar, page=3)
    assert [g["paper"].year for g in last.mention_groups] == [2000]
    assert selectors.concept_detail(slug=divide.slug, user=scholar, page=99).extra["page"] == 3


def test_a_paper_shows_a_few_snippets_and_links_to_all_of_them(divide, scholar, scholar_client, monkeypatch):
    monkeypatch.setattr(selectors, "MENTIONS_PER_PAPER", 2)
    _papers(1, mentions=5)
    page = selectors.concept_detail(slug=divide.slug, user=scholar)
    group = page.mention_groups[0]
    assert group["count"] == 5 and len(group["mentions"]) == 2 and group["more"]
    paper = group["paper"]
    whole = selectors.concept_detail(slug=divide.slug, user=scholar, paper_id=paper.pk)
    assert len(whole.mention_groups[0]["mentions"]) == 5
    html = scholar_client.get(reverse("kb:concept-detail", args=[divide.slug])).content.decode()
    assert f"?paper={paper.pk}#mentions" in html


def test_associations_come_from_the_stored_pair_counts(divide, prosperity, scholar):
    for _ in range(3):
        passage = f.PassageFactory(text="数字鸿沟阻碍共同富裕。")
        mentions_detect(passages=[passage])
    passage = f.PassageFactory(text="只谈数字鸿沟。")
    mentions_detect(passages=[passage])
    [assoc] = selectors.associations(concept=divide)
    assert assoc.concept == prosperity and assoc.together == 3
    assert assoc.jaccard == 0.75  # 3 shared of 4 passages with either
