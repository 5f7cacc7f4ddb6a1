""" "My notes" (我的笔记): one's annotations across all papers, filtered, searched and paged.

``notes_filtered`` is the one query of the page and of its Markdown export:
the user's own root annotations, or (``group``) the notes shared with one of
their groups, always inside ``Annotation.objects.visible_to(user)`` and on
papers the user may read. Filters: paper, tag, colour, group, a date range
(created, in the site's time zone) and a text search over the notes' bodies,
quotes and tags through the search index (``kb.search.ids``).

``notes_page`` adds one page of rows and the filter choices; it asks a fixed
number of queries whatever the number of notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet
from taggit.models import Tag

from kb.models import Annotation, GroupMembership, ResearchGroup, Visibility
from kb.search.ids import search_object_ids
from kb.selectors.groups import user_groups
from kb.services.colors import Swatch, color_palette, color_title
from papers.models import Paper

NOTES_PER_PAGE = 20
EXPORT_MAX = 2000  # notes in one Markdown export
CHOICES_MAX = 200  # papers and tags offered in the filter lists


@dataclass(frozen=True)
class NoteFilters:
    paper: int | None = None
    tag: str = ""
    color: str = ""
    group: int | None = None  # None: my own notes; a group id: the notes shared with that group
    since: date | None = None
    until: date | None = None
    q: str = ""


@dataclass
class NotesPage:
    page: Page
    palette: list[Swatch]
    groups: list[ResearchGroup]
    papers: list[Paper] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    search_unavailable: bool = False


def _scope(*, user, group: int | None) -> QuerySet:
    notes = Annotation.objects.visible_to(user).filter(parent=None, paper__in=Paper.objects.visible_to(user))
    if group is None:
        return notes.filter(creator=user)
    member = GroupMembership.objects.filter(user=user, group_id=group)
    return notes.filter(visibility=Visibility.GROUP, group_id=group, group__in=member.values("group_id"))


def notes_filtered(*, user, filters: NoteFilters) -> tuple[QuerySet, bool]:
    """(the notes matching ``filters``, newest first; whether the text search was unavailable)."""
    if not getattr(user, "is_authenticated", False):
        return Annotation.objects.none(), False
    notes = _scope(user=user, group=filters.group)
    if filters.paper:
        notes = notes.filter(paper_id=filters.paper)
    if filters.tag:
        notes = notes.filter(tags__name=filters.tag)
    if filters.color:
        notes = notes.filter(color=filters.color)
    if filters.since:
        notes = notes.filter(created_at__date__gte=filters.since)
    if filters.until:
        notes = notes.filter(created_at__date__lte=filters.until)
    unavailable = False
    if filters.q.strip():
        ids = search_object_ids(query=filters.q, user=user, type_="annotation")
        unavailable = ids is None
        notes = notes.filter(pk__in=ids or [])
    notes = notes.select_related("paper", "passage", "group", "creator").order_by("-created_at", "-pk")
    return notes, unavailable


def _papers(scope: QuerySet) -> list[Paper]:
    return list(
        Paper.objects.filter(pk__in=scope.values("paper_id"))
        .only("pk", "title", "title_en")
        .order_by("title", "pk")[:CHOICES_MAX]
    )


def _tags(scope: QuerySet) -> list[str]:
    tags = Tag.objects.filter(
        taggit_taggeditem_items__content_type=ContentType.objects.get_for_model(Annotation),
        taggit_taggeditem_items__object_id__in=scope.values("pk"),
    )
    rows = tags.annotate(n=Count("taggit_taggeditem_items")).order_by("-n", "name")[:CHOICES_MAX]
    return [t.name for t in rows]


def notes_page(*, user, filters: NoteFilters, page: int | str | None = 1) -> NotesPage:
    notes, unavailable = notes_filtered(user=user, filters=filters)
    palette = color_palette(user=user)
    paged = Paginator(notes, NOTES_PER_PAGE).get_page(page)
    paged.object_list = list(paged.object_list)
    for note in paged.object_list:
        note.color_title = color_title(note.color, palette)
    scope = _scope(user=user, group=filters.group)
    return NotesPage(
        page=paged,
        palette=palette,
        groups=user_groups(user=user),
        papers=_papers(scope),
        tags=_tags(scope),
        search_unavailable=unavailable,
    )


def notes_for_export(*, user, filters: NoteFilters) -> tuple[list[Annotation], bool]:
    """(at most ``EXPORT_MAX`` of the matching notes, whether there were more)."""
    notes, _unavailable = notes_filtered(user=user, filters=filters)
    rows = list(notes[: EXPORT_MAX + 1])
    return rows[:EXPORT_MAX], len(rows) > EXPORT_MAX
