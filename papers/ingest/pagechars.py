"""One PDF page's characters to fragments: runs of characters on one baseline.

pdfium gives every character of the text layer (form XObjects included) in content-stream order
with its box and baseline. Characters on one baseline, close together, form a fragment; a space
goes between Latin words (and an ideographic space into a wide gap between Chinese words), never
between Chinese characters set tightly; fragments of one visual line that the stream order split
merge again. ``pagelines`` puts fragments into columns and reading order.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass, field

from papers.ingest.lines import is_cjkish, is_han


def _nfkc_table() -> dict[int, str]:
    """NFKC only for full-width Latin letters and digits, Kangxi radicals and CJK compatibility
    ideographs: CJK punctuation (，：（）) and circled numbers (①) stay as printed."""
    codes = [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]
    codes += [*range(0x2F00, 0x2FE0), *range(0xF900, 0xFB00)]
    table = {}
    for code in codes:
        folded = unicodedata.normalize("NFKC", chr(code))
        if folded != chr(code):
            table[code] = folded
    return table


NFKC_TABLE = _nfkc_table()


@dataclass
class Char:
    ch: str
    x0: float
    x1: float
    y0: float  # bottom (PDF user space: y grows upwards)
    y1: float  # top
    base: float  # baseline
    size: float  # em height
    rotated: bool = False  # not upright as the page is displayed
    ox: float = 0.0  # x of the glyph's origin (where its baseline starts)
    # how far the tight glyph box stands inside the loose box (left, right): read only where the
    # loose box of a Latin glyph is about an em wide and so tells nothing of the glyph's width
    inset: tuple[float, float] | None = None


@dataclass
class Frag:
    """A run of characters on one baseline (or one rotated run)."""

    chars: list[Char] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    cuts: list[tuple[int, float, float]] = field(default_factory=list)  # (text offset, gap x0, x1)
    x0: float = 0.0
    x1: float = 0.0
    y0: float = 0.0
    y1: float = 0.0
    base: float = 0.0
    rotated: bool = False
    col: int = 0
    margin: bool = False
    _size: tuple[int, float] | None = None

    @property
    def text(self) -> str:
        return "".join(self.parts)

    @property
    def size(self) -> float:
        if self._size is None or self._size[0] != len(self.chars):
            value = statistics.median(c.size for c in self.chars) if self.chars else 10.0
            self._size = (len(self.chars), value)
        return self._size[1]

    def add(self, char: Char, sep: str = "") -> None:
        if not self.chars:
            self.x0, self.x1, self.y0, self.y1, self.base = char.x0, char.x1, char.y0, char.y1, char.base
            self.rotated = char.rotated
        else:
            self.x0, self.x1 = min(self.x0, char.x0), max(self.x1, char.x1)
            self.y0, self.y1 = min(self.y0, char.y0), max(self.y1, char.y1)
        if sep:
            self.parts.append(sep)
        self.chars.append(char)
        self.parts.append(char.ch)

    def extend(self, other: Frag, sep: str) -> None:
        offset = len(self.text) + len(sep)
        if sep:
            self.parts.append(sep)
        self.cuts += [(offset + k, a, b) for k, a, b in other.cuts]
        self.chars += other.chars
        self.parts += other.parts
        self.x0, self.x1 = min(self.x0, other.x0), max(self.x1, other.x1)
        self.y0, self.y1 = min(self.y0, other.y0), max(self.y1, other.y1)

    def split(self, offset: int) -> Frag:
        """Cut the text at ``offset``; the right piece is returned, this fragment keeps the left."""
        text = self.text
        left, right = text[:offset].rstrip(), text[offset:].lstrip()
        chars_left = [c for c in self.chars if c.x1 <= self._x_at(offset) + 0.01]
        chars_right = [c for c in self.chars if c not in chars_left]
        other = Frag(chars=chars_right, parts=[right], rotated=self.rotated)
        self.chars, self.parts = chars_left, [left]
        self.cuts = [cut for cut in self.cuts if cut[0] < offset]
        for frag in (self, other):
            if frag.chars:
                frag.x0, frag.x1 = min(c.x0 for c in frag.chars), max(c.x1 for c in frag.chars)
                frag.y0, frag.y1 = min(c.y0 for c in frag.chars), max(c.y1 for c in frag.chars)
                frag.base = statistics.median(c.base for c in frag.chars)
        return other

    def _x_at(self, offset: int) -> float:
        for k, a, _b in self.cuts:
            if k == offset:
                return a
        return self.x1


def _space(prev: Char, char: Char) -> str:
    """What goes between two characters of one fragment, judged by the gap between their boxes."""
    size = max(prev.size, char.size, 1.0)
    gap = char.x0 - prev.x1
    if prev.ch == " " or char.ch == " ":
        return ""
    cjk = is_cjkish(prev.ch) or is_cjkish(char.ch)
    if not cjk:
        tight = _tight_space(prev, char, size)
        if tight is not None:
            return tight
        return " " if gap > 0.15 * size else ""
    if is_han(prev.ch) and is_han(char.ch):
        # justified Chinese stretches the gaps a little; a gap of most of an em is deliberate
        return "\u3000" if gap > 0.8 * size else ""
    return " " if gap > 0.2 * size else ""


def _tight_space(prev: Char, char: Char, size: float) -> str | None:
    """A word gap between two Latin letters or digits whose loose boxes are an em wide (and
    overlap): judged between the tight glyph boxes. Digits share one advance (about half an em)
    however narrow the glyph (``1``): between two of them the origins' step decides. Next to a
    punctuation mark (``:`` ``.`` ``,``: narrow inside an advance that may be half an em or a
    whole one) the loose boxes decide as elsewhere (None), as for every pair without tight boxes."""
    if prev.inset is None or char.inset is None or not (prev.ch.isalnum() and char.ch.isalnum()):
        return None
    if prev.ch.isdigit() and char.ch.isdigit():
        return " " if char.ox - prev.ox > 0.75 * size else ""
    gap = (char.x0 + char.inset[0]) - (prev.x1 - prev.inset[1])
    return " " if gap > 0.2 * size else ""


def fragments(chars: list[Char]) -> list[Frag]:
    """Characters in stream order to fragments: same baseline, left to right, no wide gap."""
    frags: list[Frag] = []
    cur: Frag | None = None
    prev: Char | None = None
    for char in chars:
        if cur is not None and prev is not None and _continues(cur, prev, char):
            gap = char.x0 - prev.x1
            sep = _space(prev, char)
            if not cur.rotated and gap > 0.8 * max(prev.size, char.size):
                cur.cuts.append((len(cur.text) + len(sep), prev.x1, char.x0))
            if char.ch == " " and cur.parts and cur.parts[-1] in (" ", "\u3000"):
                prev = char
                continue
            cur.add(char, sep)
        else:
            cur = Frag()
            frags.append(cur)
            if char.ch == " ":
                cur = None
                prev = None
                frags.pop()
                continue
            cur.add(char)
        prev = char
    out = []
    for frag in frags:
        frag.parts = [re.sub(r"[^\S\u3000]+", " ", frag.text).strip(" ")]
        if frag.parts[0].strip():
            frag.base = statistics.median(c.base for c in frag.chars)
            out.append(frag)
    return out


def _continues(cur: Frag, prev: Char, char: Char) -> bool:
    size = max(prev.size, char.size, 1.0)
    if char.rotated or cur.rotated:
        if not (char.rotated and cur.rotated):
            return False
        dx = (char.x0 + char.x1 - prev.x0 - prev.x1) / 2
        dy = (char.y0 + char.y1 - prev.y0 - prev.y1) / 2
        return abs(dx) + abs(dy) < 2.0 * size
    center = (char.y0 + char.y1) / 2 if char.ch != " " else char.base + 0.3 * char.size
    pad = 0.1 * size
    if not (cur.y0 - pad <= center <= cur.y1 + pad):
        return False
    if abs(char.base - prev.base) > 0.6 * size and char.size >= 0.9 * prev.size:
        return False  # a full-size character on another baseline (the line below overlaps)
    return _advances(prev, char, size) and char.x0 - prev.x1 < 2.0 * size


def _advances(prev: Char, char: Char, size: float) -> bool:
    """The next character stands right of the previous one: its box may overlap the previous
    box by most of an em when the font's loose boxes are an em wide (a Latin email address set
    in a CJK font), but its left edge moves on."""
    if char.x0 - prev.x1 >= -0.6 * size:
        return True
    return char.x0 >= prev.x0 + 0.15 * size and char.x0 - prev.x1 >= -1.1 * size


def merge_baselines(frags: list[Frag]) -> list[Frag]:
    """Fragments of one visual line that the stream order split (drawn apart) become one line."""
    frags = sorted(frags, key=lambda f: (-round(f.base), f.x0))
    merged: list[Frag] = []
    for frag in frags:
        for other in reversed(merged[-4:]):
            if frag.rotated or other.rotated:
                continue
            size = max(other.size, frag.size)
            gap = frag.x0 - other.x1
            advances = _advances(other.chars[-1], frag.chars[0], size)
            # a label's first character or two set apart (``摘　要``) reach further
            reach = 3.0 if len(other.chars) <= 2 and is_han(other.chars[-1].ch) else 1.2
            if abs(other.base - frag.base) < 0.35 * size and advances and gap < reach * size:
                tight = _tight_space(other.chars[-1], frag.chars[0], size) is not None
                sep = _space(other.chars[-1], frag.chars[0]) if gap > 0.15 * size or tight else ""
                if gap > 0.8 * size:
                    other.cuts.append((len(other.text) + len(sep), other.x1, frag.x0))
                other.extend(frag, sep)
                break
        else:
            merged.append(frag)
    return merged
