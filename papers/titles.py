"""The matching key of a paper's title: how a load finds the paper it revises."""

from __future__ import annotations

import re
import unicodedata


def normalise_title(title: str) -> str:
    """Width, case and every space and punctuation mark folded away (``数字治理与共同富裕 `` = ``数字治理与共同富裕``)."""
    folded = unicodedata.normalize("NFKC", title or "").casefold()
    return re.sub(r"[\W_]+", "", folded)
