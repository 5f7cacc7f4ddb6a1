"""Writing annotations: create on a selection, reply, update, delete.

Contract:

- Only editors write annotations (``NOT_EDITOR``); only an annotation's author
  changes it (``NOT_AUTHOR``); its author or an admin deletes it.
- A new annotation's target comes from ``target_from_selection`` (a selection
  of a passage in the paper's current revision).
- The Markdown body is rendered and sanitised once, here, into ``body_html``;
  templates show only that cache.
- Tags are stored with django-taggit and mirrored in ``tag_list`` so that
  history records them. Tag names are trimmed, deduplicated, at most
  ``MAX_TAGS`` of at most ``MAX_TAG_LENGTH`` characters.
- A reply targets its parent annotation, carries the thread's visibility and
  paper, and may be written by anyone who can see the parent and may write.
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
from kb.services.versions import version_take
from papers.models import Passage

NOT_AUTHOR = _("只有批注的作者可以修改它。")
NOT_ALLOWED_DELETE = _("只有作者或管理员可以删除批注。")
EMPTY_REPLY = _("回复不能为空。")
BAD_VISIBILITY = _("未知的可见范围。")
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
    motivation: str | None = None,
    concept: Concept | None = None,
) -> Annotation:
    _require_editor(user)
    if visibility not in Visibility.values:
        raise ValidationError(BAD_VISIBILITY, code="visibility")
    body = clean_text(body, limit="body")
    tag_names = clean_tags(tags)
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
        visibility=visibility,
        concept=concept,
        creator=user,
    )
    return _save(annotation, user=user, tags=tag_names)


@transaction.atomic
def annotation_reply(*, user, parent: Annotation, body: str) -> Annotation:
    _require_editor(user)
    if not Annotation.objects.visible_to(user).filter(pk=parent.pk).exists():
        raise PermissionDenied(NOT_VISIBLE)
    body = clean_text(body, limit="body")
    if not body.strip():
        raise ValidationError(EMPTY_REPLY, code="empty_reply")
    root = parent if parent.parent_id is None else parent.parent
    reply = Annotation(
        paper_id=root.paper_id,
        parent=root,
        body=body,
        motivation=Motivation.REPLYING,
        visibility=root.visibility,
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
    version: int | None = None,
) -> Annotation:
    """``version``: the one the edit was based on (``StaleEdit`` when another save came first)."""
    _require_editor(user)
    if annotation.creator_id != user.pk:
        raise PermissionDenied(NOT_AUTHOR)
    if body is not None:
        body = clean_text(body, limit="body")
    tag_names = clean_tags(tags) if tags is not None else None
    version_take(annotation, version=version)
    if body is not None:
        annotation.body = body
    if visibility is not None:
        if visibility not in Visibility.values:
            raise ValidationError(BAD_VISIBILITY, code="visibility")
        if annotation.parent_id is None:
            annotation.visibility = visibility
            # A thread shares one audience: replies follow their root.
            for reply in annotation.replies.exclude(visibility=visibility):
                reply.visibility = visibility
                _save(reply, user=user)
    return _save(annotation, user=user, tags=tag_names)


@transaction.atomic
def annotation_delete(*, user, annotation: Annotation) -> None:
    if not (annotation.creator_id == user.pk and roles.is_editor(user)) and not roles.is_admin(user):
        raise PermissionDenied(NOT_ALLOWED_DELETE)
    annotation._history_user = user
    for reply in annotation.replies.all():
        reply._history_user = user
        search_index_enqueue(obj=reply)  # before the delete: the task finds the row gone
        reply.delete()
    search_index_enqueue(obj=annotation)
    annotation.delete()
