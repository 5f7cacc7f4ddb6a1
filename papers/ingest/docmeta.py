"""Document metadata from outside the title block: the cover, the front matter, the DOI.

- ``cover_metadata``: what a thesis or CNKI cover says (``papers.ingest.cover``) fills what the
  first content page did not, and types a thesis.
- ``declared_metadata``: a Markdown file's YAML/TOML front matter; its title wins.
- ``own_doi``: the paper's own DOI, from its first pages or its running heads, never one cited
  in the body or the reference list.
- ``restore_labels``: an abstract label that repetition took for a running head.
"""

from __future__ import annotations

import re

from papers.ingest.cleaning import DOI_RE, find_doi, normalise
from papers.ingest.cover import Cover, advisor_name
from papers.ingest.frontmatter import SERIES_NOTE
from papers.ingest.lines import Line
from papers.ingest.structure import REFERENCES_HEADING
from papers.ingest.types import AuthorInfo, ParsedPaper


def opens_with(lines: list[Line], title: str) -> bool:
    """The text opens with the title its front matter declares (``# 标题`` repeated under it)."""
    compact = re.sub(r"\W+", "", title)
    return bool(lines) and bool(compact) and re.sub(r"\W+", "", lines[0].text).startswith(compact[:20])


def declared_metadata(paper: ParsedPaper, declared: dict) -> None:
    """Front matter is the author's own statement: its title wins, the rest fills gaps."""
    if declared["title"]:
        paper.title = SERIES_NOTE.sub("", normalise(declared["title"])).strip()
        paper.subtitle = normalise(declared["subtitle"]) or (
            paper.subtitle if opens_with([Line(text=paper.title)], declared["title"]) else ""
        )
    if declared["authors"] and not paper.authors:
        paper.authors = [AuthorInfo(name=name) for name in declared["authors"]]
    if declared["year"] and paper.year is None:
        paper.year = declared["year"]
    if declared["keywords"] and not paper.keywords:
        paper.keywords = list(declared["keywords"])


_LABEL_LINE = re.compile(r"^(?:中\s*文\s*摘\s*要|英\s*文\s*摘\s*要|摘\s*要|ABSTRACT|Abstract)$")


def restore_labels(lines: list[Line], removed: dict[int, str]) -> None:
    """A thesis page headed ``中文摘要`` that also opens with the label ``中文摘要``: the running
    head repeats the label, so repetition took both; the lower of the two is the label."""
    by_page: dict[tuple[int | None, str], list[Line]] = {}
    for index in removed:
        line = lines[index]
        if line.top is not None and _LABEL_LINE.match(line.text.strip()):
            by_page.setdefault((line.page, line.text.strip()), []).append(line)
    for same in by_page.values():
        if len(same) >= 2:
            del removed[max(same, key=lambda line: line.top or 0.0).index]


def own_doi(lines: list[Line]) -> str:
    """The paper's DOI: printed in its front matter (the first pages), or in a running header or
    footer (the same DOI on several pages), never one cited in the body or the reference list."""
    before = _before_references(lines)
    pages = sorted({line.page for line in before if line.page is not None})
    if pages:
        front = [line for line in before if line.page is not None and line.page <= pages[0] + 2]
    else:
        front = before[:80]
    doi = find_doi(front)
    if doi:
        return doi
    pages_of: dict[str, set] = {}
    for k, line in enumerate(before):
        for match in DOI_RE.finditer(line.text):
            pages_of.setdefault(_doi(match), set()).add(line.page if line.page is not None else k)
    repeated = [
        line for line in before if any(len(pages_of[_doi(m)]) >= 2 for m in DOI_RE.finditer(line.text))
    ]
    return find_doi(repeated)


def _doi(match: re.Match) -> str:
    return match.group(0).rstrip(".,;)]")


def _before_references(lines: list[Line]) -> list[Line]:
    """The lines before the reference list: a DOI printed in a reference entry is not the paper's.

    Running headers and footers repeat on the pages before the list, so the paper's own DOI
    printed there is still found."""
    for i, line in enumerate(lines):
        if i > min(30, len(lines) // 3) and REFERENCES_HEADING.match(line.text.strip()):
            return lines[:i]
    return lines


def cover_metadata(paper: ParsedPaper, cover: Cover) -> None:
    """What a cover page says fills what the first content page did not: title, authors, thesis fields."""
    fields = cover.fields
    if not paper.title and fields.get("title"):
        title, _, subtitle = normalise(fields["title"]).partition("——")
        paper.title, paper.subtitle = title.strip(), paper.subtitle or subtitle.strip(" —")
    if fields.get("title_en") and (cover.thesis or not paper.title_en):  # a thesis cover names it best
        paper.title_en = normalise(fields["title_en"])
    if not paper.authors and cover.authors:
        paper.authors = [AuthorInfo(name=name) for name in cover.authors]
        if fields.get("author_en") and len(cover.authors) == 1:
            paper.authors[0].name_en = fields["author_en"]
    if cover.thesis:
        paper.doc_type = "thesis"
        paper.degree = cover.degree
        paper.institution = cover.institution or normalise(fields.get("school", ""))
        paper.year = cover.year or paper.year
        paper.venue = paper.institution  # a thesis is published by its university, not in a journal
    if fields.get("advisor"):
        paper.advisor = advisor_name(normalise(fields["advisor"]))
    elif fields.get("advisor_en"):
        paper.advisor = advisor_name(fields["advisor_en"])
    if paper.year is None and cover.year is not None:
        paper.year = cover.year
