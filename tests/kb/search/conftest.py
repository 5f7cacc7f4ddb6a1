"""Search fixtures: a fresh index per test, tasks run at once, a small ranked corpus."""

from __future__ import annotations

import pytest

from kb.search import dictionary
from kb.search.index import forget_index
from kb.search.service import search_index_rebuild
from tests import factories as f


@pytest.fixture(autouse=True)
def search_settings(settings, tmp_path):
    settings.KB_SEARCH_INDEX_DIR = str(tmp_path / "search-index")
    settings.KB_SEARCH_THESAURUS_TTL = 0
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }
    dictionary.thesaurus_changed()
    yield settings
    forget_index(settings.KB_SEARCH_INDEX_DIR)


@pytest.fixture
def reindex(db):
    """Rebuild the index from the database (call after creating objects)."""
    return search_index_rebuild


def make_paper(title: str, texts: list[tuple[str, str]], *, year: int = 2022, heading: str = "引言", **kw):
    """A published paper with one section and passages (kind, text); returns (paper, passages)."""
    paper = f.PaperFactory(title=title, year=year, abstract="", keywords=[], **kw)
    revision = f.RevisionFactory(paper=paper)
    section = f.SectionFactory(revision=revision, order=0, heading=heading)
    passages = f.passages_for(revision, [(kind, section, text) for kind, text in texts])
    return paper, passages
