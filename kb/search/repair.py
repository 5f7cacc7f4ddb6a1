"""A search index that repairs itself: an unreadable index is never a 500.

When a search fails inside the search library (Tantivy raises ``ValueError`` or
``OSError`` for unreadable files, and panics, a ``BaseException``, on corrupt
ones), ``index_failed`` decides what it was:

- the process held a handle to files another process has since replaced: the
  handle is dropped and the search tried again (``RETRY``);
- the index on disk is unreadable (a fresh handle cannot open or search it):
  its version file is marked corrupt, so the next open, in this process or any
  other, recreates it empty and enqueues a rebuild for the worker
  (``kb.search.service.search_index``). The search answers at once with
  ``results.unavailable``, "search is being rebuilt", never a 500
  (``REBUILDING``);
- anything else is a bug of ours and is raised as it is (``RAISE``).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import tantivy

from kb.search.index import SCHEMA_VERSION, TOKENIZER, _analyzer, build_schema, forget_index

log = logging.getLogger(__name__)

RETRY, REBUILDING, RAISE = "retry", "rebuilding", "raise"
CORRUPT = "corrupt"  # the version a broken index is marked with: no process opens it as it is


def is_library_failure(exc: BaseException) -> bool:
    """Errors the search library raises for unreadable or corrupt files."""
    return isinstance(exc, ValueError | OSError) or type(exc).__name__ == "PanicException"


def healthy(path: Path) -> bool:
    """Can a fresh handle open the index at ``path``, search it and read a document back?"""
    try:
        version = json.loads((path / "kb_schema.json").read_text()).get("version")
        if version != SCHEMA_VERSION:
            return False
        index = tantivy.Index(build_schema(), path=str(path), reuse=True)
        index.register_tokenizer(TOKENIZER, _analyzer())
        searcher = index.searcher()
        found = searcher.search(tantivy.Query.all_query(), 3)
        for _, address in found.hits:
            searcher.doc(address)
        return True
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: BLE001 -- a panic of the library is a BaseException
        return False


def mark_corrupt(path: Path) -> None:
    """Make every process treat the index at ``path`` as unusable: recreated empty, then rebuilt."""
    try:
        (path / "kb_schema.json").write_text(json.dumps({"version": CORRUPT, "built": False}))
    except OSError:
        log.exception("could not mark the search index at %s as corrupt", path)


def index_failed(index, exc: BaseException, *, retried: bool) -> str:
    """What to do after ``exc`` came out of a search on ``index``: RETRY, REBUILDING or RAISE."""
    if not is_library_failure(exc):
        return RAISE
    path = Path(index.path)
    forget_index(path)
    if healthy(path):
        if not retried:
            return RETRY  # a stale handle: the files were replaced under it
        if type(exc).__name__ != "PanicException":
            return RAISE
    log.error("search index at %s is unreadable (%s); it is recreated and rebuilt", path, exc)
    mark_corrupt(path)
    forget_index(path)
    # Reopening recreates it empty and enqueues the rebuild for the worker (once per process).
    from kb.search.service import search_index

    search_index()
    return REBUILDING
