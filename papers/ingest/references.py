"""References, footnotes and citations.

- ``parse_reference``: one entry into authors, title, type code, container, year, pages and DOI:
  GB/T 7714 (``作者. 题名[J]. 刊名, 2020, 3(2): 1-9.``) and its author–date form
  (``边燕杰、肖阳．2014．题名［J］．社会学研究（2）``), APA (``Smith, J. (2020). Title.``), the
  house style of 世界经济 (``曹春方、马连福（2014）：《题名》，《管理世界》第1期。``), Chinese note
  citations (``作者：《书名》，出版社2010年版，第5页。``) and plain ``Author. Title. Journal, 2020.``;
  anything it cannot read stays raw.
- ``is_citation``: whether a footnote or endnote cites a work (footnote-only citation styles).
- ``find_citations``: ``[1]``, ``［1］``, ``[1-3]``, ``[1,2]``, ``[9]-[11]`` markers pointing at
  reference entries (or at endnotes), and circled ``①②`` markers pointing at the footnote of the
  same page. Numbering of circled footnotes restarts on every page, so a marker is matched with
  the footnote block that closes the page it stands on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from papers.ingest.cleaning import DOI_RE
from papers.ingest.lines import CIRCLED, HAN_CLASS
from papers.ingest.listmarks import looks_like_reference, split_marker
from papers.ingest.types import CitationInfo, FootnoteInfo, ReferenceInfo

_TYPE = re.compile(r"[\[［]\s*([A-Z]{1,2})(?:\s*/\s*OL)?\s*[\]］]")
_APA = re.compile(r"^(.{2,200}?)\s*[(（]((?:19|20)\d{2})[a-z]?[)）]\s*[.．]?\s*(.+?[.?!。])\s+(\S.*)$")
_BRACKET_CITE = re.compile(
    r"[\[［〔]\s*(\d{1,3})\s*[\]］〕]\s*[-–—－~]\s*[\[［〔]\s*(\d{1,3})\s*[\]］〕]"
    r"|[\[［〔]\s*(\d{1,3}(?:\s*[-–—－~,，、]\s*\d{1,3})*)\s*[\]］〕]"
)
_HAN = HAN_CLASS
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
# 世界经济: 曹春方、马连福、沈小秀（2014）：《题名》，《管理世界》第1期。 / Smith, J. (2014): "Title", Journal.
_HOUSE = re.compile(
    r"^(?P<authors>[^（()）:：]{2,120}?)\s*[（(]\s*(?P<year>(?:19|20)\d{2})[a-z]?\s*[）)]\s*[:：]\s*(?P<rest>.+)$"
)
# GB/T author–date: 边燕杰、肖阳．2014．题名［J］．社会学研究（2）：22－42．
_DATED = re.compile(
    r"^(?P<authors>[^.．。]{1,120}?)\s*[.．]\s*(?P<year>(?:19|20)\d{2})[a-z]?\s*[.．]\s*"
    r"(?P<title>[^.．。]{2,300}?)\s*[.．。]\s*(?P<rest>.*)$"
)
# 世界经济 English: Acemoglu, D., and J. Robinson, 2012, "Title", Journal, 1(2), 1-9.
_COMMA_YEAR = re.compile(
    r"^(?P<authors>[A-Z][^“\"]{1,160}?),\s*(?P<year>(?:19|20)\d{2})[a-z]?\s*[,.]\s*(?P<rest>.+)$"
)
# Chinese note citation: 作者：《题名》，《刊名》2020年第3期 / 作者：《书名》，出版社2010年版
_NOTE = re.compile(
    r"^(?:(?:参见|参阅|转引自|引自|详见|见)\s*)?(?P<authors>[^《》:：，,。]{1,60}?)(?:等|主编|编著|著|编|译)?\s*[:：]\s*"
    r"(?P<title>《[^》]{1,200}》|“[^”]{1,200}”)(?P<rest>.*)$"
)
_PAGES = re.compile(
    r"(?:[:：]\s*|\bpp?\.\s*|第\s*)(\d+\s*[-–—~]\s*\d+|\d+)(?:\s*页)?\s*[.．。]?\s*(?:DOI|doi|https?:|$)"
)
_NAME_SEP = re.compile(r"\s*(?:[,，、;；]|\band\b|&)\s*")


def _marker(raw: str, style: str | None) -> tuple[str, str]:
    """(marker, text after it); ``style`` is the list's numbering style when known."""
    shown, number, body = split_marker(raw, style)
    return (shown if shown[:1] in CIRCLED else number), body


def _authors(text: str) -> list[str]:
    return [
        a.strip(" .．")
        for a in _NAME_SEP.split(text.strip())
        if a.strip(" .．") and a.strip(" .．") not in ("等", "et al", "et al.", "等著", "等编")
    ]


def _strip_title(text: str) -> str:
    return text.strip().strip('《》“”"').strip()


def parse_reference(raw: str, *, style: str | None = None) -> ReferenceInfo:
    """One entry of a list (or a note that cites a work) as far as it can be read."""
    ref = ReferenceInfo(raw=raw)
    ref.marker, body = _marker(raw, style)
    body = body.strip()
    doi = DOI_RE.search(body)
    if doi:
        ref.doi = doi.group(0).rstrip(".,;)")
    type_match = _TYPE.search(body)
    if type_match:
        _gbt(ref, body, type_match)
    else:
        _untyped(ref, body)
    pages = _PAGES.search(body)
    if pages and not ref.pages:
        ref.pages = re.sub(r"\s+", "", pages.group(1))
    ref.container = re.sub(r"\s*[（(]\s*\d{1,2}\s*[)）]\s*$", "", ref.container)
    return ref


def _gbt(ref: ReferenceInfo, body: str, type_match: re.Match) -> None:
    """GB/T 7714: authors. title[J]. container, year, volume(issue): pages."""
    ref.type_code = type_match.group(1)
    head, tail = body[: type_match.start()].strip(), body[type_match.end() :]
    split = re.match(r"^(.{1,120}?)(?:\.\s+|．\s*|\.(?=[\u4e00-\u9fff“《\d])|。)(.+)$", head)
    if split and not re.search(r"[《“]", split.group(1)):
        ref.authors, ref.title = _authors(split.group(1)), split.group(2).strip()
    else:
        ref.title = head
    # GB/T 7714 author–date: 王佃利, 滕蕾. 2023. 题名[J]. 刊名, 39(3): 18-27.
    dated = re.match(r"^((?:19|20)\d{2})[a-z]?\s*[.．]\s*(.+)$", ref.title)
    if dated:
        ref.year, ref.title = int(dated.group(1)), dated.group(2).strip()
    tail = re.sub(r"^\s*[.．]?\s*(?://\s*)?", "", tail)
    year = None if dated else _YEAR.search(tail)
    if dated:
        ref.container = re.split(r"\s*[,，（(]\s*\d", tail, maxsplit=1)[0].strip(" ,，.．")
    if year:
        ref.year = int(year.group(1))
        ref.container = tail[: year.start()].strip(" ,，.．")
    if ref.year is None:
        found = _YEAR.search(head)
        ref.year = int(found.group(1)) if found else None
    pages = re.search(r"[:：]\s*(\d+\s*[-–—~]\s*\d+|\d+)\s*[.．]?\s*(?:DOI|doi|https?:|$)", tail)
    if pages:
        ref.pages = re.sub(r"\s+", "", pages.group(1))


def _untyped(ref: ReferenceInfo, body: str) -> None:
    """Entries without a GB/T type code: APA, 世界经济, note citations, Author. Title. Journal, year."""
    years = _YEAR.findall(body)
    ref.year = int(years[0]) if years else None
    apa = _APA.match(body)
    if apa and len(apa.group(1)) < 160 and not re.search(r"[《“]", apa.group(1)):
        ref.authors = _apa_authors(apa.group(1))
        ref.year, ref.title = int(apa.group(2)), apa.group(3).strip().rstrip(".。")
        rest = apa.group(4)
        container = re.match(r"^(.+?),\s*\d", rest)
        ref.container = (container.group(1) if container else rest.split(".")[0]).strip()
        pages = re.search(r",\s*(\d+\s*[-–]\s*\d+)\.", rest)
        ref.pages = pages.group(1).replace(" ", "") if pages else ""
        return
    dated = _DATED.match(body)
    if dated:  # GB/T author–date whose type code did not survive extraction
        ref.authors, ref.year = _authors(dated.group("authors")), int(dated.group("year"))
        ref.title = re.split(r"\s*[\[［]", dated.group("title"))[0].strip()
        ref.container = re.split(r"\s*[（(,，]?\s*\d", dated.group("rest").strip(" .．"), maxsplit=1)[0]
        return
    house = _HOUSE.match(body)
    if house:
        ref.authors, ref.year = _authors(house.group("authors")), int(house.group("year"))
        _title_container(ref, house.group("rest"))
        return
    note = _NOTE.match(body)
    if note:
        ref.authors = _authors(note.group("authors"))
        ref.title = _strip_title(note.group("title"))
        container = re.match(
            r"^\s*[，,]?\s*(?:载)?\s*(《[^》]{1,80}》|[^，,。0-9]{2,40}?出版社)", note.group("rest")
        )
        ref.container = _strip_title(container.group(1)) if container else ""
        return
    comma = _COMMA_YEAR.match(body)
    if comma and re.match(r"^[A-Z][A-Za-z'’\-]+,", comma.group("authors")):
        ref.authors = _apa_authors(comma.group("authors"))
        ref.year = int(comma.group("year"))
        _title_container(ref, comma.group("rest"))
        return
    _plain(ref, body)


def _title_container(ref: ReferenceInfo, rest: str) -> None:
    """After authors and year: “title” or 《title》, then the container."""
    found = re.match(r"^\s*(《[^》]{1,200}》|“[^”]{1,200}”|\"[^\"]{1,200}\")\s*[，,.．]?\s*(.*)$", rest)
    if found:
        ref.title = _strip_title(found.group(1))
        after = found.group(2)
    else:
        parts = re.split(r"(?<=[^A-Z])[.．，,]\s+|，", rest, maxsplit=1)
        ref.title, after = parts[0].strip(), parts[1] if len(parts) > 1 else ""
    container = re.match(r"^\s*(《[^》]{1,80}》|[^，,。.0-9（(]{2,80})", after)
    ref.container = _strip_title(container.group(1)).rstrip("第 ") if container else ""


def _plain(ref: ReferenceInfo, body: str) -> None:
    """``Author(s). Title. Journal, vol(issue):pages, year.`` (BibTeX-style numbered lists)."""
    parts = re.split(r"(?<![A-Z])(?<!\b[A-Z][a-z])[.．。]\s*", body)
    if len(parts) < 3 or not ref.year:
        return
    names = _authors(parts[0])
    western = all(re.fullmatch(r"(?:[A-Z][A-Za-z'’\-]*\.?\s*){1,5}", n) for n in names)
    chinese = all(re.fullmatch(f"[{_HAN}·]{{2,6}}", n) for n in names)
    if not names or not (western or chinese) or len(parts[0]) > 160:
        return
    ref.authors = [re.sub(r"\s*et\.?\s*al\.?$", "", n) for n in names]
    ref.title = parts[1].strip()
    ref.container = re.split(r"\s*,\s*\d|\s*,\s*(?:19|20)\d{2}", parts[2], maxsplit=1)[0].strip(" ,")


def _apa_authors(text: str) -> list[str]:
    return [
        a.strip()
        # "Smith, J., Lee, A., & Wu, B." / "Smith, J. and Lee, A."
        for a in re.split(r",?\s*&\s*|,\s*(?:and\s+)?(?=[A-Z][A-Za-z'’\-]*,)|,?\s+and\s+", text)
        if a.strip()
    ]


_CITATION = re.compile(
    r"《[^》]{1,200}》|[\[［]\s*[A-Z]{1,2}(?:\s*/\s*OL)?\s*[\]］]|出版社|[Pp]ress\b|同上|同注|前引|前揭|[Ii]bid\b"
    r"|\bop\.\s*cit|\b[Jj]ournal\b|\b(?:pp?|[Vv]ol|No|eds?|[Ii]bid)\.|“[^”]{2,120}”\s*[，,]\s*(?:载|in\b)|[,，]\s*”"
    r"|第\s*\d+\s*[期页卷]|\d+\s*年第\s*\d+\s*期|https?://|\bdoi\b"
)


_CITATION_EN = re.compile(
    r"^(?:See|Cf\.?)(?=[A-Z\s])|\b(?:vol|pp|no)\.?\s*\d|\b(?:eds?|trans)\.?\s*,|\bet al\b"
)


def is_citation(text: str) -> bool:
    """A note that cites a work: a 《title》, a type code, a publisher, pages, an issue, ibid, a link;
    in English also ``See …``, ``vol 3``, ``pp 1-9``, or mostly Latin text with a year."""
    if _CITATION.search(text) or _CITATION_EN.search(text):
        return True
    latin = len(re.findall(r"[A-Za-z]", text))
    return latin > 0.6 * len(text.replace(" ", "")) and bool(_YEAR.search(text))


@dataclass
class Notes:
    """Footnotes and endnotes as they are read, for linking markers and for footnote-only citation styles."""

    refs: list[FootnoteRef]
    by_number: dict[str, int]  # endnote number -> footnote index ([1]-numbered endnotes)
    citing: list[ReferenceInfo] = field(default_factory=list)  # endnotes that cite a work

    def add(
        self, paper, text: str, *, index: int, page: int | None, first: int, group: int, endnote: bool
    ) -> None:
        """Record a footnote, or an endnote of a 注释 list (``references`` says when it is a reference too)."""
        shown, number, body = split_marker(text)
        if not shown:
            shown, body = text[:1], re.sub(r"^\S\s*", "", text)
        paper.footnotes.append(FootnoteInfo(marker=shown, text=body, page=page, passage=index))
        position = len(paper.footnotes) - 1
        self.refs.append(FootnoteRef(shown, position, first, page, group))
        if number and shown[:1] not in CIRCLED:  # 〔1〕, [1]: numbered through the paper
            self.by_number.setdefault(number, position)
        if endnote and (looks_like_reference(body) or is_citation(body)):
            reference = parse_reference(text)
            reference.passage = index
            self.citing.append(reference)

    def references(self, footnotes: list[FootnoteInfo]) -> list[ReferenceInfo]:
        """For a paper without a bibliography: its endnotes that cite works, else its footnotes that do.

        A 注释 list beside a 参考文献 list holds notes, and the bibliography is the references.
        """
        return self.citing or footnote_references(footnotes)


def footnote_references(footnotes: list[FootnoteInfo]) -> list[ReferenceInfo]:
    """Footnote-only citation styles (law, international relations): the notes that cite works."""
    found = []
    for note in footnotes:
        if is_citation(note.text):
            reference = parse_reference(note.text)
            reference.marker, reference.raw, reference.passage = (
                note.marker,
                f"{note.marker}{note.text}",
                note.passage,
            )
            found.append(reference)
    return found


def _expand(spec: str) -> list[int]:
    numbers: list[int] = []
    for part in re.split(r"\s*[,，、]\s*", spec):
        bounds = re.split(r"\s*[-–—－~]\s*", part)
        if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
            low, high = int(bounds[0]), int(bounds[1])
            numbers.extend(range(low, high + 1) if 0 < high - low < 50 else [low, high])
        elif part.isdigit():
            numbers.append(int(part))
    return numbers


@dataclass
class FootnoteRef:
    marker: str
    index: int  # into ParsedPaper.footnotes
    line: int  # source line index where the footnote starts
    page: int | None
    group: int  # footnote blocks with nothing but captions/headers between them share a group


def bracket_citations(
    text: str, passage: int, refs_by_marker: dict[str, int], kind: str = "reference"
) -> list[CitationInfo]:
    """``[1]`` ``［2-4］`` markers; ``kind`` "footnote" when they number endnotes rather than references."""
    found = []
    for match in _BRACKET_CITE.finditer(text):
        numbers = _expand(f"{match.group(1)}-{match.group(2)}") if match.group(1) else _expand(match.group(3))
        found += _numbered(match, numbers, passage, refs_by_marker, kind)
    return found


def _numbered(
    match: re.Match, numbers, passage: int, refs_by_marker: dict[str, int], kind: str = "reference"
) -> list[CitationInfo]:
    """One citation per number a marker stands for, each pointing at its reference when listed."""
    return [
        CitationInfo(
            marker=match.group(0),
            passage=passage,
            start=match.start(),
            end=match.end(),
            target=refs_by_marker.get(str(number)),
            target_kind=kind if refs_by_marker.get(str(number)) is not None else None,
        )
        for number in numbers
    ]


_SUPERSCRIPT = "¹²³⁴⁵⁶⁷⁸⁹⁰"
_SUPER_CITE = re.compile(rf"(?<=\S)[{_SUPERSCRIPT}]+(?:\s*[,，\-–~][{_SUPERSCRIPT}]+)*")
_FROM_SUPER = str.maketrans(_SUPERSCRIPT, "1234567890")


def superscript_citations(text: str, passage: int, refs_by_marker: dict[str, int]) -> list[CitationInfo]:
    """Unicode superscript numbers (``环节¹``, ``问题²,³``) as citations of numbered references."""
    found = []
    for match in _SUPER_CITE.finditer(text):
        numbers = _expand(match.group(0).translate(_FROM_SUPER).replace("~", "-"))
        found += _numbered(match, numbers, passage, refs_by_marker)
    return found


def circled_citations(
    text: str, passage: int, marks: list[int], notes: list[FootnoteRef], groups: list[tuple[int, int]]
) -> list[CitationInfo]:
    """Circled markers: matched with the same marker in the first footnote group after the marker's line."""
    found = []
    positions = [m.start() for m in re.finditer(f"[{CIRCLED}]", text)]
    for k, start in enumerate(positions):
        marker = text[start]
        line = marks[k] if k < len(marks) else (marks[-1] if marks else -1)
        target = None
        group = next((g for g, (first, _last) in enumerate(groups) if first > line), None)
        if group is not None:
            target = next((n.index for n in notes if n.group == group and n.marker == marker), None)
        found.append(
            CitationInfo(
                marker=marker,
                passage=passage,
                start=start,
                end=start + 1,
                target=target,
                target_kind="footnote" if target is not None else None,
            )
        )
    return found
