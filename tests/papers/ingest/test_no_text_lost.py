"""No text lost: every character the reader read ends in exactly one place of the parsed paper.

For every PDF and text the suite has (the shared real PDFs, the sample corpus, the unseen
typeset documents in both renderings, the generated pattern, sample, table/figure and cover PDFs),
the multiset of non-space characters of the reader's lines must equal the multiset of the
passages (paragraphs, headings, captions, tables, footnotes, references, metadata: title,
authors, affiliations…) plus the removed lines (furniture, cover labels), up to the named
normalisations below. A missing character was dropped silently; an extra one was duplicated.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import yaml

from papers.ingest.pipeline import build
from papers.ingest.readers import read
from papers.ingest.types import ReadOptions, SourceInfo
from tests.papers.ingest.conftest import CORPUS, PDF_DIR
from tests.papers.ingest.covers.generate import cnki, thesis
from tests.papers.ingest.patterns.floats_pdf import floats_pdf
from tests.papers.ingest.patterns.generate import PATTERNS
from tests.papers.ingest.test_pdf import sample_pdf
from tests.papers.ingest.unseen.typeset import render_pdf, render_text

OFF = ReadOptions(layout=False, ocr=False)
UNSEEN = Path(__file__).resolve().parent / "unseen" / "golden"

# The named normalisations, applied to both sides: full-width Latin letters and digits and the
# full-width full stop in numbers (``39．2`` → ``39.2``) are folded by ``cleaning.normalise``.
_FOLD = {
    code: code - 0xFEE0 for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))
}
_FOLD[ord("．")] = "."
# ``lines.join_text`` rejoins an English word hyphenated at a line end: that hyphen goes.
_HYPHENATED = re.compile(r"[a-z]-$")


def _sources() -> dict[str, tuple[str, object]]:
    sources: dict[str, tuple[str, object]] = {}
    if PDF_DIR.is_dir():
        for path in sorted(PDF_DIR.glob("*.pdf")):
            sources[f"shared/{path.name}"] = ("pdf", path.read_bytes)
    if CORPUS.is_dir():
        for path in sorted(CORPUS.glob("0*.txt")):
            sources[f"corpus/{path.name}"] = ("txt", path.read_bytes)
    for path in sorted(UNSEEN.glob("*.yaml")):
        for fmt in yaml.safe_load(path.read_text(encoding="utf-8"))["formats"]:
            render = render_pdf if fmt == "pdf" else render_text
            sources[f"unseen/{path.stem}.{fmt}"] = (fmt, lambda stem=path.stem, r=render: r(stem))
    for name, make in PATTERNS.items():
        sources[f"patterns/{name}.pdf"] = ("pdf", make)
    sources["generated/sample.pdf"] = ("pdf", sample_pdf)
    sources["generated/floats.pdf"] = ("pdf", floats_pdf)
    sources["generated/thesis-cover.pdf"] = ("pdf", thesis)
    sources["generated/cnki-cover.pdf"] = ("pdf", cnki)
    return sources


SOURCES = _sources()


def _chars(texts) -> Counter[str]:
    return Counter(ch for text in texts for ch in text.translate(_FOLD) if not ch.isspace())


@cache
def _balance(key: str) -> tuple[Counter[str], Counter[str], int]:
    fmt, load = SOURCES[key]
    lines = read(load(), fmt=fmt, name=key, options=OFF)
    source = _chars(line.text for line in lines)
    hyphens = sum(1 for line in lines if _HYPHENATED.search(line.text))
    paper = build(lines, SourceInfo(filename=key, sha256="", format=fmt))
    output = _chars([p.text for p in paper.passages] + [r.text for r in paper.removed])
    return source - output, output - source, hyphens


@pytest.mark.parametrize("key", sorted(SOURCES))
def test_every_character_ends_in_exactly_one_place(key):
    missing, extra, hyphens = _balance(key)
    if missing["-"] <= hyphens:
        del missing["-"]
    assert not missing, f"lost: {''.join(sorted(missing.elements()))[:120]}"
    assert not extra, f"duplicated: {''.join(sorted(extra.elements()))[:120]}"


def test_the_check_sees_a_dropped_line():
    """The balance is not vacuous: a paper missing one removed line is caught."""
    fmt, load = SOURCES["patterns/running_header.pdf"]
    lines = read(load(), fmt=fmt, name="x", options=OFF)
    paper = build(lines, SourceInfo(filename="x", sha256="", format=fmt))
    assert paper.removed
    source = _chars(line.text for line in read(load(), fmt=fmt, name="x", options=OFF))
    output = _chars([p.text for p in paper.passages] + [r.text for r in paper.removed[1:]])
    assert source - output == _chars([paper.removed[0].text])
