"""Golden tests of the three shared real PDFs (../shared/pdf): the front matter and outline a
reader sees on the page, written by reading the papers (golden/*.yaml).

Each paper is parsed twice: without the layout model and OCR (fast suite), and with the layout
model on, as production reads them (marked ``slow``: about 15 s of model time for the three;
``make slow``, part of ``make test``).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
import yaml

from papers.ingest import parse_file
from papers.ingest.types import ReadOptions
from tests.papers.ingest.conftest import PDF_DIR

GOLDEN = Path(__file__).resolve().parent / "golden"
PAPERS = sorted(p.stem for p in GOLDEN.glob("*.yaml"))
_LAYOUT = pytest.mark.slow
CASES = [pytest.param((stem, "plain"), id=f"{stem[:12]}-plain") for stem in PAPERS] + [
    pytest.param((stem, "layout"), id=f"{stem[:12]}-layout", marks=_LAYOUT) for stem in PAPERS
]


@cache
def _parsed(stem: str, mode: str):
    return parse_file(PDF_DIR / f"{stem}.pdf", options=ReadOptions(layout=mode == "layout", ocr=False))


@pytest.fixture(params=CASES)
def case(request, pdf_dir):
    stem, mode = request.param
    expected = yaml.safe_load((GOLDEN / f"{stem}.yaml").read_text(encoding="utf-8"))
    return _parsed(stem, mode), expected


def _compact(text: str) -> str:
    """Spaces between Chinese and Latin (``上证 A 股``) are typesetting, not text."""
    return re.sub(r"\s+", "", text)


def test_title_subtitle_and_english_title(case):
    paper, expected = case
    assert paper.title == expected["title"]
    assert _compact(paper.subtitle) == _compact(expected.get("subtitle", ""))
    if "title_en" in expected:
        assert paper.title_en == expected["title_en"]


def test_authors(case):
    paper, expected = case
    assert [a.name for a in paper.authors] == expected["authors"]
    if "affiliation_contains" in expected:
        assert all(expected["affiliation_contains"] in a.affiliation for a in paper.authors)


def test_abstracts_whole(case):
    paper, expected = case
    assert paper.abstract.startswith(expected["abstract_starts"])
    assert paper.abstract.endswith(expected["abstract_ends"])
    assert paper.abstract_en.startswith(expected.get("abstract_en_starts", ""))
    assert paper.abstract_en.endswith(expected.get("abstract_en_ends", ""))


def test_keywords(case):
    paper, expected = case
    assert paper.keywords == expected["keywords"]
    assert paper.keywords_en == expected["keywords_en"]


def test_doi_venue_year_and_kind(case):
    paper, expected = case
    assert paper.doi == expected["doi"]
    assert paper.year == expected["year"]
    assert paper.doc_type == expected["doc_type"]
    for key in ("venue", "volume", "issue", "pages", "degree", "institution", "advisor"):
        if key in expected:
            assert getattr(paper, key) == expected[key], key


def test_outline(case):
    paper, expected = case
    headings = [s.heading for s in paper.sections]
    assert headings[: len(expected["first_headings"])] == expected["first_headings"]
    if "top_level_headings" in expected:
        top = [s.heading for s in paper.sections if s.level == 1 and s.number]
        assert top == expected["top_level_headings"]


def test_cover_lines_are_recorded_not_body(case):
    paper, expected = case
    reasons = {r.reason for r in paper.removed}
    assert set(expected.get("removed_reasons", [])) <= reasons
    body = "\n".join(p.text for p in paper.passages if p.kind in ("paragraph", "heading", "abstract"))
    for text in expected.get("not_in_body", []):
        assert text not in body, text
