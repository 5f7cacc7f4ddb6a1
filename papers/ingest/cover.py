"""Cover pages: thesis and CNKI 网络首发 covers, declarations and tables of contents.

They stand before a paper's first content page and are no part of its body. What they say
feeds the metadata: labelled form fields (``题 目``, ``学生姓名``, ``指导教师``, ``学院``, ``提交日期``,
``TITLE：``, ``MENTOR：``…) give the title, author, advisor, institution and year, and a label such
as ``硕士学位论文`` types the paper as a thesis of that degree. Every other cover line is recorded
as removed with its reason, so no text is lost.

PDF sources are judged page by page (a page of form fields, a declaration page, a page of
dotted-leader entries); text sources, which have no pages, line by line within the front matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from papers.ingest.authors import split_authors
from papers.ingest.coverfields import (
    CNKI,
    CONTENTS,
    DECLARATION,
    ENDS_WITH_LABEL,
    INSTITUTION,
    LEADER,
    advisor_name,
    degree_of,
    field_of,
    institution_in,
    is_kind_label,
    year_of,
)
from papers.ingest.lines import Line, han_count
from papers.ingest.structure import SPECIAL_HEADINGS, classify, numbering

REASON_COVER = "cover page"
REASONDECLARATION = "declaration"
REASONCONTENTS = "table of contents"
REASON_LABEL = "cover label"
REASON_PAGE_NUMBER = "page number"
_ROMAN = re.compile(r"[IVXLivxl]{1,6}")

__all__ = ["Cover", "advisor_name", "degree_of", "find_cover", "institution_in", "year_of"]


@dataclass
class Cover:
    """What the cover pages hold, and which source lines they took."""

    fields: dict[str, str] = field(default_factory=dict)  # title, author, advisor, school, date, title_en…
    degree: str = ""
    institution: str = ""
    year: int | None = None
    thesis: bool = False
    removed: dict[int, str] = field(default_factory=dict)  # line index -> reason
    field_lines: list[Line] = field(default_factory=list)  # lines that became metadata
    groups: list[list[Line]] = field(default_factory=list)  # the same, one field (label, value, wraps) each
    # reading state: the last field row and the field it belongs to ("" once that field was known)
    last: list[Line] | None = None
    last_key: str = ""
    last_stored: bool = False
    row_no: int = 0  # position of the row being read; a wrapped field value is the very next row
    last_row_no: int = -2

    @property
    def authors(self) -> list[str]:
        value = self.fields.get("author", "")
        names = split_authors(value)
        if not names and value and len(value) <= 20 and not re.search(r"[，。；,;:：]", value):
            names = [value.replace(" ", "") if han_count(value) else value]
        return names

    @property
    def taken(self) -> set[int]:
        return set(self.removed) | {line.index for line in self.field_lines}


def _rows(lines: list[Line]) -> list[list[Line]]:
    """Lines of one page side by side on one baseline (a form's label and its value cell), top to
    bottom and left to right whatever order the text layer gave them in."""
    rows: list[list[Line]] = []
    for line in sorted(lines, key=lambda ln: (ln.top or 0.0, ln.x0 or 0.0)):
        ref = rows[-1][0] if rows else None
        if ref is not None and abs((line.top or 0.0) - (ref.top or 0.0)) <= 0.5 * (line.size or 10):
            rows[-1].append(line)
            continue
        rows.append([line])
    return [sorted(row, key=lambda ln: ln.x0 or 0.0) for row in rows]


def _row_text(row: list[Line]) -> str:
    return " ".join(line.text.strip() for line in row)


def _page_kind(lines: list[Line]) -> str:
    """cover, declaration, contents or "" for one page of a PDF."""
    texts = [line.text.strip() for line in lines]
    if not texts:
        return ""
    if any(CONTENTS.match(re.sub(r"\s+", " ", t)) for t in texts[:4]):
        return "contents"
    leaders = sum(1 for t in texts if LEADER.search(t))
    if leaders >= 3 and leaders >= 0.3 * len(texts):
        return "contents"
    if any(classify(line) in ("abstract", "abstract_en", "keywords") for line in lines):
        return ""
    if any(DECLARATION.search(t) and len(t) <= 40 for t in texts):
        return "declaration"
    fields = sum(1 for row in _rows(lines) if field_of(_row_text(row)))
    kind_label = any(is_kind_label(t) for t in texts)
    cnki = sum(1 for t in texts if CNKI.search(t))
    if (fields >= 2 or kind_label or cnki >= 2) and len(texts) <= 45:
        return "cover"
    return ""


def find_cover(lines: list[Line]) -> Cover:
    """Cover, declaration and contents pages (PDF) or blocks (text) before the first content page."""
    cover = Cover()
    if any(line.x0 is not None for line in lines):
        _by_page(lines, cover)
    else:
        _by_line(lines, cover)
    _front_fields(lines, cover)
    return cover


def _by_page(lines: list[Line], cover: Cover) -> None:
    pages: dict[int, list[Line]] = {}
    for line in lines:
        pages.setdefault(line.page or 0, []).append(line)
    reasons = {"cover": REASON_COVER, "declaration": REASONDECLARATION, "contents": REASONCONTENTS}
    numbers = sorted(pages)
    front = True  # still before the first page of running text
    for position, number in enumerate(numbers[:12]):
        page = pages[number]
        kind = _page_kind(page)
        if not kind and position == 0 and len(numbers) > 1 and _is_issue_cover(page, pages[numbers[1]]):
            kind = "cover"
        if kind == "cover" and not front:
            kind = ""  # form fields after the text has begun are the text's own
        if not kind:
            labelled = any(classify(line) in ("abstract", "abstract_en", "keywords_en") for line in page)
            # acknowledgements before the abstract (some theses) are front matter, not the text
            opening = next(
                (line.text.strip() for line in page if not _ROMAN.fullmatch(line.text.strip())), ""
            )
            if _has_body(page) and not labelled and not SPECIAL_HEADINGS.match(opening):
                if _chapter_opens(page):
                    break
                front = False
            if front:
                _roman_page_number(page, cover)
            continue
        cover.last = None
        rows = _rows(page) if kind == "cover" else [[line] for line in page]
        for row in rows:
            cover.row_no += 1
            _take(cover, row, reasons[kind], fields=kind == "cover", lenient=True)
        if kind == "cover" and "title" not in cover.fields:
            _title_by_size(rows, cover)


def _is_issue_cover(page: list[Line], following: list[Line]) -> bool:
    """A journal or book cover before the article: a few display lines, not one sentence, while
    the next page opens with the article's abstract."""
    if len(page) > 20 or any(re.search(r"[，。；：,;]", line.text) for line in page):
        return False
    if any(classify(line) in ("abstract", "keywords") for line in page):
        return False
    return any(classify(line) in ("abstract", "abstract_en", "keywords") for line in following[:15])


def _title_by_size(rows: list[list[Line]], cover: Cover) -> None:
    """A cover without a 题目 label: its largest line of words (not a label, a name or a date) is
    the title, and Latin lines right under it are the English title."""
    free = [
        row
        for row in rows
        if all(cover.removed.get(line.index) == REASON_COVER for line in row)
        and han_count(_row_text(row)) >= 4
        and not INSTITUTION.fullmatch(re.sub(r"\s+", "", _row_text(row)))
        and year_of(_row_text(row)) is None
    ]
    sized = [row for row in free if row[0].size]
    if not sized:
        return
    biggest = max(row[0].size or 0.0 for row in sized)
    start = next(k for k, row in enumerate(rows) if row in sized and (row[0].size or 0) >= 0.95 * biggest)
    title: list[list[Line]] = []
    for row in rows[start:]:
        size = row[0].size or 0.0
        text = _row_text(row)
        if title and (size < 0.8 * biggest or not han_count(text)):
            break
        title.append(row)
    english: list[list[Line]] = []
    for row in rows[start + len(title) :]:
        text = _row_text(row)
        if han_count(text) or field_of(text) or not re.search(r"[A-Za-z]{3,}", text):
            break
        english.append(row)
    cover.fields["title"] = "".join(_row_text(row) for row in title)
    if english and "title_en" not in cover.fields:
        cover.fields["title_en"] = " ".join(_row_text(row) for row in english)
    for row in title + english:
        cover.groups.append(list(row))
        cover.field_lines.extend(row)
        for line in row:
            cover.removed.pop(line.index, None)


def _roman_page_number(page: list[Line], cover: Cover) -> None:
    """Front-matter pages are numbered I, II, III…: a bare numeral at the page's top or foot."""
    placed = [line for line in page if line.top is not None]
    if not placed:
        return
    ends = {min(placed, key=lambda ln: ln.top or 0.0).index, max(placed, key=lambda ln: ln.top or 0.0).index}
    for line in placed:
        if line.index in ends and _ROMAN.fullmatch(line.text.strip()):
            cover.removed[line.index] = REASON_PAGE_NUMBER


def _chapter_opens(lines: list[Line]) -> bool:
    """The page opens a numbered chapter or section (``1 绪论``, ``第一章``): the text has begun."""
    return any(
        numbering(line.text) and len(line.text) <= 30 and not LEADER.search(line.text) for line in lines[:6]
    )


def _has_body(lines: list[Line]) -> bool:
    """A page of running text: a few sentences."""
    sentences = sum(1 for line in lines if re.search(r"[，。；]", line.text) and han_count(line.text) >= 10)
    return sentences >= 4


def _by_line(lines: list[Line], cover: Cover) -> None:
    """Text sources: cover blocks within the first lines, a contents block, declarations."""
    limit = min(len(lines), 150)
    i = 0
    mode = ""
    while i < limit:
        line = lines[i]
        cover.row_no = line.index
        text = line.text.strip()
        kind = classify(line)
        if CONTENTS.match(re.sub(r"\s+", " ", text)):
            mode = "contents"
            _take(cover, [line], REASONCONTENTS)
        elif LEADER.search(text) or (mode == "contents" and re.search(r"\s\d{1,3}$", text)):
            _take(cover, [line], REASONCONTENTS)
        elif DECLARATION.search(text) and len(text) <= 40:
            mode = "declaration"
            _take(cover, [line], REASONDECLARATION)
        elif mode == "declaration" and kind == "body" and not numbering(text) and not field_of(text):
            _take(cover, [line], REASONDECLARATION)
        elif i < 40 and (is_kind_label(text) or CNKI.search(text) or (cover.taken and field_of(text))):
            mode = ""
            _take(cover, [line], REASON_COVER, fields=True)
            if CNKI.search(text) and len(text) > 40:  # the CNKI notice runs on for a few lines
                while i + 1 < limit and classify(lines[i + 1]) == "body" and not field_of(lines[i + 1].text):
                    if len(lines[i + 1].text) <= 30:
                        break
                    i += 1
                    cover.row_no = lines[i].index
                    _take(cover, [lines[i]], REASON_COVER)
        elif cover.last is not None and i < 40 and _continues(cover, [line]):
            _append(cover, [line])
        else:
            mode = ""
            cover.last = None
        i += 1


def _front_fields(lines: list[Line], cover: Cover) -> None:
    """Labelled fields before the abstract (a thesis abstract page repeats 题目/院系/姓名 above it)."""
    stop = next(
        (i for i, line in enumerate(lines[:400]) if classify(line) in ("abstract", "keywords")),
        min(len(lines), 60),
    )
    # English fields (TITLE：, MENTOR：) stand before the English abstract, which comes later
    stop_en = next((i for i, line in enumerate(lines[:500]) if classify(line) == "abstract_en"), stop)
    taken = cover.taken
    cover.last = None
    for i, line in enumerate(lines[: max(stop, stop_en)]):
        cover.row_no = line.index
        if line.index in taken:
            cover.last = None
            continue
        found = field_of(line.text)
        if found is None and is_kind_label(line.text):
            _take(cover, [line], REASON_LABEL, fields=True)  # 南京大学本科生毕业论文中文摘要
            continue
        if found is None:
            if cover.last is not None and _continues(cover, [line]):
                _append(cover, [line])
            else:
                cover.last = None
            continue
        if (i >= stop and not found[0].endswith("_en")) or found[2] not in (":", "：", "glued"):
            cover.last = None
            continue  # "学院 …" with a space and no colon only counts on a cover page
        if found[2] == "glued":
            continue
        _take(cover, [line], REASON_COVER, fields=True)


def _take(cover: Cover, row: list[Line], reason: str, *, fields: bool = False, lenient: bool = False) -> None:
    text = _row_text(row)
    found = field_of(text, lenient=lenient) if fields else None
    if found is not None:
        key, value, _sep = found
        if value and key not in ("other", "other_en"):
            cover.last_stored = key not in cover.fields
            if cover.last_stored:
                cover.fields[key] = value
            cover.last, cover.last_key, cover.last_row_no = row, key, cover.row_no
            cover.field_lines.extend(row)
            cover.groups.append(list(row))
            for line in row:
                cover.removed.pop(line.index, None)
            if key == "date" and cover.year is None:
                cover.year = year_of(value)
            return
    if fields and found is None and cover.last is not None and _continues(cover, row):
        _append(cover, row)
        return
    cover.last = None
    compact = re.sub(r"\s+", "", text)
    if is_kind_label(text) and not cover.institution and (match := INSTITUTION.match(compact)):
        cover.institution = match.group(1)  # 南京大学本科生毕业论文, 某某大学学位论文原创性声明
    if fields and is_kind_label(text):
        cover.thesis = cover.thesis or "网络首发" not in text
        cover.degree = cover.degree or degree_of(text)
        match = INSTITUTION.match(compact)
        if match and not cover.institution:
            cover.institution = match.group(1)
        reason = REASON_LABEL
    elif fields and cover.year is None and re.fullmatch(r"[\d〇○零一二三四五六七八九十年月日]+", compact):
        cover.year = year_of(text)
    elif fields and not cover.institution:
        match = INSTITUTION.match(compact)
        if match and match.group(1) == compact:
            cover.institution = compact
    for line in row:
        cover.removed.setdefault(line.index, reason)


def _continues(cover: Cover, row: list[Line]) -> bool:
    """A title field that wraps: the next row carries no label and follows it directly."""
    last = cover.last
    if last is None or cover.last_key not in ("title", "title_en"):
        return False
    first, prev = row[0], last[-1]
    if first.page != prev.page or cover.row_no != cover.last_row_no + 1 or classify(first) != "body":
        return False
    if first.size and prev.size and abs(first.size - prev.size) > 0.1 * prev.size:
        return False
    text = _row_text(row)
    if ENDS_WITH_LABEL.search(text) or field_of(text):
        return False
    if cover.last_key == "title":
        return han_count(text) >= 2 and len(text) <= 60 and not re.search(r"[。；]", text)
    return bool(re.match(r"^[A-Za-z]", text)) and not han_count(text)


def _append(cover: Cover, row: list[Line]) -> None:
    """Add a wrapped row to the field above it (to the field's text only when that field was kept)."""
    if cover.last_stored:
        sep = " " if cover.last_key == "title_en" else ""
        cover.fields[cover.last_key] = cover.fields[cover.last_key] + sep + _row_text(row)
    cover.field_lines.extend(row)
    cover.groups[-1].extend(row)
    for line in row:
        cover.removed.pop(line.index, None)
    cover.last, cover.last_row_no = row, cover.row_no
