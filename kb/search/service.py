"""Writes to the search index: the API other services call after they write.

    search_index_enqueue(obj=claim)     after creating/editing/deleting anything searchable
    search_index_object(kind=..., pk=...)   what the background task runs
    search_index_rebuild(progress=...)  everything, from the database (``rebuild_search_index``)

``search_index_enqueue`` runs the task once the current transaction commits,
so the worker sees the rows; the worker reindexes the object (or removes it,
if it is gone) within a second or two. The services that write searchable
things call it: annotations (create, reply, edit, delete, import, re-attach,
restore), claims and evidence, concepts (create, edit, merge, thesaurus load),
mentions (detect, add, reject: passages carry concept ids), paper loads and
metadata corrections (``kb.services.followups``). A paper's documents are replaced as a
whole (metadata, passages, claims, annotations), since its status, title,
year and authors are copied into all of them.
"""

from __future__ import annotations

import json
import logging
import time
import weakref
from collections.abc import Callable
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import transaction

from kb.models import Annotation, CitationStatement, Claim, Concept, Evidence, Mention
from kb.search import documents
from kb.search.citations import citation_documents
from kb.search.dictionary import thesaurus, thesaurus_changed
from kb.search.index import SearchIndex, open_index
from papers.models import Author, Paper, Passage, Section, TextRevision

log = logging.getLogger(__name__)

KINDS = ("paper", "passage", "claim", "annotation", "concept", "citation")


_REBUILD_ENQUEUED: weakref.WeakSet[SearchIndex] = weakref.WeakSet()


def search_index() -> SearchIndex:
    """The open index; if it had to be recreated, a rebuild is enqueued (once per process)."""
    index = open_index(Path(settings.KB_SEARCH_INDEX_DIR))
    if index.needs_rebuild and index not in _REBUILD_ENQUEUED:
        _REBUILD_ENQUEUED.add(index)
        from kb.search.tasks import search_index_rebuild_task

        transaction.on_commit(search_index_rebuild_task.enqueue)
    return index


def _target(obj) -> tuple[str, int] | None:
    """(kind, pk) of the index document(s) that ``obj`` changes."""
    if isinstance(obj, Paper):
        return "paper", obj.pk
    if isinstance(obj, TextRevision | Section):
        return "paper", obj.paper_id
    if isinstance(obj, Passage):
        return "passage", obj.pk
    if isinstance(obj, Mention):
        return "passage", obj.passage_id
    if isinstance(obj, Claim):
        return "claim", obj.pk
    if isinstance(obj, Evidence):
        return "claim", obj.claim_id
    if isinstance(obj, Annotation):
        return "annotation", obj.pk
    if isinstance(obj, Concept):
        return "concept", obj.pk
    if isinstance(obj, CitationStatement):
        return "citation", obj.pk
    return None


def search_index_enqueue(*, obj) -> None:
    """Reindex ``obj`` in the background once the current transaction commits.

    To remove a deleted object, call this before ``delete()`` (in the same transaction):
    the task then finds the row gone and drops its document.
    """
    from kb.search.tasks import search_index_object_task

    if isinstance(obj, Author):
        for paper_id in obj.authorships.values_list("paper_id", flat=True):
            transaction.on_commit(partial(search_index_object_task.enqueue, "paper", paper_id))
        return
    target = _target(obj)
    if target is None or target[1] is None:
        raise TypeError(f"not searchable (or already deleted): {obj!r}")
    if target[0] == "concept":
        thesaurus_changed()
    kind, pk = target
    transaction.on_commit(lambda: search_index_object_task.enqueue(kind, pk))


def searchable(obj) -> bool:
    """Whether ``obj`` has documents in the index (directly or through its paper, claim, passage)."""
    return isinstance(obj, Author) or _target(obj) is not None


# More papers than this changed at once (a thesaurus edit found a word everywhere): one
# rebuild instead of a task per paper.
PAPER_TASKS_MAX = 200


def search_index_enqueue_papers(*, paper_ids) -> None:
    """Reindex these papers (all their documents) once the current transaction commits."""
    from kb.search.tasks import search_index_object_task, search_index_rebuild_task

    paper_ids = sorted(set(paper_ids))
    if len(paper_ids) > PAPER_TASKS_MAX:
        transaction.on_commit(search_index_rebuild_task.enqueue)
        return
    for paper_id in paper_ids:
        transaction.on_commit(partial(search_index_object_task.enqueue, "paper", paper_id))


def search_index_enqueue_citations(*, reference_ids) -> None:
    """Reindex the citation statements of these references (their cited target changed: a link
    confirmed, rejected, set or moved) once the current transaction commits."""
    from kb.search.tasks import search_index_object_task

    rows = list(
        CitationStatement.objects.filter(reference_id__in=list(reference_ids)).values_list(
            "pk", "citing_paper_id"
        )
    )
    if len(rows) > PAPER_TASKS_MAX:
        search_index_enqueue_papers(paper_ids=[paper_id for _pk, paper_id in rows])
        return
    for pk, _paper_id in rows:
        transaction.on_commit(partial(search_index_object_task.enqueue, "citation", pk))


def search_index_object(*, kind: str, pk: int) -> int:
    """Replace the documents of one object by what the database now holds. Returns how many."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind: {kind}")
    if kind == "concept":
        thesaurus_changed()
    segmenter = thesaurus().segmenter
    index = search_index()
    if kind == "paper":
        docs = documents.paper_documents([pk])
        return index.replace(docs=docs, segmenter=segmenter, delete_keys=[f"paper:{pk}"], delete_papers=[pk])
    source = {
        "passage": (documents.passage_documents, Passage.objects.filter(pk=pk)),
        "claim": (documents.claim_documents, Claim.objects.filter(pk=pk)),
        "annotation": (documents.annotation_documents, Annotation.objects.filter(pk=pk)),
        "concept": (documents.concept_documents, Concept.objects.filter(pk=pk)),
        "citation": (citation_documents, CitationStatement.objects.filter(pk=pk)),
    }[kind]
    return index.replace(docs=list(source[0](source[1])), segmenter=segmenter, delete_keys=[f"{kind}:{pk}"])


def search_index_rebuild(*, progress: Callable[[int], None] | None = None, processes: int | None = 1) -> int:
    """Rebuild the whole index from the database in one commit; readers see the old one until then.

    Folding and segmentation run in ``processes`` worker processes (None: as many as the
    cores allow, as ``rebuild_search_index`` does; 1 keeps everything in this process).
    """
    thesaurus_changed()
    segmenter = thesaurus().segmenter
    index = search_index()
    tracker = RebuildProgress(Path(index.path), total=documents.count_all())

    def advance(n: int) -> None:
        tracker.advance(n)
        if progress is not None:
            progress(n)

    try:
        count = index.rebuild(
            docs=documents.all_documents(), segmenter=segmenter, processes=processes, progress=advance
        )
    finally:
        tracker.finish()
    log.info("search index rebuilt: %d documents", count)
    return count


REBUILD_FILE = "kb_rebuild.json"


class RebuildProgress:
    """How far a rebuild has got, in a small file beside the index, so that any web process can
    show admins "N of M documents indexed" while the worker rebuilds (written at most once a second)."""

    def __init__(self, path: Path, *, total: int):
        self.file, self.total, self.done, self.written = path / REBUILD_FILE, total, 0, 0.0
        self._write()

    def advance(self, n: int) -> None:
        self.done += n
        if time.monotonic() - self.written >= 1.0:
            self._write()

    def _write(self) -> None:
        self.written = time.monotonic()
        try:
            self.file.write_text(json.dumps({"done": self.done, "total": self.total}))
        except OSError:
            log.warning("could not write the rebuild progress to %s", self.file)

    def finish(self) -> None:
        self.file.unlink(missing_ok=True)


def search_rebuild_progress() -> tuple[int, int] | None:
    """(documents indexed, documents in all) of a rebuild under way, or None."""
    try:
        data = json.loads((Path(settings.KB_SEARCH_INDEX_DIR) / REBUILD_FILE).read_text())
        return int(data["done"]), int(data["total"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
