"""Markdown for user text: one renderer, one sanitiser.

Annotation bodies (and any other user Markdown) go through ``render_markdown``
only: markdown-it renders CommonMark with raw HTML disabled, then nh3 keeps a
small allow-list of tags and attributes and forces ``rel`` on links. Callers
cache the result (``Annotation.body_html``) and mark only that output safe.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr", "del", "s",
    "h3", "h4", "h5", "h6",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    "strikethrough"
)


def render_markdown(source: str) -> str:
    """Markdown in, sanitised HTML out (a plain ``str``; the caller caches it)."""
    if not source.strip():
        return ""
    html = _md.render(source)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    ).strip()
