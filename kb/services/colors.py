"""Highlight colours: the eight-colour palette and the names each user gives the colours.

Zotero's eight colours (``HighlightColor``) carry a meaning only their user knows
("方法", "反驳" …). ``color_palette`` is what the reader's toolbar, the margin, "my
notes" and the Markdown export show: each colour with its number key (1–8), its
own name and the user's name for it, so a colour is never shown by hue alone.
``color_names_update`` validates and saves the names (``UserPreference.color_names``).

Contract: a name is one line of at most ``MAX_NAME_LENGTH`` characters (no
control characters); an empty name removes it; a key that is not one of the
eight colours is refused with ``BAD_COLOR``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kb.lib.usertext import clean_text
from kb.models import HighlightColor
from kb.services.preferences import preference_get, preference_update

BAD_COLOR = _("未知的高亮颜色。")
NAME_TOO_LONG = _("颜色名称最多 20 个字符。")
MAX_NAME_LENGTH = 20

# Zotero's hues (for the W3C stylesheet; the page's CSS has tints with readable contrast).
HEX = {
    HighlightColor.YELLOW: "#ffd400",
    HighlightColor.RED: "#ff6666",
    HighlightColor.GREEN: "#5fb236",
    HighlightColor.BLUE: "#2ea8e5",
    HighlightColor.PURPLE: "#a28ae5",
    HighlightColor.MAGENTA: "#e56eee",
    HighlightColor.ORANGE: "#f19837",
    HighlightColor.GRAY: "#aaaaaa",
}


@dataclass(frozen=True)
class Swatch:
    value: str  # "yellow"
    key: int  # 1–8, the toolbar's number key
    label: str  # the colour's own name: 黄色
    name: str = ""  # the user's name for it: 方法

    @property
    def title(self) -> str:
        """``黄色 · 方法``, or ``黄色`` when the user has not named it."""
        return f"{self.label} · {self.name}" if self.name else self.label

    @property
    def hex(self) -> str:
        return HEX[HighlightColor(self.value)]


def check_color(color: str | None) -> str:
    """``color`` when it is one of the eight (or empty: no colour); ``BAD_COLOR`` otherwise."""
    color = (color or "").strip()
    if color and color not in HighlightColor.values:
        raise ValidationError(BAD_COLOR, code="color")
    return color


def palette_from(names: Mapping[str, str] | None) -> list[Swatch]:
    names = names or {}
    return [
        Swatch(value=value, key=i, label=str(label), name=str(names.get(value) or ""))
        for i, (value, label) in enumerate(HighlightColor.choices, start=1)
    ]


def color_palette(*, user) -> list[Swatch]:
    """The palette with ``user``'s names (anonymous: the colours' own names, no query)."""
    if not getattr(user, "is_authenticated", False):
        return palette_from(None)
    return palette_from(preference_get(user=user).color_names)


def color_title(color: str, palette: list[Swatch]) -> str:
    return next((s.title for s in palette if s.value == color), "")


def color_names_clean(names: Mapping[str, object]) -> dict[str, str]:
    """The names to store: known colours only, one trimmed line each, empty ones dropped."""
    cleaned: dict[str, str] = {}
    for color, raw in names.items():
        check_color(color)
        name = " ".join(clean_text(raw, limit="line").split())
        if len(name) > MAX_NAME_LENGTH:
            raise ValidationError(NAME_TOO_LONG, code="name_too_long")
        if name:
            cleaned[color] = name
    return cleaned


def color_names_update(*, user, names: Mapping[str, object]):
    """Save ``user``'s names for the colours (all eight at once; a missing colour is unnamed)."""
    return preference_update(user=user, color_names=color_names_clean(names))
