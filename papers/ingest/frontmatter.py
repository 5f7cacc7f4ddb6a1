"""Metadata: title, subtitle, authors and affiliations, the English block, keywords, venue and year.

The title block is what precedes the first abstract/keywords label, section
heading or sentence-long line; in a PDF the largest type on the first page
marks the title. Authors are split from every usual form
(``王佃利  滕 蕾``, ``陈桂生,吴合庆``, ``TANG Renwu，WU Tianxin，WEN Xin``).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from papers.ingest.lines import Line, han_count, join_text
from papers.ingest.structure import classify, heading_of, numbering

AFFILIATION_RE = re.compile(
    r"大学|学院|研究院|研究所|研究中心|中心|学校|党校|医院|公司|研究会|编辑部|科学院|社科院|University|Institute|"
    r"College|School|Academy|Faculty|Department|Centre|Center|Laboratory|\b\d{6}\b|\b\d{5}\b"
)
_MARKERS = re.compile(r"[\d*∗†‡§¹²³⁴⁵⁶⁷⁸⁹⁰]+")
_CJK_NAME = re.compile(r"^[\u4e00-\u9fff·•]{2,8}$")
_LATIN_NAME = re.compile(r"^[A-Z][A-Za-z'’\-.]*(?:\s+[A-Z][A-Za-z'’\-.]*){1,3}$")
_SUBTITLE_DASH = re.compile(r"^[—―\-－~～]{1,4}\s*")
_SPLIT_AUTHORS = re.compile(r"\s*[,，、;；]\s*|\s{2,}|\u3000+")


@dataclass
class Front:
    title: str = ""
    subtitle: str = ""
    authors: list[str] = field(default_factory=list)
    affiliation: str = ""
    roles: list[tuple[str, list[Line]]] = field(default_factory=list)  # (role, lines) in order


def split_authors(text: str) -> list[str]:
    """Names from an author line, or [] when the line is not one."""
    text = re.sub(r"[（(][^）)]*[）)]", "", text)
    text = _MARKERS.sub(" ", text).strip(" ,，")
    if not text or len(text) > 80:
        return []
    names: list[str] = []
    for piece in filter(None, _SPLIT_AUTHORS.split(text)):
        piece = piece.strip()
        if han_count(piece):
            tokens = piece.split()
            parts = tokens if len(tokens) > 1 and all(len(t) >= 2 for t in tokens) else ["".join(tokens)]
            for part in parts:
                if not _CJK_NAME.match(part) or not 2 <= han_count(part) <= 4 + part.count("·") * 4:
                    return []
                names.append(part)
        elif _LATIN_NAME.match(piece):
            names.append(piece)
        else:
            return []
    return names


def first_body_line(lines: list[Line]) -> int:
    """Index of the first line after the title block (0 when the text has none)."""
    for i, line in enumerate(lines[:30]):
        kind = classify(line)
        if kind in ("abstract", "keywords", "abstract_en", "keywords_en", "references", "footnote"):
            return i
        if kind == "metadata":
            continue
        if i and numbering(line.text) and heading_of(line, after_break=True):
            return i
        if line.page is not None and line.x0 is not None and line.page > 1:
            return i
        sentence = re.search(r"[，。；]", line.text) or re.search(r"[a-z]\. [A-Z]", line.text)
        if sentence and line.fill >= 0.6 and not AFFILIATION_RE.search(line.text):
            return i
        if i == 0 and line.fill >= 0.95 and re.search(r"[，。；,]", line.text):
            return 0
    return 0


def _title_by_size(lines: list[Line]) -> set[int]:
    sized = [line for line in lines if line.size]
    if not sized:
        return set()
    body = statistics.median(line.size for line in sized)
    biggest = max(line.size for line in sized)
    if biggest < 1.25 * body:
        return set()
    picked: set[int] = set()
    for line in lines:
        if line.size and line.size >= 0.9 * biggest:
            picked.add(line.index)
        elif picked:
            break
    return picked


def parse_front(lines: list[Line], *, all_sizes: list[Line]) -> Front:
    front = Front()
    by_size = _title_by_size(all_sizes) if all_sizes else set()
    stage = "title"
    for line in lines:
        text = line.text
        kind = classify(line)
        if kind == "metadata":
            front.roles.append(("metadata", [line]))
            continue
        if stage == "title" and by_size and line.index not in by_size and not front.title:
            front.roles.append(("metadata", [line]))
            continue
        names = split_authors(text) if front.title or stage != "title" else []
        if stage in ("title", "subtitle") and front.title and _SUBTITLE_DASH.match(text):
            front.subtitle = join_text(front.subtitle, _SUBTITLE_DASH.sub("", text))
            front.roles.append(("subtitle", [line]))
            stage = "subtitle"
        elif names and stage in ("title", "subtitle"):
            front.authors = names
            front.roles.append(("authors", [line]))
            stage = "affiliation"
        elif stage == "title" and (not by_size or line.index in by_size) and len(front.roles) < 6:
            if front.title and (AFFILIATION_RE.search(text) or re.match(r"^[（(]", text)):
                stage = "affiliation"
                front.affiliation = join_text(front.affiliation, text)
                front.roles.append(("affiliation", [line]))
                continue
            front.title = join_text(front.title, text)
            _extend(front, "title", line)
        elif stage in ("affiliation", "subtitle") and (
            AFFILIATION_RE.search(text)
            or re.match(r"^[（(]", text)
            or front.affiliation.count("(") > front.affiliation.count(")")
        ):
            front.affiliation = join_text(front.affiliation, text)
            _extend(front, "affiliation", line)
            stage = "affiliation"
        else:
            front.roles.append(("metadata", [line]))
    if "——" in front.title and not front.subtitle:
        front.title, front.subtitle = (part.strip() for part in front.title.split("——", 1))
    front.title = front.title.strip()
    front.subtitle = _SUBTITLE_DASH.sub("", front.subtitle).strip()
    front.affiliation = re.sub(r"^[（(]\s*|\s*[）)]$", "", front.affiliation).strip()
    return front


def _extend(front: Front, role: str, line: Line) -> None:
    if front.roles and front.roles[-1][0] == role:
        front.roles[-1][1].append(line)
    else:
        front.roles.append((role, [line]))


def tag_english_front(lines: list[Line], start: int) -> None:
    """Latin lines just before an English ``Abstract`` label (title, authors, affiliation) are front matter."""
    for i in range(start, len(lines)):
        if classify(lines[i]) != "abstract_en":
            continue
        j, taken = i - 1, 0
        while j >= start and taken < 8:
            line = lines[j]
            kind = classify(line)
            if kind == "metadata":
                j -= 1
                continue
            if han_count(line.text) or kind != "body" or "merged-words" in line.tags:
                break
            line.tags.add("en-front")
            taken += 1
            j -= 1


def parse_english_front(lines: list[Line]) -> tuple[str, list[str], str]:
    """(title_en, author names, affiliation) from lines tagged ``en-front``.

    The author line is the last name-like line before the first affiliation line;
    everything above it is the title.
    """
    texts = [line.text for line in lines]
    affil = next(
        (i for i, t in enumerate(texts) if i and (AFFILIATION_RE.search(t) or t.startswith(("(", "（")))),
        len(texts),
    )
    named = [i for i in range(1, affil) if split_authors(texts[i])]
    split = named[-1] if named else affil
    title = ""
    for text in texts[:split]:
        title = join_text(title, text)
    names = split_authors(texts[split]) if named else []
    affiliation = " ".join(texts[split + 1 if named else affil :]) if named or affil < len(texts) else ""
    affiliation = re.sub(r"^[（(]\s*|\s*[）)]$", "", affiliation).strip()
    return title.strip(), names, affiliation


def split_keywords(text: str) -> list[str]:
    parts = re.split(r"\s*[；;，,、]\s*|\s{2,}|\u3000+", text)
    return [p.strip(" .。") for p in parts if p.strip(" .。")]


# ---------------------------------------------------------------- venue, year, volume, issue, pages

_HEADER_CITATION = re.compile(
    r"(?P<venue>[^,，\d]{2,60}?)\s*[,，]\s*(?P<year>(?:19|20)\d{2})\s*[,，]\s*(?:Vol\.?\s*)?(?P<volume>\d+)\s*"
    r"\(\s*(?P<issue>\d+)\s*\)\s*(?:[,，:：]\s*(?P<pages>\d+\s*[-–]\s*\d+))?"
)
_REPRINT = re.compile(
    r"(?:转自|原载|选自|摘自|原文载|刊于)\s*《(?P<venue>[^》]{2,40})》\s*(?P<year>(?:19|20)\d{2})?"
)
_CN_ISSUE = re.compile(
    r"《?(?P<venue>[\u4e00-\u9fff（）()]{2,30}(?:学报|杂志|研究|科学|论坛|评论|前沿|月刊|季刊)?)》?\s*(?P<year>(?:19|20)\d{2})\s*年\s*第\s*(?P<issue>\d+)\s*期"
)


@dataclass
class Venue:
    venue: str = ""
    year: int | None = None
    volume: str = ""
    issue: str = ""
    pages: str = ""


def find_venue(header_lines: list[str], meta_lines: list[str], doi: str) -> Venue:
    found = Venue()
    for text in meta_lines + header_lines:
        match = _REPRINT.search(text) or _CN_ISSUE.search(text)
        if match and not found.venue:
            found.venue = match.group("venue")
            if match.group("year"):
                found.year = int(match.group("year"))
            if "issue" in match.groupdict() and match.group("issue"):
                found.issue = match.group("issue")
    for text in header_lines + meta_lines:
        match = _HEADER_CITATION.search(re.sub(r"^.*?\[[A-Z]{1,2}\]\s*[.．]\s*", "", text))
        if match:
            venue = match.group("venue").strip(" .:：")
            han = re.findall(r"[\u4e00-\u9fff]{2,}", venue)
            found.venue = found.venue or (han[-1] if han else venue)
            found.year = found.year or int(match.group("year"))
            found.volume, found.issue = match.group("volume"), match.group("issue")
            found.pages = (match.group("pages") or "").replace(" ", "")
            break
    if not found.venue and doi:
        for text in header_lines:
            if doi in text:
                rest = re.sub(r"^.*?" + re.escape(doi), "", text)
                rest = re.sub(r"\b\d+\b", "", rest).strip(" ,，|")
                if 2 <= len(rest) <= 40 and not re.search(r"[。，；]|https?:", rest):
                    found.venue = rest
                    break
    if found.year is None:
        years = [
            int(y)
            for text in header_lines
            for y in re.findall(r"(?<![\d./])((?:19|20)\d{2})(?!\d)", text.replace(doi, ""))
        ]
        if years:
            found.year = max(set(years), key=years.count)
        elif doi and (match := re.search(r"[./]((?:19|20)\d{2})[./]", doi)):
            found.year = int(match.group(1))
    return found
