"""References, footnotes and citations.

- ``parse_reference``: one GB/T 7714 entry (``作者. 题名[J]. 刊名, 2020, 3(2): 1-9.``) into
  authors, title, type code, container, year, pages and DOI; anything it cannot read stays raw.
- ``find_citations``: ``[1]``, ``［1］``, ``[1-3]``, ``[1,2]``, ``[9]-[11]`` markers pointing at
  reference entries, and circled ``①②`` markers pointing at the footnote of the same page.
  Numbering of circled footnotes restarts on every page, so a marker is matched with
  the footnote block that closes the page it stands on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from papers.ingest.cleaning import DOI_RE
from papers.ingest.lines import CIRCLED
from papers.ingest.types import CitationInfo, ReferenceInfo

_MARKER = re.compile(r"^\s*(?:[\[［]\s*(\d{1,3})\s*[\]］]|(\d{1,3})\s*[.．、])\s*")
_TYPE = re.compile(r"\[\s*([A-Z]{1,2})(?:\s*/\s*OL)?\s*\]")
_APA = re.compile(r"^(.{2,200}?)\s*\(((?:19|20)\d{2})[a-z]?\)\s*(.+?[.?!])\s+(\S.*)$")
_BRACKET_CITE = re.compile(
    r"[\[［]\s*(\d{1,3})\s*[\]］]\s*[-–—－~]\s*[\[［]\s*(\d{1,3})\s*[\]］]"
    r"|[\[［]\s*(\d{1,3}(?:\s*[-–—－~,，、]\s*\d{1,3})*)\s*[\]］]"
)


def parse_reference(raw: str) -> ReferenceInfo:
    ref = ReferenceInfo(raw=raw)
    body = raw
    marker = _MARKER.match(raw)
    if marker:
        ref.marker = marker.group(1) or marker.group(2)
        body = raw[marker.end() :]
    doi = DOI_RE.search(body)
    if doi:
        ref.doi = doi.group(0).rstrip(".,;)")
    years = re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", body)
    type_match = _TYPE.search(body)
    if not type_match:
        ref.year = int(years[0]) if years else None
        apa = _APA.match(body)
        if apa:
            ref.authors = [
                a.strip()
                # "Smith, J., Lee, A., & Wu, B." / "Smith, J. and Lee, A."
                for a in re.split(r",?\s*&\s*|,\s*(?:and\s+)?(?=[A-Z][A-Za-z'’\-]*,)|\s+and\s+", apa.group(1))
                if a.strip()
            ]
            ref.year, ref.title = int(apa.group(2)), apa.group(3).strip()
            rest = apa.group(4)
            container = re.match(r"^(.+?),\s*\d", rest)
            ref.container = (container.group(1) if container else rest.split(".")[0]).strip()
            pages = re.search(r",\s*(\d+\s*-\s*\d+)\.", rest)
            ref.pages = pages.group(1).replace(" ", "") if pages else ""
        return ref
    ref.type_code = type_match.group(1)
    head, tail = body[: type_match.start()].strip(), body[type_match.end() :]
    split = re.match(r"^(.{1,120}?)(?:\.\s+|．\s*|\.(?=[\u4e00-\u9fff“《])|。)(.+)$", head)
    if split and not re.search(r"[《“]", split.group(1)):
        authors, ref.title = split.group(1), split.group(2).strip()
        ref.authors = [
            a.strip()
            for a in re.split(r"\s*[,，、;；]\s*", authors)
            if a.strip() and a.strip() not in ("等", "et al", "et al.")
        ]
    else:
        ref.title = head
    # GB/T 7714 author–date: 王佃利, 滕蕾. 2023. 题名[J]. 刊名, 39(3): 18-27.
    dated = re.match(r"^((?:19|20)\d{2})[a-z]?\s*[.．]\s*(.+)$", ref.title)
    if dated:
        ref.year, ref.title = int(dated.group(1)), dated.group(2).strip()
    tail = re.sub(r"^\s*[.．]?\s*(?://\s*)?", "", tail)
    year = None if dated else re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", tail)
    if dated:
        ref.container = re.split(r"\s*[,，]\s*\d", tail, maxsplit=1)[0].strip(" ,，.．")
    if year:
        ref.year = int(year.group(1))
        ref.container = tail[: year.start()].strip(" ,，.．")
    pages = re.search(r"[:：]\s*(\d+\s*[-–—~]\s*\d+|\d+)\s*[.．]?\s*(?:DOI|doi|https?:|$)", tail)
    if pages:
        ref.pages = re.sub(r"\s+", "", pages.group(1))
    return ref


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


def bracket_citations(text: str, passage: int, refs_by_marker: dict[str, int]) -> list[CitationInfo]:
    found = []
    for match in _BRACKET_CITE.finditer(text):
        numbers = _expand(f"{match.group(1)}-{match.group(2)}") if match.group(1) else _expand(match.group(3))
        found += _numbered(match, numbers, passage, refs_by_marker)
    return found


def _numbered(match: re.Match, numbers, passage: int, refs_by_marker: dict[str, int]) -> list[CitationInfo]:
    """One citation per number a marker stands for, each pointing at its reference when listed."""
    return [
        CitationInfo(
            marker=match.group(0),
            passage=passage,
            start=match.start(),
            end=match.end(),
            target=refs_by_marker.get(str(number)),
            target_kind="reference" if refs_by_marker.get(str(number)) is not None else None,
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
