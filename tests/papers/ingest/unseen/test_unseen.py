"""Golden tests on papers nobody tuned the pipeline to: composed documents in the layouts of common
Chinese journals and of CNKI-style extractions, rendered as text (and some as PDF) by ``typeset``.

Each ``golden/<name>.yaml`` holds the values a reader sees in the document; ``formats`` says which
renderings are checked, and a ``pdf:`` mapping overrides values for the PDF rendering.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import yaml

from papers.ingest import parse_bytes
from papers.ingest.lines import is_han
from papers.ingest.readers import read
from tests.papers.ingest.unseen.typeset import load, render_pdf, render_text

GOLDEN = Path(__file__).resolve().parent / "golden"
BODY_KINDS = {"paragraph", "abstract", "heading", "caption"}


def _expected(name: str, fmt: str) -> dict:
    data = yaml.safe_load((GOLDEN / f"{name}.yaml").read_text(encoding="utf-8"))
    data.update(data.pop("pdf", {}) if fmt == "pdf" else {})
    data.pop("pdf", None)
    return data


CASES = [
    (path.stem, fmt)
    for path in sorted(GOLDEN.glob("*.yaml"))
    for fmt in yaml.safe_load(path.read_text(encoding="utf-8"))["formats"]
]


def _squeeze(text: str) -> str:
    return "".join(text.split())


@cache
def _rendered(name: str, fmt: str) -> bytes:
    return render_pdf(name) if fmt == "pdf" else render_text(name)


@cache
def _parsed(name: str, fmt: str):
    return parse_bytes(_rendered(name, fmt), filename=f"{name}.{fmt}")


@pytest.fixture(params=CASES, ids=[f"{n}.{f}" for n, f in CASES])
def case(request):
    name, fmt = request.param
    return _parsed(name, fmt), _expected(name, fmt)


def test_title_subtitle_and_review_flag(case):
    paper, expected = case
    assert paper.title == expected["title"]
    assert paper.subtitle == expected.get("subtitle", "")
    assert paper.title_en.startswith(expected.get("title_en_starts", ""))
    assert paper.needs_review is expected["needs_review"], paper.warnings


def test_authors_and_their_affiliations(case):
    paper, expected = case
    assert [a.name for a in paper.authors] == [name for name, _ in expected["authors"]]
    for author, (_, affiliation) in zip(paper.authors, expected["authors"], strict=True):
        assert affiliation in author.affiliation.replace(" ", ""), (author.name, author.affiliation)
    if "authors_en" in expected:
        assert [a.name_en for a in paper.authors] == expected["authors_en"]


def test_abstracts_keywords_doi_venue(case):
    paper, expected = case
    assert paper.abstract.startswith(expected.get("abstract_starts", "")), paper.abstract[:40]
    assert paper.abstract_en.startswith(expected.get("abstract_en_starts", "")), paper.abstract_en[:40]
    if "abstract_starts" not in expected:
        assert paper.abstract == ""
    assert paper.keywords == expected.get("keywords", [])
    assert paper.keywords_en == expected.get("keywords_en", [])
    assert paper.doi == expected["doi"]
    if "venue" in expected:
        assert paper.venue == expected["venue"]
    if "year" in expected:
        assert paper.year == expected["year"]


def test_section_outline_with_levels(case):
    paper, expected = case
    assert [[s.level, s.number, s.heading] for s in paper.sections] == expected["sections"]


def test_footnotes_and_their_markers(case):
    paper, expected = case
    assert len(paper.footnotes) == expected["footnotes"], [f.text[:12] for f in paper.footnotes]
    for text in expected.get("footnote_texts", []):
        assert any(text in f.text for f in paper.footnotes), text
    linked = [c for c in paper.citations if c.target_kind == "footnote"]
    assert len(linked) >= expected.get("linked_footnotes_min", 0)
    for citation in linked:
        assert paper.footnotes[citation.target].marker == citation.marker


def test_references_and_citations(case):
    paper, expected = case
    assert len(paper.references) == expected["references"], [r.raw[:20] for r in paper.references]
    if "reference_types" in expected:
        assert [r.type_code for r in paper.references] == expected["reference_types"]
    assert all(r.year for r in paper.references)
    linked = [c for c in paper.citations if c.target_kind == "reference"]
    assert len({c.target for c in linked}) >= expected.get("linked_references_min", 0)
    for citation in paper.citations:
        text = paper.passages[citation.passage].text
        assert text[citation.start : citation.end] == citation.marker


def test_sentences_come_out_whole(case):
    paper, expected = case
    body = [p.text for p in paper.passages if p.kind in BODY_KINDS]
    for sentence in expected.get("whole", []):
        assert any(sentence in text for text in body), sentence


def test_paragraphs_start_where_they_should(case):
    paper, expected = case
    paragraphs = [p.text for p in paper.passages if p.kind == "paragraph"]
    for start in expected.get("starts_paragraph", []):
        assert any(text.startswith(start) for text in paragraphs), start
    if "paragraphs" in expected:
        assert len(paragraphs) == expected["paragraphs"], [t[:10] for t in paragraphs]


def test_running_headers_footers_and_page_numbers_are_gone(case):
    paper, expected = case
    texts = [_squeeze(p.text) for p in paper.passages if p.kind in BODY_KINDS | {"footnote", "reference"}]
    for header in expected["gone"]:
        assert not any(_squeeze(header) in text for text in texts), header
    assert not any(text.strip(" ·-—").isdigit() for text in texts)


def test_captions_are_captions(case):
    paper, expected = case
    captions = [p.text for p in paper.passages if p.kind == "caption"]
    for start in expected.get("captions", []):
        assert any(text.startswith(start) for text in captions), (start, captions)


def test_metadata_lines_are_metadata(case):
    paper, expected = case
    for text in expected.get("metadata", []):
        kinds = {p.kind for p in paper.passages if text in p.text}
        assert kinds == {"metadata"}, (text, kinds)


@pytest.mark.parametrize(("name", "fmt"), CASES, ids=[f"{n}.{f}" for n, f in CASES])
def test_no_cjk_character_of_the_body_is_dropped(name, fmt):
    """Han characters read from the file all come out, except those of the expected-gone header lines."""
    expected = _expected(name, fmt)
    lines = read(_rendered(name, fmt), fmt=fmt, name=name)
    gone = [line.text for line in lines if any(_squeeze(h) in _squeeze(line.text) for h in expected["gone"])]
    source = Counter(ch for line in lines for ch in line.text if is_han(ch))
    paper = _parsed(name, fmt)
    output = Counter(ch for p in paper.passages for ch in p.text if is_han(ch))
    allowed = Counter(ch for text in gone for ch in text if is_han(ch))
    missing = (source - output) - allowed
    assert not missing, f"dropped: {''.join(sorted(missing.elements()))[:80]}"


def test_sources_render_with_their_declared_encoding():
    src = load("u03_gb18030_neitiyao")
    data = render_text(src.name)
    assert src.get("encoding") == "gb18030"
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert b"\r\n" in render_text("u02_crlf_authoryear")
    assert b"\f" in render_text("u01_journal_ff")
