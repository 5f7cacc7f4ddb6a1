"""Counters kept in tables (kb.services.counters) and the document frequencies written through them."""

from collections import Counter

import pytest

from kb.models.crossrefs import TermStat
from kb.services.counters import increment
from kb.services.crossrefs.profiles import _apply_df

pytestmark = pytest.mark.django_db


def test_increment_creates_adds_and_skips_all_zero_rows():
    increment(TermStat, ("term",), ("df",), [("数字鸿沟", 2), ("公共价值", 0)])
    increment(TermStat, ("term",), ("df",), [("数字鸿沟", 3), ("共同富裕", 1)])
    assert dict(TermStat.objects.values_list("term", "df")) == {"数字鸿沟": 5, "共同富裕": 1}


def test_increment_writes_a_batch_in_one_statement(django_assert_num_queries):
    rows = [(f"词{i}", 1) for i in range(399)]
    with django_assert_num_queries(1):
        increment(TermStat, ("term",), ("df",), rows)
    assert TermStat.objects.count() == 399


def test_document_frequencies_take_increases_and_decreases_and_clamp_at_zero():
    TermStat.objects.create(term="老年人", df=3)
    TermStat.objects.create(term="乡村", df=1)
    _apply_df(Counter({"老年人": -1, "乡村": -2, "治理": 2, "空": 0}))
    assert dict(TermStat.objects.values_list("term", "df")) == {"老年人": 2, "乡村": 0, "治理": 2}


def test_document_frequencies_of_a_paper_cost_a_few_statements(django_assert_max_num_queries):
    delta = Counter({f"词{i}": 1 for i in range(1200)})
    delta.update({f"旧{i}": -1 for i in range(10)})
    with django_assert_max_num_queries(4):  # three upsert batches, one decrease
        _apply_df(delta)
    assert TermStat.objects.filter(df=1).count() == 1200
