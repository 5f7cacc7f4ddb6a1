"""Normalising record values the way every format needs: names, keyword lists, years, dates,
pages, DOIs and document types. Pure functions."""

from __future__ import annotations

import re
import unicodedata

from kb.lib.textnorm import has_han, match_key
from papers.records.types import Record

# Spaces next to Han characters or CJK punctuation on both sides are line breaks of the export.
_CJK = "\u3000-\u303f\u3400-\u9fff\uff01-\uff60"
_HAN_GAP = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")
_YEAR = re.compile(r"(?<!\d)(1[0-9]{3}|20[0-9]{2}|2100)(?!\d)")
_DATE = re.compile(r"(?<!\d)(\d{4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?")
_DOI = re.compile(r"10\.\d{4,9}/\S+")
_KEYWORD_SPLIT = re.compile(r"[;；]+|[,，、](?=\s*\S)")
_NAME_SPLIT = re.compile(r"[;；]+")
_HAN_NAME_SPLIT = re.compile(r"[;；,，、]+")
_CNKI_BREAK = re.compile(r"\(#br\)|<正>|＜正＞")


def clean(value) -> str:
    """One line of text: NFC, spaces collapsed, spaces between Han characters dropped, the
    ``(#br)`` and ``<正>`` marks of CNKI exports removed."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    text = _CNKI_BREAK.sub(" ", unicodedata.normalize("NFC", str(value)))
    text = " ".join(text.split())
    return _HAN_GAP.sub("", text)


# A title (or a name) folded for matching, as the search folds it: NFKC, traditional →
# simplified, case, punctuation and spaces dropped (數位鴻溝：理論 = 数位鸿沟 理论).
title_key = match_key


def join_name(family: str, given: str) -> str:
    """A display name from its parts: 王佃利 (Han: no space), John Smith."""
    family, given = clean(family), clean(given)
    if not family or not given:
        return family or given
    if has_han(family) or has_han(given):
        return family + given
    return f"{given} {family}"


def person(name: str) -> str:
    """``Smith, John`` → ``John Smith``; ``王, 佃利`` → ``王佃利``; ``TANG Renwu`` stays."""
    name = clean(name).strip(" ,;")
    if "," in name:
        family, _, given = name.partition(",")
        return join_name(family, given)
    return name


_HAN_FAMILY_GIVEN = re.compile(r"^([\u3400-\u9fff]{1,2})\s*,\s*([\u3400-\u9fff]{1,3})$")


def people(values) -> list[str]:
    """Names from one value or several: ``王佃利;滕蕾;`` or one per line, without duplicates."""
    if isinstance(values, str):
        values = [values]
    names: list[str] = []
    for value in values or []:
        text = clean(value)
        if _HAN_FAMILY_GIVEN.match(text):  # 王, 佃利: one person, family and given name
            names.append(person(text))
            continue
        # Han names may be separated by commas too; a Latin "Smith, John" may not.
        parts = _HAN_NAME_SPLIT.split(text) if has_han(text) else _NAME_SPLIT.split(text)
        names.extend(person(part) for part in parts)
    return list(dict.fromkeys(name for name in names if name))


def keywords(values) -> list[str]:
    """Keywords from one value or several (``;``, ``;;``, ``；``, ``，`` or one per line)."""
    if isinstance(values, str):
        values = [values]
    words: list[str] = []
    for value in values or []:
        words.extend(clean(word) for word in _KEYWORD_SPLIT.split(str(value)))
    return list(dict.fromkeys(word for word in words if word))


def year_of(value) -> int | None:
    match = _YEAR.search(str(value or ""))
    return int(match.group(1)) if match else None


def date_of(value) -> str:
    """A full or partial date as ``YYYY-MM-DD`` / ``YYYY-MM``, or "" when only a year is known."""
    match = _DATE.search(str(value or ""))
    if not match:
        return ""
    year, month, day = match.groups()
    if not 1 <= int(month) <= 12:
        return ""
    return f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day and 1 <= int(day) <= 31 else "")


def set_date(record: Record, value) -> None:
    """Year and, where the value has one, the full date (newspapers: 2022-03-15)."""
    record.year = record.year or year_of(value)
    record.published = record.published or date_of(value)


def pages(start, end="") -> str:
    start, end = clean(start), clean(end)
    if start and end and end != start:
        return f"{start}-{end}"
    return start or end


def doi(value) -> str:
    match = _DOI.search(clean(value))
    return match.group(0).rstrip(".,;") if match else ""


# Type names of every format (lower-cased, brackets and spaces stripped) → Paper.doc_type.
_TYPES = {
    "article": (
        "jour",
        "jfull",
        "ejour",
        "mgzn",
        "journalarticle",
        "magazinearticle",
        "article",
        "article-journal",
        "article-magazine",
        "j",
        "期刊",
        "期刊论文",
        "electronicarticle",
    ),
    "thesis": (
        "thes",
        "thesis",
        "dissertation",
        "dissertation/thesis",
        "phdthesis",
        "mastersthesis",
        "d",
        "学位论文",
        "博士论文",
        "硕士论文",
        "博士",
        "硕士",
    ),
    "newspaper": ("news", "newspaperarticle", "newspaper", "article-newspaper", "n", "报纸", "报纸文章"),
    "conference": (
        "conf",
        "cpaper",
        "conferenceproceedings",
        "conferencepaper",
        "inproceedings",
        "proceedings",
        "conference",
        "paper-conference",
        "c",
        "会议",
        "会议论文",
    ),
    "book": ("book", "ebook", "book,whole", "m", "图书", "专著"),
    "chapter": ("chap", "echap", "booksection", "book,section", "incollection", "inbook", "chapter", "a"),
    "report": ("rprt", "report", "techreport", "r", "报告", "研究报告"),
    "webpage": ("elec", "web", "webpage", "online", "electronicsource", "post-weblog", "eb", "网页"),
    "preprint": ("preprint", "unpublished", "unpb", "预印本"),
}
_TYPE_OF = {name: kind for kind, names in _TYPES.items() for name in names}


def doc_type(label) -> str:
    """``Paper.doc_type`` for a format's type name (``Journal Article``, ``THES``, ``[N]``,
    ``学位论文`` …); ``other`` for anything else (standards, patents …)."""
    key = re.sub(r"[\s\[\]【】［］]+", "", str(label or "")).casefold()
    return _TYPE_OF.get(key, "other" if key else "article")


_LANGUAGES = {
    "zh": ("zh", "chi", "zho", "chinese", "中文", "汉语", "zh-cn", "zh-hans", "cn"),
    "en": ("en", "eng", "english", "英文", "英语", "en-us", "en-gb"),
}
_LANGUAGE_OF = {name: code for code, names in _LANGUAGES.items() for name in names}


def language(value) -> str:
    key = clean(value).strip(" ;；").casefold()
    return _LANGUAGE_OF.get(key, key[:16])


def finish(record: Record) -> Record:
    """Last touches every format shares: an English-only record's title in ``title``, the
    language when the file did not say."""
    if not record.title and record.title_en:
        record.title, record.title_en = record.title_en, ""
    record.language = language(record.language) or (
        "zh" if has_han(record.title) else "en" if record.title else ""
    )
    return record
