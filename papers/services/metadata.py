"""Correcting a paper's metadata: the one validator and the one write.

``metadata_clean(changes)`` normalises and validates corrections (title, subtitle,
English title, authors, year, venue, DOI, keywords …) whatever they correct: a
published paper (``paper_update_metadata``, the paper edit page) or a parsed upload
awaiting publication (``kb.services.uploads.upload_update_preview``). Both pages use
the one form (``papers.forms.PaperMetadataForm``), so a value one accepts the other
accepts, with the same message.

What must follow a change is registered once, by the knowledge layer's
``AppConfig.ready()`` (``register_after_update``: the search index copies titles,
years and authors into every document of the paper); ``papers`` calls it without
knowing what it is.

No lost updates: the edit page's form carries the paper's ``version``; a save based on
an older one raises ``papers.versions.StaleEdit`` with what changed since (the paper's
history), and nothing is written. Bidi override characters are removed from every
text field (``kb.lib.usertext.strip_bidi``): a title must read as what it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kb.lib.usertext import strip_bidi
from papers.models import Author, Authorship, DocType, Paper, PaperStatus
from papers.versions import version_take

_LIST_SPLIT = re.compile(r"[;；,，、\n]+")


def split_list(value: str) -> list[str]:
    """Keywords as people type them: separated by semicolons, commas, 、 or line breaks."""
    return [item.strip() for item in _LIST_SPLIT.split(value or "") if item.strip()]


_HAN_GAP = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)

YEAR_MIN, YEAR_MAX = 1000, 2100
TEXT_LIMITS = {
    "title": 500,
    "subtitle": 500,
    "title_en": 500,
    "venue": 300,
    "doi": 200,
    "volume": 40,
    "issue": 40,
    "pages": 40,
    "institution": 300,
    "degree": 100,
    "advisor": 200,
    "issn": 20,
    "url": 500,
    "published": 20,
    "publisher": 300,
    "place": 200,
}
AUTHOR_MAX = 200

AUTHOR_DUPLICATE = _("作者重复：%(name)s")
AUTHOR_TOO_LONG = _("作者姓名最多 200 个字符。")
METADATA_UNKNOWN_FIELD = _("不可修改的字段：%(fields)s")
METADATA_TOO_LONG = _("最多 %(limit)s 个字符。")
METADATA_YEAR = _("年份应在 1000 到 2100 之间。")
METADATA_DOI = _("DOI 格式应为 10.xxxx/…")
METADATA_DOC_TYPE = _("未知的文献类型：%(value)s")
METADATA_URL = _("网址应以 http:// 或 https:// 开头。")

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
# Bibliographic record fields (imports from CNKI, Zotero, EndNote: papers.services.records).
RECORD_FIELDS = (
    "doc_type",
    "institution",
    "degree",
    "advisor",
    "issn",
    "url",
    "published",
    "publisher",
    "place",
    "online_only",
    "record_extra",
)
# What an upload's preview may correct before publication (the rest is set on the paper).
PREVIEW_FIELDS = ("title", "subtitle", "title_en", "authors", "year", "venue", "doi", "keywords")


def _items(value, *, lines: bool) -> list[str]:
    """A list, or one string with one item per line (authors) or separated (keywords)."""
    if isinstance(value, str):
        value = value.splitlines() if lines else split_list(value)
    items = [" ".join(strip_bidi(str(item)).split()) for item in value or []]
    return [item for item in items if item]


def _authors(value, errors: dict) -> list[str]:
    # Spaces between Han characters are layout (滕 蕾), not part of the name.
    names = [_HAN_GAP.sub("", name) for name in _items(value, lines=True)]
    seen: set[str] = set()
    for name in names:
        if len(name) > AUTHOR_MAX:
            errors["authors"] = AUTHOR_TOO_LONG
        elif name in seen:
            errors["authors"] = AUTHOR_DUPLICATE % {"name": name}
        seen.add(name)
    return names


def _year(value, errors: dict) -> int | None:
    if value in (None, ""):
        return None
    try:
        year = int(value)
    except (TypeError, ValueError):
        year = 0
    if not YEAR_MIN <= year <= YEAR_MAX:
        errors["year"] = METADATA_YEAR
    return year


def metadata_clean(
    changes: dict, *, allowed: Iterable[str] = (*EDITABLE_FIELDS, *RECORD_FIELDS, "authors")
) -> dict:
    """Corrections normalised (spaces collapsed, DOI without its resolver prefix, lists split),
    or ``ValidationError`` with one message per field at fault."""
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise ValidationError(METADATA_UNKNOWN_FIELD % {"fields": ", ".join(unknown)}, code="unknown")
    cleaned: dict = {}
    errors: dict = {}
    for key, value in changes.items():
        if key in TEXT_LIMITS:
            text = " ".join(strip_bidi(str(value or "")).split())
            if key == "doi":
                text = _DOI_PREFIX.sub("", text)
                if text and not _DOI.match(text):
                    errors[key] = METADATA_DOI
            if key == "url" and text and not _URL.match(text):
                errors[key] = METADATA_URL
            if len(text) > TEXT_LIMITS[key]:
                errors[key] = METADATA_TOO_LONG % {"limit": TEXT_LIMITS[key]}
            cleaned[key] = text
        elif key == "year":
            cleaned[key] = _year(value, errors)
        elif key == "authors":
            cleaned[key] = _authors(value, errors)
        elif key in ("keywords", "keywords_en"):
            cleaned[key] = list(dict.fromkeys(_items(value, lines=False)))
        elif key == "doc_type":
            cleaned[key] = str(value or DocType.ARTICLE)
            if cleaned[key] not in DocType.values:
                errors[key] = METADATA_DOC_TYPE % {"value": cleaned[key]}
        else:
            cleaned[key] = strip_bidi(value) if isinstance(value, str) else value
    if errors:
        raise ValidationError(errors)
    return cleaned


_after_update: Callable[[Paper], None] | None = None


def register_after_update(followup: Callable[[Paper], None]) -> None:
    """Set what follows a metadata change. Once: registering another one is an error."""
    global _after_update
    if _after_update is not None and _after_update is not followup:
        raise RuntimeError("a metadata follow-up is already registered")
    _after_update = followup


@transaction.atomic
def paper_update_metadata(
    *,
    paper: Paper,
    user,
    authors: list[str] | str | None = None,
    version: int | None = None,
    **changes,
) -> Paper:
    """Set the given fields (and, with ``authors``, the author list in that order), validated
    as a whole; ``ValidationError`` leaves the paper as it was. ``version`` is the one the
    edit was based on: ``StaleEdit`` when the paper has been saved since (``None``: unchecked,
    the version still moves on)."""
    cleaned = metadata_clean({**changes, **({"authors": authors} if authors is not None else {})})
    authors = cleaned.pop("authors", None)
    version_take(paper, version=version)
    for field, value in cleaned.items():
        setattr(paper, field, value)
    if paper.doi == "":
        paper.doi = None
    paper.full_clean()
    paper.save()
    if authors is not None:
        _set_authors(paper, authors)
    if _after_update is not None:
        _after_update(paper)
    return paper


@transaction.atomic
def paper_create_metadata_only(*, user, authors: list[str] | str = (), **fields) -> Paper:
    """A published paper that is only its bibliographic record (no text revision yet: the
    reader says so, and a later upload of its full text attaches to it). Validated as an
    edit is; ``ValidationError`` writes nothing."""
    cleaned = metadata_clean({**fields, "authors": authors})
    names = cleaned.pop("authors")
    paper = Paper(status=PaperStatus.PUBLISHED)
    for field, value in cleaned.items():
        setattr(paper, field, value)
    paper.doi = paper.doi or None
    paper.full_clean()
    paper.save()
    _set_authors(paper, names)
    if _after_update is not None:
        _after_update(paper)
    return paper


AUTHOR_FIELDS = ("name", "name_en", "orcid")


@transaction.atomic
def author_update(*, author: Author, user, **changes) -> Author:
    """Correct an author's name, English name or ORCID; each of their papers follows (the
    search index copies author names into every document of a paper)."""
    unknown = sorted(set(changes) - set(AUTHOR_FIELDS))
    if unknown:
        raise ValidationError(METADATA_UNKNOWN_FIELD % {"fields": ", ".join(unknown)}, code="unknown")
    for field, value in changes.items():
        setattr(author, field, " ".join(str(value or "").split()))
    if "name" in changes:
        author.name = _HAN_GAP.sub("", author.name)
    author.full_clean()
    author.save()
    if _after_update is not None:
        for paper in Paper.objects.filter(authorships__author=author).distinct():
            _after_update(paper)
    return author


def _set_authors(paper: Paper, names: list[str]) -> None:
    """Replace the author list (names cleaned by ``metadata_clean``); an author already on the
    paper keeps its affiliation, and a name already known is the same ``Author`` (their other
    papers stay linked)."""
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
