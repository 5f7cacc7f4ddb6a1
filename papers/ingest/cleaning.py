"""Cleaning: undo what extraction did to the text, learned from the text itself.

- ``merge_word_lines``: an English passage that came out one word per line becomes one line;
- ``measure``: each line's fill of the typical line width (the paragraph-end signal of text sources);
- ``find_doi``: the paper's own DOI (running headers and footers are found in ``furniture``);
- ``normalise``: extraction artefacts inside a paragraph (``39． 2`` → ``39.2``, ``滕 蕾`` → ``滕蕾``,
  full-width digits and letters, stray spaces around CJK punctuation).
"""

from __future__ import annotations

import re
from collections import Counter

from papers.ingest.furniture import find_furniture, remove_known
from papers.ingest.lines import Line

__all__ = ["DOI_RE", "find_doi", "find_furniture", "measure", "merge_word_lines", "normalise", "remove_known"]

DOI_RE = re.compile(r"\b10\.\d{4,9}/[^\s，。；;：（）()\"“”<>]+")
UNWRAPPED_WIDTH = 60.0  # em; a journal column holds about 20-48 Chinese characters
_SINGLE_WORD = re.compile(r"^[A-Za-z][A-Za-z'’\-]*[.,;:]?$")


def merge_word_lines(lines: list[Line], *, min_run: int = 6) -> list[Line]:
    """Runs of one-word Latin lines (an abstract set one word per line) become one line."""
    out: list[Line] = []
    run: list[Line] = []

    def flush():
        if len(run) >= min_run:
            first = run[0]
            first.text = " ".join(line.text for line in run)
            first.tags.add("merged-words")
            out.append(first)
        else:
            out.extend(run)
        run.clear()

    for line in lines:
        if _SINGLE_WORD.match(line.text):
            run.append(line)
        else:
            flush()
            out.append(line)
    flush()
    return out


def typical_width(lines: list[Line]) -> float:
    widths = sorted(line.width for line in lines if line.width >= 10 and "merged-words" not in line.tags)
    if not widths:
        return 40.0
    return widths[int(len(widths) * 0.7)]


def measure(lines: list[Line]) -> float:
    """Set ``fill`` of text-source lines against the typical width; returns that width."""
    typ = typical_width(lines)
    # No printed column is this wide: the text holds one paragraph per line (a web or CNKI copy),
    # so every line ends its paragraph.
    unwrapped = typ > UNWRAPPED_WIDTH and not any(line.x0 is not None for line in lines)
    for line in lines:
        if line.x0 is None:
            line.fill = line.width / typ
            if unwrapped:
                line.tags.add("unwrapped")
    return typ


def find_doi(lines: list[Line]) -> str:
    """The paper's own DOI: the one on labelled or doi.org lines, most often repeated."""
    counts: Counter[str] = Counter()
    for line in lines:
        for match in DOI_RE.finditer(line.text):
            doi = match.group(0).rstrip(".,;)]")
            labelled = bool(re.search(r"(?i)doi\s*[:：]|doi\.org/", line.text[: match.start() + 1]))
            counts[doi] += 3 if labelled else 1
    if not counts:
        return ""
    doi, score = counts.most_common(1)[0]
    return doi if score >= 3 else ""


# ---------------------------------------------------------------- normalising a paragraph's text

_FULLWIDTH_ALNUM = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)}
_FULLWIDTH_ALNUM.update({code: code - 0xFEE0 for code in range(0xFF21, 0xFF3B)})
_FULLWIDTH_ALNUM.update({code: code - 0xFEE0 for code in range(0xFF41, 0xFF5B)})
_FULLWIDTH_ALNUM.update({0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20})
_CJK_CLASS = (
    "\u4e00-\u9fff\u3400-\u4dbf\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
    "\u2018\u2019\u201c\u201d\u2014\u2026\u00b7\u2460-\u2473"
)
# A wide gap between two Chinese words (``丁培卫  孔令奇``) is a real separator; it comes out as one
# ideographic space, which a second pass reads as a wide gap again (normalising is idempotent).
_WIDE_GAP = re.compile(r"(?<=[\u4e00-\u9fff]{2})(?:[ \t]{2,}|[ \t]*\u3000[ \t\u3000]*)(?=[\u4e00-\u9fff]{2})")
_SPACE_AFTER_STOP = re.compile(r"(?<=[。，；：！？、])[ \t]+")
_SPACE_IN_CJK = re.compile(f"(?<=[{_CJK_CLASS}])[ \t]+(?=[{_CJK_CLASS}])")
_DECIMAL = re.compile(r"(?<=\d)\s*[．.]\s+(?=\d)|(?<=\d)．(?=\d)")
_THOUSANDS = re.compile(r"(?<![\d.])(\d{1,3})((?: \d{3})+)(?= ?[\u4e00-\u9fff%％])")
_DECIMAL_GROUPS = re.compile(r"(?<=\.\d{3}) (?=\d{1,3}(?!\d))")
_OPEN_SPACE = re.compile(r"([(\[（［【《“])[ \t]+")
_CLOSE_SPACE = re.compile(r"[ \t]+([)\]）］】》，。；：！？、])")
_MULTI_SPACE = re.compile(r"[ \t]{2,}")


def normalise(text: str, *, keep_start: bool = False) -> str:
    """Repair extraction artefacts in one paragraph without touching real punctuation.

    With ``keep_start`` the first characters (a section number such as ``1. ``) are left alone.
    """
    text = _WIDE_GAP.sub("\x00", text).translate(_FULLWIDTH_ALNUM)
    head, body = "", text
    if keep_start:
        match = re.match(r"^\s*\S+\s*", text)
        head, body = (match.group(0), text[match.end() :]) if match else ("", text)
    body = _DECIMAL.sub(".", body)
    body = _DECIMAL_GROUPS.sub("", body)
    body = _THOUSANDS.sub(lambda m: m.group(1) + m.group(2).replace(" ", ""), body)
    text = _WIDE_GAP.sub("\x00", head + body)  # a wide gap between two words is a real separator
    text = _SPACE_IN_CJK.sub("", text)
    text = _SPACE_AFTER_STOP.sub("", text)
    text = _OPEN_SPACE.sub(r"\1", text)
    text = _CLOSE_SPACE.sub(r"\1", text)
    text = _SPACE_IN_CJK.sub("", text)
    return _MULTI_SPACE.sub(" ", text).strip().replace("\x00", "\u3000")
