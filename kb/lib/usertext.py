"""User text at the door: no control characters, no bidi overrides, bounded size.

One validator for every input a person types (forms, JSON API, imports):

- NUL and the other C0/C1 control characters (tab, line feed and carriage
  return excepted) and lone surrogates are refused with ``CONTROL_CHARS``:
  PostgreSQL cannot store NUL at all (a 500 before this), and the others are
  invisible in the page.
- Bidi embedding, override and isolate characters (U+202A–U+202E,
  U+2066–U+2069) are removed from input: they let a title or a note read
  differently from what it is (``invoice‮fdp.exe``). Text already stored is
  marked visibly when shown (``mark_bidi``, used by ``BidiMarkMiddleware``).
- Sizes are bounded (``LIMITS``, in characters): a note is not a book, and
  search stays fast whatever one person writes.

Pure: raises ``django.core.exceptions.ValidationError``; no models, no requests.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError

CONTROL_CHARS = "内容含有不允许的控制字符（如 NUL），请删除后再提交。"
TOO_LONG = "内容过长：最多 {limit} 个字符，当前 {length} 个。"

# C0 controls except \t \n \r, DEL, C1 controls, lone surrogates.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_BIDI_BYTES = re.compile(rb"\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]")  # the same, in UTF-8

# Size limits of user text, in characters (documented in the README).
LIMITS = {
    "body": 20_000,  # annotation bodies and replies (Markdown)
    "statement": 2_000,  # claim statements
    "note": 2_000,  # cross-reference and relation notes
    "definition": 5_000,  # concept definitions
    "line": 200,  # labels, aliases, tags, groups, one-line fields
}


def has_control(text: str) -> bool:
    return bool(_CONTROL.search(text))


def strip_bidi(text: str) -> str:
    return _BIDI.sub("", text)


def clean_text(value: object, *, limit: str | int | None = None) -> str:
    """``value`` as a string without bidi controls; ``ValidationError`` for control characters
    or beyond ``limit`` (a ``LIMITS`` key or a number of characters)."""
    text = "" if value is None else str(value)
    if _CONTROL.search(text):
        raise ValidationError(CONTROL_CHARS, code="control_chars")
    text = strip_bidi(text)
    maximum = LIMITS[limit] if isinstance(limit, str) else limit
    if maximum is not None and len(text) > maximum:
        raise ValidationError(TOO_LONG.format(limit=maximum, length=len(text)), code="too_long")
    return text


def clean_many(values: Iterable[object], *, limit: str | int | None = "line") -> list[str]:
    return [clean_text(v, limit=limit) for v in values]


def check_tree(data: object) -> None:
    """Refuse control characters anywhere in parsed JSON (keys and string values)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _CONTROL.search(item):
                raise ValidationError(CONTROL_CHARS, code="control_chars")
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _visible(match: re.Match) -> bytes:
    return f"[U+{ord(match.group().decode()):04X}]".encode()


def mark_bidi(content: bytes) -> bytes:
    """UTF-8 ``content`` with each bidi control replaced by a visible ``[U+202E]``."""
    if not _BIDI_BYTES.search(content):
        return content
    return _BIDI_BYTES.sub(_visible, content)
