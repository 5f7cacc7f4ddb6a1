"""Entry points of the pipeline: bytes or a path in, ``ParsedPaper`` out.

read (``readers``/``pdf``) → clean (``cleaning``) → structure (``structure``,
``assemble``) → metadata (``frontmatter``, ``references``). Every stage is
pure; the first three raise ``IngestError`` for unusable input, the later ones
never fail: what they cannot find becomes a warning that flags the paper for review.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from papers.ingest.assemble import Block, assemble
from papers.ingest.authors import affiliations_by_author
from papers.ingest.authoryear import author_year_citations, reference_index
from papers.ingest.cleaning import (
    find_furniture,
    measure,
    merge_word_lines,
    normalise,
    remove_known,
)
from papers.ingest.cover import Cover, find_cover, institution_in
from papers.ingest.docmeta import cover_metadata, declared_metadata, opens_with, own_doi, restore_labels
from papers.ingest.frontmatter import (
    extend_abstracts,
    find_venue,
    first_body_line,
    front_year,
    join_keyword_lines,
    parse_english_front,
    parse_front,
    split_keywords,
    tag_english_front,
)
from papers.ingest.furniture import repeats_title
from papers.ingest.lines import Line, line_boxes
from papers.ingest.markdown import front_fields
from papers.ingest.ocr import mean_conf
from papers.ingest.readers import read
from papers.ingest.references import (
    Notes,
    bracket_citations,
    circled_citations,
    parse_reference,
    superscript_citations,
)
from papers.ingest.structure import (
    ABSTRACT_EN_LABEL,
    ABSTRACT_LABEL,
    KEYWORDS_EN_LABEL,
    KEYWORDS_LABEL,
    assign_levels,
)
from papers.ingest.types import (
    AuthorInfo,
    IngestError,
    ParsedPaper,
    PassageInfo,
    ReadOptions,
    RemovedLine,
    SectionInfo,
    SourceInfo,
    WarningInfo,
)

SUPPORTED_SUFFIXES = {".txt": "txt", ".md": "md", ".markdown": "md", ".pdf": "pdf"}
DEFAULT_MAX_BYTES = 50 * 1024 * 1024

ERR_TYPE = "{name}: unsupported file type {suffix}; use .txt, .md or .pdf"
ERR_SIZE = "{name}: file is larger than the limit of {limit} MB"
ERR_EMPTY = "{name}: the file is empty"
WARN_NO_TITLE = "no title found (the first page is probably missing): set the title by hand"
WARN_NO_CN_TITLE = "no Chinese title found, only the English one: check the first page"
WARN_NO_AUTHORS = "no authors found: add them by hand"
WARN_UNLINKED_NOTES = "{n} footnote marker(s) have no footnote text on their page"
WARN_NO_REFERENCES = "{n} numbered citation(s) but no reference list"
WARN_RAW_REFERENCES = "{n} reference entr(ies) could not be parsed and are kept as raw text"
# Warning code -> English sentence. The codes are stable: the site shows each in the reader's language.
WARNINGS = {
    "no_title": WARN_NO_TITLE,
    "no_cn_title": WARN_NO_CN_TITLE,
    "no_authors": WARN_NO_AUTHORS,
    "unlinked_notes": WARN_UNLINKED_NOTES,
    "no_references": WARN_NO_REFERENCES,
    "raw_references": WARN_RAW_REFERENCES,
}
_WARNING_PATTERNS = {
    code: re.compile("^" + re.escape(text).replace(r"\{n\}", r"(?P<n>\d+)") + "$")
    for code, text in WARNINGS.items()
}


def warning_from_text(text: str) -> WarningInfo | None:
    """The code and parameters of a warning stored as its English sentence (None if unknown)."""
    for code, pattern in _WARNING_PATTERNS.items():
        match = pattern.match(text)
        if match:
            return WarningInfo(code=code, params={k: int(v) for k, v in match.groupdict().items()})
    return None


def _limit(max_bytes: int) -> str:
    return f"{max_bytes / (1024 * 1024):g}"


def parse_file(
    path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, options: ReadOptions | None = None
) -> ParsedPaper:
    path = Path(path)
    if path.stat().st_size > max_bytes:
        raise IngestError(ERR_SIZE.format(name=path.name, limit=_limit(max_bytes)))
    return parse_bytes(path.read_bytes(), filename=path.name, max_bytes=max_bytes, options=options)


def parse_bytes(
    data: bytes, *, filename: str, max_bytes: int = DEFAULT_MAX_BYTES, options: ReadOptions | None = None
) -> ParsedPaper:
    suffix = Path(filename).suffix.lower()
    fmt = SUPPORTED_SUFFIXES.get(suffix)
    if fmt is None:
        raise IngestError(ERR_TYPE.format(name=filename, suffix=suffix or "(none)"))
    if len(data) > max_bytes:
        raise IngestError(ERR_SIZE.format(name=filename, limit=_limit(max_bytes)))
    if not data.strip():
        raise IngestError(ERR_EMPTY.format(name=filename))
    source = SourceInfo(
        filename=filename, sha256=hashlib.sha256(data).hexdigest(), format=fmt, size=len(data)
    )
    return build(read(data, fmt=fmt, name=filename, options=options or ReadOptions()), source)


def build(lines: list[Line], source: SourceInfo) -> ParsedPaper:
    """The clean, structure and metadata stages over the reader's lines."""
    pages = list(getattr(lines, "pages", []))  # a PDF reader's PdfLines carry each page's PageInfo
    declared = front_fields(getattr(lines, "front", {}))  # a Markdown file's YAML/TOML front matter
    paged = any(line.page is not None for line in lines)  # text and Markdown have no pages
    lines = merge_word_lines(lines)
    for i, line in enumerate(lines):
        line.index = i
    measure(lines)
    paper = ParsedPaper(source=source, doi=own_doi(lines), page_info=pages)
    removed = find_furniture(lines, doi=paper.doi)
    restore_labels(lines, removed)
    kept = [line for line in lines if line.index not in removed]
    cover = find_cover(kept)  # cover, declaration and contents pages: out of the body, fields kept
    removed.update(cover.removed)
    kept = [line for line in kept if line.index not in cover.taken]
    start = first_body_line(kept)
    if declared["title"] and not opens_with(kept, str(declared["title"])):
        start = 0  # the front matter names the title: the first lines are body, not a title block
    first_page = next((line.page for line in kept if line.x0 is not None), 1)  # the first content page
    page_one = [line for line in kept if line.page == first_page and line.x0 is not None][:40]
    front = parse_front(kept[:start], all_sizes=page_one)
    header = _running_head_in_title(front)
    if header is not None:  # page one's running head ran into the title block: drop it and read again
        removed[header.index] = "running header repeating the title or authors"
        kept.remove(header)
        start -= 1
        front = parse_front(kept[:start], all_sizes=page_one)
    running = [front.title, front.title + front.subtitle, "".join(front.authors), " ".join(front.authors)]
    if front.authors:
        running += [front.authors[0] + "等", front.authors[0] + "et al"]
    extra = remove_known(kept, strings=running, first_body=start, title=front.title, authors=front.authors)
    removed.update(extra)
    kept = [line for line in kept if line.index not in extra]
    tag_english_front(kept, start)
    blocks = join_keyword_lines(extend_abstracts(assemble(kept[start:], removed=set(removed))))

    for row in cover.groups:
        paper.passages.append(
            PassageInfo(
                kind="metadata",
                text=normalise(" ".join(ln.text for ln in row)),
                page=row[0].page,
                boxes=line_boxes(row),
            )
        )
    for role, role_lines in front.roles:
        if role == "authors":  # the line as printed: its separators and affiliation marks are text too
            text = normalise(" ".join(ln.text for ln in role_lines))
        else:
            text = normalise(
                " ".join(ln.text for ln in role_lines) if role == "affiliation" else _joined(role_lines)
            )
        paper.passages.append(
            PassageInfo(
                kind="metadata", text=text, page=role_lines[0].page or 1, boxes=line_boxes(role_lines)
            )
        )
    paper.title, paper.subtitle = normalise(front.title), normalise(front.subtitle)
    _add_blocks(paper, blocks)
    _metadata(paper, front, blocks, [lines[i].text for i in sorted(removed)], cover, declared)
    paper.removed = [
        RemovedLine(lines[i].text, reason, lines[i].page) for i, reason in sorted(removed.items())
    ]
    if not paged:  # pages guessed for footnote grouping are no page numbers to show
        for passage in paper.passages:
            passage.page = None
        for note in paper.footnotes:
            note.page = None
        for gone in paper.removed:
            gone.page = None
    return paper


def _running_head_in_title(front) -> Line | None:
    """A title line that is ``authors：title`` of the rest of the title block (page one's running head)."""
    title_lines = [line for role, lines in front.roles if role == "title" for line in lines]
    if len(title_lines) < 2 or not front.authors:
        return None
    for line in title_lines:
        rest = "".join(other.text for other in title_lines if other is not line)
        if repeats_title(line.text, title=rest, authors=front.authors):
            return line
    return None


def _joined(lines: list[Line]) -> str:
    block = Block("metadata")
    for line in lines:
        block.add(line)
    return block.text


def _add_blocks(paper: ParsedPaper, blocks: list[Block]) -> None:
    styles: list[str] = []
    section: int | None = None
    notes = Notes(refs=[], by_number={})
    groups: list[tuple[int, int]] = []
    refs_by_marker: dict[str, int] = {}
    placed: list[tuple[Block, int]] = []
    last_kind = ""
    for block in blocks:
        text = normalise(block.text, keep_start=block.kind == "heading")
        if not text:
            continue
        if block.kind == "heading" and block.heading is not None:
            paper.sections.append(
                SectionInfo(number=block.heading.number, heading=normalise(block.heading.title))
            )
            styles.append(block.heading.style)
            section = len(paper.sections) - 1
        index = len(paper.passages)
        if block.kind == "paragraph" and _BARE_LINK.fullmatch(text):
            # A paragraph that is nothing but a link (a licence's URL under its statement) is
            # front matter; a link that wrapped onto its own line was joined to its paragraph.
            block.kind = "metadata"
        paper.passages.append(
            PassageInfo(
                kind=block.kind,
                text=text,
                section=section,
                page=block.page,
                boxes=line_boxes(block.lines),
                ocr_conf=mean_conf(block.lines),
            )
        )
        placed.append((block, index))
        if block.kind == "footnote":
            if last_kind not in ("footnote", "caption", "metadata") or not groups:
                groups.append((block.first_index, block.lines[-1].index))
            groups[-1] = (groups[-1][0], block.lines[-1].index)
            endnote = block.role == "endnote"  # an entry of a 注释 list: a reference too when it cites a work
            notes.add(
                paper,
                text,
                index=index,
                page=block.page,
                first=block.first_index,
                group=len(groups) - 1,
                endnote=endnote,
            )
        elif block.kind == "reference":
            ref = parse_reference(text, style=block.role or None)  # role: the list's numbering style
            ref.passage = index
            paper.references.append(ref)
            if ref.marker:
                refs_by_marker.setdefault(ref.marker, len(paper.references) - 1)
        if block.kind not in ("caption", "metadata") or block.kind == "footnote":
            last_kind = block.kind
        elif last_kind == "footnote":
            last_kind = "footnote"
    for level, sec in zip(assign_levels(styles), paper.sections, strict=True):
        sec.level = level
    if not paper.references:  # endnotes only, or a footnote-only citation style: the notes that cite works
        paper.references = notes.references(paper.footnotes)
    # [n] markers point at the reference list, or at notes numbered [n] or 〔n〕 when there is no numbered list
    numbered, numbered_kind = (
        (notes.by_number, "footnote") if not refs_by_marker else (refs_by_marker, "reference")
    )
    by_author_year = reference_index(paper.references)
    for block, index in placed:
        if block.kind in ("paragraph", "heading", "abstract", "caption", "footnote"):
            text = paper.passages[index].text
            paper.citations += author_year_citations(text, index, by_author_year)
        if block.kind in ("paragraph", "heading", "abstract", "caption"):
            text = paper.passages[index].text
            paper.citations += bracket_citations(text, index, numbered, numbered_kind)
            paper.citations += superscript_citations(text, index, refs_by_marker)
            paper.citations += circled_citations(text, index, block.marks, notes.refs, groups)


_BARE_LINK = re.compile(r"\s*https?://\S+\s*")


def _strip_label(text: str, label) -> str:
    return label.sub("", text, count=1).strip()


def _metadata(
    paper: ParsedPaper,
    front,
    blocks: list[Block],
    header_lines: list[str],
    cover: Cover | None = None,
    declared: dict | None = None,
) -> None:
    def texts(role: str) -> list[str]:
        return [normalise(b.text) for b in blocks if b.role == role]

    paper.abstract = "\n".join(_strip_label(t, ABSTRACT_LABEL) for t in texts("abstract"))
    paper.abstract_en = "\n".join(_strip_label(t, ABSTRACT_EN_LABEL) for t in texts("abstract_en"))
    # split before normalising: the separators may be spaces that normalising takes out
    for block in (b for b in blocks if b.role == "keywords"):
        paper.keywords += [normalise(k) for k in split_keywords(_strip_label(block.text, KEYWORDS_LABEL))]
    for block in (b for b in blocks if b.role == "keywords_en"):
        paper.keywords_en += [
            normalise(k) for k in split_keywords(_strip_label(block.text, KEYWORDS_EN_LABEL))
        ]
    en_lines = [line for b in blocks if b.role == "en-front" for line in b.lines]
    title_en, names_en, affiliation_en = parse_english_front(en_lines)
    paper.title_en = normalise(title_en)
    affiliation = normalise(front.affiliation)
    if front.authors:
        own = affiliations_by_author(front.author_line, front.authors, affiliation)
        paper.authors = [
            AuthorInfo(name=name, affiliation=aff) for name, aff in zip(front.authors, own, strict=True)
        ]
        if len(names_en) == len(front.authors):
            for author, name_en in zip(paper.authors, names_en, strict=True):
                author.name_en = name_en
    elif names_en:
        paper.authors = [AuthorInfo(name=name, name_en=name, affiliation=affiliation_en) for name in names_en]
    meta = [p.text for p in paper.passages if p.kind == "metadata"]
    venue = find_venue(header_lines, meta, paper.doi, title=paper.title, authors=front.authors)
    paper.venue, paper.year = venue.venue, venue.year
    paper.volume, paper.issue, paper.pages = venue.volume, venue.issue, venue.pages

    if paper.year is None:
        paper.year = front_year(front)
    if front.series and re.search(r"(?i)preprint|预印本", front.series):
        paper.doc_type = "preprint"
    elif front.series:
        paper.doc_type = "report"  # a course, working or research report
    if cover is not None:
        if cover.thesis and not cover.institution:
            cover.institution = institution_in(header_lines)
        cover_metadata(paper, cover)
    if declared:
        declared_metadata(paper, declared)
    if not paper.title:
        if paper.title_en:
            paper.warn("no_cn_title", WARN_NO_CN_TITLE)
        else:
            paper.warn("no_title", WARN_NO_TITLE)
    if not paper.authors:
        paper.warn("no_authors", WARN_NO_AUTHORS)
    unlinked = sum(1 for c in paper.citations if len(c.marker) == 1 and c.target is None)
    if unlinked:
        paper.warn("unlinked_notes", WARN_UNLINKED_NOTES, n=unlinked)
    numbered = sum(1 for c in paper.citations if len(c.marker) > 1 and c.target_kind != "footnote")
    if numbered and not paper.references:
        paper.warn("no_references", WARN_NO_REFERENCES, n=numbered)
    # notes that cite works are references too, but a note is free text: only list entries should parse
    raw = sum(
        1
        for r in paper.references
        if not r.title and (r.passage is None or paper.passages[r.passage].kind != "footnote")
    )
    if raw:
        paper.warn("raw_references", WARN_RAW_REFERENCES, n=raw)
