"""Cleaning: undo what extraction did to the text, learned from the text itself.

- ``merge_word_lines``: an English passage that came out one word per line becomes one line;
- ``measure``: each line's fill of the typical line width (the paragraph-end signal of text sources);
- ``find_furniture``: running headers, footers, page numbers, DOI and journal lines, found by
  repetition, by position (PDF top/bottom zones, page-boundary neighbours) and by shape;
- ``normalise``: extraction artefacts inside a paragraph (``39． 2`` → ``39.2``, ``滕 蕾`` → ``滕蕾``,
  full-width digits and letters, stray spaces around CJK punctuation).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from papers.ingest.lines import Line, display_width, han_count

DOI_RE = re.compile(r"\b10\.\d{4,9}/[^\s，。；;：（）()\"“”<>]+")
_DOI_LINE = re.compile(r"^(?:DOI|doi|Doi)\s*[:：]?\s*10\.\d{4,9}/\S+")
_URL_LINE = re.compile(r"^https?://\S+$")
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—·•]\s*)?(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[-–—·•])?$|^(?:Page|页码)\s*\d{1,4}$"
)
_ISSUE_LINE = re.compile(
    r"(?:第\s*\d+\s*卷\s*)?第\s*\d+\s*期|Vol\.?\s*\d+\s*,?\s*No\.?\s*\d+|\d{4}\s*[,，]\s*\d+\s*\(\s*\d+\s*\)"
)
_SENTENCE_PUNCT = re.compile(r"[。，；！？!?；]|[,;:]\s")
_SINGLE_WORD = re.compile(r"^[A-Za-z][A-Za-z'’\-]*[.,;:]?$")
_SECTION_WORDS = re.compile(r"^(参考文献|注释|附录|摘\s*要|关\s*键\s*词|Abstract|Keywords|References)", re.I)
_HEADING_NUMBER = re.compile(
    r"^(?:第[一二三四五六七八九十\d]+[章节]|[一二三四五六七八九十]+、|[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|\d+(?:\.\d+)*\.?\s)"
)


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
    for line in lines:
        if line.x0 is None:
            line.fill = line.width / typ
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


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text)).lower()


def _is_pattern_furniture(line: Line, doi: str) -> bool:
    text = line.text
    if _PAGE_NUMBER.match(text):
        return True
    if _DOI_LINE.match(text) or (doi and _URL_LINE.match(text) and doi.lower() in text.lower()):
        return True
    zone = bool(line.tags & {"top-zone", "bottom-zone"})
    if zone and (_URL_LINE.match(text.split(" ")[-1]) or _ISSUE_LINE.search(text)):
        return True
    return bool(_ISSUE_LINE.search(text) and display_width(text) < 40 and not _SENTENCE_PUNCT.search(text))


def _could_be_furniture(line: Line) -> bool:
    return (
        display_width(line.text) <= 45
        and not _SENTENCE_PUNCT.search(line.text)
        and not _SECTION_WORDS.match(line.text)
        and not _HEADING_NUMBER.match(line.text)
    )


def find_furniture(lines: list[Line], *, doi: str = "") -> dict[int, str]:
    """Indices (``Line.index``) of running headers/footers, with the reason each was removed."""
    removed: dict[int, str] = {}
    pdf = any(line.page is not None and line.x0 is not None for line in lines)
    for line in lines:
        own_doi = bool(doi) and doi.lower() in line.text.lower() and len(line.text) < len(doi) + 40
        if _is_pattern_furniture(line, doi) and (
            not pdf or own_doi or line.tags & {"top-zone", "bottom-zone"}
        ):
            removed[line.index] = "page number, DOI or journal line"
    by_key: dict[str, list[Line]] = defaultdict(list)
    for line in lines:
        if _could_be_furniture(line) and (not pdf or line.tags & {"top-zone", "bottom-zone"}):
            by_key[_key(line.text)].append(line)
    for group in by_key.values():
        pages = {line.page for line in group}
        repeated = len(pages) >= 2 if pdf else len(group) >= 3
        if not pdf and len(group) == 2:
            repeated = all(line.lead or _near(lines, line, removed) for line in group)
        if repeated:
            for line in group:
                removed[line.index] = "repeated header or footer"
    _absorb_neighbours(lines, removed, pdf)
    return removed


def _near(lines: list[Line], line: Line, removed: dict[int, str]) -> bool:
    pos = {ln.index: i for i, ln in enumerate(lines)}[line.index]
    window = lines[max(0, pos - 2) : pos + 3]
    return any(other.index in removed for other in window if other is not line)


def _absorb_neighbours(lines: list[Line], removed: dict[int, str], pdf: bool) -> None:
    """A short, punctuation-free line wedged against header/footer lines is one of them (author, journal)."""
    for _ in range(2):
        for i, line in enumerate(lines):
            if line.index in removed or display_width(line.text) > 12 or not _could_be_furniture(line):
                continue
            if pdf and not line.tags & {"top-zone", "bottom-zone"}:
                continue
            before = lines[i - 1].index in removed if i > 0 else False
            after = lines[i + 1].index in removed if i + 1 < len(lines) else False
            if before and after or (pdf and (before or after)):
                removed[line.index] = "running header next to other furniture"


def remove_known(lines: list[Line], *, strings: list[str], first_body: int) -> dict[int, str]:
    """Body lines repeating the title, the English title or the author line are running headers."""
    keys = {re.sub(r"\W+", "", s).lower() for s in strings if len(s) >= 4}
    removed = {}
    for line in lines[first_body:]:
        compact = re.sub(r"\W+", "", line.text).lower()
        repeats = compact in keys or (
            len(compact) > 8 and any(k.startswith(compact) for k in keys if len(k) > 12)
        )
        if repeats and (han_count(line.text) or len(compact) > 12):
            removed[line.index] = "running header repeating the title or authors"
    return removed


# ---------------------------------------------------------------- normalising a paragraph's text

_FULLWIDTH_ALNUM = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)}
_FULLWIDTH_ALNUM.update({code: code - 0xFEE0 for code in range(0xFF21, 0xFF3B)})
_FULLWIDTH_ALNUM.update({code: code - 0xFEE0 for code in range(0xFF41, 0xFF5B)})
_FULLWIDTH_ALNUM.update({0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20})
_CJK_CLASS = (
    "\u4e00-\u9fff\u3400-\u4dbf\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
    "\u2018\u2019\u201c\u201d\u2014\u2026\u00b7\u2460-\u2473"
)
_WIDE_GAP = re.compile(r"(?<=[\u4e00-\u9fff]{2})[ \t]{2,}(?=[\u4e00-\u9fff]{2})")
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
    text = text.translate(_FULLWIDTH_ALNUM)
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
    return _MULTI_SPACE.sub(" ", text.replace("\x00", " ")).strip()
