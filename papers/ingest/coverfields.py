"""Cover-page fields: the labels of a thesis or CNKI cover and what their values mean.

A form field is a label and its value: ``题 目 …``, ``学生姓名 张三``, ``指导教师(姓名、职称)：…``,
``TITLE：…``, ``MENTOR: …``. Labels are often letter-spaced to fill a form's width, and on a cover
the value may follow with no gap. Kind labels (``本科毕业论文``, ``江南大学学士学位论文``,
``硕士研究生学位论文``, ``《…学报》网络首发论文``) name the document, its degree and university.
"""

from __future__ import annotations

import re

from papers.ingest.lines import han_count

_S = r"\s*"  # letters of a label are often spread out to fill a form's width: 学 生 姓 名


def _spaced(word: str) -> str:
    return _S.join(re.escape(ch) for ch in word)


def _any(*words: str) -> str:
    return "(?:" + "|".join(_spaced(w) for w in sorted(words, key=len, reverse=True)) + ")"


# field -> label words (Chinese labels may be letter-spaced; English ones need a colon)
_FIELDS: dict[str, str] = {
    "title": _any("论文题目", "中文题目", "论文名称", "题目", "课题名称", "设计题目", "标题"),
    "author": _any(
        "学生姓名", "本科生姓名", "研究生姓名", "作者姓名", "申请人姓名", "姓名", "作者", "学生", "申请人"
    ),
    "advisor": _any("指导教师", "指导老师", "导师姓名", "指导教师姓名", "导师", "指导者", "合作导师"),
    "school": _any("学院", "院系", "所在学院", "院(系)", "院（系）", "培养单位", "系别", "学部", "所在院系"),
    "major": _any("专业", "学科专业", "专业名称", "学科", "专业班级", "研究方向", "学科门类"),
    "date": _any(
        "提交日期", "完成日期", "答辩日期", "论文提交日期", "毕业时间", "日期", "时间", "授予日期", "完成时间"
    ),
    "other": _any(
        "学号",
        "年级",
        "班级",
        "职称",
        "编号",
        "分类号",
        "密级",
        "学校代码",
        "单位代码",
        "学位类别",
        "申请学位",
        "学位级别",
        "学位授予单位",
        "答辩委员会主席",
        "评阅人",
        "UDC",
    ),
}
_FIELDS_EN: dict[str, str] = {
    "title_en": r"TITLE|Title|THESIS TITLE",
    "author_en": r"UNDERGRADUATE|POSTGRADUATE|GRADUATE|STUDENT|AUTHOR|Author|NAME|Name|CANDIDATE|Candidate",
    "advisor_en": r"MENTOR|Mentor|SUPERVISOR|Supervisor|ADVISOR|Advisor|ADVISER",
    "other_en": r"DEPARTMENT|Department|SPECIALIZATION|Specialization|MAJOR|Major|SCHOOL|School|DATE",
}
# a parenthetical inside the label: 指导教师(姓名、职称)
_LABEL_TAIL = r"(?:\s*[（(][^）)]{1,12}[）)])?"
_FIELD_RE = re.compile(
    "^(?:"
    + "|".join(f"(?P<{k}>{v}){_LABEL_TAIL}" for k, v in _FIELDS.items())
    + r")(?P<sep>\s*[:：]\s*|\s+|$)"
)
_FIELD_EN_RE = re.compile(
    "^(?:" + "|".join(f"(?P<{k}>{v})" for k, v in _FIELDS_EN.items()) + r")\s*[:：]\s*(?=\S)"
)
# a second label later on the same line: 指导教师 那晋领 职 称 副研究员 / 年 级 2022 级 学 号 2210…
_INNER_LABEL = re.compile(r"\s+(?:" + "|".join(_FIELDS.values()) + r")(?:\s*[:：]\s*|\s+)(?=\S)")

# a label that names the kind of document: 本科毕业论文, 江南大学学士学位论文, 硕士研究生学位论文…
_KIND = re.compile(
    r"(?:本科|本科生|学士|硕士|博士|研究生|专业学位|硕士研究生|博士研究生)?\s*(?:毕\s*业|学\s*位)\s*(?:论\s*文|设\s*计)"
    r"|毕业设计\s*[（(]\s*论文\s*[）)]|学年论文|课程论文|网络首发论文"
)
_DEGREES = (("博士", "博士"), ("硕士", "硕士"), ("研究生", "硕士"), ("学士", "学士"), ("本科", "学士"))
CNKI = re.compile(
    r"网络首发(?:论文|日期|时间|地址)?\s*[:：]?|出版确认\s*[:：]|中国学术期刊（光盘版）|录用定稿|排版定稿"
)
DECLARATION = re.compile(
    r"(?:原创性|独创性|学术诚信|诚信)(?:声明|承诺)|使用授权|授权(?:书|声明)|版权(?:使用)?(?:声明|授权)"
    r"|承诺书|Declaration of Originality|Copyright Statement"
)
CONTENTS = re.compile(r"^(?:目\s*录|目\s*次|CONTENTS|Contents|TABLE OF CONTENTS|Table of Contents)$")
# a contents entry: dotted leader and a page number (``1.1 研究背景 ………… 12``, ``致 谢……21``)
LEADER = re.compile(r"(?:[.．·…⋯]\s*){4,}\s*[\dIVXivx]{1,4}$|\s[.．·…⋯]{2,}\s*\d{1,4}$")
INSTITUTION = re.compile(r"^([\u4e00-\u9fff（）()]{2,20}?(?:大学|学院|研究院|党校|科学院|研究所))")
_TITLE_WORDS = re.compile(
    r"\s*(?:副?教授|讲师|助教|副?研究员|助理研究员|博士|硕士|高级工程师|工程师|老师)+\s*$"
)
_CN_DIGITS = str.maketrans("〇○零一二三四五六七八九", "00012345678" + "9")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年|((?:19|20)\d{2})[-./]\d{1,2}")


def field_of(text: str, *, lenient: bool = False) -> tuple[str, str, str] | None:
    """(field, value, separator) when the text is a labelled form field.

    ``lenient`` (on a cover page): the value may follow its label with no gap, ``学生姓名陈静怡``.
    """
    text = text.strip()
    match = _FIELD_EN_RE.match(text)
    if match:
        key = next(k for k, v in match.groupdict().items() if v)
        return key, text[match.end() :].strip(), ":"
    match = _FIELD_RE.match(text)
    if match is None and lenient:
        match = _FIELD_GLUED_RE.match(text)
    if match is None or len(text) > 80:
        return None
    key = next(k for k in _FIELDS if match.group(k))
    value = text[match.end() :]
    inner = _INNER_LABEL.search(value)
    if inner:
        value = value[: inner.start()]
    sep = match.groupdict().get("sep") or ""
    return key, value.strip(), sep.strip() or ("" if sep else "glued")


_FIELD_GLUED_RE = re.compile(
    "^(?:" + "|".join(f"(?P<{k}>{v}){_LABEL_TAIL}" for k, v in _FIELDS.items()) + r")(?=[\u4e00-\u9fff\d])"
)
ENDS_WITH_LABEL = re.compile("(?:" + "|".join(_FIELDS.values()) + r")\s*$")


def degree_of(text: str) -> str:
    """学士/硕士/博士 from a label such as ``本科毕业论文`` or ``硕士研究生学位论文``."""
    compact = re.sub(r"\s+", "", text)
    for word, degree in _DEGREES:
        if word in compact:
            return degree
    return "学士" if re.search(r"毕业(?:论文|设计)", compact) else ""


def year_of(text: str) -> int | None:
    """The year of a date, also one written in Chinese numerals: ``二〇二四年五月`` → 2024."""
    compact = re.sub(r"\s+", "", text).translate(_CN_DIGITS)
    match = _YEAR.search(compact)
    return int(match.group(1) or match.group(2)) if match else None


def is_kind_label(text: str) -> bool:
    compact = re.sub(r"\s+", "", text)
    return bool(_KIND.search(compact)) and len(compact) <= 40 and not re.search(r"[。；]", compact)


def institution_in(texts: list[str]) -> str:
    """The university named in a thesis label among running heads (``江南大学学士学位论文``)."""
    for text in texts:
        compact = re.sub(r"\s+", "", text)
        if is_kind_label(compact) and (match := INSTITUTION.match(compact)):
            return match.group(1)
    return ""


def advisor_name(value: str) -> str:
    """``那晋领 副研究员`` → ``那晋领``; ``Na Jinling, Associate Research Fellow`` → ``Na Jinling``."""
    value = _TITLE_WORDS.sub("", value.strip())
    value = value.split(",")[0].split("，")[0].strip()
    return value.replace(" ", "") if han_count(value) else value
