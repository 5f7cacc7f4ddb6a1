"""Paths to the shared sample corpus and PDF; tests that need them skip when ../shared is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
SHARED = (REPO / ".." / "shared").resolve()
CORPUS = SHARED / "corpus"
PDF_DIR = SHARED / "pdf"
GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"sample corpus not found at {CORPUS} (../shared is absent)")
    return CORPUS


@pytest.fixture
def pdf_dir() -> Path:
    if not PDF_DIR.is_dir():
        pytest.skip(f"sample PDFs not found at {PDF_DIR} (../shared is absent)")
    return PDF_DIR
