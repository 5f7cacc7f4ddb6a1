"""Abstracts and keywords as blocks: an abstract runs to its keywords, keywords run on.

The assembler ends a paragraph at a short line, so an abstract set in a narrower block, one of
several paragraphs (a thesis, a structured ``[目的]…[方法]…`` abstract) or one cut by a page
break came out as its first paragraph; ``extend_abstracts`` joins it up to its keywords.
"""

from __future__ import annotations

import re

from papers.ingest.assemble import Block
from papers.ingest.lines import ends_sentence
from papers.ingest.structure import ABSTRACT_LABEL

# blocks that may stand inside an abstract at a page break without ending it
_PASS_OVER = ("footnote", "caption")
_ABSTRACT_PARTS = 12  # an abstract has at most this many paragraphs


def _ends_abstract(block: Block, role: str) -> bool:
    """The block that closes an abstract: its keywords, or the next abstract (the other language)."""
    if block.kind == "abstract":
        return True
    other = "keywords" if role == "abstract" else "keywords_en"
    return block.kind == "metadata" and (
        block.role.startswith(other) or block.role.startswith("abstract") or block.role == "en-front"
    )


def _text_size(block: Block) -> float | None:
    """The type size of the block's text, not of a label standing on its own line above it."""
    for line in block.lines:
        if line.size and len(ABSTRACT_LABEL.sub("", line.text.strip())) >= 4:
            return line.size
    return None


def _split_smaller(block: Block) -> tuple[Block, Block] | None:
    """The block cut where its type turns clearly smaller (a footnote), or None."""
    ref = _text_size(block)
    cut = next(
        (k for k, line in enumerate(block.lines) if k and ref and line.size and line.size < 0.88 * ref), None
    )
    if cut is None:
        return None
    head, tail = Block(block.kind, role=block.role), Block("paragraph")
    for line in block.lines[:cut]:
        head.add(line)
    for line in block.lines[cut:]:
        tail.add(line)
    return head, tail


def _smaller(block: Block, than: Block) -> bool:
    size = next((line.size for line in block.lines if line.size), None)
    ref = _text_size(than)
    return bool(size and ref and size < 0.88 * ref)


def extend_abstracts(blocks: list[Block]) -> list[Block]:
    """An abstract runs to its keywords (or the next abstract), across lines, paragraphs and pages.

    The assembler ends a paragraph at a short line, so an abstract set in a narrower block, or
    one of several paragraphs (a thesis, a structured ``[目的]…[方法]…`` abstract), came out as
    its first paragraph. Without keywords after it, only a paragraph cut mid-sentence goes on.
    """
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        out.append(block)
        i += 1
        if block.kind != "abstract":
            continue
        note = _split_smaller(block)
        if note is not None:  # a page-foot note ran into the abstract's paragraph
            out[-1] = block = note[0]
            blocks = blocks[:i] + [note[1]] + blocks[i:]
        parts: list[int] = []
        j = i
        while j < len(blocks) and len(parts) < _ABSTRACT_PARTS:
            nxt = blocks[j]
            if nxt.kind == "paragraph" and _smaller(nxt, block):
                pass  # a note at the page's foot, set smaller, stands inside the abstract's run
            elif nxt.kind == "paragraph":
                parts.append(j)
            elif nxt.kind not in _PASS_OVER and not (nxt.kind == "metadata" and nxt.role == "metadata"):
                break
            j += 1
        closed = j < len(blocks) and _ends_abstract(blocks[j], block.role)
        take: list[int] = []
        if closed:
            take = parts
        else:
            last = block
            for k in parts:
                if ends_sentence(last.text):
                    break
                take.append(k)
                last = blocks[k]
        current = block
        for k in range(i, (take[-1] + 1) if take else i):
            nxt = blocks[k]
            if k not in take:
                out.append(nxt)
                continue
            if ends_sentence(current.text):
                nxt.kind, nxt.role = "abstract", block.role  # a paragraph of the abstract
                out.append(nxt)
                current = nxt
            else:  # the same paragraph, cut by a short line or a page break
                for line in nxt.lines:
                    current.add(line)
        i = (take[-1] + 1) if take else i
    return out


def join_keyword_lines(blocks: list[Block]) -> list[Block]:
    """Keywords that end with a separator go on in the next paragraph (after a page break too)."""
    out: list[Block] = []
    for block in blocks:
        last = next((b for b in reversed(out) if b.kind not in _PASS_OVER), None)
        if (
            block.kind == "paragraph"
            and last is not None
            and last.kind == "metadata"
            and last.role in ("keywords", "keywords_en")
            and re.search(r"[;；,，、]\s*$", last.text)
        ):
            for line in block.lines:
                last.add(line)
            continue
        out.append(block)
    return out
