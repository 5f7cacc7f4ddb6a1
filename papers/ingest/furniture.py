"""Running headers, footers and page numbers: found by repetition, position and shape, never by fixed strings.

- by shape: bare or decorated page numbers (``12``, ``· 12 ·``, ``— 12 —``), DOI and URL lines,
  journal issue lines (``2023 年第 5 期``, ``Vol.39 No.2``);
- by position and sequence: a short line at the top or bottom of a page (PDF zones, or the
  first/last lines between form feeds) carrying a number that grows with the page
  (``88  中国公共政策评论`` on page 1, ``公共价值视角下… 89`` on page 2): the number minus
  the page is the same on every such line;
- by repetition: the same short line on several pages, or lines differing only in a number that
  follows the page (``表1 …`` and ``表2 …`` heading two pages are captions, not a running line);
- by position in the margins: a page number printed beside the column (a margin tab);
- by row: where a page's margins are deeper than the reader's fixed zones, its first and last rows
  (and a second row set off the body size) count as top and bottom for the rules above;
- by the layout model: a line in a Header or Footer region (not a footnote, not a body sentence);
- by content: a line repeating the title, a prefix of it, or ``authors：title``
  (``林晓峰，周雅婷：数字治理何以…``, ``夏远航，等：《数据安全法》…``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable

from papers.ingest.lines import CIRCLED_RE, Line, display_width, han_count
from papers.ingest.structure import CAPTION_START

_DOI_LINE = re.compile(r"^(?:DOI|doi|Doi)\s*[:：]?\s*10\.\d{4,9}/\S+")
_URL_LINE = re.compile(r"^https?://\S+$")
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—·•]\s*)?(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[-–—·•])?$|^(?:Page|页码)\s*\d{1,4}$"
)
_ISSUE_LINE = re.compile(
    r"(?:第\s*\d+\s*卷\s*)?第\s*\d+\s*期|Vol[.．]?\s*\d+\s*[,，]?\s*No[.．]?\s*\d+|\d{4}\s*[,，]\s*\d+\s*\(\s*\d+\s*\)"
    r"|\bNo[.．]\s*\d+\s*[,，]\s*(?:19|20)\d\d\b"
)
_SENTENCE_PUNCT = re.compile(r"[。，；！？!?；]|[,;:]\s")
_SECTION_WORDS = re.compile(r"^(参考文献|注释|附录|摘\s*要|关\s*键\s*词|Abstract|Keywords|References)", re.I)
_HEADING_NUMBER = re.compile(
    r"^(?:第[一二三四五六七八九十\d]+[章节]|[一二三四五六七八九十]+、|[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|\d+(?:\.\d+)*\.?\s)"
)


# Where page furniture stands: the top and bottom zones and the side margins (the PDF reader's tags).
_ZONES = {"top-zone", "bottom-zone", "margin"}
_BARE_DOI_LINE = re.compile(r"^(?:DOI|doi|Doi)\s*[:：]\s*10\.\d{4,9}/\S+$")
_DECORATED_NUMBER = re.compile(r"[·•\-–—]\s*\d{1,4}\s*[·•\-–—]")
_NUMBER_FIRST = re.compile(r"^[·•\-–—]?\s*(\d{1,4})\s*[·•\-–—]?\s+(\S.*)$")
_NUMBER_LAST = re.compile(r"^(.*?\S)\s+[·•\-–—]?\s*(\d{1,4})\s*[·•\-–—]?$")
_STOP = re.compile(r"[。！？!?]")
_CLAUSE = re.compile(r"[。！!，；;]|[?？]\s*$")


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text)).lower()


def _is_pattern_furniture(line: Line, doi: str, zone: bool) -> bool:
    text = line.text
    if _PAGE_NUMBER.match(text):
        return True
    if _DOI_LINE.match(text) or (doi and _URL_LINE.match(text) and doi.lower() in text.lower()):
        return True
    # a line ending a sentence is a note or paragraph that cites an issue, not the journal's own line
    if (
        zone
        and not _STOP.search(text)
        and not text.endswith(".")
        and (_URL_LINE.match(text.split(" ")[-1]) or _ISSUE_LINE.search(text))
    ):
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
    if not pdf:
        _tag_text_zones(lines)
    edge = _page_edges(lines) if pdf else set()

    def zoned(line: Line) -> bool:
        return bool(line.tags & _ZONES) or (line.index in edge and _edge_furniture(line, body_size))

    sizes = sorted(line.size for line in lines if line.size)
    body_size = sizes[len(sizes) // 2] if sizes else None
    keys: defaultdict[str, int] = defaultdict(int)
    for line in lines:
        keys[_key(line.text)] += 1
    for line in lines:
        own_doi = bool(doi) and doi.lower() in line.text.lower() and len(line.text) < len(doi) + 40
        if _BARE_DOI_LINE.match(line.text) and keys[_key(line.text)] == 1 and not zoned(line):
            continue  # the paper's DOI stated once on its first page: metadata, not a running line
        if _is_pattern_furniture(line, doi, bool(line.tags & _ZONES)) and (not pdf or own_doi or zoned(line)):
            removed[line.index] = "page number, DOI or journal line"
    for index in _numbered_running_lines(lines, zoned):
        removed.setdefault(index, "running header or footer with the page number")
    for line in lines:
        if _model_furniture(line, body_size, bool(line.tags & _ZONES)):
            removed.setdefault(line.index, "page header or footer (layout model)")
    by_key: dict[str, list[Line]] = defaultdict(list)
    for line in lines:
        if _could_be_furniture(line) and (not pdf or zoned(line)):
            by_key[_key(line.text)].append(line)
    for group in by_key.values():
        pages = {line.page for line in group}
        repeated = len(pages) >= 2 if pdf else len(group) >= 3
        # lines that differ in a number are one running line only when the number follows the
        # page (a folio) or does not change; ``表1 …`` and ``表2 …`` heading two pages are captions
        repeated = repeated and _same_or_folio(group)
        if not pdf and len(group) == 2:
            repeated = all(line.lead or _near(lines, line, removed) for line in group) or (
                len(pages) == 2 and None not in pages and all(line.tags & _ZONES for line in group)
            )
        if repeated:
            for line in group:
                removed[line.index] = "repeated header or footer"
    _absorb_neighbours(lines, removed, pdf)
    return removed


_FOLIO_EDGES = re.compile(r"^[^\w]{0,2}(\d{1,4})(?!\d)|(?<!\d)(\d{1,4})[^\w]{0,2}$")


def _model_furniture(line: Line, body_size: float | None, zone: bool) -> bool:
    """A line the layout model puts in a Header or Footer region, unless it reads as a note
    (a footnote set at the foot of the page starts with its marker), a caption (``表1 …`` at a
    page's top), a sentence in the body, or a title (furniture is never set larger than the body)."""
    if (
        line.label not in ("header", "footer")
        or CIRCLED_RE.match(line.text)
        or CAPTION_START.match(line.text)
    ):
        return False  # a note, or a caption set where a running head would stand
    if line.size and body_size and line.size > 1.15 * body_size:
        return False
    return zone or _could_be_furniture(line)


def _same_or_folio(group: list[Line]) -> bool:
    if len({re.sub(r"\s+", "", line.text) for line in group}) == 1 or None in {line.page for line in group}:
        return True
    offsets = None
    for line in group:  # a folio stands at the line's start or end, beside the running text
        edges = _FOLIO_EDGES.findall(line.text)
        numbers = {int(n) - line.page for pair in edges for n in pair if n and line.page is not None}
        offsets = numbers if offsets is None else offsets & numbers
    variants = {tuple(re.findall(r"\d+", line.text)) for line in group}
    return bool(offsets) or len(variants) == 1


def _edge_furniture(line: Line, body_size: float | None) -> bool:
    """Whether a line in a page's first or last row may be a running line: not a note or sentence
    closing with a full stop, not a table cell or a lone note marker (``R2``, ``⑤``), not the title
    on page one (set larger than the body) that the running heads repeat."""
    text = line.text.rstrip()
    return (
        not text.endswith((".", "。"))
        and line.label not in ("table", "title")
        and not (line.size and body_size and line.size > 1.3 * body_size)
        and not CIRCLED_RE.match(text)
        and display_width(text) >= 4
    )


def _page_edges(lines: list[Line]) -> set[int]:
    """The topmost and bottommost row of each PDF page: where a running line stands when the page's
    margins are wider than the reader's fixed zones (a B5 journal page on A4, a deep top margin)."""
    by_page: dict[int, list[Line]] = defaultdict(list)
    for line in lines:
        if line.page is not None and line.top is not None and line.bottom is not None:
            by_page[line.page].append(line)
    edge: set[int] = set()
    for page_lines in by_page.values():
        if len(page_lines) < 4:
            continue  # a near-empty page (a figure, a cover) has no body to stand apart from
        sizes = sorted(line.size or 10.0 for line in page_lines)
        body = sizes[len(sizes) // 2]
        rows = sorted(page_lines, key=lambda line: line.top or 0.0)
        edge |= _edge_rows(rows, body)
        edge |= _edge_rows(sorted(rows, key=lambda line: -(line.bottom or 0.0)), body)
    return edge


def _edge_rows(rows: list[Line], body: float) -> set[int]:
    """The first row of ``rows`` (ordered from the page edge inwards), and the row after it when that
    row too is set in another size than the body (a journal name above the issue line)."""
    found: set[int] = set()
    first = rows[0]
    depth = 0
    for line in rows:
        tolerance = 0.5 * (line.size or 10.0)
        near = (
            abs((line.top or 0.0) - (first.top or 0.0)) < tolerance
            or abs((line.bottom or 0.0) - (first.bottom or 0.0)) < tolerance
        )
        if not near:
            if depth == 1 or abs((line.size or body) - body) <= 0.1 * body:
                break
            depth, first = 1, line
        found.add(line.index)
    return found


def _tag_text_zones(lines: list[Line]) -> None:
    """Text with form feeds: the first three and last two lines of each page are its top and bottom."""
    by_page: dict[int, list[Line]] = defaultdict(list)
    for line in lines:
        if line.page is not None:
            by_page[line.page].append(line)
    if len(by_page) < 2:
        return
    for page_lines in by_page.values():
        for line in page_lines[:3]:
            line.tags.add("top-zone")
        for line in page_lines[-2:]:
            line.tags.add("bottom-zone")


def _page_number_of(text: str) -> tuple[int, str] | None:
    """(number, rest) of a line that starts or ends with a page number beside a short label."""
    match = _NUMBER_FIRST.match(text)
    number, rest = (match.group(1), match.group(2)) if match else ("", "")
    if not match:
        match = _NUMBER_LAST.match(text)
        if not match:
            return None
        number, rest = match.group(2), match.group(1)
    if (
        display_width(rest) > 50
        or _CLAUSE.search(rest)  # a title asking a question (``何以生产? ——…``) is a running head
        or not (han_count(rest) >= 2 or re.search(r"[A-Za-z]{3,}", rest))
    ):
        return None
    return int(number), rest


def _numbered_running_lines(lines: list[Line], zoned: Callable[[Line], bool]) -> list[int]:
    """Header/footer lines with a page number: at a page edge, the number advancing with the page."""
    by_offset: dict[int, list[Line]] = defaultdict(list)
    found = []
    for line in lines:
        parsed = _page_number_of(line.text)
        if parsed is None:
            continue
        if line.page is None:  # no page geometry: only a decorated number (· 45 ·) is unambiguous
            if _DECORATED_NUMBER.search(line.text) and not _SENTENCE_PUNCT.search(parsed[1]):
                found.append(line.index)
            continue
        if zoned(line):
            by_offset[parsed[0] - line.page].append(line)
    for group in by_offset.values():
        if len({line.page for line in group}) >= 2:
            found += [line.index for line in group]
    return found


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
            if pdf and not line.tags & _ZONES:
                continue
            before = i > 0 and lines[i - 1].index in removed and (not pdf or _touching(line, lines[i - 1]))
            after = (
                i + 1 < len(lines)
                and lines[i + 1].index in removed
                and (not pdf or _touching(line, lines[i + 1]))
            )
            if before and after or (pdf and (before or after)):
                removed[line.index] = "running header next to other furniture"


def _touching(line: Line, other: Line) -> bool:
    """Whether two PDF lines stand on one row or in adjacent rows of the same block: a table's last
    row a few lines above the page number is not part of the footer."""
    if line.page != other.page or line.top is None or other.top is None:
        return False
    if line.bottom is None or other.bottom is None:
        return False
    gap = max(line.top, other.top) - min(line.bottom, other.bottom)
    return gap < 0.8 * (line.size or 10.0)


def _compact(text: str) -> str:
    return re.sub(r"[\W\d_]+", "", text).lower()


def repeats_title(text: str, *, title: str, authors: list[str]) -> bool:
    """``authors：title`` (or ``author等：title prefix``) as running heads print it."""
    compact, title_key = _compact(text), _compact(title)
    rest = compact
    for name in authors:
        rest = rest.replace(_compact(name), "", 1)
    if rest == compact or len(rest) < 4:
        return False
    rest = re.sub(r"^(?:等|etal)", "", rest)
    return len(rest) >= 4 and title_key.startswith(rest) and not _STOP.search(text)


def remove_known(
    lines: list[Line],
    *,
    strings: list[str],
    first_body: int,
    title: str = "",
    authors: list[str] | None = None,
) -> dict[int, str]:
    """Body lines repeating the title, the English title or the author line are running headers."""
    keys = {_compact(s) for s in strings if len(s) >= 4}
    removed = {}
    for line in lines[first_body:]:
        compact = _compact(line.text)
        repeats = compact in keys or (
            len(compact) > 8 and any(k.startswith(compact) for k in keys if len(k) > 12)
        )
        repeats = repeats or (bool(title) and repeats_title(line.text, title=title, authors=authors or []))
        if repeats and (han_count(line.text) or len(compact) > 12) and not _STOP.search(line.text[:-1]):
            removed[line.index] = "running header repeating the title or authors"
    return removed
