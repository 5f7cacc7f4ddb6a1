"""Markdown sources: front matter, markup, shortcodes, links and tables to plain ``Line`` objects.

- A YAML (``---``) or TOML (``+++``) front-matter block is metadata (title, author(s), date,
  tags): it is read into ``SourceLines.front`` and never becomes text, so it can never be
  taken for the title.
- Hugo and Jekyll shortcodes and Liquid tags (``{{< … >}}``, ``{{% … %}}``, ``{% … %}``) are
  stripped; ``[text](url)`` keeps its text, and a bare ``[url](url)`` link keeps its URL;
  an image keeps its alt text.
- An HTML ``<table>`` or a pipe table becomes one line per row, labelled ``table`` with one
  region id per table, so the assembler makes one table passage of it, as it does for a
  table region the layout model found on a PDF page.
- Markdown has no pages: every line's page is ``None``.
"""

from __future__ import annotations

import datetime
import html
import re
import tomllib

import yaml

from papers.ingest.lines import Line

_FRONT = re.compile(r"\A\ufeff?(---|\+\+\+)[ \t]*\n(.*?)\n(?:---|\.\.\.|\+\+\+)[ \t]*(?:\n|\Z)", re.S)
_SHORTCODE = re.compile(r"\{\{[<%].*?[%>]\}\}|\{%.*?%\}", re.S)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\((\S+?)(?:\s+\"[^\"]*\")?\)")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_HTML_TABLE = re.compile(r"<table\b.*?</table>", re.S | re.I)
_ROW = re.compile(r"<tr\b.*?</tr>", re.S | re.I)
_CELL = re.compile(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", re.S | re.I)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_MD_MARKUP = re.compile(r"^(?:#{1,6}\s+|>\s?|[-*+]\s+(?=\S))")
_MD_INLINE = re.compile(r"(\*\*|__|`)")
_TABLE_MARK = re.compile(r"^\x00table(\d+)\x00")


class SourceLines(list):
    """The reader's lines plus what the source says about itself outside them (front matter)."""

    front: dict[str, object]

    def __init__(self, lines: list[Line], front: dict[str, object] | None = None) -> None:
        super().__init__(lines)
        self.front = front or {}


def front_matter(text: str) -> tuple[dict[str, object], str]:
    """(metadata, the rest of the text) for a YAML or TOML front-matter block at the start."""
    match = _FRONT.match(text)
    if match is None:
        return {}, text
    body = match.group(2)
    try:
        data = yaml.safe_load(body) if match.group(1) == "---" else tomllib.loads(body)
    except (yaml.YAMLError, tomllib.TOMLDecodeError):
        return {}, text
    if not isinstance(data, dict):
        return {}, text
    return {str(k).lower(): v for k, v in data.items()}, text[match.end() :]


def front_fields(front: dict[str, object]) -> dict[str, object]:
    """title (str), authors (list[str]), year (int | None), keywords (list[str]) from front matter."""

    def strings(value: object) -> list[str]:
        if isinstance(value, str):
            return [part.strip() for part in re.split(r"[,，、;；]", value) if part.strip()]
        if isinstance(value, list):
            out = []
            for item in value:
                if isinstance(item, dict):
                    item = item.get("name", "")
                out += strings(item) if isinstance(item, str) else []
            return out
        return []

    title = front.get("title")
    authors = strings(front.get("authors", front.get("author", [])))
    year = None
    date = front.get("date", front.get("year"))
    if isinstance(date, (datetime.date, datetime.datetime)):
        year = date.year
    elif date is not None and (found := re.search(r"(?:19|20)\d{2}", str(date))):
        year = int(found.group(0))
    keywords = strings(front.get("keywords", front.get("tags", [])))
    return {
        "title": str(title).strip() if isinstance(title, (str, int, float)) else "",
        "subtitle": str(front.get("subtitle") or "").strip(),
        "authors": authors,
        "year": year,
        "keywords": keywords,
    }


def _inline(text: str) -> str:
    text = _IMAGE.sub(lambda m: m.group(1), text)
    text = _LINK.sub(_link_text, text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    return html.unescape(_MD_INLINE.sub("", text))


def _link_text(match: re.Match) -> str:
    label, url = match.group(1).strip(), match.group(2)
    bare = label == url or re.fullmatch(
        r"(?:https?://)?" + re.escape(re.sub(r"^https?://", "", url)) + "/?", label
    )
    return url if bare else label


def _html_tables(text: str) -> str:
    """Each HTML table to one marked line per row (cells apart), before the text is split in lines."""
    count = 0

    def rows(match: re.Match) -> str:
        nonlocal count
        count += 1
        out = []
        for row in _ROW.findall(match.group(0)):
            cells = [re.sub(r"\s+", " ", _TAG.sub("", html.unescape(c))).strip() for c in _CELL.findall(row)]
            if any(cells):
                out.append(f"\x00table{count}\x00" + " | ".join(cells))
        return "\n\n" + "\n".join(out) + "\n\n"

    return _HTML_TABLE.sub(rows, text)


def markdown_lines(text: str, *, split) -> SourceLines:
    """Markdown to lines; ``split`` is the text reader's line splitter (``readers.text_lines``)."""
    front, text = front_matter(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _HTML_COMMENT.sub("", _SHORTCODE.sub("", text))
    text = _html_tables(text)
    lines: list[Line] = []
    region, pipe_table = 1000, False  # pipe tables get ids after the HTML ones
    for line in split(text):
        raw = line.text
        marked = _TABLE_MARK.match(raw)
        if _PIPE_RULE.match(raw) and "|" in raw:
            continue  # the |---|---| rule under a pipe table's head
        if marked:
            line.text = _inline(raw[marked.end() :]).strip()
            line.label, line.region = "table", int(marked.group(1))
            pipe_table = False
        elif raw.startswith("|") and raw.rstrip().endswith("|") and raw.count("|") >= 3:
            region += 0 if pipe_table else 1
            cells = " | ".join(c.strip() for c in raw.strip().strip("|").split("|"))
            line.text = _inline(cells).strip()
            line.label, line.region = "table", region
            pipe_table = True
        else:
            pipe_table = False
            heading = raw.startswith("#")
            line.text = _inline(_MD_MARKUP.sub("", raw)).strip()
            if heading:
                line.tags.add("md-heading")
        line.page = None
        if line.text:
            line.index = len(lines)
            lines.append(line)
    return SourceLines(lines, front)
