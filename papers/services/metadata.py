"""Admins correcting a paper's metadata.

``AFTER_UPDATE`` holds what must follow a change (the knowledge layer registers the
search index there: titles, years and authors are copied into every document of the
paper); ``papers`` calls it without knowing what it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from papers.models import Author, Authorship, Paper

_LIST_SPLIT = re.compile(r"[;；,，、\n]+")


def split_list(value: str) -> list[str]:
    """Keywords as people type them: separated by semicolons, commas, 、 or line breaks."""
    return [item.strip() for item in _LIST_SPLIT.split(value or "") if item.strip()]


_HAN_GAP = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")

AUTHOR_DUPLICATE = _("作者重复：%(name)s")
AUTHOR_TOO_LONG = _("作者姓名最多 200 个字符。")

EDITABLE_FIELDS = (
    "title",
    "subtitle",
    "title_en",
    "abstract",
    "abstract_en",
    "keywords",
    "keywords_en",
    "year",
    "venue",
    "volume",
    "issue",
    "pages",
    "doi",
    "language",
    "status",
    "needs_review",
)


AFTER_UPDATE: list[Callable[[Paper], None]] = []


@transaction.atomic
def paper_update_metadata(*, paper: Paper, user, authors: list[str] | None = None, **changes) -> Paper:
    """Set the given fields (and, with ``authors``, the author list in that order), validated
    as a whole; ``ValidationError`` leaves the paper as it was."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    for field, value in changes.items():
        setattr(paper, field, value)
    if paper.doi == "":
        paper.doi = None
    paper.full_clean()
    paper.save()
    if authors is not None:
        _set_authors(paper, authors)
    for hook in AFTER_UPDATE:
        hook(paper)
    return paper


def _set_authors(paper: Paper, names: list[str]) -> None:
    """Replace the author list; an author already on the paper keeps its affiliation, and a
    name already known is the same ``Author`` (their other papers stay linked)."""
    # Spaces between Han characters are layout (滕 蕾), not part of the name.
    names = [_HAN_GAP.sub("", " ".join(name.split())) for name in names if name.strip()]
    seen: set[str] = set()
    for name in names:
        if len(name) > 200:
            raise ValidationError({"authors": AUTHOR_TOO_LONG})
        if name in seen:
            raise ValidationError({"authors": AUTHOR_DUPLICATE % {"name": name}})
        seen.add(name)
    current = {a.author.name: a for a in paper.authorships.select_related("author")}
    paper.authorships.all().delete()
    for order, name in enumerate(names):
        kept = current.get(name)
        author = kept.author if kept else Author.objects.filter(name=name).order_by("pk").first()
        if author is None:
            author = Author(name=name)
            author.full_clean()
            author.save()
        Authorship.objects.create(
            paper=paper, author=author, order=order, affiliation=kept.affiliation if kept else ""
        )
