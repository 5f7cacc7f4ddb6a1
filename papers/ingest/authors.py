"""Author lines and affiliations: names, their affiliation numbers, and numbered affiliation lists.

Names come from every usual form (``王佃利  滕 蕾``, ``陈桂生,吴合庆``, ``张三1,2 李四2``,
``孙晓东¹ 刘 洋²``, ``TANG Renwu，WU Tianxin``, a newspaper byline ``□ 韩雨晴``). The digits after
a name point into a numbered affiliation list (``（1.北京大学 政府管理学院，北京 100871；2.…）``),
so each author gets the affiliations that are theirs rather than the whole list.
"""

from __future__ import annotations

import re

from papers.ingest.lines import han_count

AFFILIATION_RE = re.compile(
    r"大学|学院|研究院|研究所|研究中心|中心|学校|党校|医院|公司|研究会|编辑部|科学院|社科院|University|Institute|"
    r"College|School|Academy|Faculty|Department|Centre|Center|Laboratory|\b\d{6}\b|\b\d{5}\b"
)
_INSTITUTION = re.compile(r"大学|学院|研究院|研究所|党校|科学院|University|Institute|College|School|Academy")
_POSTCODE = re.compile(r"(?<!\d)\d{6}(?!\d)")
_SUPERSCRIPT_DIGITS = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")
# affiliation numbers and note marks; a private-use glyph is a note mark drawn from a symbol font
_MARKERS = re.compile(r"[\d*∗†‡§¹²³⁴⁵⁶⁷⁸⁹⁰\ue000-\uf8ff]+")
_CJK_NAME = re.compile(r"^[\u4e00-\u9fff·•]{2,8}$")
_LATIN_NAME = re.compile(r"^[A-Z][A-Za-z'’\-.]*(?:\s+[A-Z][A-Za-z'’\-.]*){1,3}$")
_SPLIT_AUTHORS = re.compile(r"\s*[,，、;；]\s*|\s{2,}|\u3000+")
# a newspaper byline: "□ 韩雨晴", "文／韩雨晴", "本报记者 韩雨晴", "作者：韩雨晴"
_BYLINE = re.compile(
    r"^(?:[□■◎●▲◆◇○]\s*|(?:文|撰文)\s*[／/｜|]\s*|(?:本报记者|记者|通讯员|作者)\s*[:：]?\s*(?=\S))"
)
# 1.北京大学…；2.清华大学… (one line), or one numbered line each, joined by a space
_NUMBERED = re.compile(r"(?:^|[;；]\s*|\s+)(\d{1,2})\s*[.．、]\s*(?=\D)")


def looks_like_affiliation(text: str) -> bool:
    """A postal code or two institution words: an affiliation line, not a numbered heading."""
    return bool(_POSTCODE.search(text)) or len(_INSTITUTION.findall(text)) >= 2


def split_authors(text: str) -> list[str]:
    """Names from an author line, or [] when the line is not one."""
    text = _BYLINE.sub("", text)
    if re.search(r"[\u4e00-\u9fff]\d+[\u4e00-\u9fff]", text):
        return []  # 第37卷, 2017年第2期: a number inside words, not marks after names
    text = re.sub(r"[（(][^）)]*[）)]", "", text)
    text = _MARKERS.sub(" ", text).strip(" ,，")
    if not text or len(text) > 80:
        return []
    names: list[str] = []
    for piece in _join_single_characters([p.strip() for p in _SPLIT_AUTHORS.split(text) if p.strip()]):
        if han_count(piece):
            parts = _spaced_names(piece.split())
            for part in parts:
                if not _CJK_NAME.match(part) or not 2 <= han_count(part) <= 4 + part.count("·") * 4:
                    return []
                names.append(part)
        elif _LATIN_NAME.match(piece):
            names.append(piece)
        else:
            return []
    return names


def _join_single_characters(pieces: list[str]) -> list[str]:
    """``狄　嘉　孙朋飞``: a two-character name spread over a wide gap comes back whole (狄嘉, 孙朋飞)."""
    out: list[str] = []
    run = ""
    for piece in pieces:
        if len(piece) == 1 and han_count(piece):
            run += piece
            continue
        if run:
            out.append(run)
            run = ""
        out.append(piece)
    if run:
        out.append(run)
    return out


def _spaced_names(tokens: list[str]) -> list[str]:
    """Space-separated tokens to names: runs of single characters are one justified name
    (``赵明远 钱 丽`` → 赵明远, 钱丽; a PDF collapses the wide gap between names to one space)."""
    names: list[str] = []
    run = ""
    for token in tokens:
        if len(token) == 1:
            run += token
            continue
        if run:
            names.append(run)
            run = ""
        names.append(token)
    if run:
        names.append(run)
    return names


def author_marks(text: str, names: list[str]) -> list[list[str]]:
    """The affiliation numbers written after each name (``张三1,2`` → ``["1", "2"]``), in order."""
    text = text.translate(_SUPERSCRIPT_DIGITS)
    marks: list[list[str]] = []
    cursor = 0
    for name in names:
        pattern = r"\s*".join(re.escape(ch) for ch in name.replace(" ", ""))
        match = re.compile(pattern).search(text, cursor)
        if match is None:
            marks.append([])
            continue
        found = re.match(r"[\d,，、\s*∗]*", text[match.end() :])
        tail = found.group(0) if found else ""
        marks.append(re.findall(r"\d{1,2}", tail))
        cursor = match.end() + len(tail)
    return marks


def numbered_affiliations(text: str) -> dict[str, str]:
    """``1.北京大学…；2.清华大学…`` → {"1": "北京大学…", "2": "清华大学…"}; {} when not numbered."""
    body = re.sub(r"^[（(]\s*|\s*[）)]\s*$", "", text.strip())
    starts = list(_NUMBERED.finditer(body))
    if not starts or starts[0].start() != 0 or starts[0].group(1) != "1":
        return {}
    found = {}
    for k, match in enumerate(starts):
        end = starts[k + 1].start() if k + 1 < len(starts) else len(body)
        found[match.group(1)] = body[match.end() : end].strip(" ;；,，")
    return found


def affiliations_by_author(author_line: str, names: list[str], affiliation: str) -> list[str]:
    """Each author's own affiliation(s) when the list is numbered; otherwise the whole text for all."""
    numbered = numbered_affiliations(affiliation)
    if not numbered:
        return [affiliation] * len(names)
    out = []
    for marks in author_marks(author_line, names):
        own = [numbered[m] for m in marks if m in numbered]
        if not own and len(numbered) == 1:
            own = list(numbered.values())
        out.append("；".join(own) if own else affiliation)
    return out
