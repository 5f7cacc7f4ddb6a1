"""Loading a paper end to end: ingest, save, then the knowledge layer's follow-ups.

``paper_load`` is the one path the command line, the admin upload and the
sample-corpus loader all take. Follow-ups that belong to the knowledge layer
(marking anchored annotations and evidence for re-anchoring on a revision;
later: concept mentions, the search index, cross-reference suggestions) run
in the same transaction as the save, so a failure leaves nothing half-written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from kb.models import AnchorStatus, Annotation, Evidence
from papers.ingest import IngestError, ParsedPaper, parse_bytes
from papers.services import IngestOutcome, paper_save_parsed
from papers.services.ingest import REVISED

# Hooks the knowledge layer runs after a paper is saved: f(outcome) -> None.
AFTER_SAVE: list[Callable[[IngestOutcome], None]] = []


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


def mark_for_reanchoring(outcome: IngestOutcome) -> int:
    """A new revision: every annotation and evidence on the paper's older text awaits re-anchoring."""
    if outcome.status != REVISED:
        return 0
    stale = {
        "passage__paper": outcome.paper,
        "anchor_status__in": [AnchorStatus.ANCHORED, AnchorStatus.MOVED],
    }
    count = Annotation.objects.filter(**stale).update(anchor_status=AnchorStatus.NEEDS_REANCHOR)
    count += Evidence.objects.filter(**stale).update(anchor_status=AnchorStatus.NEEDS_REANCHOR)
    return count


def paper_load(
    *,
    data: bytes,
    filename: str,
    user=None,
    dry_run: bool = False,
    status: str | None = None,
    parsed: ParsedPaper | None = None,
) -> LoadResult:
    """Parse and save one file. Never raises for bad input: the result says why it failed.

    ``parsed`` skips the parse when the caller already holds the parsed file
    (the admin upload, after the admin corrected its metadata).
    """
    if parsed is None:
        try:
            parsed = parse_bytes(data, filename=filename, max_bytes=max_upload_bytes())
        except IngestError as exc:
            return LoadResult(filename=filename, status="failed", error=str(exc))
    if dry_run:
        return LoadResult(filename=filename, status="parsed", warnings=parsed.warnings, parsed=parsed)
    extra = {"status": status} if status else {}
    with transaction.atomic():
        outcome = paper_save_parsed(parsed=parsed, user=user, data=data, **extra)
        if outcome.status != "unchanged":
            mark_for_reanchoring(outcome)
            for hook in AFTER_SAVE:
                hook(outcome)
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


# Search: index a loaded or revised paper once the transaction commits (kb.search.service).
from kb.search.service import search_index_after_load  # noqa: E402 - registers itself after AFTER_SAVE exists

AFTER_SAVE.append(search_index_after_load)
