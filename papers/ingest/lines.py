"""The pipeline's unit of work, ``Line``, and character helpers shared by every stage.

A ``Line`` is one physical line of the source: from a text file it carries only
its text and whether it began with whitespace (a page-start hint in PDF-to-text
extractions); from a PDF it also carries its page and geometry, which the later
stages prefer over guesses from character counts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
CIRCLED_RE = re.compile(f"[{CIRCLED}]")
# Sentence-final punctuation, optionally followed by closing quotes/brackets.
TERMINAL_RE = re.compile(r"[。！？!?…；;．]['\"’”」』）)》]*$|(?<![A-Z])\.['\"’”)]*$")
CJK_PUNCT = "，。、；：？！“”‘’「」『』（）《》〈〉【】［］〔〕—…·　．～－％"


# The Han characters of ``is_han``, as a regular-expression class.
HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002ffff"


def is_han(ch: str) -> bool:
    code = ord(ch)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2FFFF


def is_cjkish(ch: str) -> bool:
    """Han characters, CJK punctuation and full-width forms: no space belongs next to them."""
    if is_han(ch) or ch in CJK_PUNCT or ch in CIRCLED:
        return True
    code = ord(ch)
    return 0x3000 <= code <= 0x303F or 0xFF01 <= code <= 0xFF0F or 0xFF1A <= code <= 0xFF20


@lru_cache(maxsize=1 << 16)
def display_width(text: str) -> float:
    """Width in em: a Han character or full-width form is 1, anything else 0.5.

    Cached: the stages ask for the width of the same line many times.
    """
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")
    return wide + 0.5 * (len(text) - wide)


def han_count(text: str) -> int:
    return sum(1 for ch in text if is_han(ch))


def ends_sentence(text: str) -> bool:
    return bool(TERMINAL_RE.search(text.rstrip()))


@dataclass
class Line:
    text: str  # stripped of surrounding whitespace
    index: int = 0  # position in the source's line sequence
    page: int | None = None
    lead: bool = False  # began with whitespace (text sources)
    # Geometry from a PDF (points); None for text sources.
    x0: float | None = None
    x1: float | None = None
    top: float | None = None  # distance from the page's top edge (points)
    bottom: float | None = None  # distance of the line's lower edge from the page's top edge
    size: float | None = None
    indent: bool | None = None  # first-line indent relative to its column
    short: bool | None = None  # ends well before the column's right edge
    fill: float = 1.0  # share of the typical (or the column's) line width this line fills
    tags: set[str] = field(default_factory=set)
    # Layout model (papers.ingest.layout): the label of the region the line lies in (text,
    # title, figure, figure_caption, table, table_caption, header, footer, reference,
    # equation; "" outside every region or with the model off) and that region's id on its page.
    label: str = ""
    region: int | None = None
    conf: float | None = None  # OCR recognition confidence (0..1); None for a text layer

    @property
    def box(self) -> tuple[float, float, float, float] | None:
        """(x0, top, x1, bottom) in points from the page's top-left corner, when known."""
        if self.x0 is None or self.x1 is None or self.top is None:
            return None
        bottom = self.bottom if self.bottom is not None else self.top + (self.size or 10.0)
        return (self.x0, self.top, self.x1, bottom)

    @property
    def width(self) -> float:
        return display_width(self.text)


def line_boxes(lines: list[Line]) -> list[list[float]]:
    """``[page, x0, top, x1, bottom]`` of each line with a page and geometry, in source order:
    where a passage stands on its page(s). Lines of text sources have none."""
    boxes = []
    for line in lines:
        box = line.box
        if box is not None and line.page is not None:
            boxes.append([line.page, *(round(value, 1) for value in box)])
    return boxes


def join_text(left: str, right: str) -> str:
    """Join two pieces of one paragraph broken at a line end.

    No space between CJK characters, one space between Latin words, and an
    English word hyphenated at the line end is rejoined.
    """
    if not left:
        return right
    if not right:
        return left
    a, b = left[-1], right[0]
    if a == "-" and len(left) > 1 and left[-2].isalpha() and left[-2].islower() and b.islower():
        return left[:-1] + right
    if is_cjkish(a) or is_cjkish(b) or a in "-/(" or b in ")":
        return left + right
    return left + " " + right
