"""Where each signed-in user stopped reading a paper (``ReadingPosition``), for "continue reading".

``reading_position_record`` is called by the reader's script as the user scrolls (debounced,
and once more when the page is left). It keeps one row per user and paper, pointing at the
passage last in view; it refuses a passage the user may not see, or one of an old revision.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from kb.lib import roles
from kb.models import ReadingPosition
from papers.models import Paper, Passage

ERR_NO_PASSAGE = _("找不到这个段落。")


def reading_position_record(*, user, passage_id: int) -> ReadingPosition:
    """Remember ``passage_id`` as where ``user`` stopped in its paper; returns the position."""
    if not roles.has_role(user, roles.SCHOLAR):
        raise PermissionDenied
    passage = (
        Passage.objects.filter(
            pk=passage_id, revision__is_current=True, paper__in=Paper.objects.visible_to(user)
        )
        .only("pk", "paper_id")
        .first()
    )
    if passage is None:
        raise ValidationError(ERR_NO_PASSAGE, code="no_passage")
    position, _created = ReadingPosition.objects.update_or_create(
        user=user, paper_id=passage.paper_id, defaults={"passage": passage}
    )
    return position
