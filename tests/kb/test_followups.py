"""The knowledge layer's follow-ups of a saved paper: one explicit sequence, registered once."""

from __future__ import annotations

import pytest

from kb.services import followups, loading
from papers.services import metadata
from tests.samples import SHORT_PAPER

pytestmark = pytest.mark.django_db

STEPS = [
    "mark_for_reanchoring",
    "targets_reanchor",
    "mentions_detect_paper",
    "definition_sources_resolve",
    "passage_profiles_build",
    "crossrefs_suggest_for_paper",
    "search_index_enqueue",
]


@pytest.fixture
def calls(monkeypatch):
    seen: list[str] = []
    for name in STEPS:
        monkeypatch.setattr(followups, name, lambda *a, _name=name, **kw: seen.append(_name))
    return seen


def test_a_new_paper_runs_the_follow_ups_in_order(calls):
    result = loading.paper_load(data=SHORT_PAPER.encode(), filename="a.txt")
    assert result.status == "loaded"
    assert calls == STEPS[2:]


def test_a_revision_reanchors_first(calls):
    loading.paper_load(data=SHORT_PAPER.encode(), filename="a.txt")
    calls.clear()
    revised = SHORT_PAPER.replace("新的条件", "新的条件与挑战")
    assert loading.paper_load(data=revised.encode(), filename="a.txt").status == "revised"
    assert calls == STEPS


def test_an_unchanged_file_runs_none(calls):
    loading.paper_load(data=SHORT_PAPER.encode(), filename="a.txt")
    calls.clear()
    assert loading.paper_load(data=SHORT_PAPER.encode(), filename="a.txt").status == "unchanged"
    assert calls == []


def test_the_metadata_follow_up_is_registered_once_by_the_app():
    assert metadata._after_update is followups.paper_metadata_changed
    metadata.register_after_update(followups.paper_metadata_changed)  # the same again: harmless
    with pytest.raises(RuntimeError):
        metadata.register_after_update(lambda paper: None)
    assert metadata._after_update is followups.paper_metadata_changed
