"""Anchoring annotations and evidence to the text, and keeping them anchored.

Contract:

- ``target_from_selection`` turns a selection in a passage of the current
  revision (passage-relative code-point offsets and the quote the reader saw)
  into target fields: passage, revision, exact, prefix, suffix and offsets in
  the revision's canonical text. It trusts the offsets only when they still
  hold the quote; otherwise it looks for the quote in the passage; a quote the
  passage does not contain is an error (``SELECTION_NOT_FOUND``).
- ``mark_for_reanchoring`` marks, when a paper gets a new revision, every
  annotation and evidence anchored on its older text as awaiting re-anchoring
  (what ``manage.py reanchor_targets`` picks up if the next step did not run).
- ``targets_reanchor`` runs after a paper gets a new revision: every annotation
  and evidence still on an older revision ends ``anchored`` (same offsets),
  ``moved`` (new offsets, passage and revision; the quote as the new text has
  it) or ``orphaned`` (kept with its old passage, revision and quote, for an
  editor to re-attach). None is deleted. Each change is saved through the model
  so that history records it.
- ``target_reattach`` is the editor's manual re-attachment of an orphan.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kb.lib import anchoring, roles
from kb.models import AnchorStatus, Annotation, Evidence
from kb.search.service import search_index_enqueue
from papers.models import Paper, Passage, TextRevision

SELECTION_EMPTY = _("请选择一段文字。")
SELECTION_NOT_FOUND = _("所选文字不在该段落中。")
SELECTION_STALE = _("该段落不属于论文的当前版本，请刷新页面。")
NOT_EDITOR = _("只有编辑可以执行此操作。")
NOT_ORPHANED = _("只能重新挂接孤立的条目。")

REASON_REANCHOR = "reanchor"
REASON_REATTACH = "reattach"


def target_from_selection(*, passage: Passage, start: int | None, end: int | None, exact: str) -> dict:
    """Target fields for a selection of ``passage`` (offsets relative to the passage text)."""
    exact = exact or ""
    if not exact.strip() and (start is None or end is None or start >= end):
        raise ValidationError(SELECTION_EMPTY, code="empty")
    revision = passage.revision
    if not revision.is_current:
        raise ValidationError(SELECTION_STALE, code="stale")
    text = passage.text
    if start is not None and end is not None and 0 <= start < end <= len(text):
        if not exact or text[start:end] == exact:
            exact = text[start:end]
        else:
            start = None
    else:
        start = None
    if start is None:
        if not exact.strip():
            raise ValidationError(SELECTION_EMPTY, code="empty")
        found = anchoring.occurrences(text, exact)
        if not found:
            raise ValidationError(SELECTION_NOT_FOUND, code="not_found")
        start = found[0]
    end = start + len(exact)
    canonical = revision.text
    absolute = passage.start + start
    if canonical[absolute : absolute + len(exact)] == exact:
        selector = anchoring.describe(canonical, absolute, absolute + len(exact))
    else:
        # The passage text is not a slice of the canonical text (an old ingest); keep the
        # passage's own context so the quote still re-anchors.
        inner = anchoring.describe(text, start, end)
        selector = anchoring.Selector(
            exact=exact, prefix=inner.prefix, suffix=inner.suffix, start=absolute, end=absolute + len(exact)
        )
    return {
        "passage": passage,
        "revision": revision,
        "exact": selector.exact,
        "prefix": selector.prefix,
        "suffix": selector.suffix,
        "start": selector.start,
        "end": selector.end,
        "anchor_status": AnchorStatus.ANCHORED,
    }


@dataclass
class ReanchorReport:
    anchored: list = field(default_factory=list)
    moved: list = field(default_factory=list)
    orphaned: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.anchored) + len(self.moved) + len(self.orphaned)


class _PassageIndex:
    def __init__(self, passages: list[Passage]):
        self.passages = sorted(passages, key=lambda p: p.start)
        self.starts = [p.start for p in self.passages]

    def containing(self, start: int, end: int) -> Passage | None:
        i = bisect.bisect_right(self.starts, start) - 1
        if i < 0:
            return None
        passage = self.passages[i]
        return passage if start < passage.end and end <= passage.end else None


def _save(target, *, user, reason: str) -> None:
    target._history_user = user
    target._change_reason = reason
    target.full_clean(exclude=["creator", "claim", "paper", "parent"])
    target.save()


def _reanchor_one(target, *, new: TextRevision, index: _PassageIndex, text_map, user, report) -> None:
    match = anchoring.anchor(new.text, target.selector, text_map=text_map) if text_map else None
    if match is None and text_map is None:
        match = anchoring.anchor(new.text, target.selector)
    passage = index.containing(match.start, match.end) if match else None
    if match is None or passage is None:
        target.anchor_status = AnchorStatus.ORPHANED
        report.orphaned.append(target)
    else:
        same = match.method == anchoring.POSITION and match.start == target.start
        selector = anchoring.describe(new.text, match.start, match.end)
        target.passage, target.revision = passage, new
        target.exact, target.prefix, target.suffix = selector.exact, selector.prefix, selector.suffix
        target.start, target.end = match.start, match.end
        target.anchor_status = AnchorStatus.ANCHORED if same else AnchorStatus.MOVED
        (report.anchored if same else report.moved).append(target)
    _save(target, user=user, reason=REASON_REANCHOR)


@transaction.atomic
def targets_reanchor(*, paper: Paper, user=None) -> ReanchorReport:
    """Re-anchor the paper's annotations and evidence on its current revision (see module docstring)."""
    report = ReanchorReport()
    new = TextRevision.objects.filter(paper=paper, is_current=True).first()
    if new is None:
        return report
    index = _PassageIndex(list(Passage.objects.filter(revision=new)))
    stale = {"anchor_status": AnchorStatus.NEEDS_REANCHOR}
    targets = list(
        Annotation.objects.filter(paper=paper, parent=None, **stale).select_related("revision", "passage")
    )
    targets += list(
        # Evidence quotes any paper: the one of the text it was anchored to, not the claim's.
        Evidence.objects.filter(
            Q(revision__paper=paper) | Q(revision=None, claim__paper=paper), **stale
        ).select_related("revision", "passage")
    )
    by_revision = defaultdict(list)
    for target in targets:
        by_revision[target.revision_id].append(target)
    for revision_id, group in by_revision.items():
        old = group[0].revision
        if revision_id == new.pk:
            text_map = anchoring.TextMap(new.text, new.text)
        else:
            text_map = anchoring.TextMap(old.text, new.text) if old is not None else None
        for target in group:
            _reanchor_one(target, new=new, index=index, text_map=text_map, user=user, report=report)
    return report


def mark_for_reanchoring(*, paper: Paper) -> int:
    """Every annotation and evidence on the paper's older text awaits re-anchoring; how many."""
    stale = {"passage__paper": paper, "anchor_status__in": [AnchorStatus.ANCHORED, AnchorStatus.MOVED]}
    count = Annotation.objects.filter(**stale).update(anchor_status=AnchorStatus.NEEDS_REANCHOR)
    count += Evidence.objects.filter(**stale).update(anchor_status=AnchorStatus.NEEDS_REANCHOR)
    return count


@transaction.atomic
def target_reattach(*, target, passage: Passage, exact: str, user) -> None:
    """Attach an orphaned annotation or evidence to ``exact`` in ``passage`` (current revision)."""
    if not roles.is_editor(user):
        raise PermissionDenied(NOT_EDITOR)
    if target.anchor_status != AnchorStatus.ORPHANED:
        raise ValidationError(NOT_ORPHANED, code="not_orphaned")
    paper_id = target.paper_id if isinstance(target, Annotation) else target.quoted_paper_id
    if passage.paper_id != paper_id:
        raise ValidationError(SELECTION_NOT_FOUND, code="other_paper")
    fields = target_from_selection(passage=passage, start=None, end=None, exact=exact)
    fields["anchor_status"] = AnchorStatus.MOVED
    for name, value in fields.items():
        setattr(target, name, value)
    _save(target, user=user, reason=REASON_REATTACH)
    # Bulk re-anchoring after a revision needs none: the paper is reindexed as a whole.
    search_index_enqueue(obj=target)
