"""Loading a paper end to end: ingest, save, then the knowledge layer's follow-ups.

``paper_load`` is the one path the command line, the admin upload and the
sample-corpus loader all take. The knowledge layer's follow-ups
(``kb.services.followups.paper_loaded``: re-anchoring on a revision, concept
mentions, definitions, term profiles, cross-reference suggestions, the search
index) run in the same transaction as the save, so a failure leaves nothing
half-written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kb.services.followups import paper_loaded
from kb.services.load_guard import save_guarded
from kb.services.parse_runner import parse_limited
from papers.ingest import IngestError, ParsedPaper, parse_bytes
from papers.services import paper_save_parsed

ERROR_TOO_LONG = _(
    "%(name)s：正文共 %(chars)s 字，超过一次发布 %(limit)s 字的上限（KB_PUBLISH_MAX_CHARS），未保存；请拆分后再上传。"
)


@dataclass
class LoadResult:
    filename: str
    status: str  # loaded, unchanged, revised, failed, parsed (dry run)
    paper_id: int | None = None
    error: str = ""
    warnings: list[str] = field(default_factory=list)
    parsed: ParsedPaper | None = None


def max_upload_bytes() -> int:
    return settings.KB_UPLOAD_MAX_MB * 1024 * 1024


def publish_size_error(parsed: ParsedPaper, *, filename: str) -> str:
    """Why a parsed file is too large to save in one transaction, or "" (``KB_PUBLISH_MAX_CHARS``).

    A save holds its transaction for the passages, mentions, profiles and index of the whole
    text (a 49 MB text took over 8 minutes), so a text past the limit is refused, not saved."""
    chars = sum(len(passage.text) for passage in parsed.passages)
    limit = settings.KB_PUBLISH_MAX_CHARS
    if chars <= limit:
        return ""
    return str(ERROR_TOO_LONG % {"name": filename, "chars": f"{chars:,}", "limit": f"{limit:,}"})


def paper_load(
    *,
    data: bytes,
    filename: str,
    user=None,
    dry_run: bool = False,
    status: str | None = None,
    parsed: ParsedPaper | None = None,
    crossrefs: bool = True,
    index: bool = True,
    record_id: int | None = None,
) -> LoadResult:
    """Parse and save one file. Never raises for bad input: the result says why it failed.

    ``parsed`` skips the parse when the caller already holds the parsed file
    (the admin upload, after the admin corrected its metadata). ``crossrefs`` and ``index``
    as in ``kb.services.followups.paper_loaded``.
    """
    if parsed is None:
        try:
            parsed = parse_limited(data, filename=filename, max_bytes=max_upload_bytes(), parse=parse_bytes)
        except IngestError as exc:
            return LoadResult(filename=filename, status="failed", error=str(exc))
    if dry_run:
        return LoadResult(filename=filename, status="parsed", warnings=parsed.warnings, parsed=parsed)
    too_long = publish_size_error(parsed, filename=filename)
    if too_long:
        return LoadResult(filename=filename, status="failed", error=too_long, warnings=parsed.warnings)
    extra = {"status": status} if status else {}
    if record_id:  # the metadata-only paper (imported record) this text belongs to
        extra["record_id"] = record_id

    def save():
        outcome = paper_save_parsed(parsed=parsed, user=user, data=data, **extra)
        if outcome.status != "unchanged":
            # Only the steps skipped are named: the usual call stays paper_loaded(outcome).
            skipped = {name: False for name, on in (("crossrefs", crossrefs), ("index", index)) if not on}
            paper_loaded(outcome, **skipped)
        return outcome

    # One transaction; a concurrent load of the same file makes this one "unchanged", and the
    # files of a failed save are removed (kb.services.load_guard).
    outcome = save_guarded(save, sha256=parsed.source.sha256)
    return LoadResult(
        filename=filename,
        status=outcome.status,
        paper_id=outcome.paper.pk,
        warnings=parsed.warnings,
        parsed=parsed,
    )


def expand_paths(paths: list[str | Path]) -> list[Path]:
    """Files and folders in, the ingestible files out (sorted, folders not recursed into hidden dirs)."""
    from papers.ingest.pipeline import SUPPORTED_SUFFIXES

    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix.lower() in SUPPORTED_SUFFIXES
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                    and p.name.lower() != "readme.md"
                )
            )
        else:
            found.append(path)
    return found
