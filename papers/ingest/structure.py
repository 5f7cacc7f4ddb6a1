"""Structure: what each line is (heading, footnote, caption, label, metadata, body) and heading levels.

Headings are recognised from every usual numbering (``第一章``, ``一、``, ``（一）``/``( 一)``,
``1.``, ``1.1``, ``(1)``) plus short unnumbered lines standing between paragraphs.
A numbered heading that runs into its paragraph on the same line
(``（一）经济领域：共享协作。数字经济…``) is split into heading and paragraph.
Levels follow the order in which numbering styles first appear, so ``1.`` is a
top level in one paper and a third level (under ``一、`` and ``（一）``) in another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from papers.ingest.lines import CIRCLED, Line, ends_sentence, han_count

_CN_NUM = "一二三四五六七八九十百零〇两"
NUMBERINGS: list[tuple[str, re.Pattern]] = [
    ("chapter", re.compile(rf"^第\s*[{_CN_NUM}\d]+\s*[章节篇编](?:\s+|(?=\S))")),
    ("cn", re.compile(rf"^[{_CN_NUM}]{{1,3}}\s*[、．.]\s*(?=\S)")),
    ("cn-paren", re.compile(rf"^[（(]\s*[{_CN_NUM}]{{1,3}}\s*[）)]\s*(?=\S)")),
    ("dotted", re.compile(r"^\d{1,2}(?:\s*\.\s*\d{1,2}){1,3}\.?\s*(?=[^\d\s.．%])")),
    ("arabic", re.compile(r"^\d{1,2}\s*[.．、]\s*(?=[^\d\s.．%)）])")),
    ("arabic-space", re.compile(r"^\d{1,2}\s+(?=[A-Z\u4e00-\u9fff])(?![年月日个种家人倍位项次条岁元])")),
    ("arabic-paren", re.compile(r"^[（(]\s*\d{1,2}\s*[）)]\s*(?=\S)")),
    ("roman", re.compile(r"^[IVX]{1,4}\.\s+(?=[A-Z])")),
]
SPECIAL_HEADINGS = re.compile(
    r"^[［【\[〔]?\s*(?:参\s*考\s*文\s*献|注\s*释|尾\s*注|致\s*谢|附\s*录|结\s*语|References|Bibliography|Notes"
    r"|Acknowledge?ments?)\s*[］】\]〕]?\s*[:：]?$",
    re.I,
)
REFERENCES_HEADING = re.compile(
    r"^[［【\[]?\s*(?:参\s*考\s*文\s*献|References|Bibliography)\s*[］】\]]?[:：]?$", re.I
)

ABSTRACT_LABEL = re.compile(
    r"^[［【\[〔]?\s*(?:(?:中\s*文\s*)?摘\s*要|内容提要|内容摘要|提\s*要)\s*[］】\]〕]?\s*[:：]?\s*"
)
KEYWORDS_LABEL = re.compile(r"^[［【\[〔]?\s*关\s*键\s*[词字]\s*[］】\]〕]?\s*[:：]?\s*")
ABSTRACT_EN_LABEL = re.compile(r"^(?:Abstract|ABSTRACT|Summary)\b\s*[:：.]?\s*")
KEYWORDS_EN_LABEL = re.compile(r"^(?:Key\s*words|KEYWORDS|KEY WORDS)\s*(?:[:：]|$|\s+(?=[A-Z]))", re.I)

# A label either stands in brackets (``【摘要】``, ``［关键词］``, text may follow directly) or is
# followed by a colon, a space or the line end (``摘 要：``, ``关键词 数字治理``).
_LABEL_KW = re.compile(r"^(?:[［【\[〔]\s*关\s*键\s*[词字]\s*[］】\]〕]|关\s*键\s*[词字]\s*(?:[:：]|\s|$))")
_LABEL_ABS = re.compile(
    r"^(?:[［【\[〔]\s*(?:(?:中\s*文\s*)?摘\s*要|内容提要|内容摘要|提\s*要)\s*[］】\]〕]"
    r"|(?:(?:中\s*文\s*)?摘\s*要|内容提要|内容摘要|提\s*要)\s*(?:[:：]|$|\s(?=\S)))"
)
_LABEL_ABS_EN = re.compile(r"^(?:Abstract|ABSTRACT)\s*(?:[:：.]|$|\s+(?=[A-Z]))")
FOOTNOTE_START = re.compile(rf"^[{CIRCLED}]\s*(?=[^\s，。、；：）)\]］]|$)")
CAPTION_START = re.compile(
    r"^(?:(?:图|表|Figure|Fig\.|Table)\s*\d+(?:[.．\-－]\d+)*(?:[.．:：\s\u3000]|$)|[（(]?\s*(?:资料来源|数据来源|注)\s*[:：])"
)
_META_LABELS = (
    r"收稿日期|修回日期|录用日期|接受日期|发布日期|网络出版|基金项目|项目基金|作者简介|作者单位|通讯作者|通信作者|"
    r"中图分类号|中图法分类号|文献标识码|文献标志码|文章编号|引用格式|文章引用|本文引用格式|DOI\s*[:：]"
)
METADATA_START = re.compile(
    # an optional funding mark (``*基金项目``, ``①作者简介``) or bracket before the label
    rf"^(?:[*∗※☆★†{CIRCLED}]\s*)?(?:[［【\[〔]\s*(?:责任编辑|责任校对|编辑|校对|执行编辑|{_META_LABELS})"
    rf"|(?:{_META_LABELS})|(?:Received\s*:|Accepted\s*:|Copyright|This work is licensed|Open Access$|Citation\s*:)"
    r"|[（(]\s*(?:本文)?(?:转自|原载|选自|摘自|原文载|作者单位|作者系|作者为|作者是)"
    r"|《[^》]{2,20}》\s*[（(]\s*(?:19|20)\d{2}\s*年[^）)]{0,20}[）)]$)",
    re.I,
)


@dataclass
class Heading:
    style: str  # numbering style key; "plain" for unnumbered, "special" for 参考文献 etc.
    number: str
    title: str
    rest: str = ""  # paragraph text that ran on after a run-in heading


def special_title(text: str) -> str:
    """``[参考文献]``, ``参考文献：`` → ``参考文献``."""
    return re.sub(r"^[［【\[〔]\s*|\s*[］】\]〕]?\s*[:：]?$", "", text)


def numbering(text: str) -> tuple[str, str, str] | None:
    """(style, number, remainder) when the text starts with a section number."""
    for style, pattern in NUMBERINGS:
        match = pattern.match(text)
        if match:
            number = re.sub(r"\s+", "", match.group(0))
            if style == "dotted":
                style = f"arabic-{number.rstrip('.').count('.') + 1}"
            elif style == "arabic":
                style = "arabic-1"
            elif style == "arabic-space":
                # ``1 引言`` and ``1. 等权法`` in one paper are two levels (a chapter, a list item)
                style = "arabic-bare"
            return style, number, text[match.end() :].strip()
    return None


def heading_of(line: Line, *, after_break: bool, next_fill: float = 1.0) -> Heading | None:
    """The heading this line is, if any. ``after_break``: the previous paragraph has ended."""
    text = line.text
    if "md-heading" in line.tags:
        found = numbering(text)
        if found:
            return Heading(found[0], found[1], found[2])
        return Heading("plain", "", text)
    if SPECIAL_HEADINGS.match(text):
        return Heading("special", "", special_title(text))
    found = numbering(text)
    if found:
        style, number, rest = found
        if not rest or (han_count(rest) < 2 and not re.search(r"[A-Za-z]{3,}", rest)):
            return None
        if style == "arabic-paren" and next_fill < 0.6:
            return None
        run_in = re.match(r"^(.{2,28}?[。．.!！?？])(?!\d)\s*(\S.*)$", rest)
        if run_in and after_break and style != "arabic-paren" and not re.search(r"[，,；;]", run_in.group(1)):
            return Heading(style, number, run_in.group(1)[:-1], run_in.group(2))
        if ends_sentence(rest) or re.search(r"[。！？]", rest):
            return None
        limit = 0.55 if style == "arabic-paren" else 0.9
        if line.fill <= limit or (line.short and line.fill < 0.95):
            return Heading(style, number, rest)
        return None
    if not after_break or line.fill > 0.7 or next_fill < 0.6 or re.search(r"[。，；！？,;!?：:]", text):
        return None
    if han_count(text) >= 2 and not CAPTION_START.match(text) and not METADATA_START.match(text):
        return Heading("plain", "", text)
    return None


def classify(line: Line) -> str:
    """Kind of a line before assembly: footnote, caption, metadata, labels, references heading or body."""
    text = line.text
    if METADATA_START.match(text):
        return "metadata"
    if FOOTNOTE_START.match(text) and han_count(text[1:3]) + len(re.findall(r"[A-Za-z\s]", text[1:3])):
        return "footnote"
    if _LABEL_KW.match(text):
        return "keywords"
    if KEYWORDS_EN_LABEL.match(text):
        return "keywords_en"
    if _LABEL_ABS.match(text):
        return "abstract"
    if _LABEL_ABS_EN.match(text):
        return "abstract_en"
    if REFERENCES_HEADING.match(text):
        return "references"
    if CAPTION_START.match(text) and (line.fill < 0.92 or line.short):
        return "caption"
    return "body"


def assign_levels(styles: list[str]) -> list[int]:
    """Level of each heading from the first-appearance order of numbering styles."""
    order: list[str] = []
    for style in styles:
        if style != "special" and style not in order:
            order.append(style)
    # dotted depths stay below their parents even when a deeper one shows up first
    # ``1 绪论`` over ``1.1`` is the chain's top; a ``1.`` list beside it goes below the deepest
    bare = "arabic-bare" in order

    def depth(style: str) -> float:
        if style == "arabic-bare":
            return 1
        return 99 if bare and style == "arabic-1" else int(style[7:])

    arabic = sorted(
        (s for s in order if s.startswith("arabic-") and (s[7:].isdigit() or s == "arabic-bare")), key=depth
    )
    positions = [i for i, s in enumerate(order) if s in arabic]
    for pos, style in zip(positions, arabic, strict=True):
        order[pos] = style
    return [1 if style == "special" else order.index(style) + 1 for style in styles]
