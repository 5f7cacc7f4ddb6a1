"""One PDF page's fragments (``pagechars``) to visual lines in reading order.

- a piece standing beyond the text's edge after a wide gap (a page number printed in a margin
  tab) is cut off, upright characters stacked in a margin become one line, and a number hanging
  left of its line (a contents entry's ``1.1``) joins that line;
- columns (one, two or three) are found from gutters in the horizontal projection of the lines
  (a wide gap inside a line counts as a gutter's evidence), a line the baseline merge joined
  across a gutter is cut there, and lines are read row by row, column by column between
  full-width elements;
- each line learns its box, size (the em height of its characters: the font size times the
  text matrix, since CNKI-style PDFs report a font size of 1.0), first-line indent, short end and
  fill, and whether it stands in the page's top or bottom zone or in a margin.
"""

from __future__ import annotations

from papers.ingest.lines import Line
from papers.ingest.pagechars import NFKC_TABLE, Char, Frag, fragments, merge_baselines

__all__ = ["NFKC_TABLE", "ZONE", "Char", "page_lines"]

ZONE = 0.09  # share of the page height that makes the top and bottom zones


# ---------------------------------------------------------------- columns and reading order


def _core(frag: Frag) -> tuple[float, float]:
    """The fragment's extent without a short piece (three characters at most) standing apart
    at either end after a wide gap: what a margin tab's digit glued on does not widen."""
    x0, x1 = frag.x0, frag.x1
    if frag.cuts:
        text = frag.text
        first, last = frag.cuts[0], frag.cuts[-1]
        if len(text[: first[0]].strip()) <= 3:
            x0 = first[2]
        if len(text[last[0] :].strip()) <= 3:
            x1 = last[1]
    return x0, x1


def _span(frags: list[Frag]) -> tuple[float, float] | None:
    """Left and right edges of the page's text. A short piece glued on at a few lines' ends (a
    margin tab's digit) does not widen it; pieces at most lines' ends (a table of contents'
    page numbers, section numbers set apart) are part of the text."""
    body = [f for f in frags if f.x1 - f.x0 >= 4 * f.size and not f.rotated]
    if not body:
        return None
    cores = [_core(f) for f in body]
    rare = 0.3 * len(body)
    left_cut = sum(1 for f, (a, _) in zip(body, cores, strict=True) if a != f.x0) < rare
    right_cut = sum(1 for f, (_, z) in zip(body, cores, strict=True) if z != f.x1) < rare
    x0 = min(a if left_cut else f.x0 for f, (a, _) in zip(body, cores, strict=True))
    x1 = max(z if right_cut else f.x1 for f, (_, z) in zip(body, cores, strict=True))
    return x0, x1


def _segments(frag: Frag) -> list[tuple[float, float]]:
    """The fragment's pieces between its wide gaps: a line the baseline merge joined across a
    gutter still shows the gutter."""
    edges = [frag.x0]
    for _offset, a, z in frag.cuts:
        if frag.x0 < a and z < frag.x1:
            edges += [a, z]
    edges.append(frag.x1)
    return [(edges[k], edges[k + 1]) for k in range(0, len(edges), 2)]


def find_columns(frags: list[Frag], *, need: int) -> list[tuple[float, float]]:
    """Column intervals from gutters in the horizontal projection of the narrow lines."""
    span = _span(frags)
    if span is None:
        return []
    x0, x1 = span
    width = x1 - x0
    if width <= 0:
        return [span]
    narrow = [
        (a, z)
        for f in frags
        if not f.margin and not f.rotated
        for a, z in _segments(f)
        if z - a < 0.55 * width
    ]
    step = 2.0
    bins = int(width / step) + 1
    cover = [0] * bins
    for a, z in narrow:
        for b in range(max(0, int((a - x0) / step)), min(bins, int((z - x0) / step) + 1)):
            cover[b] += 1
    peak = max(cover, default=0)
    # a wide gap inside a line (a line the baseline merge joined across a gutter) counts against
    # the few short lines that cross the gutter elsewhere on the page
    for f in frags:
        if f.margin or f.rotated:
            continue
        for _offset, a, z in f.cuts:
            if f.x0 < a and z < f.x1:
                for b in range(max(0, int((a - x0) / step) + 1), min(bins, int((z - x0) / step))):
                    cover[b] -= 1
    if peak < 2:
        return [span]
    low = [c <= 0.15 * peak for c in cover]
    runs, start = [], None
    for b, is_low in enumerate([*low, False]):
        if is_low and start is None:
            start = b
        elif not is_low and start is not None:
            a, z = x0 + start * step, x0 + b * step
            if z - a >= 6 and a > x0 + 0.15 * width and z < x1 - 0.15 * width:
                runs.append((a, z))
            start = None
    runs = sorted(runs, key=lambda r: r[0] - r[1])[:3]
    best: list[tuple[float, float]] = [span]
    for combo in _combos(sorted(runs)):
        cols = _intervals(x0, x1, combo)
        if len(cols) > len(best) and all(_column_holds(frags, col, need) for col in cols):
            best = cols
    return best


def _combos(runs: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    out: list[list[tuple[float, float]]] = []
    for mask in range(1, 1 << len(runs)):
        combo = [run for k, run in enumerate(runs) if mask >> k & 1]
        if len(combo) <= 2:
            out.append(combo)
    return out


def _intervals(x0: float, x1: float, gutters: list[tuple[float, float]]) -> list[tuple[float, float]]:
    cols, left = [], x0
    for a, z in gutters:
        cols.append((left, a))
        left = z
    cols.append((left, x1))
    return cols


def _column_holds(frags: list[Frag], col: tuple[float, float], need: int) -> bool:
    a, z = col
    slack = 0.05 * (z - a) + 2
    inside = [
        (p, q) for f in frags if not f.margin for p, q in _segments(f) if p >= a - slack and q <= z + slack
    ]
    return sum(1 for p, q in inside if q - p > 0.6 * (z - a)) >= need


def cut_margins(frags: list[Frag], span: tuple[float, float]) -> list[Frag]:
    """A piece beyond the text's edge after a wide gap (a margin tab's digit) is its own line."""
    x0, x1 = span
    out = []
    for frag in frags:
        pieces = [frag]
        for offset, gap_x0, gap_x1 in sorted(frag.cuts, reverse=True):
            size = frag.size
            if gap_x0 >= x1 - 0.5 * size or gap_x1 <= x0 + 0.5 * size:
                pieces.append(pieces[0].split(offset))
        out += [p for p in pieces if p.text.strip()]
    return out


def mark_margins(frags: list[Frag], span: tuple[float, float]) -> list[Frag]:
    """Tag lines outside the text's span, and join upright characters stacked in a margin."""
    x0, x1 = span
    for frag in frags:
        size = frag.size
        frag.margin = frag.x1 <= x0 + 0.5 * size or frag.x0 >= x1 - 0.5 * size
    body = [f for f in frags if not f.margin]
    for frag in [f for f in frags if f.margin and not f.rotated and f.x1 <= x0 + 0.5 * f.size]:
        # a number hanging left of its line (``1.1`` before a contents entry set at a tab stop)
        # shares the line's baseline: it belongs to that line, not to the margin
        size = frag.size
        row = [f for f in body if abs(f.base - frag.base) < 0.25 * size and 0 < f.x0 - frag.x1 < 4 * size]
        if row:
            line = min(row, key=lambda f: f.x0)
            line.parts = [frag.text, " ", *line.parts]
            line.chars = frag.chars + line.chars
            line.x0 = frag.x0
            frags = [f for f in frags if f is not frag]
    margin = sorted((f for f in frags if f.margin and not f.rotated), key=lambda f: -f.y1)
    out = [f for f in frags if f not in margin]
    stacks: list[Frag] = []
    for frag in margin:
        last = stacks[-1] if stacks else None
        if (
            last is not None
            and len(frag.text) <= 2
            and len(last.chars) <= 8
            and abs((frag.x0 + frag.x1) - (last.x0 + last.x1)) / 2 < 0.5 * frag.size
            and last.y0 - frag.y1 < 0.8 * frag.size
        ):
            last.extend(frag, "")
        else:
            stacks.append(frag)
    return out + stacks


def split_at_gutters(frags: list[Frag], cols: list[tuple[float, float]]) -> list[Frag]:
    """A line whose wide gap falls on a column gutter is two lines, one per column: the baseline
    merge joined two columns' lines that happen to share a baseline."""
    gutters = [(cols[k][1], cols[k + 1][0]) for k in range(len(cols) - 1)]
    if not gutters:
        return frags
    out = []
    for frag in frags:
        pieces = [frag]
        for offset, gap_x0, gap_x1 in sorted(frag.cuts, reverse=True):
            if frag.rotated:
                break
            near = 0.6 * frag.size
            for k, (a, z) in enumerate(gutters):
                # the gap is the gutter (its edges at the columns' edges) and a piece fills most of
                # its column: not a spaced author line above the columns
                on_gutter = gap_x0 >= a - near and gap_x1 <= z + near and gap_x0 < z and gap_x1 > a
                left, right = cols[k], cols[k + 1]
                full = gap_x0 - frag.x0 > 0.6 * (left[1] - left[0]) or frag.x1 - gap_x1 > 0.6 * (
                    right[1] - right[0]
                )
                if on_gutter and full:
                    pieces.append(pieces[0].split(offset))
                    break
        out += [p for p in pieces if p.text.strip()]
    return out


def reading_order(frags: list[Frag], cols: list[tuple[float, float]]) -> list[Frag]:
    """Top to bottom; on a page with columns, each column in turn between full-width lines."""
    body = [f for f in frags if not f.margin]
    margin = sorted((f for f in frags if f.margin), key=lambda f: (-f.y1, f.x0))
    for frag in body:
        frag.col = -1
        for k, (a, z) in enumerate(cols):
            slack = 0.03 * (z - a) + 2
            if frag.x0 >= a - slack and frag.x1 <= z + slack:
                frag.col = k
                break
    if len(cols) > 1:
        # a short line above the columns' start (an author line under the title) is full-width
        # matter that happens to fit the first column's width
        others = [f.y1 for f in body if f.col > 0]
        start = max(others, default=None)
        for frag in body:
            if frag.col == 0 and start is not None and frag.y0 > start + 0.2 * frag.size:
                frag.col = -1
    body = _by_rows(body)
    if len(cols) <= 1:
        for frag in body:
            frag.col = 0
        return body + margin
    ordered: list[Frag] = []
    buffers: dict[int, list[Frag]] = {k: [] for k in range(len(cols))}
    for frag in body:
        if frag.col == -1:
            for k in range(len(cols)):
                ordered += buffers[k]
                buffers[k] = []
            ordered.append(frag)
        else:
            buffers[frag.col].append(frag)
    for k in range(len(cols)):
        ordered += buffers[k]
    return ordered + margin


def _by_rows(frags: list[Frag]) -> list[Frag]:
    """Top to bottom, and left to right within a row: fragments whose baselines differ by less
    than a third of their size (a formula's pieces, a superscript run) stand on one row. A side
    block (``_side_blocks``) is read whole, just before the lines beside it: a journal's box
    beside the title comes as the page's furniture does, ahead of the title, not as an author
    line after it."""
    blocks = _side_blocks(frags)
    inside = {id(f) for block, _ in blocks for f in block}
    ordered: list[Frag] = []
    row: list[Frag] = []
    for frag in sorted((f for f in frags if id(f) not in inside), key=lambda f: -f.base):
        if row and row[0].base - frag.base > 0.33 * max(row[0].size, frag.size):
            ordered += sorted(row, key=lambda f: f.x0)
            row = []
        row.append(frag)
    ordered += sorted(row, key=lambda f: f.x0)
    for block, beside in blocks:
        at = min(k for k, f in enumerate(ordered) if any(f is g for g in beside))
        ordered[at:at] = block
    return ordered


def _side_blocks(frags: list[Frag]) -> list[tuple[list[Frag], list[Frag]]]:
    """Small blocks set beside other lines (a journal's box right of the title): three lines or
    more stacked in a narrow strip, and every line level with them stands clear of the strip by a
    wide gap, in another size and on its own baselines (a table's columns share their rows'
    size and baselines). Each comes with the lines beside it."""
    order = sorted(frags, key=lambda f: -f.y1)
    used: set[int] = set()
    out = []
    for k, first in enumerate(order):
        if id(first) in used:
            continue
        block, a, z = [first], first.x0, first.x1
        for frag in order[k + 1 :]:
            if frag.x1 <= a or frag.x0 >= z:
                continue  # beside the strip
            if (
                id(frag) in used
                or block[-1].y0 - frag.y1 > 1.5 * frag.size
                or frag.y1 > block[-1].y0 + 0.3 * frag.size
            ):
                break
            block.append(frag)
            a, z = min(a, frag.x0), max(z, frag.x1)
        beside = _beside(block, frags) if len(block) >= 3 else []
        if beside:
            out.append((block, beside))
            used.update(id(f) for f in block)
    return out


def _beside(block: list[Frag], frags: list[Frag]) -> list[Frag]:
    """The lines level with ``block``, when all stand clear of it by a wide gap, in another size
    and on baselines of their own; else none."""
    y0, y1 = min(f.y0 for f in block), max(f.y1 for f in block)
    a, z = min(f.x0 for f in block), max(f.x1 for f in block)
    beside = [f for f in frags if f.y0 < y1 and f.y1 > y0 and not any(f is g for g in block)]
    if not beside:
        return []
    size = sorted(f.size for f in block)[len(block) // 2]
    if any(0.75 * f.size < size < 1.33 * f.size for f in beside):
        return []  # lines of the block's own size beside it: a table's or a figure's columns
    gap = 1.5 * max(f.size for f in beside + block)
    if not all(f.x1 <= a - gap or f.x0 >= z + gap for f in beside):
        return []
    shared = sum(1 for f in block if any(abs(f.base - g.base) < 0.2 * min(f.size, g.size) for g in beside))
    return beside if shared <= len(block) // 3 else []


def column_edges(frags: list[Frag]) -> dict[int, tuple[float, float]]:
    edges = {}
    for col in {f.col for f in frags if not f.margin}:
        rows = [f for f in frags if f.col == col and not f.margin]
        span = max(f.x1 for f in rows) - min(f.x0 for f in rows)
        full = [f for f in rows if f.x1 - f.x0 > 0.6 * span] or rows
        lefts = sorted(f.x0 for f in full)
        rights = sorted(f.x1 for f in full)
        edges[col] = (lefts[len(lefts) // 5], rights[len(rights) * 4 // 5])
    return edges


def page_lines(
    chars: list[Char], *, width: float, height: float, page: int, columns_seen: bool
) -> tuple[list[Line], bool]:
    """The page's lines in reading order, and whether the page is set in columns."""
    frags = merge_baselines(fragments(chars))
    span = _span(frags)
    if span is not None:
        frags = mark_margins(cut_margins(frags, span), span)
    cols = find_columns(frags, need=1 if columns_seen else 3)
    if len(cols) > 1:
        frags = split_at_gutters(frags, cols)
    ordered = reading_order(frags, cols)
    edges = column_edges(ordered)
    lines = []
    for frag in ordered:
        size = frag.size or 10.0
        left, right = edges.get(frag.col, (frag.x0, frag.x1))
        line = Line(
            text=frag.text.translate(NFKC_TABLE),
            page=page,
            x0=round(frag.x0, 2),
            x1=round(frag.x1, 2),
            top=round(height - frag.y1, 2),
            bottom=round(height - frag.y0, 2),
            size=round(size, 2),
            indent=frag.x0 - left > 0.9 * size,
            short=right - frag.x1 > 1.5 * size,
            fill=(frag.x1 - frag.x0) / max(right - left, 1.0),
        )
        if height - frag.y1 < ZONE * height:
            line.tags.add("top-zone")
        if frag.y0 < ZONE * height:
            line.tags.add("bottom-zone")
        if frag.margin or frag.rotated:
            line.tags.add("margin")
        lines.append(line)
    return lines, len(cols) > 1
