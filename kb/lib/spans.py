"""Render text with decorated spans, escaping first.

Used wherever user or paper text is shown with marks on it: citation links,
concept mentions, annotation highlights, search matches. The text is escaped
segment by segment and only the wrapping tags (from a fixed allow-list, with
escaped attribute values) are markup, so no text is ever marked safe as is.
Spans may overlap: the text is cut at every span boundary and each piece is
wrapped in all spans covering it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"a", "mark", "span", "sup"}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    tag: str = "span"
    attrs: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def open_tag(self) -> str:
        if self.tag not in ALLOWED_TAGS:
            raise ValueError(f"tag {self.tag!r} is not allowed")
        attrs = "".join(
            f' {name}="{escape(value)}"' for name, value in self.attrs if name.replace("-", "").isalnum()
        )
        return f"<{self.tag}{attrs}>"


def render_spans(text: str, spans: list[Span] | tuple[Span, ...] = ()) -> SafeString:
    """Escape ``text`` and wrap each span's characters in its tag."""
    valid = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    if not valid:
        return mark_safe(escape(text))  # noqa: S308 - escaped just now
    cuts = sorted({0, len(text), *(s.start for s in valid), *(s.end for s in valid)})
    ordered = sorted(valid, key=lambda s: (s.start, -s.end))
    out: list[str] = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        covering = [s for s in ordered if s.start <= left and right <= s.end]
        piece = escape(text[left:right])
        if covering and any(s.tag == "a" for s in covering[1:]) and covering[0].tag == "a":
            # Nested links are invalid HTML: keep the outermost link only.
            covering = [covering[0]] + [s for s in covering[1:] if s.tag != "a"]
        out.append(
            "".join(s.open_tag() for s in covering)
            + piece
            + "".join(f"</{s.tag}>" for s in reversed(covering))
        )
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped, tags from the allow-list
