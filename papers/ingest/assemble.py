"""Assembly: body lines become blocks (paragraph, heading, abstract, caption, footnote, reference, metadata,
and the table, figure and formula blocks that ``tables`` finds).

A paragraph ends where its last line ends a sentence *and* stops short of the
line width (text sources), or where the PDF shows a short last line or an
indented next line. Footnotes, captions and removed headers that interrupt a
paragraph at a page break do not end it: the paragraph resumes on the next
body line, so a sentence cut by a page break comes out whole. A table or figure
placed on a PDF page (a float) does not end the paragraph around it either; a formula,
or a table in a text or Markdown source, does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from papers.ingest.lines import CIRCLED, Line, ends_sentence, han_count, join_text
from papers.ingest.listmarks import page_notes
from papers.ingest.reflist import Entry, RefList, find_lists
from papers.ingest.structure import Heading, classify, heading_of, numbering, special_title
from papers.ingest.tables import block_groups, block_text

_LABEL_ONLY = re.compile(
    r"^[［【\[]?\s*(?:摘\s*要|内容提要|提\s*要|关\s*键\s*[词字]|Abstract|ABSTRACT|Key\s*words|KEYWORDS)\s*[］】\]]?\s*[:：.]?$",
    re.I,
)


@dataclass
class Block:
    kind: str  # paragraph, heading, abstract, caption, footnote, reference, metadata, table, figure, formula
    text: str = ""
    lines: list[Line] = field(default_factory=list)
    marks: list[int] = field(default_factory=list)  # source line index of each circled marker, in order
    heading: Heading | None = None
    role: str = ""  # finer role for metadata: title, authors, keywords, en-front, label…

    def add(self, line: Line, text: str | None = None) -> None:
        piece = line.text if text is None else text
        self.text = join_text(self.text, piece)
        self.lines.append(line)
        self.marks.extend(line.index for ch in piece if ch in CIRCLED)

    @property
    def page(self) -> int | None:
        return self.lines[0].page if self.lines else None

    @property
    def first_index(self) -> int:
        return self.lines[0].index if self.lines else -1


# a list item or enumerated point starts its own paragraph: （1）… / 1）… / 第一，… / 一是…
_ENUMERATION = re.compile(
    r"^(?:[（(]\s*\d{1,2}\s*[）)]|\d{1,2}\s*[）)]|第[一二三四五六七八九十]+[，,、]|[一二三四五六七八九十]是|其[一二三四五六七八九十][，,、])"
)
# a metadata line broken mid-phrase (作者简介：…；) continues on the next line
_OPEN_END = re.compile(r"[\u4e00-\u9fff，,；;、：:（(“《]$")


def ends_paragraph(line: Line, nxt: Line | None) -> bool:
    if nxt is None or "unwrapped" in line.tags:
        return True
    if line.x0 is not None:
        if line.short:
            return True
        return bool(nxt.indent) and nxt.x0 is not None
    if not (ends_sentence(line.text) or line.text.endswith(("：", ":"))):
        return False
    if _ENUMERATION.match(nxt.text):
        return True
    slack = 1.0 - line.fill
    if slack >= 0.06:
        return True
    return slack >= 0.03 and 1.0 - nxt.fill >= 0.03 and not nxt.lead


def _runs_on(line: Line) -> bool:
    """A metadata line that fills its line and stops mid-phrase continues on the next one."""
    full = not line.short if line.x0 is not None else line.fill >= 0.9
    return full and bool(_OPEN_END.search(line.text))


def _entry_block(ref_list: RefList, entry: Entry) -> Block:
    """An endnote, or a reference whose role names its list's numbering style (for the parser)."""
    return Block("footnote", role="endnote") if entry.note else Block("reference", role=ref_list.style)


def _list_line(
    blocks: list[Block], claim: tuple[str, RefList, Entry | None], line: Line, entries: dict[int, Block]
) -> None:
    """A line of a reference or endnote list (see ``reflist``): its heading, a sub-list heading or an entry."""
    role, ref_list, entry = claim
    if role == "running":  # the list's title repeated at a page top: furniture the earlier stage left
        blocks.append(Block("metadata", role="running-head"))
        blocks[-1].add(line)
        return
    if role != "entry" or entry is None:
        title = ref_list.title if role == "heading" else special_title(line.text)
        carried = [e for e in ref_list.entries if e.first_text] if role == "heading" else []
        blocks.append(Block("heading", heading=Heading("special", "", title)))
        rest = carried[0].first_text if carried else ""
        blocks[-1].add(line, line.text[: len(line.text) - len(rest)].rstrip() if rest else None)
        for first in carried:  # the first entry run onto the heading line
            entries[id(first)] = _entry_block(ref_list, first)
            blocks.append(entries[id(first)])
            entries[id(first)].add(line, first.first_text)
        return
    block = entries.get(id(entry))
    if block is None:
        block = entries[id(entry)] = _entry_block(ref_list, entry)
        blocks.append(block)
    block.add(line)


def _continues_footnote(note: Block, line: Line) -> bool:
    last = note.lines[-1]
    if line.page != last.page and line.page is not None and line.x0 is not None:
        return False
    if line.lead or ends_sentence(last.text):
        return False
    return not (line.size and last.size and line.size > 1.1 * last.size)


def _infer_pages(lines: list[Line], kinds: list[str], removed: set[int]) -> None:
    """Text sources: a page ends at removed header/footer lines, after footnotes, or where a line starts indented."""
    if all(line.page is not None for line in lines):
        return
    page, since = 1, 0
    for i, line in enumerate(lines):
        if i:
            prev = lines[i - 1]
            gap = any(idx in removed for idx in range(prev.index + 1, line.index))
            after_notes = kinds[i - 1] == "footnote-cont" and kinds[i] != "footnote"
            after_notes = after_notes or (
                kinds[i - 1] == "footnote" and kinds[i] not in ("footnote", "footnote-cont")
            )
            if gap or (after_notes and since > 3) or (line.lead and since >= 8):
                page, since = page + 1, 0
        line.page = page
        since += 1


def _kinds(lines: list[Line]) -> list[str]:
    kinds = [classify(line) for line in lines]
    for i, line in enumerate(lines):
        # a caption region of the layout model never becomes a heading or a paragraph
        if line.label.endswith("_caption") and kinds[i] == "body":
            kinds[i] = "caption"
    return kinds


def _float_block(lines: list[Line], kind: str) -> Block:
    block = Block(kind, text=block_text(lines), lines=lines)
    block.marks = [line.index for line in lines for ch in line.text if ch in CIRCLED]
    return block


def assemble(lines: list[Line], *, removed: set[int]) -> list[Block]:
    kinds = _kinds(lines)
    groups = block_groups(lines, kinds)
    for i in groups:
        kinds[i] = "block"
    claims = {pos: claim for ref_list in find_lists(lines, kinds) for pos, claim in ref_list.claims().items()}
    for i, kind in page_notes(lines, kinds, claims).items():  # notes numbered 〔1〕, [1] or 1 at a page foot
        kinds[i] = kind
    note: Block | None = None
    for i, line in enumerate(lines):  # footnote continuation lines, needed before page inference
        if kinds[i] == "footnote":
            note = Block("footnote", lines=[line])
        elif kinds[i] == "body" and note is not None and _continues_footnote(note, line):
            kinds[i] = "footnote-cont"
            note.lines.append(line)
        else:
            note = None
    _infer_pages(lines, kinds, removed)
    body_after: dict[int, Line | None] = {}
    following = None
    for i in range(len(lines) - 1, -1, -1):
        body_after[i] = following
        if kinds[i] == "body" and "en-front" not in lines[i].tags:
            following = lines[i]

    blocks: list[Block] = []
    para: Block | None = None
    para_open = False
    mode = ""
    note = None
    label_block: Block | None = None
    meta_open: Block | None = None  # a metadata line that runs on to the next line
    entry_blocks: dict[int, Block] = {}
    emitted: set[int] = set()
    for i, line in enumerate(lines):
        kind = kinds[i]
        if kind == "block":
            group = groups[i]
            if id(group) not in emitted:
                emitted.add(id(group))
                blocks.append(_float_block([lines[p] for p in group.members], group.kind))
                if group.kind == "formula" or line.box is None:  # in the flow of the text
                    para_open = False
            continue
        if i in claims:
            _list_line(blocks, claims[i], line, entry_blocks)
            para, para_open, mode, label_block, meta_open = None, False, "", None, None
            continue
        if "en-front" in line.tags:
            blocks.append(Block("metadata", role="en-front"))
            blocks[-1].add(line)
            para_open, mode = False, ""
            continue
        if kind == "footnote":
            note = Block("footnote")
            note.add(line)
            blocks.append(note)
            continue
        if kind == "footnote-cont" and note is not None:
            note.add(line)
            continue
        if kind == "caption":
            blocks.append(Block("caption"))
            blocks[-1].add(line)
            continue
        if kind == "metadata":
            meta = Block("metadata", role="metadata")
            meta.add(line)
            blocks.append(meta)
            label_block = (
                meta
                if re.match(r"^[（(［\[【]", line.text) and not re.search(r"[）)］\]】]", line.text)
                else None
            )
            meta_open = meta if _runs_on(line) else None
            continue
        if meta_open is not None and kind == "body" and numbering(line.text) is None and not line.indent:
            meta_open.add(line)
            meta_open = meta_open if _runs_on(line) else None
            continue
        meta_open = None
        if kind in ("abstract", "abstract_en", "keywords", "keywords_en"):
            para_open = False
            if _LABEL_ONLY.match(line.text):
                label = Block("metadata", role=f"{kind}-label")
                label.add(line)
                blocks.append(label)
                mode = kind + "-next"
                label_block = label if kind.startswith("keywords") else None
                continue
            if kind.startswith("keywords"):
                label_block = Block("metadata", role=kind)
                label_block.add(line)
                blocks.append(label_block)
                mode = kind
                continue
            para = Block("abstract", role=kind)
            para.add(line)
            blocks.append(para)
            para_open = not ends_paragraph(line, body_after[i])
            mode = ""
            continue
        if kind == "references":
            para_open = False
            blocks.append(Block("heading", heading=Heading("special", "", special_title(line.text))))
            blocks[-1].add(line)
            mode, para = "", None
            continue

        # a body line
        if label_block is not None and label_block.role == "metadata":
            label_block.add(line)
            if re.search(r"[）)］\]】]", line.text):
                label_block = None
            continue
        if mode.startswith("keywords") and label_block is not None:
            if mode.endswith("-next"):
                label_block = Block("metadata", role=mode[:-5])
                blocks.append(label_block)
                label_block.add(line)
                mode = mode[:-5]
                continue
            if (
                not ends_sentence(label_block.text)
                and line.fill < 0.9
                and han_count(line.text) < 30
                and numbering(line.text) is None
            ):
                prev = label_block.lines[-1]
                if prev.fill > 0.85:
                    label_block.add(line)
                    continue
            label_block, mode = None, ""
        label_block = None
        after_break = para is None or not para_open or ends_sentence(para.lines[-1].text)
        nxt = body_after[i]
        heading = heading_of(line, after_break=after_break, next_fill=nxt.fill if nxt else 1.0)
        if heading is not None:
            head_text = (
                line.text[: len(line.text) - len(heading.rest)].rstrip() if heading.rest else line.text
            )
            blocks.append(Block("heading", heading=heading))
            blocks[-1].add(line, head_text)
            para, para_open, mode = None, False, ""
            if heading.rest:
                para = Block("paragraph")
                para.add(line, heading.rest)
                blocks.append(para)
                para_open = not ends_paragraph(line, body_after[i])
            continue
        if mode == "abstract_en" and han_count(line.text) >= 2:
            mode = ""
        if mode in ("abstract-next", "abstract_en-next"):
            para = Block("abstract", role=mode[:-5])
            blocks.append(para)
            para.add(line)
            mode = ""
        elif para is not None and para_open:
            para.add(line)
        else:
            para = Block("paragraph")
            blocks.append(para)
            para.add(line)
        para_open = not ends_paragraph(line, body_after[i])
    return blocks
