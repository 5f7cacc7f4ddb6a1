"""Author–year citations: （王佃利，2023）, （王佃利等，2023；滕蕾，2021a）, 王佃利（2023）认为,
(Smith & Lee, 2020), Smith et al. (2020).

A citation is only made when a reference entry has that first author and year, so an
ordinary year in brackets (（2023年）, (2020)) never becomes a link. Same author and year
twice (2023a, 2023b) are told apart by the letter, in the order of the list.

Pure: strings and the parsed references in, ``CitationInfo`` out.
"""

from __future__ import annotations

import re

from papers.ingest.lines import HAN_CLASS
from papers.ingest.types import CitationInfo, ReferenceInfo

_HAN = HAN_CLASS
_YEAR = r"(?P<year>(?:19|20)\d{2})(?P<letter>[a-z])?"
# （…） or (…) holding at least one "name, year" part.
_PAREN = re.compile(r"[（(]([^（）()]{3,200})[）)]")
_PART = re.compile(rf"^\s*(?P<names>.+?)\s*[,，]?\s*{_YEAR}\s*$")
# A name (or two, or "et al"/等) right before a bracketed year: 王佃利（2023）, Smith et al. (2020).
_NARRATIVE = re.compile(
    rf"(?P<names>[{_HAN}]{{2,6}}(?:\s*(?:等|和|与|、)\s*[{_HAN}]{{2,4}})?(?:\s*等)?"
    r"|[A-Z][A-Za-z'’\-]+(?:\s+(?:et\s+al\.?|(?:and|&)\s+[A-Z][A-Za-z'’\-]+))?)"
    rf"\s*[（(]\s*{_YEAR}\s*[）)]"
)
_NAME_SPLIT = re.compile(r"\s*(?:[,，、&]|\band\b|和|与|等|et\s+al\.?)\s*")


def _key(name: str) -> str:
    """How a first author is compared: a Chinese name whole, a Western one by its family name."""
    name = name.strip().strip(".")
    if re.search(f"[{_HAN}]", name):
        return re.sub(r"\s+", "", name)
    if "," in name:  # "Smith, J.", "van Dijk, J."
        family = name.split(",", 1)[0]
    else:
        parts = name.split()
        initials = len(parts) > 1 and all(len(p.strip(".")) <= 2 and p[:1].isupper() for p in parts[1:])
        family = parts[0] if initials else " ".join(parts[-1:])  # "SMITH J" / "John Smith"
    # The last word of the family name: "van Dijk" is cited as "Dijk" as often as in full.
    words = family.split()
    return words[-1].lower() if words else ""


def reference_index(references: list[ReferenceInfo]) -> dict[tuple[str, int], list[int]]:
    """(first author key, year) → indexes of the references, in list order."""
    index: dict[tuple[str, int], list[int]] = {}
    for i, ref in enumerate(references):
        if ref.authors and ref.year:
            index.setdefault((_key(ref.authors[0]), ref.year), []).append(i)
    return index


def _lookup(index, names: str, year: str, letter: str | None) -> tuple[int, str] | None:
    """(reference index, the first author's name as written) or None."""
    first = _NAME_SPLIT.split(names.strip(), maxsplit=1)[0]
    candidates = [first]
    if re.fullmatch(f"[{_HAN}]+", first):
        # Narrative text runs into the name (研究表明王佃利（2023）): try the name's last characters.
        candidates = [first[-n:] for n in range(min(len(first), 4), 1, -1)]
    for name in candidates:
        found = index.get((_key(name), int(year)))
        if found:
            k = ord(letter) - ord("a") if letter else 0
            return (found[k], name) if k < len(found) else None
    return None


def author_year_citations(
    text: str, passage: int, index: dict[tuple[str, int], list[int]]
) -> list[CitationInfo]:
    """The author–year citations in a passage's text that name a listed reference."""
    if not index:
        return []
    found: list[CitationInfo] = []
    taken: list[tuple[int, int]] = []
    for paren in _PAREN.finditer(text):
        offset = paren.start(1)
        for part in re.finditer(r"[^;；]+", paren.group(1)):
            match = _PART.match(part.group(0))
            if not match:
                continue
            hit = _lookup(index, match.group("names"), match.group("year"), match.group("letter"))
            if hit is None:
                continue
            start = offset + part.start() + (len(part.group(0)) - len(part.group(0).lstrip()))
            end = offset + part.end() - (len(part.group(0)) - len(part.group(0).rstrip()))
            found.append(_citation(text, passage, start, end, hit[0]))
            taken.append((paren.start(), paren.end()))
    for match in _NARRATIVE.finditer(text):
        if any(s <= match.start("year") < e for s, e in taken):
            continue
        hit = _lookup(index, match.group("names"), match.group("year"), match.group("letter"))
        if hit is not None:
            # The link starts at the name, not at the words the pattern ran into before it.
            start = text.find(hit[1], match.start(), match.start("year"))
            found.append(_citation(text, passage, max(start, match.start()), match.end(), hit[0]))
    return sorted(found, key=lambda c: c.start)


def _citation(text: str, passage: int, start: int, end: int, target: int) -> CitationInfo:
    return CitationInfo(
        marker=text[start:end], passage=passage, start=start, end=end, target=target, target_kind="reference"
    )
