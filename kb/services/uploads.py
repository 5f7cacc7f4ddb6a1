"""The admin upload: accept files, parse them in the background, correct, publish.

Contract:
- ``upload_create(*, files, user)`` checks every file first (size limit
  ``KB_UPLOAD_MAX_MB``, type by extension *and* by content, a second copy in
  the batch). The files that pass are accepted and the others refused, each
  with its reason (``UploadBatch.refused``); when none passes, nothing is
  written and ``ValidationError`` lists every reason. Then, in one transaction,
  it stores each accepted file, creates a queued ``Upload`` and enqueues
  ``upload_parse_task``. The database task backend
  writes the job in the same transaction, so a worker never sees a job whose
  upload is not there.
- ``upload_parse(*, upload_id)`` runs in the worker: queued → parsing → parsed
  (the preview is stored) or failed (a clear error is stored). It never raises
  for a bad file, and never overwrites an upload discarded meanwhile. While the
  PDF reader works, the bar follows its pages, layout pass and OCR pages
  (``kb.services.upload_progress``).
- ``upload_update_preview(*, upload, user, **corrections)`` stores the admin's
  corrections of the metadata (``papers.services.metadata.PREVIEW_FIELDS``),
  validated by the same ``metadata_clean`` as a published paper's, while the
  upload awaits publishing.
- ``upload_publish_request(*, upload, user)`` (the publish button): parsed →
  publishing, and enqueues ``upload_publish_task``, which runs
  ``upload_publish_run`` in the worker.
- ``upload_publish(*, upload, user)`` publishes now: parses the stored file again
  (the pipeline is pure, so it is the previewed result), applies the corrections
  and saves through ``paper_load``, all in one transaction: a failure leaves no
  paper rows and the upload still awaiting publishing (in the worker, with the
  reason in ``error``).
- ``upload_retry(*, upload, user)`` queues a failed upload's parse again, or a
  stalled one's parse or publication.
- ``upload_discard(*, upload, user)`` gives up an upload that is not published.
Only admins may call any of them (``PermissionDenied`` otherwise).
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kb.lib.roles import is_admin
from kb.models import Upload, UploadState
from kb.services import upload_progress
from kb.services.loading import LoadResult, max_upload_bytes, paper_load
from kb.services.parse_runner import parse_limited
from kb.tasks import upload_parse_task, upload_publish_task
from papers.ingest import IngestError, ParsedPaper, parse_bytes
from papers.ingest.types import AuthorInfo
from papers.models import Paper, PaperStatus
from papers.records import FORMAT_LABELS, looks_like_records
from papers.services.metadata import PREVIEW_FIELDS, metadata_clean

logger = logging.getLogger(__name__)

MAX_FILES = 20
SUFFIX_FORMATS = {".pdf": "pdf", ".txt": "txt", ".md": "md"}

ERROR_NO_FILES = _("请选择至少一个文件。")
ERROR_TOO_MANY = _("一次最多上传 %(max)s 个文件。")
ERROR_TOO_LARGE = _("%(name)s：文件大小超过 %(limit)s MB 的上限。")
ERROR_EMPTY = _("%(name)s：文件为空。")
ERROR_TYPE = _("%(name)s：不支持的文件类型，请上传 .pdf、.txt 或 .md 文件。")
ERROR_NOT_PDF = _("%(name)s：扩展名为 .pdf，但内容不是 PDF 文件。")
ERROR_NOT_TEXT = _("%(name)s：内容不是可读的文本（应为 UTF-8 或 GB18030 编码）。")
ERROR_DUPLICATE_IN_BATCH = _("%(name)s：与同批次的另一个文件内容相同。")
ERROR_RECORD_PICK = _("所选题录不存在或已有全文。")
ERROR_RECORD_ONE_FILE = _("为题录上传全文时，一次只能上传一个文件。")
ERROR_RECORD_FILE = _(
    "%(name)s：这是题录文件（%(format)s），不是论文全文；请在“导入题录”页面（%(url)s）导入。"
)
ERROR_STATE = _("此上传的状态为“%(state)s”，无法执行该操作。")
ERROR_FILE_MISSING = _("上传的文件已不存在，请重新上传。")
ERROR_UNEXPECTED = _("解析时发生意外错误，文件未能读取；请检查文件或联系维护者。")
ERROR_UNEXPECTED_PUBLISH = _("发布时发生意外错误，论文未保存；请重试或联系维护者。")
ERROR_PUBLISHER = _("发起发布的管理员账号已不可用，论文未保存；请重新发布。")

MESSAGE_QUEUED = _("等待后台任务处理…")
MESSAGE_READING = _("正在读取文件…")
MESSAGE_PARSING = upload_progress.MESSAGE_STRUCTURE  # shown again once the PDF's pages are read
MESSAGE_PREVIEW = _("正在生成预览…")
MESSAGE_PUBLISHING = _("正在发布：保存论文，识别概念，生成交叉引用建议…")
MESSAGE_PARSED = _("解析完成，请检查预览后发布。")


def _require_admin(user) -> None:
    if not is_admin(user):
        raise PermissionDenied


# -- checking files -----------------------------------------------------------------------------


def _read(file) -> bytes:
    if hasattr(file, "seek"):
        file.seek(0)
    if hasattr(file, "chunks"):
        return b"".join(file.chunks())
    return file.read()


def _looks_like_text(data: bytes) -> bool:
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"%PDF-") or b"\x00" in data[:8192]:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _check_file(name: str, size: int, data: bytes | None) -> str:
    """The file's format, or a ValidationError saying why it cannot be accepted."""
    fmt = SUFFIX_FORMATS.get(PurePath(name).suffix.lower())
    record_format = looks_like_records(data) if data and fmt != "pdf" else None
    if record_format:  # a CNKI EndNote .txt, a .ris, a .net …: never a paper titled "%0 Journal Article"
        url = reverse("kb:record-import")
        params = {"name": name, "format": FORMAT_LABELS[record_format], "url": url}
        raise ValidationError(ERROR_RECORD_FILE % params, code="records")
    if fmt is None:
        raise ValidationError(ERROR_TYPE % {"name": name}, code="type")
    if size > max_upload_bytes():
        raise ValidationError(ERROR_TOO_LARGE % {"name": name, "limit": max_upload_bytes() // 2**20}, "size")
    if data is None or not data.strip():
        raise ValidationError(ERROR_EMPTY % {"name": name}, code="empty")
    if fmt == "pdf":
        # The PDF header may follow a little junk, but within the first 1024 bytes.
        if b"%PDF-" not in data[:1024]:
            raise ValidationError(ERROR_NOT_PDF % {"name": name}, code="content")
    elif not _looks_like_text(data):
        raise ValidationError(ERROR_NOT_TEXT % {"name": name}, code="content")
    return fmt


def _display_name(file) -> str:
    # Browsers send a bare name, but a client may send a path: keep its last part only.
    name = PurePath(str(getattr(file, "name", "") or "").replace("\\", "/")).name
    return name[:255] or "upload"


# -- the write path -----------------------------------------------------------------------------


@dataclass
class UploadBatch:
    """What one upload accepted (``uploads``) and what it refused, with the reasons (``refused``)."""

    uploads: list[Upload]
    refused: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[Upload]:
        return iter(self.uploads)

    def __len__(self) -> int:
        return len(self.uploads)


def upload_create(*, files: Iterable, user, record: int | None = None) -> UploadBatch:
    """Accept the good files of a batch and refuse the others, each with its reason (see the
    module docstring); ``ValidationError`` when no file can be accepted. ``record``: the
    metadata-only paper (an imported record) whose full text this one file is."""
    _require_admin(user)
    files = list(files)
    if not files:
        raise ValidationError(ERROR_NO_FILES, code="required")
    if len(files) > MAX_FILES:
        raise ValidationError(ERROR_TOO_MANY % {"max": MAX_FILES}, code="too_many")
    if record is not None:
        if len(files) > 1:
            raise ValidationError(ERROR_RECORD_ONE_FILE, code="record")
        if not Paper.objects.filter(pk=record, revisions__isnull=True).exists():
            raise ValidationError(ERROR_RECORD_PICK, code="record")

    accepted, errors, seen = [], [], set()
    for file in files:
        name = _display_name(file)
        size = getattr(file, "size", None)
        # Do not read a file already known to be too large.
        data = None if size is not None and size > max_upload_bytes() else _read(file)
        try:
            fmt = _check_file(name, size if size is not None else len(data or b""), data)
        except ValidationError as exc:
            errors.append(exc)
            continue
        sha = hashlib.sha256(data).hexdigest()
        if sha in seen:
            errors.append(ValidationError(ERROR_DUPLICATE_IN_BATCH % {"name": name}, code="duplicate"))
            continue
        seen.add(sha)
        accepted.append((name, fmt, sha, data))
    if not accepted:
        raise ValidationError(errors)

    batch = uuid.uuid4()
    stored: list[str] = []
    try:
        with transaction.atomic():
            uploads = []
            for name, fmt, sha, data in accepted:
                upload = Upload(
                    batch=batch,
                    filename=name,
                    format=fmt,
                    size=len(data),
                    sha256=sha,
                    uploaded_by=user,
                    message=str(MESSAGE_QUEUED),
                    corrections={"record": record} if record is not None else {},
                )
                upload.file.save(f"{sha[:16]}{PurePath(name).suffix.lower()}", ContentFile(data), save=False)
                stored.append(upload.file.name)
                upload.full_clean()
                upload.save()
                result = upload_parse_task.enqueue(upload_id=upload.pk)
                Upload.objects.filter(pk=upload.pk).update(task_id=str(result.id)[:64])
                uploads.append(upload)
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    for upload in uploads:
        upload.refresh_from_db()
    return UploadBatch(uploads=uploads, refused=[message for error in errors for message in error.messages])


def _set_progress(upload_id: int, progress: int, message) -> None:
    Upload.objects.filter(pk=upload_id, state=UploadState.PARSING).update(
        progress=progress, message=str(message), updated_at=timezone.now()
    )


def _finish_parse(upload_id: int, **fields) -> bool:
    now = timezone.now()
    done = Upload.objects.filter(pk=upload_id, state=UploadState.PARSING).update(
        updated_at=now, finished_at=now, **fields
    )
    return bool(done)


def _stored_bytes(upload: Upload) -> bytes:
    if not upload.file or not upload.file.storage.exists(upload.file.name):
        raise FileNotFoundError(upload.file.name)
    with upload.file.open("rb") as fh:
        return fh.read()


def upload_parse(*, upload_id: int) -> str:
    """Parse a queued upload; returns its new state (or ``skipped`` when it was not queued)."""
    claimed = Upload.objects.filter(pk=upload_id, state=UploadState.QUEUED).update(
        state=UploadState.PARSING, progress=5, message=str(MESSAGE_READING), updated_at=timezone.now()
    )
    if not claimed:
        return "skipped"
    upload = Upload.objects.get(pk=upload_id)
    try:
        data = _stored_bytes(upload)
        _set_progress(upload_id, upload_progress.START, MESSAGE_PARSING)
        # the reader reports pages read, the layout pass and OCR pages: the bar follows them; the
        # parse runs in a child process within memory, time and page limits (parse_runner)
        progress = upload_progress.ParseProgress(partial(_set_progress, upload_id))
        parsed = parse_limited(
            data, filename=upload.filename, max_bytes=max_upload_bytes(), progress=progress, parse=parse_bytes
        )
        _set_progress(upload_id, 95, MESSAGE_PREVIEW)
        preview = parsed.to_json()
    except FileNotFoundError:
        error = str(ERROR_FILE_MISSING)
    except IngestError as exc:
        error = str(exc)
    except Exception:
        # A pipeline bug must not leave the upload parsing forever; the admin sees a plain message.
        logger.exception("Parsing upload %s (%s) failed unexpectedly", upload_id, upload.filename)
        error = str(ERROR_UNEXPECTED)
    else:
        _finish_parse(
            upload_id, state=UploadState.PARSED, progress=100, message=str(MESSAGE_PARSED), preview=preview
        )
        return UploadState.PARSED.value
    _finish_parse(upload_id, state=UploadState.FAILED, progress=100, message="", error=error[:5000])
    return UploadState.FAILED.value


def upload_update_preview(*, upload: Upload, user, **corrections) -> Upload:
    """Store corrected metadata for an upload awaiting publishing (validated; nothing else changes)."""
    _require_admin(user)
    cleaned = metadata_clean(corrections, allowed=PREVIEW_FIELDS)
    with transaction.atomic():
        upload = Upload.objects.select_for_update().get(pk=upload.pk)
        if upload.state != UploadState.PARSED:
            raise ValidationError(ERROR_STATE % {"state": upload.get_state_display()}, code="state")
        upload.corrections = {**upload.corrections, **cleaned}
        upload.save(update_fields=["corrections", "updated_at"])
    return upload


def apply_corrections(parsed: ParsedPaper, corrections: dict) -> ParsedPaper:
    """Overlay the admin's corrections on a parsed paper (authors keep their parsed details by name)."""
    for key in ("title", "subtitle", "title_en", "venue", "doi", "year"):
        if key in corrections:
            setattr(parsed, key, corrections[key])
    if "keywords" in corrections:
        parsed.keywords = list(corrections["keywords"])
    if "authors" in corrections:
        known = {author.name: author for author in parsed.authors}
        parsed.authors = [known.get(name) or AuthorInfo(name=name) for name in corrections["authors"]]
    return parsed


def _delete_file(name: str) -> None:
    if name:
        default_storage.delete(name)


def _previewed(upload: Upload, data: bytes) -> ParsedPaper | None:
    """The parse the admin previewed, when it is of these very bytes: publishing saves what was
    previewed and does not read the file again (a scanned PDF's OCR takes minutes)."""
    preview = upload.preview or {}
    if preview.get("source", {}).get("sha256") != hashlib.sha256(data).hexdigest():
        return None
    try:
        return ParsedPaper.from_json(preview, size=len(data))
    except (KeyError, TypeError):  # a preview stored by an older version: parse again
        return None


@transaction.atomic
def upload_publish(*, upload: Upload, user) -> LoadResult:
    """Save the upload as a published paper (new, unchanged or a new revision) now; all or nothing."""
    _require_admin(user)
    upload = Upload.objects.select_for_update().get(pk=upload.pk)
    if upload.state not in (UploadState.PARSED, UploadState.PUBLISHING):
        raise ValidationError(ERROR_STATE % {"state": upload.get_state_display()}, code="state")
    try:
        data = _stored_bytes(upload)
    except FileNotFoundError:
        raise ValidationError(ERROR_FILE_MISSING, code="missing") from None
    parsed = _previewed(upload, data)
    if parsed is None:  # no preview of these bytes: parse again
        try:
            parsed = parse_limited(
                data, filename=upload.filename, max_bytes=max_upload_bytes(), parse=parse_bytes
            )
        except IngestError as exc:
            raise ValidationError(str(exc), code="parse") from None
    apply_corrections(parsed, upload.corrections)
    result = paper_load(
        data=data,
        filename=upload.filename,
        user=user,
        parsed=parsed,
        status=PaperStatus.PUBLISHED,
        record_id=upload.corrections.get("record"),
    )
    if result.status == "failed":
        raise ValidationError(result.error, code="parse")
    upload.state = UploadState.PUBLISHED
    upload.paper_id = result.paper_id
    upload.outcome = result.status
    upload.progress = 100
    upload.message = ""
    upload.error = ""
    upload.finished_at = timezone.now()
    # The paper's SourceFile holds the bytes now (or already did, when unchanged).
    name, upload.file = upload.file.name, ""
    upload.save()
    transaction.on_commit(partial(_delete_file, name))
    return result


@transaction.atomic
def upload_publish_request(*, upload: Upload, user) -> Upload:
    """Queue the publication of a parsed upload (a large PDF takes a while to save)."""
    _require_admin(user)
    upload = Upload.objects.select_for_update().get(pk=upload.pk)
    if upload.state != UploadState.PARSED:
        raise ValidationError(ERROR_STATE % {"state": upload.get_state_display()}, code="state")
    if not upload.file:
        raise ValidationError(ERROR_FILE_MISSING, code="missing")
    return _queue_publish(upload, user)


def _queue_publish(upload: Upload, user) -> Upload:
    upload.state = UploadState.PUBLISHING
    upload.progress = 10
    upload.message = str(MESSAGE_PUBLISHING)
    upload.error = ""
    upload.save()
    result = upload_publish_task.enqueue(upload_id=upload.pk, user_id=user.pk)
    Upload.objects.filter(pk=upload.pk).update(task_id=str(result.id)[:64])
    upload.refresh_from_db()
    return upload


def upload_publish_run(*, upload_id: int, user_id: int) -> str:
    """The worker's half of publishing: returns the upload's new state, or ``skipped``.

    A failure (the file changed meanwhile, the text no longer loads) puts the upload
    back to awaiting publication with the reason in ``error``; nothing is half saved.
    """
    from django.contrib.auth import get_user_model

    upload = Upload.objects.filter(pk=upload_id, state=UploadState.PUBLISHING).first()
    user = get_user_model().objects.filter(pk=user_id).first()
    if upload is None:
        return "skipped"  # discarded or published meanwhile
    try:
        if user is None:
            raise PermissionDenied
        upload_publish(upload=upload, user=user)
    except (ValidationError, PermissionDenied) as exc:
        error = exc.messages[0] if isinstance(exc, ValidationError) else str(ERROR_PUBLISHER)
    except Exception:
        logger.exception("Publishing upload %s (%s) failed unexpectedly", upload_id, upload.filename)
        error = str(ERROR_UNEXPECTED_PUBLISH)
    else:
        return UploadState.PUBLISHED.value
    Upload.objects.filter(pk=upload_id, state=UploadState.PUBLISHING).update(
        state=UploadState.PARSED, progress=100, message="", error=error[:5000], updated_at=timezone.now()
    )
    return UploadState.PARSED.value


@transaction.atomic
def upload_retry(*, upload: Upload, user) -> Upload:
    """Queue a failed or stalled upload's parse again (a failure: say, after the pipeline
    learned to read such files; stalled: the worker stopped mid-parse).

    Should a stalled parse come back to life after all, its result is dropped (it only
    finishes an upload still parsing) or equals the new one's: the same file, parsed again.
    """
    _require_admin(user)
    upload = Upload.objects.select_for_update().get(pk=upload.pk)
    if not (upload.state == UploadState.FAILED or upload.is_stalled):
        raise ValidationError(ERROR_STATE % {"state": upload.get_state_display()}, code="state")
    if upload.state == UploadState.PUBLISHING:
        return _queue_publish(upload, user)
    if not upload.file:
        raise ValidationError(ERROR_FILE_MISSING, code="missing")
    upload.state = UploadState.QUEUED
    upload.progress = 0
    upload.message = str(MESSAGE_QUEUED)
    upload.error = ""
    upload.finished_at = None
    upload.save()
    result = upload_parse_task.enqueue(upload_id=upload.pk)
    Upload.objects.filter(pk=upload.pk).update(task_id=str(result.id)[:64])
    upload.refresh_from_db()
    return upload


@transaction.atomic
def upload_discard(*, upload: Upload, user) -> Upload:
    """Give up an upload that is not published; its stored file is deleted once this commits."""
    _require_admin(user)
    upload = Upload.objects.select_for_update().get(pk=upload.pk)
    if not upload.can_discard:
        raise ValidationError(ERROR_STATE % {"state": upload.get_state_display()}, code="state")
    name = upload.file.name
    upload.state = UploadState.DISCARDED
    upload.message = ""
    upload.file = ""
    upload.finished_at = timezone.now()
    upload.save()
    transaction.on_commit(partial(_delete_file, name))
    return upload
