"""Venue, year, volume, issue and pages, from running headers, metadata lines and the DOI.

Sources, most specific first: a reprint or newspaper note (``转自《金融时报》2025 年``,
``《农民日报》（2024年05月16日 03版）``), a Chinese issue line (``公共管理评论 2023 年第 5 期``,
``第 39 卷第 2 期 电子政务研究``), a citation-style header (``建模与仿真, 2026, 15(1), 93-103``),
the text beside the DOI in a header, and last a journal name standing alone in the running
headers (what is left of a header once page numbers, issue numbers, the title and the authors
are taken out).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_HEADER_CITATION = re.compile(
    r"(?P<venue>[^,，\d]{2,60}?)\s*[,，]\s*(?P<year>(?:19|20)\d{2})\s*[,，]\s*(?:Vol\.?\s*)?(?P<volume>\d+)\s*"
    r"\(\s*(?P<issue>\d+)\s*\)\s*(?:[,，:：]\s*(?P<pages>\d+\s*[-–]\s*\d+))?"
)
_REPRINT = re.compile(
    r"(?:转自|原载|选自|摘自|原文载|刊于)\s*《(?P<venue>[^》]{2,40})》\s*(?P<year>(?:19|20)\d{2})?"
)
_NEWSPAPER = re.compile(r"《(?P<venue>[^》]{2,20})》\s*[（(]\s*(?P<year>(?:19|20)\d{2})\s*年")
_VOLUME_ISSUE = re.compile(r"第\s*(?P<volume>\d+)\s*卷\s*(?:[,，]\s*)?第\s*(?P<issue>\d+)\s*期")
_NOT_A_NAME = re.compile(
    r"(?:第\s*\d+\s*[卷期辑]|(?:19|20)\d{2}\s*年|Vol\.?\s*\d+|No\.?\s*\d+|[·•—\-–]*\s*\d{1,4}\s*[·•—\-–]*)"
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


def find_venue(
    header_lines: list[str],
    meta_lines: list[str],
    doi: str,
    *,
    title: str = "",
    authors: list[str] | None = None,
) -> Venue:
    found = Venue()
    for text in meta_lines + header_lines:
        match = _REPRINT.search(text) or _NEWSPAPER.search(text) or _CN_ISSUE.search(text)
        if match and not found.venue:
            found.venue = match.group("venue").rstrip("（(")  # 国际政治科学(2025年第1期)
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
    for text in header_lines:
        match = _VOLUME_ISSUE.search(text)
        if match and not found.volume:
            found.volume, found.issue = match.group("volume"), match.group("issue")
    if not found.venue and doi:
        for text in header_lines:
            if doi in text:
                rest = re.sub(r"^.*?" + re.escape(doi), "", text)
                rest = re.sub(r"\b\d+\b", "", rest).strip(" ,，|")
                if 2 <= len(rest) <= 40 and not re.search(r"[。，；]|https?:", rest):
                    found.venue = rest
                    break
    if not found.venue:
        found.venue = _standalone_name(header_lines, title, authors or [])
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


def _standalone_name(header_lines: list[str], title: str, authors: list[str]) -> str:
    """A journal name standing alone in running headers: the most repeated such remainder."""
    compact_title = re.sub(r"\W+", "", title)
    names: Counter[str] = Counter()
    for text in header_lines:
        if re.search(r"[：:。，,；;]", text) or any(a and a in text for a in authors):
            continue
        for piece in _NOT_A_NAME.sub(" ", text).split():
            piece = piece.strip("《》<>|｜")
            if not re.fullmatch(r"[\u4e00-\u9fff（）()]{4,16}", piece):
                continue
            if compact_title and (compact_title.startswith(piece) or piece in compact_title):
                continue
            names[piece] += 1
    # a journal's running head repeats page after page; a table's heading repeated once does not
    best = names.most_common(1)
    if not best:
        return ""
    name, count = best[0]
    return name if count >= 3 or _JOURNAL_WORD.search(name) else ""


# the last word of most journal names: such a name counts even when printed once
_JOURNAL_WORD = re.compile(
    r"(?:研究|评论|学报|科学|论坛|杂志|月刊|季刊|学刊|论丛|前沿|探索|世界|政务|管理|经济)[)）]?$"
)
