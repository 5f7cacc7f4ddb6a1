"""Endpoint lookups: passages of the current text only; concepts by slug."""

import pytest

from kb.selectors import lookups
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_passage_current_by_id_or_order_on_the_current_revision_only():
    old = f.RevisionFactory(is_current=False, number=1)
    stale = f.PassageFactory(revision=old, order=0)
    new = f.RevisionFactory(paper=old.paper, number=2)
    current = f.PassageFactory(revision=new, order=0)
    assert lookups.passage_current(paper_id=old.paper_id, pk=current.pk) == current
    assert lookups.passage_current(paper_id=old.paper_id, order=0) == current
    assert lookups.passage_current(paper_id=old.paper_id, pk=stale.pk) is None
    assert lookups.passage_current(paper_id=old.paper_id + 999, pk=current.pk) is None
    assert lookups.passage_current(paper_id=old.paper_id) is None


def test_concept_with_slug_ignores_blanks_and_unknown():
    a = f.ConceptFactory(slug="digital-divide")
    assert lookups.concept_with_slug(slug="digital-divide") == a
    assert lookups.concept_with_slug(slug="nope") is None
    assert lookups.concept_with_slug(slug="") is None
