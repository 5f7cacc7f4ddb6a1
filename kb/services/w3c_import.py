"""Importing annotations from Hypothesis and W3C files onto one paper.

Contract of ``annotations_import(*, paper, data, user, visibility, group, dry_run)``:

- Who: every signed-in user with a role. The notes belong to the importing user
  (``creator``), with the audience they chose (``kb.services.audiences``: a
  scholar private or a group of theirs, an editor also editors or public). The
  original author and date are kept in ``source_creator``/``source_created``, and
  the source in ``source_name``/``source_id``.
- What (``kb.lib.annotation_formats``): the Hypothesis client's export, the
  Hypothesis API search result, W3C annotations, pages and collections; at most
  ``MAX_ANNOTATIONS`` of at most ``LIMITS["body"]`` characters, in a file of at
  most ``MAX_BYTES``.
- Each annotation ends in exactly one list of the report, with its reason:
  ``anchored`` (its quote found in the current revision by the reader's own
  anchoring, across PDF spacing and traditional/simplified forms:
  ``kb.lib.quote_anchor``), ``orphaned`` (quote not found: kept with its quote as
  an orphan, as re-anchoring does, for re-attaching), ``page_notes`` (no passage:
  a note on the whole paper), ``replies`` (kept in their thread; a reply's parent
  is the last of its Hypothesis ``references``, or the annotation its W3C target
  names; parents are imported before their replies) or ``skipped``.
- Importing the same file again changes nothing: an annotation whose
  (``source_name``, ``source_id``) the user can already see is skipped as
  already imported, even when the source has a newer version, because the local
  copy may have been edited since (the reason says when the source is newer).
  Each user may hold one copy of a source annotation (the database constraint).
- One transaction; each annotation in its own savepoint, so a bad one is
  reported and the others are saved. ``dry_run`` computes the same report and
  rolls everything back (the preview).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from kb.lib import anchoring, annotation_formats
from kb.lib.annotation_formats import FORMAT_LABELS, SourceNote, load_json, parse_annotations
from kb.lib.markdown import render_markdown
from kb.lib.quote_anchor import FoldedText, anchor_quote
from kb.models import AnchorStatus, Annotation, HighlightColor, Motivation, Visibility
from kb.search.service import search_index_enqueue
from kb.services.annotations import MAX_TAG_LENGTH, MAX_TAGS, clean_tags
from kb.services.audiences import audience_check, require_annotator
from papers.models import Paper, Passage, TextRevision
from papers.staging import Stage

NO_TEXT = _("该论文还没有文本。")
ALREADY_IMPORTED = _("已导入过")
ALREADY_IMPORTED_NEWER = _("已导入过（来源中有更新的版本；本地副本可能已修改，未覆盖）")
DUPLICATE_IN_FILE = _("文件中重复出现")
QUOTE_NOT_FOUND = _("引文未找到，已作为孤立批注保存")
PARENT_MISSING = _("回复的上级不在文件中")
PARENT_NOT_IMPORTED = _("回复的上级未能导入")
EXPIRED = _("预览已过期，请重新选择文件。")

_CHUNK = 500  # ids per IN query


@dataclass
class ImportItem:
    index: int
    quote: str
    reason: str = ""
    annotation: Annotation | None = None
    creator: str = ""  # the original author


@dataclass
class ImportReport:
    format: str = ""
    documents: list[str] = field(default_factory=list)
    dry_run: bool = False
    anchored: list[ImportItem] = field(default_factory=list)
    orphaned: list[ImportItem] = field(default_factory=list)
    page_notes: list[ImportItem] = field(default_factory=list)
    replies: list[ImportItem] = field(default_factory=list)
    skipped: list[ImportItem] = field(default_factory=list)

    @property
    def format_label(self) -> str:
        return str(FORMAT_LABELS.get(self.format, self.format))

    @property
    def imported(self) -> int:
        return len(self.anchored) + len(self.orphaned) + len(self.page_notes) + len(self.replies)

    @property
    def total(self) -> int:
        return self.imported + len(self.skipped)


class _Skip(Exception):
    pass


class _Run:
    """One import: the paper's text, what the user already has, what this file created."""

    def __init__(self, *, paper: Paper, user, audience, report: ImportReport):
        self.paper, self.user, self.audience, self.report = paper, user, audience, report
        self.revision = TextRevision.objects.filter(paper=paper, is_current=True).first()
        if self.revision is None:
            raise ValidationError(NO_TEXT, code="no_text")
        self.passages = list(Passage.objects.filter(revision=self.revision).order_by("start"))
        self.starts = [p.start for p in self.passages]
        self._folded: FoldedText | None = None
        self.made: dict[tuple[str, str], Annotation] = {}  # source key → annotation (new or existing)
        self.existing: dict[tuple[str, str], Annotation] = {}
        self.index: list[Annotation] = []  # to reindex one by one (not on a passage)

    @property
    def folded(self) -> FoldedText:
        if self._folded is None:
            self._folded = FoldedText(self.revision.text)
        return self._folded

    def load_existing(self, keys: set[tuple[str, str]]) -> None:
        by_name: dict[str, list[str]] = {}
        for name, source_id in keys:
            by_name.setdefault(name, []).append(source_id)
        visible = Annotation.objects.visible_to(self.user).select_related("parent")
        for name, ids in by_name.items():
            for i in range(0, len(ids), _CHUNK):
                rows = visible.filter(source_name=name, source_id__in=ids[i : i + _CHUNK])
                self.existing.update({(a.source_name, a.source_id): a for a in rows})

    def passage_for(self, start: int, end: int) -> tuple[Passage, int] | None:
        """The passage holding ``start`` and the end clipped to it (a quote across two paragraphs
        keeps its first part)."""
        i = bisect.bisect_right(self.starts, start) - 1
        if i < 0 or start >= self.passages[i].end:
            return None
        passage = self.passages[i]
        end = min(end, passage.end)
        while end > start + 1 and self.revision.text[end - 1].isspace():
            end -= 1
        return passage, end

    def new(self, note: SourceNote, **fields) -> Annotation:
        tags = clean_tags([t for t in note.tags if len(t.strip()) <= MAX_TAG_LENGTH][:MAX_TAGS])
        color = next((c for c in note.colors if c in HighlightColor.values), "")
        motivation = fields.pop("motivation", None) or (
            Motivation.COMMENTING
            if note.body.strip()
            else Motivation.TAGGING
            if tags
            else Motivation.HIGHLIGHTING
        )
        annotation = Annotation(
            paper=self.paper,
            body=note.body,
            body_html=render_markdown(note.body),
            motivation=motivation,
            creator=self.user,
            tag_list=tags,
            color=color,
            source_name=note.source_name,
            source_id=note.source_id,
            source_creator=note.creator[:200],
            source_created=note.created,
            **fields,
        )
        annotation._history_user = self.user
        annotation._change_reason = "import"
        # The related rows were just read or made here: checking each foreign key again would
        # cost a query apiece on every one of up to 5,000 annotations.
        annotation.full_clean(exclude=["tags", "paper", "passage", "revision", "creator", "parent", "group"])
        annotation.save()
        if tags:
            annotation.tags.set(tags)
        self.made[(note.source_name, note.source_id)] = annotation
        return annotation

    def root(self, note: SourceNote) -> tuple[list[ImportItem], ImportItem]:
        audience = {"visibility": self.audience.visibility, "group": self.audience.group}
        if note.quote is None:
            annotation = self.new(note, **audience)
            self.index.append(annotation)
            return self.report.page_notes, ImportItem(note.index, "", "", annotation, note.creator)
        q = note.quote
        selector = anchoring.Selector(
            exact=q.exact, prefix=q.prefix, suffix=q.suffix, start=q.start, end=q.end
        )
        match = anchor_quote(self.revision.text, selector, folded=self.folded)
        found = self.passage_for(match.start, match.end) if match else None
        if match is None or found is None:
            annotation = self.new(
                note,
                **audience,
                exact=q.exact,
                prefix=q.prefix,
                suffix=q.suffix,
                anchor_status=AnchorStatus.ORPHANED,
            )
            self.index.append(annotation)
            return self.report.orphaned, ImportItem(
                note.index, q.exact, QUOTE_NOT_FOUND, annotation, note.creator
            )
        passage, end = found
        described = anchoring.describe(self.revision.text, match.start, end)
        annotation = self.new(
            note,
            **audience,
            passage=passage,
            revision=self.revision,
            exact=described.exact,
            prefix=described.prefix,
            suffix=described.suffix,
            start=match.start,
            end=end,
            anchor_status=AnchorStatus.ANCHORED,
        )
        return self.report.anchored, ImportItem(note.index, described.exact, "", annotation, note.creator)

    def reply(self, note: SourceNote, parent: Annotation) -> tuple[list[ImportItem], ImportItem]:
        root = parent.parent if parent.parent_id else parent
        # A reply joins its thread's audience (as ``annotation_reply`` does).
        own = root if root.creator_id == self.user.pk else None
        audience_check(user=self.user, visibility=root.visibility, group=root.group_id, current=own)
        annotation = self.new(
            note,
            parent=root,
            visibility=root.visibility,
            group_id=root.group_id,
            motivation=Motivation.REPLYING,
        )
        self.index.append(annotation)
        return self.report.replies, ImportItem(note.index, "", "", annotation, note.creator)


def _key(note: SourceNote, ref: str = "") -> tuple[str, str]:
    return note.source_name, ref or note.source_id


def _skip(report: ImportReport, note: SourceNote, reason) -> None:
    quote = note.quote.exact if note.quote else ""
    report.skipped.append(ImportItem(note.index, quote, str(reason), None, note.creator))


def _attempt(run: _Run, note: SourceNote, make) -> bool:
    """Create one annotation in its own savepoint; a failure is reported as skipped."""
    try:
        with transaction.atomic():
            bucket, item = make()
    except IntegrityError:
        _skip(run.report, note, ALREADY_IMPORTED)
        return False
    except (ValidationError, PermissionDenied) as exc:
        message = (
            exc.messages[0] if isinstance(exc, ValidationError) else str(exc.args[0] if exc.args else exc)
        )
        _skip(run.report, note, message)
        return False
    bucket.append(item)
    return True


def _already(run: _Run, note: SourceNote) -> bool:
    existing = run.existing.get(_key(note))
    if existing is None:
        return False
    newer = note.updated is not None and note.updated > existing.created_at
    _skip(run.report, note, ALREADY_IMPORTED_NEWER if newer else ALREADY_IMPORTED)
    run.made[_key(note)] = existing  # its replies in the file still find their thread
    return True


@transaction.atomic
def annotations_import(
    *, paper: Paper, data, user, visibility: str = Visibility.PRIVATE, group=None, dry_run: bool = False
) -> ImportReport:
    """Import ``data`` (parsed JSON) onto ``paper`` as ``user`` (see the module docstring)."""
    require_annotator(user)
    audience = audience_check(user=user, visibility=visibility, group=group)
    parsed = parse_annotations(data)
    report = ImportReport(format=parsed.format, documents=parsed.documents[:5], dry_run=dry_run)
    run = _Run(paper=paper, user=user, audience=audience, report=report)
    notes, seen, failed = [], set(), set()
    for note in parsed.notes:
        if note.error:
            _skip(report, note, note.error)
            failed.add(_key(note))
        elif _key(note) in seen:
            _skip(report, note, DUPLICATE_IN_FILE)
        else:
            seen.add(_key(note))
            notes.append(note)
    run.load_existing({_key(n) for n in notes} | {_key(n, n.parent_ref) for n in notes if n.parent_ref})
    in_file = {_key(n) for n in notes}

    def is_reply(n: SourceNote) -> bool:
        parent = _key(n, n.parent_ref)
        return bool(n.parent_ref) and (n.is_reply or parent in in_file or parent in run.existing)

    replies = [n for n in notes if is_reply(n)]
    for note in notes:
        made = is_reply(note) or _already(run, note) or _attempt(run, note, lambda note=note: run.root(note))
        if not made:
            failed.add(_key(note))
    # Parents before children: a reply waits until its parent exists; what never resolves is reported.
    while replies:
        waiting = []
        for note in replies:
            parent_key = _key(note, note.parent_ref)
            parent = run.made.get(parent_key) or run.existing.get(parent_key)
            if parent is not None and parent.paper_id == paper.pk:
                if not _already(run, note) and not _attempt(
                    run, note, lambda n=note, p=parent: run.reply(n, p)
                ):
                    failed.add(_key(note))
            elif parent_key in failed:
                _skip(report, note, PARENT_NOT_IMPORTED)
                failed.add(_key(note))
            else:
                waiting.append(note)
        if len(waiting) == len(replies):
            for note in waiting:
                _skip(report, note, PARENT_MISSING)
            break
        replies = waiting
    report.skipped.sort(key=lambda item: item.index)
    if dry_run:
        transaction.set_rollback(True)
        return report
    # One task for the paper's anchored notes; those on no passage are indexed one by one.
    if report.anchored:
        search_index_enqueue(obj=paper)
    for annotation in run.index:
        search_index_enqueue(obj=annotation)
    return report


def annotations_import_file(*, paper: Paper, raw: bytes, user, **options) -> ImportReport:
    """``annotations_import`` of uploaded bytes (``load_json``: size, encoding, JSON errors)."""
    require_annotator(user)
    return annotations_import(paper=paper, data=load_json(raw), user=user, **options)


# --- the file between preview and apply -------------------------------------------

ANNOTATION_UPLOADS = Stage(
    folder="annotation-imports",
    session_key="annotation_imports",  # token → paper id: only the user who previewed may apply
    max_bytes=annotation_formats.MAX_BYTES,
    too_large=annotation_formats.TOO_LARGE,
    expired=EXPIRED,
    check=lambda raw: parse_annotations(load_json(raw)),
)


def annotation_file_stash(*, raw: bytes, user) -> str:
    """Keep ``raw`` (checked to hold annotations) for the apply; returns its token."""
    require_annotator(user)
    return ANNOTATION_UPLOADS.save(raw)
