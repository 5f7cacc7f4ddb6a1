"""Shared fixtures of the concepts tests: a small thesaurus and the sample corpus with the full one."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from kb.services.concepts import concept_create
from papers.models import Paper

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


@pytest.fixture
def divide(db):
    return concept_create(
        label_zh="数字鸿沟",
        label_en="digital divide",
        aliases=["數位落差"],
        group="数字不平等",
        slug="digital-divide",
    )


@pytest.fixture
def prosperity(db):
    return concept_create(
        label_zh="共同富裕", label_en="common prosperity", group="共同富裕与分配", slug="common-prosperity"
    )


@pytest.fixture
def corpus(db):
    """The five sample papers, loaded after the curated thesaurus (as ``make run`` does)."""
    if not CORPUS.is_dir():
        pytest.skip(f"sample corpus not found at {CORPUS}")
    call_command("load_thesaurus", verbosity=0)
    call_command("ingest", str(CORPUS), verbosity=0)
    assert Paper.objects.count() == 5
    return {Path(p.sources.first().filename).name[:3]: p for p in Paper.objects.prefetch_related("sources")}
