"""Fixtures of the knowledge-layer tests (concept fixtures live in concepts_fixtures.py)."""

from tests.kb.concepts_fixtures import corpus, divide, prosperity  # noqa: F401 - re-exported fixtures
