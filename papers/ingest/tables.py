"""Tables, figures and formulas: which body lines form one ``table``, ``figure`` or ``formula`` block.

Two sources, the layout model first:

- ``model_groups``: the lines of one Table or Figure region of the layout model
  (``papers.ingest.layout``) form one block together with its caption: the nearest caption
  above a table, below a figure (a caption region of the model, or a line that reads as a
  caption), plus a note or source line right under a table. The lines of one Equation
  region form one formula block.
- ``numeric_runs``: without the model (or on lines outside all its regions), a run of many short,
  mostly numeric lines aligned in columns is a table printed as text, not dozens of
  paragraphs. Only general signals decide: line length, share of digits, shared left edges
  or rows. ``numbered_formulas``: a line of mathematics with an equation number is a formula.

``block_text`` lays a block out as rows (lines on one baseline, left to right) joined by
line breaks, with cells kept apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from papers.ingest.lines import Line, display_width, ends_sentence, han_count, is_cjkish
from papers.ingest.structure import CAPTION_START, numbering

BLOCK_KINDS = {"table": "table", "figure": "figure", "equation": "formula"}
_NUMBERED_CAPTION = re.compile(r"^(?:(图|Figure|Fig\.)|(表|Table))\s*[A-Z]?\d", re.I)
_NUMERIC_CHARS = re.compile(r"[\d.,，．%％()（）+\-−–*×/:：<>=≈~～\s]")
_SENTENCE_PUNCT = re.compile(r"[。；;！？]")
_CJK_GAP = re.compile(r"(?<=\S)[ \t]+(?=\S)")
_EQUATION_NUMBER = re.compile(r"^[(（]\s*[A-Za-z]?\d{1,3}(?:\s*[.．\-–]\s*\d{1,3})?[a-z]?\s*[)）]$")


@dataclass
class Group:
    kind: str  # table, figure, formula
    members: list[int] = field(default_factory=list)  # positions in the assembled line list


def _by_page(lines: list[Line]) -> dict[int | None, list[int]]:
    index: dict[int | None, list[int]] = {}
    for pos, line in enumerate(lines):
        index.setdefault(line.page, []).append(pos)
    return index


def _height(line: Line) -> float:
    box = line.box
    return max(box[3] - box[1], 1.0) if box else (line.size or 10.0)


def _caption_side(line: Line) -> str:
    """'table' or 'figure' when a caption line names its kind by its number, else ''."""
    match = _NUMBERED_CAPTION.match(line.text)
    if not match:
        return ""
    return "figure" if match.group(1) else "table"


def _is_caption(line: Line, kind: str) -> bool:
    return line.label.endswith("_caption") or kind == "caption"


def _caption_number(line: Line) -> tuple[str, str]:
    """('table' or 'figure', its number) for a numbered caption; ('', '') for any other line."""
    match = _NUMBERED_CAPTION.match(line.text)
    if not match:
        return "", ""
    number = re.match(r"[A-Z]?\d+(?:[.．\-－]\d+)*", line.text[match.end() - 1 :].strip())
    return ("figure" if match.group(1) else "table"), number.group(0) if number else ""


def _caption_lines(
    group: Group, lines: list[Line], kinds: list[str], taken: set[int], on_page: list[int]
) -> list[int]:
    """Positions of the caption of a table (above) or figure (below), nearest first, whole."""
    boxes = [box for i in group.members if (box := lines[i].box)]
    if not boxes:
        return []
    top, bottom = min(b[1] for b in boxes), max(b[3] for b in boxes)
    left, right = min(b[0] for b in boxes), max(b[2] for b in boxes)
    size = sorted(_height(lines[i]) for i in group.members)[len(group.members) // 2]

    def candidates(above: bool) -> list[tuple[float, int]]:
        found = []
        for pos in on_page:
            line, box = lines[pos], lines[pos].box
            if pos in taken or box is None or not _is_caption(line, kinds[pos]):
                continue
            if box[2] < left or box[0] > right:
                continue
            gap = top - box[3] if above else box[1] - bottom
            if -0.5 * size <= gap <= 4.0 * size:
                found.append((gap, pos))
        return sorted(found)

    near = candidates(group.kind == "table")
    if not near:  # the other side, only for a caption that names this kind
        near = [(g, p) for g, p in candidates(group.kind != "table") if _caption_side(lines[p]) == group.kind]
    if not near:
        return []
    first = lines[near[0][1]]
    region = first.region if first.label.endswith("_caption") else None
    number = _caption_number(first)
    chosen = [near[0][1]]
    last_gap = near[0][0]
    # the rest of the caption: its region's other lines, or caption lines stacked beyond it
    # (a second line, or the same caption in the other language: ``Table 2.`` and ``表 2.``)
    for gap, pos in near[1:]:
        line = lines[pos]
        same_region = region is not None and line.region == region and line.label.endswith("_caption")
        own = _caption_number(line) in (("", ""), number)
        if same_region or (gap - last_gap <= 2.0 * size and own):
            chosen.append(pos)
            last_gap = gap
        else:
            break
    return chosen


def _notes_below(
    group: Group, lines: list[Line], kinds: list[str], taken: set[int], on_page: list[int]
) -> list[int]:
    """Note and source lines (注：…, 资料来源：…) right under a table belong to it."""
    boxes = [box for i in group.members if (box := lines[i].box)]
    if not boxes:
        return []
    bottom = max(b[3] for b in boxes)
    size = sorted(_height(lines[i]) for i in group.members)[len(group.members) // 2]
    found = []
    for pos in on_page:
        line, box = lines[pos], lines[pos].box
        if pos in taken or box is None or kinds[pos] != "caption":
            continue
        if _caption_side(line) or not CAPTION_START.match(line.text):
            continue
        if -0.5 * size <= box[1] - bottom <= 2.0 * size:
            found.append(pos)
    return found


def _formula_band(seeds: list[int], lines: list[Line], taken: set[int], on_page: list[int]) -> list[int]:
    """The pieces of a formula around ``seeds``: its number, ``(1)`` or ``（3.2）``, at the right
    margin, and the fragments a text layer scatters a formula into (a tall ``∑``, indices,
    fraction bars), i.e. short lines without Chinese that stand on or touch its rows."""
    boxes = [box for pos in seeds if (box := lines[pos].box)]
    if not boxes:
        return []
    top, bottom = min(b[1] for b in boxes), max(b[3] for b in boxes)
    found: list[int] = []
    candidates = [
        pos
        for pos in on_page
        if pos not in taken
        and pos not in seeds
        and lines[pos].box is not None
        and lines[pos].label in ("", "text", "equation")
        and not han_count(lines[pos].text)
        and display_width(lines[pos].text) <= 30
    ]
    grew = True
    while grew:
        grew = False
        for pos in candidates:
            box = lines[pos].box
            if pos in found or box is None:
                continue
            slack = 0.4 * _height(lines[pos])
            if box[1] < bottom + slack and box[3] > top - slack:
                found.append(pos)
                top, bottom = min(top, box[1]), max(bottom, box[3])
                grew = True
    return found


def _prose(line: Line) -> bool:
    """A sentence the model's equation box caught at its edge: it stays in its paragraph."""
    return han_count(line.text) >= 6 and bool(re.search(r"[，。；：,;]", line.text))


def _prose_block(group: Group, lines: list[Line]) -> bool:
    """A table or figure region that holds running sentences (a reference list, a paragraph) is
    a misreading of the page: its lines are assembled as text, as without the model."""
    if group.kind == "formula":
        return False
    texts = [lines[pos].text for pos in group.members]
    prose = sum(1 for t in texts if display_width(t) >= 20 and (ends_sentence(t) or han_count(t) >= 15))
    return prose > 0.5 * len(texts)


def model_groups(lines: list[Line], kinds: list[str], by_page: dict[int | None, list[int]]) -> list[Group]:
    """Blocks from the layout model's Table, Figure and Equation regions, captions included."""
    by_region: dict[tuple[int | None, int, str], Group] = {}
    for pos, line in enumerate(lines):
        kind = BLOCK_KINDS.get(line.label)
        if kind is None or line.region is None or (kind == "formula" and _prose(line)):
            continue
        key = (line.page, line.region, kind)
        by_region.setdefault(key, Group(kind)).members.append(pos)
    groups = [group for group in by_region.values() if not _prose_block(group, lines)]
    taken = {pos for group in groups for pos in group.members}
    for group in groups:
        on_page = by_page[lines[group.members[0]].page]
        if group.kind == "formula":
            extra = _formula_band(group.members, lines, taken, on_page)
            group.members = sorted(group.members + extra)
            taken.update(extra)
            continue
        extra = _caption_lines(group, lines, kinds, taken, on_page)
        if group.kind == "table":
            extra += _notes_below(group, lines, kinds, taken | set(extra), on_page)
        group.members = sorted(group.members + extra)
        taken.update(extra)
    return groups


def _numeric_share(text: str) -> float:
    visible = [ch for ch in text if not ch.isspace()]
    if not visible:
        return 0.0
    digits = sum(1 for ch in visible if ch.isdigit())
    if digits == 0:
        return 0.0
    return sum(1 for ch in visible if _NUMERIC_CHARS.match(ch)) / len(visible)


def _cell_like(line: Line) -> bool:
    text = line.text
    if _SENTENCE_PUNCT.search(text) or (ends_sentence(text) and han_count(text) > 2):
        return False
    tokens = text.split()
    numeric_tokens = sum(1 for t in tokens if _numeric_share(t) >= 0.6)
    return display_width(text) <= 12 or (len(tokens) >= 3 and numeric_tokens >= 0.5 * len(tokens))


def _heading_like(line: Line) -> bool:
    """A section heading or caption at the edge of a run (``80.00 全面领先`` is a row, not §80)."""
    found = numbering(line.text)
    heading = bool(found and han_count(found[2]) >= 2) and _numeric_share(line.text) < 0.5
    return heading or bool(CAPTION_START.match(line.text))


def _aligned(run: list[Line]) -> float:
    """Share of lines that start at another line's left edge or stand on another line's row."""
    with_box = [line for line in run if line.box]
    if not with_box:
        return 0.0
    hits = 0
    for line in with_box:
        tol = 0.25 * _height(line)
        for other in with_box:
            if other is line or other.page != line.page:
                continue
            if abs((other.x0 or 0) - (line.x0 or 0)) <= tol or abs((other.top or 0) - (line.top or 0)) <= tol:
                hits += 1
                break
    return hits / len(with_box)


def _is_table(run: list[Line]) -> bool:
    numeric = sum(1 for line in run if _numeric_share(line.text) >= 0.5)
    if numeric < 4 or numeric < 0.4 * len(run):
        return False
    if any(line.box for line in run):
        return len(run) >= 6 and _aligned(run) >= 0.6
    return len(run) >= 8 and numeric >= 0.5 * len(run)


def numeric_runs(lines: list[Line], kinds: list[str], taken: set[int]) -> list[Group]:
    """Tables printed as text: runs of many short, mostly numeric lines in columns."""
    groups: list[Group] = []
    run: list[int] = []

    def flush() -> None:
        while run and _heading_like(lines[run[0]]):
            run.pop(0)
        while run and _heading_like(lines[run[-1]]):
            run.pop()
        if run and _is_table([lines[p] for p in run]):
            group = Group("table", list(run))
            before = run[0] - 1
            while before >= 0 and before in taken:
                before -= 1
            after = run[-1] + 1
            # a numbered caption right before (a table) or right after (a chart's numbers)
            if before >= 0 and kinds[before] == "caption" and _caption_side(lines[before]) == "table":
                group.members.insert(0, before)
            elif after < len(lines) and kinds[after] == "caption" and _caption_side(lines[after]) == "figure":
                group.kind = "figure"
                group.members.append(after)
            note_after = group.kind == "table" and after < len(lines) and kinds[after] == "caption"
            if note_after and not _caption_side(lines[after]) and after not in group.members:
                group.members.append(after)
            groups.append(group)
            taken.update(group.members)
        run.clear()

    for pos, line in enumerate(lines):
        # a line the model read as text is text (inline mathematics split into pieces is not a
        # table); the run looks only at lines no region covers, all of them with the model off
        usable = pos not in taken and kinds[pos] == "body" and not line.label
        if usable and _cell_like(line):
            run.append(pos)
        else:
            flush()
    flush()
    return groups


_RELATION = re.compile(r"[=≈≤≥<>∑∏∫]")
_TRAILING_NUMBER = re.compile(r"\s[(（]\s*[A-Za-z]?\d{1,3}(?:\s*[.．\-–]\s*\d{1,3})?[a-z]?\s*[)）]$")


def numbered_formulas(
    lines: list[Line], kinds: list[str], taken: set[int], by_page: dict[int | None, list[int]]
) -> list[Group]:
    """Where the model saw no equation: a formula is the mathematics (a relation, no Chinese)
    standing on the rows of an equation number, or a line of it ending in its number."""
    groups = []
    for pos, line in enumerate(lines):
        if pos in taken or kinds[pos] != "body" or line.label not in ("", "text"):
            continue
        if line.box is None:  # a text source: one line carrying its number
            if (
                _TRAILING_NUMBER.search(line.text)
                and _RELATION.search(line.text)
                and not han_count(line.text)
            ):
                groups.append(Group("formula", [pos]))
                taken.add(pos)
            continue
        if not (_EQUATION_NUMBER.match(line.text) or _TRAILING_NUMBER.search(line.text)):
            continue
        members = sorted([pos, *_formula_band([pos], lines, taken, by_page[line.page])])
        if not any(_RELATION.search(lines[p].text) for p in members) or any(
            _EQUATION_NUMBER.match(lines[p].text) for p in members if p != pos
        ):
            continue  # no mathematics here, or two numbers: not one formula
        groups.append(Group("formula", members))
        taken.update(members)
    return groups


def block_groups(lines: list[Line], kinds: list[str]) -> dict[int, Group]:
    """Each position that belongs to a table, figure or formula block → its group."""
    by_page = _by_page(lines)
    groups = model_groups(lines, kinds, by_page)
    taken = {pos for group in groups for pos in group.members}
    # formulas first: the indices under a formula are short numeric lines in a row too
    groups += numbered_formulas(lines, kinds, taken, by_page)
    groups += numeric_runs(lines, kinds, taken)
    return {pos: group for group in groups for pos in group.members}


def _cell_join(left: str, right: str) -> str:
    if not left:
        return right
    cjk = is_cjkish(left[-1]) or is_cjkish(right[0])
    # an ideographic space keeps two Chinese cells apart through ``normalise``
    return left + ("\u3000" if cjk else " ") + right


def block_text(lines: list[Line]) -> str:
    """A table/figure/formula block as text: rows top to bottom, cells left to right."""
    if not all(line.box for line in lines):
        return "\n".join(_CJK_GAP.sub(lambda m: _gap(m), line.text) for line in lines)
    ordered = sorted(lines, key=lambda line: (line.page or 0, line.top or 0.0, line.x0 or 0.0))
    rows: list[list[Line]] = []
    for line in ordered:
        row = rows[-1] if rows else None
        if row and row[0].page == line.page:
            ref = row[0]
            if abs((line.top or 0) - (ref.top or 0)) <= 0.5 * min(_height(line), _height(ref)):
                row.append(line)
                continue
        rows.append([line])
    out = []
    for row in rows:
        text = ""
        for line in sorted(row, key=lambda ln: ln.x0 or 0.0):
            text = _cell_join(text, _CJK_GAP.sub(_gap, line.text))
        out.append(text)
    return "\n".join(out)


def _gap(match: re.Match) -> str:
    """A space between two Chinese cells of one line becomes an ideographic space."""
    text, start, end = match.string, match.start(), match.end()
    return "\u3000" if is_cjkish(text[start - 1]) and is_cjkish(text[end]) else " "
