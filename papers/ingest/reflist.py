"""Reference lists and endnotes: where a list starts, where each entry starts, where the list ends.

A list starts at a heading (参考文献, 注释, 注释与参考文献, 主要参考文献, 参考书目, References,
Bibliography, Notes; bracketed ``【参考文献】`` or spaced ``参 考 文 献`` too). Its entries are found
by the first entry's numbering when it has one (``[1]`` ``［1］`` ``〔1〕`` ``（1）`` ``1.`` ``1 ``
``①``), a new entry being the next number of the same style; otherwise (alphabetical and
author–year lists) by geometry (entries flush left with hanging continuation lines, or the
reverse), and without geometry by an entry closing with a full stop on a short line or a new
one opening with an author name.

The list ends at a heading or label that cannot be part of it (致谢, 附录, Abstract, 作者简介,
[责任编辑], a chapter heading), at a line set much larger than the list, or after the last entry
that still reads as a reference: what follows (an English abstract, author notes) is left to the
rest of the pipeline. Between two entries nothing is dropped: every line of the list belongs to
exactly one entry.

Pure: lines and their kinds in, ``RefList`` out.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from papers.ingest.lines import Line, ends_sentence
from papers.ingest.listmarks import (
    AUTHOR_START,
    CHAPTER,
    END_LABEL,
    LABELLED,
    SUBHEAD,
    URLISH,
    YEAR,
    entry_marker,
    list_heading,
    looks_like_reference,
    marker_text,
)


@dataclass
class Entry:
    lines: list[int] = field(default_factory=list)  # positions in the assembler's line list
    marker: str = ""  # the number or circled marker, as written ("12", "①"); "" when unnumbered
    note: bool = False  # an endnote (a 注释 list, or a circled marker): linked like a footnote
    first_text: str = ""  # text of the first line when the heading line carries the first entry


@dataclass
class RefList:
    heading: int  # position of the heading line
    title: str  # the heading as shown: 参考文献, 注释…
    kind: str  # "references" or "notes"
    style: str  # numbering style key of MARKERS, or "" for an unnumbered list
    entries: list[Entry] = field(default_factory=list)
    subheads: list[int] = field(default_factory=list)  # positions of sub-list headings (中文文献…)
    running: list[int] = field(default_factory=list)  # the title repeated as a page's running head
    end: int = 0  # position after the list's last line

    def claims(self) -> dict[int, tuple[str, RefList, Entry | None]]:
        """Position -> (role, list, entry) for every line of the list; role is heading, subhead or entry."""
        out: dict[int, tuple[str, RefList, Entry | None]] = {self.heading: ("heading", self, None)}
        out.update({pos: ("subhead", self, None) for pos in self.subheads})
        out.update({pos: ("running", self, None) for pos in self.running})
        for entry in self.entries:
            out.update({pos: ("entry", self, entry) for pos in entry.lines})
        return out


def _closed(line: Line) -> bool:
    """The line ends an entry: a full stop (or a final number/link) on a line that stops short."""
    text = line.text.rstrip()
    if not (ends_sentence(text) or re.search(r"[.。．]$|\d$|[)）]$", text)):
        return False
    if "unwrapped" in line.tags:
        return True
    return bool(line.short) if line.x0 is not None else line.fill < 0.9


def _hard_end(line: Line, kind: str) -> bool:
    text = line.text
    if END_LABEL.match(text) or list_heading(text) is not None:
        return True
    if kind in ("abstract", "abstract_en", "keywords", "keywords_en"):
        return True
    if kind == "metadata" and not URLISH.match(text) and not re.match(r"^Copyright|^\(?[Cc]\)", text):
        return True
    return bool(CHAPTER.match(text) and len(text) <= 40 and not YEAR.search(text) and not ends_sentence(text))


def _offsets(lines: list[Line]) -> list[float | None]:
    """Indent of each line from its column's left edge, in ems (None without geometry)."""
    by_page: dict[int | None, list[Line]] = {}
    for line in lines:
        if line.x0 is not None:
            by_page.setdefault(line.page, []).append(line)
    lefts: dict[int, float] = {}
    for page_lines in by_page.values():
        left = min(ln.x0 for ln in page_lines if ln.x0 is not None)
        right = max(ln.x1 or ln.x0 or 0.0 for ln in page_lines)
        split = left + 0.42 * (right - left)
        columns: dict[bool, list[Line]] = {}
        for ln in page_lines:
            columns.setdefault(bool(ln.x0 is not None and ln.x0 > split), []).append(ln)
        if len(columns) == 2 and not all(
            (ln.x1 or 0) < split + 0.2 * (right - left) for ln in columns[False]
        ):
            columns = {False: page_lines}  # one column whose lines merely start far right
        for col in columns.values():
            edge = min(ln.x0 for ln in col if ln.x0 is not None)
            lefts.update({id(ln): edge for ln in col})
    out: list[float | None] = []
    for line in lines:
        if line.x0 is None:  # text sources: a leading space marks page starts as often as indents
            out.append(None)
            continue
        out.append((line.x0 - lefts[id(line)]) / max(line.size or 10.0, 4.0))
    return out


def find_lists(lines: list[Line], kinds: list[str]) -> list[RefList]:
    """Every reference list and endnote list among the assembler's lines."""
    found: list[RefList] = []
    i = 0
    while i < len(lines):
        head = list_heading(lines[i].text)
        if head is None or kinds[i] in ("footnote", "footnote-cont"):
            i += 1
            continue
        found.append(_read_list(lines, kinds, i, *head))
        i = max(found[-1].end, i + 1)
    return found


def _running_head(lines: list[Line], pos: int, title: str) -> bool:
    """The list's own title opening a page: a running head the furniture stage left (thesis pages)."""
    head = list_heading(lines[pos].text)
    first = pos > 0 and lines[pos].page is not None and lines[pos - 1].page != lines[pos].page
    return bool(head and head[1] == title and not head[2] and first)


def _region(
    lines: list[Line], kinds: list[str], begin: int, typical: float | None, title: str = ""
) -> list[int]:
    """Positions from ``begin`` up to the first line that cannot belong to a list."""
    region: list[int] = []
    for pos in range(begin, len(lines)):
        line = lines[pos]
        if _hard_end(line, kinds[pos]) and not _running_head(lines, pos, title):
            break
        if typical and line.size and line.size > 1.3 * typical and not entry_marker(line.text):
            break  # a title set large: the list is over
        region.append(pos)
    # Tables and figures, and page footnotes inside the region, are not the list's.
    return [p for p in region if kinds[p] != "block" and p not in _page_notes(lines, region, typical)]


def _resumption(lines: list[Line], kinds: list[str], result: RefList, typical: float | None) -> int | None:
    """Where a numbered list that the other column's text interrupted goes on: its next number, set in its size."""
    numbers = [int(e.marker) for e in result.entries if re.fullmatch(r"[0-9]{1,3}", e.marker)]
    sizes = [size for e in result.entries for p in e.lines if (size := lines[p].size)]
    typical = statistics.median(sizes) if sizes else None
    if not typical or not numbers or result.style in ("", "space", "circled"):
        return None
    last_page = lines[result.end - 1].page
    for pos in range(result.end, len(lines)):
        line = lines[pos]
        if list_heading(line.text) is not None or (last_page and line.page and line.page > last_page + 1):
            return None  # on the same page or the next: a column of other text, not a later appendix
        found = entry_marker(line.text, result.style)
        if found and found[1] == numbers[-1] + 1 and line.size and abs(line.size - typical) <= 0.1 * typical:
            return pos
    return None


def _label_line(lines: list[Line], region: list[int], pos: int) -> bool:
    """A short label alone on its line (网络数据：) before an entry numbered 1: a sub-list heading."""
    following = region[region.index(pos) + 1 :][:1]
    found = entry_marker(lines[following[0]].text) if following else None
    return bool(re.fullmatch(r"[^\d\s:：]{2,12}\s*[:：]", lines[pos].text) and found and found[1] == 1)


def _last_number(result: RefList) -> int:
    return max((int(e.marker) for e in result.entries if re.fullmatch(r"[0-9]{1,3}", e.marker)), default=0)


def _read_list(lines: list[Line], kinds: list[str], start: int, kind: str, title: str, rest: str) -> RefList:
    sizes = [ln.size for ln in lines[start + 1 : start + 12] if ln.size]
    typical = statistics.median(sizes) if sizes else None
    region = _region(lines, kinds, start + 1, typical, title)
    result = RefList(heading=start, title=title, kind=kind, style="")
    first = next((p for p in region if kinds[p] not in ("footnote", "footnote-cont")), None)
    for text in (
        rest,
        lines[region[0]].text if region else "",
        lines[first].text if first is not None else "",
    ):
        lead = entry_marker(text) if text else None
        if lead is not None and lead[1] <= 3:
            result.style = lead[0]
            break
    if result.style != "circled":
        region = [p for p in region if kinds[p] not in ("footnote", "footnote-cont")]
    segments: list[list[int]] = [[]]
    for pos in region:
        text = lines[pos].text
        if _running_head(lines, pos, title):
            result.running.append(pos)
        elif (SUBHEAD.match(text) and len(text) <= 20) or _label_line(lines, region, pos):
            result.subheads.append(pos)
            segments.append([])
        elif LABELLED.match(text) and segments[-1]:
            segments.append([pos])
        else:
            segments[-1].append(pos)
    entries: list[Entry] = []
    for n, segment in enumerate(segments):
        carried = rest if n == 0 else ""
        if not segment and not carried:
            continue
        style = result.style
        if n and segment:
            found = entry_marker(lines[segment[0]].text)
            style = found[0] if found and found[1] <= 3 else ""
        part = _numbered(lines, segment, style, carried) if style else _unnumbered(lines, segment, carried)
        entries += part
    for entry in entries:
        entry.note = kind == "notes" or result.style == "circled" and bool(entry.marker)
    result.entries = [e for e in entries if e.lines or e.first_text]
    last = max((p for e in result.entries for p in e.lines), default=start)
    result.subheads = [p for p in result.subheads if p < last]  # a sub-list heading or running head
    result.running = [p for p in result.running if p < last]  # after the last entry is not the list's
    result.end = last + 1
    while (resume := _resumption(lines, kinds, result, typical)) is not None:
        more = _numbered(
            lines,
            _region(lines, kinds, resume, typical),
            result.style,
            "",
            _last_number(result) + 1,
        )
        for entry in more:
            entry.note = result.entries[-1].note
        result.entries += [e for e in more if e.lines]
        result.end = max(p for e in result.entries for p in e.lines) + 1
    return result


def _page_notes(lines: list[Line], region: list[int], typical: float | None) -> set[int]:
    """Lines closing a page in a smaller size than the list: that page's footnotes (``24．科尔奈…``)."""
    notes: set[int] = set()
    if not typical:
        return notes
    by_page: dict[int | None, list[int]] = {}
    for pos in region:
        by_page.setdefault(lines[pos].page, []).append(pos)
    for positions in by_page.values():
        run: list[int] = []
        for pos in reversed(positions):
            size = lines[pos].size
            if not size or size >= 0.96 * typical:
                break
            run.append(pos)
        if run and len(run) < len(positions):
            notes.update(run)
    return notes


def _numbered(
    lines: list[Line], segment: list[int], style: str, carried: str, expected: int | None = None
) -> list[Entry]:
    """Entries of a numbered list: a new one at the next number of the same style."""
    entries: list[Entry] = []
    if carried:
        found = entry_marker(carried, style)
        entries.append(Entry(marker=marker_text(carried, style), first_text=carried))
        expected = (found[1] if found else 0) + 1
    starts: list[int] = []  # index into segment of each entry start
    for k, pos in enumerate(segment):
        found = entry_marker(lines[pos].text, style)
        if found is None:
            continue
        number = found[1]
        if expected is None or expected <= number <= expected + 1 or (number == 1 and not starts):
            starts.append(k)
            expected = number + 1
    if not starts:
        return entries + [Entry(lines=list(segment))] if segment else entries
    if starts[0] > 0:  # lines before the first number: the heading's own entry or a note on the list
        if entries:
            entries[-1].lines += segment[: starts[0]]
        else:
            entries.append(Entry(lines=segment[: starts[0]]))
    for n, k in enumerate(starts):
        stop = starts[n + 1] if n + 1 < len(starts) else len(segment)
        pos = segment[k]
        entries.append(Entry(lines=segment[k:stop], marker=marker_text(lines[pos].text, style)))
    _trim_last(lines, entries[-1])
    return entries


def _trim_last(lines: list[Line], entry: Entry) -> None:
    """The last entry stops where it closes, unless what follows is its link or DOI."""
    keep = 1
    while keep < len(entry.lines):
        prev, line = lines[entry.lines[keep - 1]], lines[entry.lines[keep]]
        if not URLISH.match(line.text) and (_closed(prev) or not _continues(prev, line)):
            break
        keep += 1
    del entry.lines[keep:]


def _continues(prev: Line, line: Line) -> bool:
    """After a line that may end the entry: the next one continues it unless it reads as a new block."""
    if not ends_sentence(prev.text) and not re.search(r"[.。．]$", prev.text):
        return True
    if prev.size and line.size and abs(line.size - prev.size) > 0.15 * prev.size:
        return False
    moved = line.page != prev.page or (
        prev.x0 is not None and line.x0 is not None and abs(line.x0 - prev.x0) > 4 * (prev.size or 10.0)
    )
    return looks_like_reference(line.text) or not moved


def _unnumbered(lines: list[Line], segment: list[int], carried: str) -> list[Entry]:
    """Entries of an alphabetical or author–year list, by geometry or by how lines close and open."""
    seq = [lines[p] for p in segment]
    offsets = _offsets(seq)
    known = [o for o in offsets if o is not None]
    indented = [o for o in known if 0.6 <= o <= 5.0]
    flush = [o for o in known if o < 0.6]
    mode = "flat"
    if indented and flush and len(known) >= 2:
        mode = "hanging" if (offsets[0] is not None and offsets[0] < 0.6) or carried else "indent"
    entries: list[Entry] = []
    if carried:
        entries.append(Entry(first_text=carried))
    for k, line in enumerate(seq):
        offset = offsets[k]
        prev = seq[k - 1] if k else None
        if not entries:
            start = True
        elif mode == "hanging" and offset is not None:  # far right: a fragment of the line above
            start = offset < 0.6
        elif mode == "indent" and offset is not None:
            start = 0.6 <= offset <= 5.0
        else:
            start = prev is not None and (
                _closed(prev)
                or (bool(AUTHOR_START.match(line.text)) and bool(re.search(r"[.。．]$", prev.text)))
            )
        if start:
            entries.append(Entry())
        entries[-1].lines.append(segment[k])
    # The list ends after the last entry that still reads as a reference.
    texts = [
        " ".join(([e.first_text] if e.first_text else []) + [lines[p].text for p in e.lines]) for e in entries
    ]
    good = [n for n, text in enumerate(texts) if _entry_like(text)]
    if not good:
        return entries[:1] if carried else entries
    # prose entries inside the list are kept when references follow them; after the last one the list is over
    entries = entries[: good[-1] + 1]
    if entries[-1].lines and not entries[-1].first_text:
        _trim_last(lines, entries[-1])
    return entries


def _entry_like(text: str) -> bool:
    head = text[:160]
    return bool(
        looks_like_reference(text) and (AUTHOR_START.match(text) or YEAR.search(head) or "《" in head)
    )
