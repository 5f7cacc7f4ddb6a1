"""Saving a load safely: concurrent loads of one file, and no files left by failed loads.

``save_guarded(save, sha256=…)`` runs one paper save (``paper_save_parsed`` and the
knowledge follow-ups) in a transaction:

- Two processes loading the same file at once (two ``manage.py ingest`` runs, an
  upload and an ingest): both see no source file with that sha256 and both save;
  the unique sha256 lets only the first commit. The second gets an
  ``IntegrityError`` (PostgreSQL, once the first committed) or SQLite's
  "database is locked" (its snapshot is older than the first's commit). Either
  way the second transaction is rolled back, and if the file is now in the
  database the result is that paper, ``unchanged``, as if it had come second
  in turn; otherwise the save is tried again (``ATTEMPTS`` in all).
- Source files written to storage during a save that then fails or is rolled
  back are removed (unless a row in the database still names them), so a
  failed 49 MB load leaves nothing on disk.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator

from django.db import IntegrityError, OperationalError, transaction
from django.db.models.signals import pre_save
from django.dispatch import receiver

from papers.models import SourceFile
from papers.services import IngestOutcome
from papers.services.ingest import UNCHANGED

log = logging.getLogger(__name__)

ATTEMPTS = 3
_local = threading.local()


@receiver(pre_save, sender=SourceFile, dispatch_uid="kb.load_guard.track_source_files")
def _track(sender, instance: SourceFile, **kwargs) -> None:
    # The file is already in storage at pre_save (FileField.save(save=False) wrote it).
    written = getattr(_local, "written", None)
    if written is not None and instance.file:
        written.append(instance.file.name)


@contextlib.contextmanager
def files_removed_on_failure() -> Iterator[None]:
    """Source files written in this thread inside the block are deleted if the block raises."""
    outer = getattr(_local, "written", None)
    written: list[str] = []
    _local.written = written
    try:
        yield
    except BaseException:
        _remove_unreferenced(written)
        raise
    finally:
        _local.written = outer
        if outer is not None:
            outer.extend(written)


def _remove_unreferenced(names: list[str]) -> None:
    storage = SourceFile._meta.get_field("file").storage
    for name in dict.fromkeys(names):
        try:
            if not SourceFile.objects.filter(file=name).exists():
                storage.delete(name)
        except Exception:  # noqa: BLE001 -- cleaning up must never hide the error that caused it
            log.warning("could not remove %s after a failed load", name, exc_info=True)


def _already_loaded(sha256: str) -> IngestOutcome | None:
    source = SourceFile.objects.filter(sha256=sha256).exclude(paper=None).select_related("paper").first()
    if source is None or source.paper is None:
        return None
    return IngestOutcome(status=UNCHANGED, paper=source.paper)


def save_guarded(save: Callable[[], IngestOutcome], *, sha256: str) -> IngestOutcome:
    """``save()`` in a transaction; a concurrent load of the same file makes it ``unchanged``."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with files_removed_on_failure(), transaction.atomic():
                return save()
        except (IntegrityError, OperationalError):
            found = _already_loaded(sha256)
            if found is not None:
                return found
            if attempt == ATTEMPTS:
                raise
            log.info("load of %s collided with another transaction; trying again", sha256[:12])
    raise AssertionError("unreachable")  # pragma: no cover
