"""Reading request values that must be whole numbers, without ever raising."""

from __future__ import annotations


def int_or_none(value) -> int | None:
    """``value`` as an int, or None when missing or malformed (a bad parameter is never a 500)."""
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
