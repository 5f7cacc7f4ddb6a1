"""Property tests of the cleaning stage: joining lines and normalising never lose or reorder CJK text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from papers.ingest.assemble import Block, assemble
from papers.ingest.cleaning import measure, normalise
from papers.ingest.lines import Line, is_han, join_text

HAN = "数字治理共同富裕鸿沟公共价值新质生产力社会的是在和了一二三"
ASIDE = {"footnote", "caption", "metadata"}
PIECES = st.sampled_from(
    list(HAN)
    + list("，。；：、“”（）《》[]［］①②")
    + list("0123456789. -")
    + ["the", "digital", "so-", "cial"]
)
TEXT = st.lists(PIECES, max_size=40).map("".join)


def _han(text: str) -> list[str]:
    return [ch for ch in text if is_han(ch)]


@given(TEXT, TEXT)
def test_joining_two_pieces_keeps_every_han_character_in_order(left, right):
    assert _han(join_text(left, right)) == _han(left) + _han(right)


@settings(max_examples=150, deadline=None)
@given(st.lists(TEXT.filter(lambda t: t.strip()), min_size=1, max_size=25))
def test_assembling_lines_keeps_every_han_character_in_order(texts):
    lines = [Line(text=t.strip(), index=i) for i, t in enumerate(texts)]
    measure(lines)
    blocks = assemble(lines, removed=set())
    # footnotes, captions and metadata step out of a paragraph they interrupt (the paragraph
    # resumes after them), so each of the two streams keeps its own order
    aside = {id(line) for b in blocks if b.kind in ASIDE for line in b.lines}
    for keep in (lambda b: b.kind in ASIDE, lambda b: b.kind not in ASIDE):
        inside = "".join(b.text for b in blocks if keep(b))
        source = "".join(ln.text for ln in lines if (id(ln) in aside) == keep(Block("footnote")))
        assert _han(inside) == _han(source)


@given(TEXT)
def test_normalising_keeps_every_han_character_in_order(text):
    assert _han(normalise(text)) == _han(text)


@given(TEXT)
def test_normalising_is_idempotent(text):
    once = normalise(text)
    assert normalise(once) == once


@given(TEXT)
def test_normalising_a_heading_is_idempotent(text):
    once = normalise(text, keep_start=True)
    assert normalise(once, keep_start=True) == once
