"""How the entries of a list and the notes of a page open: list headings (参考文献, 注释 …), numbering
markers (``[1]`` ``［1］`` ``〔1〕`` ``（1）`` ``1.`` ``1 `` ``①``), author names, labels that end a list,
whether a text reads as a citation, and notes numbered ``〔1〕``/``[1]``/``1`` at the foot of a page.

Pure helpers of ``reflist`` and ``references``: strings and lines in, matches out.
"""

from __future__ import annotations

import re
import statistics

from papers.ingest.lines import CIRCLED, HAN_CLASS, Line

_OPEN = r"[［【\[〔(（]?\s*"
_CLOSE = r"(?P<close>\s*[］】\]〕)）]?\s*[:：.]?)"
_SP = r"\s*"
_NOTES = rf"(?:注{_SP}释|尾{_SP}注|注{_SP}解|Notes|Endnotes)"
_REFS = (
    rf"(?:(?:主{_SP}要{_SP})?参{_SP}考{_SP}文{_SP}献|参{_SP}考{_SP}书{_SP}目|引{_SP}用{_SP}文{_SP}献"
    r"|References?|Bibliography|Works\s+Cited|Literature\s+Cited|Reference\s+List)"
)
LIST_HEADING = re.compile(
    rf"^{_OPEN}(?P<name>{_NOTES}(?:{_SP}[与和及、]{_SP}{_REFS})?|{_REFS}(?:{_SP}[与和及、]{_SP}{_NOTES})?)"
    # an English name beside the Chinese one: 参考文献（References）, 参考文献 References
    r"(?:\s*[（(][^（()）]{2,30}[)）]|(?<=[\u4e00-\u9fff])\s+[A-Za-z][A-Za-z ]{3,30}(?=\s*[:：]?$))?"
    rf"{_CLOSE}"
    r"(?P<rest>.*)$",
    re.I,
)
# Headings and labels that never belong to a list: the list ends before them.
END_LABEL = re.compile(
    r"^[［【\[〔(（]?\s*(?:"
    r"(?:致\s*谢|谢\s*辞|后\s*记|作者简介|作者介绍|作者信息|通讯作者|通信作者|责任编辑|责任校对|执行编辑|收稿日期"
    r"|基金项目|摘\s*要|内容提要|关\s*键\s*词)\s*(?:[］】\]〕)）:：]|\s|$)"
    r"|附\s*录\s*(?:[A-Z\d一二三四五六七八九十]|[］】\]〕:：]|\s|$)"
    r"|(?<=[［【\[〔])\s*(?:编\s*辑|校\s*对)\s*[］】\]〕]"
    r"|(?:Acknowledge?ments?|Appendix|Appendices|About\s+the\s+authors?|Author\s+biograph(?:y|ies))"
    r"\s*(?:[:：.]|$|\s+[A-Z\d])"
    r"|(?:Abstract|ABSTRACT|Key\s*words|KEYWORDS)\s*(?:[:：.]|$|\s+(?=[A-Z])))"
)
CHAPTER = re.compile(
    r"^(?:第\s*[一二三四五六七八九十百\d]+\s*[章篇部]|[一二三四五六七八九十]{1,3}\s*[、．.])\s*\S"
)
# "中文文献", "（二）英文参考文献": a sub-list inside one list; numbering may restart after it.
SUBHEAD = re.compile(
    r"^(?:[（(]?\s*[一二三四五六七八九十\d]{1,2}\s*[）)、.．]?\s*)?"
    r"(?:中\s*文|英\s*文|外\s*文|日\s*文|俄\s*文|德\s*文|法\s*文|其\s*他|网\s*络)"
    r"\s*(?:参\s*考)?\s*(?:文\s*献|资\s*料|部\s*分|著\s*作|书\s*目|期\s*刊|论\s*文|专\s*著|类)?\s*[:：]?$"
)

CIRCLED_ALL = CIRCLED + "㉑㉒㉓㉔㉕㉖㉗㉘㉙㉚㉛㉜㉝㉞㉟㊱㊲㊳㊴㊵㊶㊷㊸㊹㊺㊻㊼㊽㊾㊿"
# Numbering styles of a list entry: style -> pattern whose group 1 is the number.
MARKERS: dict[str, re.Pattern] = {
    "bracket": re.compile(r"^[\[［]\s*(\d{1,3})\s*[\]］]\s*"),
    "tortoise": re.compile(r"^[〔【]\s*(\d{1,3})\s*[〕】]\s*"),
    "paren": re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*"),
    "dot": re.compile(r"^(\d{1,3})\s*[.．、](?!\d)\s*"),
    "space": re.compile(rf"^(\d{{1,3}})(?:\s+|(?=[{HAN_CLASS}A-Z]))(?![年月日期卷页])"),
    "circled": re.compile(rf"^([{CIRCLED_ALL}])\s*"),
    "superscript": re.compile(r"^([¹²³⁴⁵⁶⁷⁸⁹⁰]+)\s*"),
}
_SUPER = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")

_HAN = HAN_CLASS
AUTHOR_START = re.compile(
    # 张三. / 张三、李四．2014． / 曹春方、马连福（2014）： / 国家统计局. / 张三等:
    rf"^(?:[{_HAN}·]{{2,5}}(?:\s*[、，,]\s*[{_HAN}·]{{2,5}}){{0,8}}(?:\s*等)?\s*"
    r"(?:[.．。:：,，]|[（(]\s*(?:19|20)\d{2})"
    rf"|[{_HAN}]{{2,14}}\s*[.．]"
    # Smith J, / Smith, J. / Van Dijk J. / Smith, John / SMITH J / de Vries, A.
    r"|(?:[a-z]{1,3}\s+)?[A-Z][A-Za-z'’\-]+(?:\s+[A-Z][A-Za-z'’\-]+)?\s*,?\s+(?:[A-Z]\.?[\s\-]*){1,3}"
    r"(?:[,.;:]|\s+(?:and|&)\b|\s*[(（]|\s+et\s+al)"
    r"|(?:[a-z]{1,3}\s+)?[A-Z][A-Za-z'’\-]+,\s+[A-Z][a-z]+"
    r"|[A-Z][A-Za-z'’\-]+\s+et\s+al)"
)
YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
REF_SIGNAL = re.compile(
    r"(?<!\d)(?:1[6-9]|20)\d{2}(?!\d)|[\[［]\s*[A-Z]{1,2}(?:\s*/\s*OL)?\s*[\]］]|《[^》]{1,80}》"
    r"|\bet\s+al\b|出版社|[Pp]ress\b|[Uu]niversity|[Jj]ournal|\bpp?\.\s*\d|第\s*\d+\s*[期页卷]"
    r"|https?://|\bdoi\b|同上|同注|[Ii]bid|参见|参阅",
)
URLISH = re.compile(r"^(?:https?://|www\.|doi|DOI|\[?\s*DOI|Available|Retrieved|\(?[Aa]ccessed|10\.\d{4,})")


def list_heading(text: str) -> tuple[str, str, str] | None:
    """(kind, title, rest) when the line heads a list; ``rest`` is an entry run onto the heading line."""
    match = LIST_HEADING.match(text.strip())
    if not match:
        return None
    rest = match.group("rest").strip()
    name = match.group("name")
    if rest:
        # an entry run onto the heading line (参考文献：[1] …) follows a colon, bracket or space
        separated = bool(match.group("close").strip()) or match.group("rest")[:1].isspace()
        entry = entry_marker(rest) or (AUTHOR_START.match(rest) and looks_like_reference(rest))
        if not (separated and entry):
            return None
    kind = (
        "notes" if re.match(rf"^{_NOTES}", name, re.I) and not re.search(_REFS, name, re.I) else "references"
    )
    return kind, re.sub(r"\s+", "" if re.search(f"[{_HAN}]", name) else " ", name), rest


# A sub-list label run onto its first entry: 著作：[1] …, 期刊: [1] … (numbering starts again).
LABELLED = re.compile(rf"^[{HAN_CLASS}A-Za-z ]{{2,12}}\s*[:：]\s*(?=[\[［(（〔]\s*1\s*[\]］)）〕])")


def entry_marker(text: str, style: str | None = None) -> tuple[str, int] | None:
    """(style, number) of an entry marker at the start of the text (circled ① counts as 1)."""
    text = LABELLED.sub("", text, count=1)
    for key, pattern in MARKERS.items():
        if style is not None and key != style:
            continue
        match = pattern.match(text)
        if not match:
            continue
        value = match.group(1)
        if key == "circled":
            return key, CIRCLED_ALL.index(value) + 1
        if key == "superscript":
            return key, int(value.translate(_SUPER))
        if key == "space" and len(text) <= match.end():
            continue
        return key, int(value)
    return None


def marker_text(text: str, style: str) -> str:
    """The number (or circled marker) an entry of the given style opens with, as written."""
    text = LABELLED.sub("", text, count=1)
    match = MARKERS[style].match(text) if style in MARKERS else None
    return match.group(1).translate(_SUPER) if match else ""


def split_marker(text: str, style: str | None = None) -> tuple[str, str, str]:
    """(marker as printed, its number as a string, the text after it) of a note or entry.

    Without ``style`` the bare ``1 `` form is not tried: a line starting with a number is not a
    numbered entry unless its list says so.
    """
    text = LABELLED.sub("", text, count=1)
    for key in [style] if style else [k for k in MARKERS if k != "space"]:
        match = MARKERS[key].match(text) if key in MARKERS else None
        if match:
            number = match.group(1).translate(_SUPER)
            if key == "circled":
                number = str(CIRCLED_ALL.index(number) + 1)
            return re.sub(r"\s+", "", match.group(0)), number, text[match.end() :].strip()
    return "", "", text


def looks_like_reference(text: str) -> bool:
    """A citation rather than prose: a year, a type code, a 《title》, a publisher, pages, a link."""
    return bool(REF_SIGNAL.search(text[:400]))


NOTE_START = re.compile(
    rf"^(?:[〔\[［]\s*\d{{1,3}}\s*[〕\]］]|\d{{1,3}}(?:\s*[.．、]\s*|\s+|(?=[{HAN_CLASS}]))(?=[^\d\s.．%])"
    rf"|[{CIRCLED_ALL}]|[*∗†‡])"
)


def page_notes(lines: list[Line], kinds: list[str], claimed) -> dict[int, str]:
    """Footnotes numbered ``〔1〕``, ``[1]`` or ``1`` (not only ①): the run of lines closing a page in a
    size clearly smaller than the body's, opening with a note number. Position -> "footnote" for a
    line that opens a note, "footnote-cont" for the rest of the run. Lines of a list are not notes."""
    sizes = [ln.size for ln in lines if ln.size and ln.x0 is not None]
    if len(sizes) < 20:
        return {}
    body = statistics.median(sizes)
    by_page: dict[int | None, list[int]] = {}
    for pos, line in enumerate(lines):
        if line.x0 is not None and pos not in claimed and kinds[pos] != "block":
            by_page.setdefault(line.page, []).append(pos)
    found: dict[int, str] = {}
    for positions in by_page.values():
        run: list[int] = []
        for pos in reversed(positions):
            size = lines[pos].size
            if not size or size >= 0.9 * body or kinds[pos] == "caption":
                break
            run.append(pos)
        run.reverse()
        # funding and author notes (metadata) may share the page foot: the notes proper open with a number
        notes = [p for p in run if kinds[p] != "metadata"]
        if not notes or len(run) == len(positions) or not NOTE_START.match(lines[notes[0]].text):
            continue
        left = min(lines[p].x0 or 0.0 for p in run)
        for pos in run:
            line = lines[pos]
            if kinds[pos] != "body":  # ① notes and labels are already what they are
                continue
            opens = NOTE_START.match(line.text) and (line.x0 or 0.0) - left < 1.5 * (line.size or 8.0)
            found[pos] = "footnote" if opens else "footnote-cont"
    return found
