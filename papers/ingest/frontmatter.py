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

from papers.ingest.abstracts import extend_abstracts, join_keyword_lines
from papers.ingest.authors import AFFILIATION_RE, looks_like_affiliation, split_authors
from papers.ingest.lines import Line, han_count, join_text
from papers.ingest.structure import SPECIAL_HEADINGS, classify, heading_of, numbering
from papers.ingest.venue import Venue, find_venue

__all__ = [
    "Front",
    "Venue",
    "extend_abstracts",
    "front_year",
    "join_keyword_lines",
    "find_venue",
    "first_body_line",
    "parse_front",
    "split_authors",
    "split_keywords",
]

_SUBTITLE_DASH = re.compile(r"^[—―\-－~～]{1,4}\s*")
# a funding or author-note mark after the title: 数字治理何以促进共同富裕*
TITLE_MARK = re.compile(r"\s*[*∗※☆★†‡①②③④⑤]+$")


# a line naming the kind or series of the document above its title: "Group Report - Finance",
# "工作论文", "（数字治理专题研究论文之二）"; it is no part of the title
_SERIES = re.compile(
    r"(?i)\b(?:report|working paper|course paper|term paper|preprint|discussion paper|technical note)\b"
    r"|课程论文|课程报告|研究报告|工作论文|讨论稿"
)
SERIES_NOTE = re.compile(
    r"\s*[（(][^（）()]{0,40}(?:专题|系列|论文之|之[一二三四五六七八九十]+)[^（）()]{0,10}[）)]\s*"
)


# author names with their affiliation numbers run onto the end of the title line
_GLUED_TAIL = re.compile(
    r"((?:[\u4e00-\u9fff·]{2,5}\s*[\d¹²³⁴⁵⁶⁷⁸⁹]+(?:\s*[,，]\s*\d+)*\s*[*∗]?\s*[,，、]?\s*){1,12})$"
)
# the most common Chinese surnames: where a name glued to a title starts
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)


def glued_authors(text: str) -> tuple[str, list[str], str] | None:
    """(title, names, author text) when author names with affiliation numbers end a title line."""
    match = _GLUED_TAIL.search(text)
    if match is None or match.start() < 4:
        return None
    tail = match.group(1)
    choices = []
    for skip in range(0, 4):  # the tail may have taken the title's last characters too
        names = split_authors(tail[skip:])
        if names and 2 <= len(names[0]) <= 3:
            choices.append((names[0][0] in _SURNAMES, len(names[0]) == 3, skip, names))
    if not choices:
        return None
    _s, _l, skip, names = max(choices)
    title = text[: match.start() + skip].strip()
    return (title, names, tail[skip:]) if len(title) >= 4 else None


@dataclass
class Front:
    title: str = ""
    subtitle: str = ""
    authors: list[str] = field(default_factory=list)
    affiliation: str = ""
    author_line: str = ""  # the author line as written, with its affiliation numbers
    series: str = ""  # a label naming the document's kind or series ("Group Report - …", "工作论文")
    roles: list[tuple[str, list[Line]]] = field(default_factory=list)  # (role, lines) in order


def first_body_line(lines: list[Line]) -> int:
    """Index of the first line after the title block (0 when the text has none)."""
    first_page = lines[0].page if lines else None  # the first content page, after any cover pages
    for i, line in enumerate(lines[:30]):
        kind = classify(line)
        if kind in ("abstract", "keywords", "abstract_en", "keywords_en", "references", "footnote"):
            return i
        if kind == "metadata":
            continue
        if SPECIAL_HEADINGS.match(line.text):
            return i  # 致谢, 附录, 参考文献 open a part of the text: no title block goes on past them
        if i and numbering(line.text) and heading_of(line, after_break=True):
            if looks_like_affiliation(line.text):
                continue
            return i
        if (
            line.page is not None
            and line.x0 is not None
            and first_page is not None
            and line.page > first_page
        ):
            return i
        if glued_authors(line.text):
            continue  # a title with its authors run on: the commas are between names
        sentence = re.search(r"[，。；]", line.text) or re.search(r"[a-z]\. [A-Z]", line.text)
        if sentence and line.fill >= 0.6 and not AFFILIATION_RE.search(line.text):
            return i
        if i == 0 and line.fill >= 0.95 and re.search(r"[，。；,]", line.text):
            return 0
    return 0


def _title_by_size(lines: list[Line]) -> set[int]:
    sizes = [line.size for line in lines if line.size]
    if not sizes:
        return set()
    body = statistics.median(sizes)
    biggest = max(sizes)
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
        if stage == "title" and not front.title and _is_series_label(line, lines, by_size):
            front.roles.append(("metadata", [line]))
            front.series = front.series or text
            continue
        # a line set in the title's type continues the title: no author line is set that large
        in_title_type = stage == "title" and line.index in by_size
        names = split_authors(text) if (front.title or stage != "title") and not in_title_type else []
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
            glued = glued_authors(text)
            if glued:  # 数字治理的逻辑张三1，李四2
                front.title = join_text(front.title, glued[0])
                front.authors, front.author_line = glued[1], glued[2]
                _extend(front, "title", line)
                stage = "affiliation"
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
    front.title = SERIES_NOTE.sub("", TITLE_MARK.sub("", front.title.strip())).strip()
    front.subtitle = TITLE_MARK.sub("", _SUBTITLE_DASH.sub("", front.subtitle).strip())
    front.affiliation = re.sub(r"^[（(]\s*|\s*[）)]$", "", front.affiliation).strip()
    return front


def _is_series_label(line: Line, lines: list[Line], by_size: set[int]) -> bool:
    """A short line naming the document's kind or series, with the real title line after it."""
    text = line.text.strip()
    if SERIES_NOTE.fullmatch(text):
        return True
    if len(text) > 60 or not _SERIES.search(text) or re.search(r"[。，；]", text):
        return False
    after = [ln for ln in lines if ln.index > line.index]
    if not after:
        return False
    nxt = after[0]
    return (not by_size or nxt.index in by_size) and not split_authors(nxt.text) and classify(nxt) == "body"


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
    words: list[str] = []
    for part in parts:
        # "数字鸿沟 老年群体": a single space between Chinese words separates keywords too
        if re.fullmatch(r"[\u4e00-\u9fff\d（）()]+(?: [\u4e00-\u9fff\d（）()]+)+", part.strip()):
            words += part.split()
        else:
            words.append(part)
    return [w.strip(" .。") for w in words if w.strip(" .。")]


_DATE_LINE = re.compile(
    r"^(?:\d{1,2}\s*/\s*\d{1,2}\s*/\s*((?:19|20)\d{2})|((?:19|20)\d{2})\s*(?:[-./]\s*\d{1,2}|年\s*\d{1,2}\s*月).*)$"
)


def front_year(front: Front) -> int | None:
    """The year of a date standing alone in the title block (``4/24/2023``, ``2023年4月``)."""
    for role, lines in front.roles:
        for line in lines:
            match = _DATE_LINE.match(line.text.strip()) if len(line.text) <= 24 else None
            if role == "metadata" and match:
                return int(match.group(1) or match.group(2))
    return None
