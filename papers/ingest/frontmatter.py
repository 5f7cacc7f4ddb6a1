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

from papers.ingest.authors import AFFILIATION_RE, looks_like_affiliation, split_authors
from papers.ingest.lines import Line, han_count, join_text
from papers.ingest.structure import classify, heading_of, numbering
from papers.ingest.venue import Venue, find_venue

__all__ = [
    "Front",
    "Venue",
    "find_venue",
    "first_body_line",
    "parse_front",
    "split_authors",
    "split_keywords",
]

_SUBTITLE_DASH = re.compile(r"^[—―\-－~～]{1,4}\s*")
# a funding or author-note mark after the title: 数字治理何以促进共同富裕*
TITLE_MARK = re.compile(r"\s*[*∗※☆★†‡①②③④⑤]+$")


@dataclass
class Front:
    title: str = ""
    subtitle: str = ""
    authors: list[str] = field(default_factory=list)
    affiliation: str = ""
    author_line: str = ""  # the author line as written, with its affiliation numbers
    roles: list[tuple[str, list[Line]]] = field(default_factory=list)  # (role, lines) in order


def first_body_line(lines: list[Line]) -> int:
    """Index of the first line after the title block (0 when the text has none)."""
    for i, line in enumerate(lines[:30]):
        kind = classify(line)
        if kind in ("abstract", "keywords", "abstract_en", "keywords_en", "references", "footnote"):
            return i
        if kind == "metadata":
            continue
        if i and numbering(line.text) and heading_of(line, after_break=True):
            if looks_like_affiliation(line.text):
                continue
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
            front.author_line = text
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
    front.title = TITLE_MARK.sub("", front.title.strip())
    front.subtitle = TITLE_MARK.sub("", _SUBTITLE_DASH.sub("", front.subtitle).strip())
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
            if not re.search(r"[A-Za-z]{2,}", line.text):  # "2021:112-120." ends a reference entry
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
    """Keywords split at ``；;，,、``, wide gaps, or single spaces between Chinese words."""
    parts = re.split(r"\s*[；;，,、]\s*|\s{2,}|\u3000+", text.strip())
    words = []
    for part in parts:
        # "数字鸿沟 老年群体": a single space between Chinese words separates keywords too
        if re.fullmatch(r"[\u4e00-\u9fff\d（）()]+(?: [\u4e00-\u9fff\d（）()]+)+", part.strip()):
            words += part.split()
        else:
            words.append(part)
    return [w.strip(" .。") for w in words if w.strip(" .。")]
