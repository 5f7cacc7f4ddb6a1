"""Writing annotations: create on a selection, reply, update, delete.

Contract:

- Every signed-in user with a role writes their own annotations
  (``kb.services.audiences``: scholars private or for a group of theirs,
  editors also editors-only or public; linking a concept is editors' work,
  ``NOT_EDITOR``); only an annotation's author changes it (``NOT_AUTHOR``);
  its author or an admin deletes it.
- A new annotation's target comes from ``target_from_selection`` (a selection
  of a passage in the paper's current revision).
- The Markdown body is rendered and sanitised once, here, into ``body_html``;
  templates show only that cache.
- Tags are stored with django-taggit and mirrored in ``tag_list`` so that
  history records them. Tag names are trimmed, deduplicated, at most
  ``MAX_TAGS`` of at most ``MAX_TAG_LENGTH`` characters.
- A reply targets its parent annotation, carries the thread's visibility,
  group and paper, and may be written by anyone who can see the parent and
  may write.
- Every save records history with the acting user (who, when, before/after).
- Text goes through ``kb.lib.usertext.clean_text`` (no control characters, no
  bidi controls, bodies at most ``LIMITS["body"]`` characters); an update names
  the version it was based on (``kb.services.versions``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kb.lib import roles
from kb.lib.markdown import render_markdown
from kb.lib.usertext import clean_text
from kb.models import Annotation, Concept, Motivation, Visibility
from kb.search.service import search_index_enqueue
from kb.services.anchoring import NOT_EDITOR, target_from_selection
from kb.services.audiences import (
    BAD_VISIBILITY,  # noqa: F401 - kept here for callers and tests
    audience_check,
    require_annotator,
)
from kb.services.colors import check_color
from kb.services.versions import version_take
from papers.models import Passage

NOT_AUTHOR = _("只有批注的作者可以修改它。")
NOT_ALLOWED_DELETE = _("只有作者或管理员可以删除批注。")
EMPTY_REPLY = _("回复不能为空。")
BAD_MOTIVATION = _("未知的批注类型。")
TAG_TOO_LONG = _("标签过长。")
TOO_MANY_TAGS = _("标签过多。")
NOT_VISIBLE = _("找不到该批注。")

MAX_TAGS = 12
MAX_TAG_LENGTH = 50


def clean_tags(tags: Iterable[str]) -> list[str]:
    names: list[str] = []
    for raw in tags:
        name = " ".join(clean_text(raw).split()).strip(",，")
        if not name:
            continue
        if len(name) > MAX_TAG_LENGTH:
            raise ValidationError(TAG_TOO_LONG, code="tag_too_long")
        if name not in names:
            names.append(name)
    if len(names) > MAX_TAGS:
        raise ValidationError(TOO_MANY_TAGS, code="too_many_tags")
    return names


def _require_editor(user) -> None:
    if not roles.is_editor(user):
        raise PermissionDenied(NOT_EDITOR)


def _set_audience(annotation: Annotation, *, visibility: str, group) -> None:
    """Set the audience of a thread: a root and every reply follow it (saved by the caller)."""
    annotation.visibility = visibility
    annotation.group = group


def _save(annotation: Annotation, *, user, tags: list[str] | None = None, reason: str = "") -> Annotation:
    annotation.body_html = render_markdown(annotation.body)
    if tags is not None:
        annotation.tag_list = tags
    annotation._history_user = user
    if reason:
        annotation._change_reason = reason
    annotation.full_clean(exclude=["tags"])
    annotation.save()
    if tags is not None:
        annotation.tags.set(tags, clear=True)
    search_index_enqueue(obj=annotation)
    return annotation


@transaction.atomic
def annotation_create(
    *,
    user,
    passage: Passage,
    start: int | None,
    end: int | None,
    exact: str = "",
    body: str = "",
    tags: Iterable[str] = (),
    visibility: str = Visibility.PRIVATE,
    group=None,
    motivation: str | None = None,
    concept: Concept | None = None,
    color: str = "",
) -> Annotation:
    """``visibility``/``group``: the audience (``kb.services.audiences.audience_check``)."""
    require_annotator(user)
    if concept is not None:
        _require_editor(user)
    audience = audience_check(user=user, visibility=visibility, group=group)
    body = clean_text(body, limit="body")
    tag_names = clean_tags(tags)
    color = check_color(color)  # one of the eight highlight colours, or "" (BAD_COLOR)
    if motivation is None:
        motivation = (
            Motivation.LINKING
            if concept
            else Motivation.COMMENTING
            if body.strip()
            else Motivation.TAGGING
            if tag_names
            else Motivation.HIGHLIGHTING
        )
    if motivation not in Motivation.values or motivation == Motivation.REPLYING:
        raise ValidationError(BAD_MOTIVATION, code="motivation")
    target = target_from_selection(passage=passage, start=start, end=end, exact=exact)
    annotation = Annotation(
        **target,
        paper_id=passage.paper_id,
        body=body,
        motivation=motivation,
        visibility=audience.visibility,
        group=audience.group,
        concept=concept,
        color=color,
        creator=user,
    )
    return _save(annotation, user=user, tags=tag_names)


@transaction.atomic
def annotation_reply(*, user, parent: Annotation, body: str) -> Annotation:
    require_annotator(user)
    if not Annotation.objects.visible_to(user).filter(pk=parent.pk).exists():
        raise PermissionDenied(NOT_VISIBLE)
    body = clean_text(body, limit="body")
    if not body.strip():
        raise ValidationError(EMPTY_REPLY, code="empty_reply")
    root = parent if parent.parent_id is None else parent.parent
    # A reply joins its thread's audience: a scholar may not add to a public thread.
    own = root if root.creator_id == user.pk else None
    audience_check(user=user, visibility=root.visibility, group=root.group_id, current=own)
    reply = Annotation(
        paper_id=root.paper_id,
        parent=root,
        body=body,
        motivation=Motivation.REPLYING,
        visibility=root.visibility,
        group_id=root.group_id,
        creator=user,
    )
    return _save(reply, user=user, tags=[])


@transaction.atomic
def annotation_update(
    *,
    user,
    annotation: Annotation,
    body: str | None = None,
    tags: Iterable[str] | None = None,
    visibility: str | None = None,
    group=None,
    version: int | None = None,
    color: str | None = None,
) -> Annotation:
    """``version``: the one the edit was based on (``StaleEdit`` when another save came first).
    ``visibility``/``group``: a new audience (None keeps it; replies follow their root's)."""
    require_annotator(user)
    if annotation.creator_id != user.pk:
        raise PermissionDenied(NOT_AUTHOR)
    if body is not None:
        body = clean_text(body, limit="body")
    tag_names = clean_tags(tags) if tags is not None else None
    version_take(annotation, version=version)
    if body is not None:
        annotation.body = body
    if color is not None and annotation.parent_id is None:
        annotation.color = check_color(color)
    if visibility is not None and annotation.parent_id is None:
        audience = audience_check(user=user, visibility=visibility, group=group, current=annotation)
        _set_audience(annotation, visibility=audience.visibility, group=audience.group)
        # A thread shares one audience: replies follow their root.
        for reply in annotation.replies.all():
            if (reply.visibility, reply.group_id) != (audience.visibility, annotation.group_id):
                _set_audience(reply, visibility=audience.visibility, group=audience.group)
                _save(reply, user=user)
    return _save(annotation, user=user, tags=tag_names)


@transaction.atomic
def annotation_delete(*, user, annotation: Annotation) -> None:
    own = annotation.creator_id == user.pk and roles.has_role(user, roles.SCHOLAR)
    if not own and not roles.is_admin(user):
        raise PermissionDenied(NOT_ALLOWED_DELETE)
    annotation._history_user = user
    for reply in annotation.replies.all():
        reply._history_user = user
        search_index_enqueue(obj=reply)  # before the delete: the task finds the row gone
        reply.delete()
    search_index_enqueue(obj=annotation)
    annotation.delete()
