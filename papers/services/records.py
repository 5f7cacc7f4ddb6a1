"""Importing bibliographic records: match, preview, apply.

Contract:
- ``records_preview(*, data, user)`` parses a record file (``papers.records``) and plans one
  action per record, writing nothing:
  - ``create``: no paper matches; a metadata-only paper (no text revision) will be created;
  - ``enrich``: a paper matches (by DOI, else by normalised title plus first author); the
    fields it lacks are filled, field by field (old → new). Only empty fields are filled,
    with two rules beyond that: the default type (journal article) gives way to the
    record's type (thesis, newspaper …), and ``record_extra`` gains the keys it lacks;
  - ``skip``, with the reason: a duplicate of an earlier record of the same file, a paper
    already holding everything the record says, or an invalid record (the validator's
    message). Records the parser could not read are ``errors`` with their line.
- ``records_apply(*, data, user)`` plans again (on the database as it is now) and applies
  the plan in one transaction; each record in its own savepoint, so a bad record is
  reported with its line number and the others are still saved.
- Every write goes through ``papers.services.metadata`` (create and edit, with their
  validation and follow-ups: the search index).
- Editors and admins only (``PermissionDenied``); ``user=None`` is the command line.

Matching folds titles as the search does: NFKC, traditional → simplified (OpenCC),
case, punctuation and spaces dropped; names the same way.

``record_file_stash`` checks an uploaded file and keeps it between the preview and the apply
(``RECORD_UPLOADS``, a ``papers.staging.Stage``: an unguessable token, a day at most);
``record_file_load`` / ``record_file_discard`` read it back and remove it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from kb.lib.roles import is_editor
from papers.models import Authorship, DocType, Paper
from papers.records import (
    ERROR_FORMAT,
    MAX_RECORDS,
    ParsedRecords,
    Record,
    RecordError,
    RecordFileError,
    decode,
    detect_format,
    parse_records,
)
from papers.records.normalise import title_key
from papers.records.types import PAPER_FIELDS
from papers.services.metadata import metadata_clean, paper_create_metadata_only, paper_update_metadata
from papers.staging import Stage

CREATE, ENRICH, SKIP = "create", "enrich", "skip"
MAX_BYTES = 5 * 1024 * 1024

SKIP_DUPLICATE = _("与第 %(line)s 行的记录重复。")
SKIP_IDENTICAL = _("已有此文献，且记录没有可补充的信息。")
ERROR_TOO_LARGE = _("题录文件超过 %(mb)s MB 的上限，请拆分后再导入。")
ERROR_EXPIRED = _("预览已过期或不存在，请重新上传题录文件。")
ERROR_SAVE = _("保存失败：%(reason)s")

name_key = title_key


# The keys of ``record_extra`` as the preview names them.
EXTRA_LABELS = {
    "cn": _("CN 刊号"),
    "database": _("数据库"),
    "affiliation": _("作者单位"),
    "isbn": "ISBN",
    "note": _("附注"),
    "call_number": _("索书号"),
    "translated_journal": _("英文刊名"),
    "accessed": _("访问日期"),
}


def shown(value) -> str:
    """A field's value as the preview shows it: lists with 、, extra fields as 名称：值."""
    if value in (None, "", [], {}):
        return ""
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    if isinstance(value, dict):
        return "；".join(f"{EXTRA_LABELS.get(key, key)}：{item}" for key, item in value.items())
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    return str(value)


@dataclass
class FieldChange:
    field: str
    label: str
    old: object
    new: object

    @property
    def old_text(self) -> str:
        return shown(self.old)

    @property
    def new_text(self) -> str:
        return shown(self.new)


@dataclass
class Action:
    kind: str
    record: Record
    paper_id: int | None = None
    paper_title: str = ""
    changes: list[FieldChange] = field(default_factory=list)
    reason: str = ""
    values: dict = field(default_factory=dict)  # cleaned values to write (create: all; enrich: changed)

    @property
    def line(self) -> int:
        return self.record.line


@dataclass
class ImportPlan:
    format: str
    actions: list[Action] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)
    truncated: bool = False

    def count(self, kind: str) -> int:
        return sum(1 for action in self.actions if action.kind == kind)

    @property
    def counts(self) -> dict[str, int]:
        return {kind: self.count(kind) for kind in (CREATE, ENRICH, SKIP)}

    @property
    def writes(self) -> int:
        return self.count(CREATE) + self.count(ENRICH)


@dataclass
class ImportReport:
    plan: ImportPlan
    created: list[int] = field(default_factory=list)
    enriched: list[int] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)


def _require_editor(user) -> None:
    if user is not None and not is_editor(user):
        raise PermissionDenied


def _parse(data: bytes | str) -> ParsedRecords:
    if len(data) > MAX_BYTES:
        raise ValidationError(ERROR_TOO_LARGE % {"mb": MAX_BYTES // 2**20}, code="size")
    try:
        return parse_records(data, max_records=MAX_RECORDS)
    except RecordFileError as exc:
        raise ValidationError(str(exc), code="format") from None


# -- matching ------------------------------------------------------------------------------------


def _empty(value) -> bool:
    return value in ("", None, [], {}, False)


def _labels() -> dict[str, str]:
    labels = {f.name: str(f.verbose_name) for f in Paper._meta.get_fields() if hasattr(f, "verbose_name")}
    return {**labels, "authors": str(_("作者"))}


class _Library:
    """The papers a file's records may match, read in a bounded number of queries."""

    def __init__(self, records: list[Record]):
        self.by_doi: dict[str, int] = {}
        self.by_title: dict[str, list[int]] = defaultdict(list)
        for pk, doi, title, title_en in Paper.objects.values_list("pk", "doi", "title", "title_en"):
            if doi:
                self.by_doi[doi.lower()] = pk
            for text in {title, title_en} - {""}:
                self.by_title[title_key(text)].append(pk)
        wanted: set[int] = {self.by_doi[r.doi.lower()] for r in records if r.doi.lower() in self.by_doi}
        for record in records:
            wanted.update(self.by_title.get(title_key(record.title), ()))
            if record.title_en:
                wanted.update(self.by_title.get(title_key(record.title_en), ()))
        self.first_author: dict[int, str] = {}
        self.authors: dict[int, list[str]] = defaultdict(list)
        for paper_id, name in (
            Authorship.objects.filter(paper_id__in=wanted)
            .order_by("paper_id", "order")
            .values_list("paper_id", "author__name")
        ):
            self.authors[paper_id].append(name)
            self.first_author.setdefault(paper_id, name_key(name))
        self.papers = {p.pk: p for p in Paper.objects.filter(pk__in=wanted)}

    def match(self, record: Record) -> Paper | None:
        if record.doi and record.doi.lower() in self.by_doi:
            return self.papers.get(self.by_doi[record.doi.lower()])
        first = name_key(record.authors[0]) if record.authors else ""
        for title in filter(None, (record.title, record.title_en)):
            for pk in self.by_title.get(title_key(title), ()):
                theirs = self.first_author.get(pk, "")
                if not first or not theirs or first == theirs:
                    return self.papers.get(pk)
        return None


def _record_values(record: Record) -> dict:
    values = {name: value for name, value in record.fields().items() if name in PAPER_FIELDS}
    if record.authors:
        values["authors"] = list(record.authors)
    return values


def _enrichment(
    paper: Paper, values: dict, authors: list[str], labels: dict
) -> tuple[dict, list[FieldChange]]:
    """What a record adds to ``paper``: the values to write and the changes to show."""
    writes: dict = {}
    changes: list[FieldChange] = []
    for name, new in values.items():
        old = authors if name == "authors" else getattr(paper, name)
        shown_old, shown_new = old, new
        if name == "record_extra":
            extra: dict = paper.record_extra or {}
            missing = {k: v for k, v in new.items() if k not in extra}
            if not missing:
                continue
            writes[name], shown_new = {**extra, **missing}, missing
        elif name == "doc_type":
            if old != DocType.ARTICLE or new in (DocType.ARTICLE, DocType.OTHER):
                continue
            writes[name], shown_old, shown_new = new, paper.get_doc_type_display(), DocType(new).label
        elif name == "language" or not _empty(old) or _empty(new):
            continue  # only empty fields are filled; every paper has a language (default zh)
        else:
            writes[name] = new
        changes.append(FieldChange(name, labels.get(name, name), shown_old, shown_new))
    return writes, changes


def _plan(parsed: ParsedRecords) -> ImportPlan:
    plan = ImportPlan(format=parsed.format, errors=list(parsed.errors), truncated=parsed.truncated)
    library = _Library(parsed.records)
    labels = _labels()
    seen: dict[str, int] = {}
    for record in parsed.records:
        keys = [f"doi:{record.doi.lower()}"] if record.doi else []
        keys.append(f"t:{title_key(record.title)}|{name_key(record.authors[0]) if record.authors else ''}")
        earlier = next((seen[key] for key in keys if key in seen), None)
        if earlier is not None:
            plan.actions.append(Action(SKIP, record, reason=str(SKIP_DUPLICATE % {"line": earlier})))
            continue
        for key in keys:
            seen[key] = record.line
        try:
            values = metadata_clean(_record_values(record))
        except ValidationError as exc:
            plan.actions.append(Action(SKIP, record, reason="；".join(exc.messages)))
            continue
        paper = library.match(record)
        if paper is None:
            plan.actions.append(Action(CREATE, record, values=values))
            continue
        writes, changes = _enrichment(paper, values, library.authors.get(paper.pk, []), labels)
        kind, reason = (ENRICH, "") if writes else (SKIP, str(SKIP_IDENTICAL))
        plan.actions.append(
            Action(kind, record, paper.pk, paper.display_title, changes=changes, reason=reason, values=writes)
        )
    return plan


# -- the services --------------------------------------------------------------------------------


def records_preview(*, data: bytes | str, user) -> ImportPlan:
    """What importing ``data`` would do (see the module docstring); writes nothing.
    ``ValidationError`` when the file is too large, not decodable or in no known format."""
    _require_editor(user)
    return _plan(_parse(data))


def records_apply(*, data: bytes | str, user) -> ImportReport:
    """Apply the plan of ``data`` in one transaction; a record that fails is reported with its line."""
    _require_editor(user)
    parsed = _parse(data)
    with transaction.atomic():
        plan = _plan(parsed)
        report = ImportReport(plan=plan)
        for action in plan.actions:
            if action.kind == SKIP:
                continue
            try:
                with transaction.atomic():
                    values = dict(action.values)
                    if action.kind == CREATE:
                        paper = paper_create_metadata_only(user=user, **values)
                        report.created.append(paper.pk)
                    else:
                        paper = Paper.objects.get(pk=action.paper_id or 0)
                        paper_update_metadata(paper=paper, user=user, **values)
                        report.enriched.append(paper.pk)
            except ValidationError as exc:
                report.errors.append(
                    RecordError(action.line, str(ERROR_SAVE % {"reason": "；".join(exc.messages)}))
                )
            except IntegrityError as exc:
                report.errors.append(
                    RecordError(action.line, str(ERROR_SAVE % {"reason": exc.__class__.__name__}))
                )
    return report


# -- the file between preview and apply ----------------------------------------------------------


def _check_record_file(data: bytes) -> None:
    try:
        fmt = detect_format(decode(data))
    except ValueError as exc:
        raise ValidationError(str(exc), code="format") from None
    if fmt is None:
        raise ValidationError(ERROR_FORMAT, code="format")


RECORD_UPLOADS = Stage(
    folder="record-imports",
    session_key="record_imports",
    max_bytes=MAX_BYTES,
    too_large=ERROR_TOO_LARGE,
    expired=ERROR_EXPIRED,
    check=_check_record_file,
)


def record_file_stash(*, data: bytes, user) -> str:
    """Keep ``data`` for the apply; returns its token. ``ValidationError`` when it is too large
    or not a record file."""
    _require_editor(user)
    return RECORD_UPLOADS.save(data)


record_file_load = RECORD_UPLOADS.load
record_file_discard = RECORD_UPLOADS.discard
