"""The Tantivy index: schema, opening (and recreating), writing, searching.

The index lives outside the database, in ``settings.KB_SEARCH_INDEX_DIR``.
It is derived data: the database is the source of truth, so an index that is
missing, unreadable or built with another schema is wiped, recreated empty and
reported as ``needs_rebuild`` (the caller enqueues the rebuild).

Any number of processes may read. Only one may write at a time (Tantivy's
lock file); ``writer()`` waits for it, so the task worker and a
``rebuild_search_index`` run simply take turns.

Documents come in as ``IndexDoc`` (plain data, built from models by
``kb.search.documents``); this module folds and segments their text.
"""

from __future__ import annotations

import collections
import contextlib
import fcntl
import functools
import gc
import json
import logging
import multiprocessing
import multiprocessing.pool
import os
import shutil
import threading
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import tantivy

from kb.lib.segment import CodePoints, Segmenter, grams_line
from kb.lib.textnorm import fold, fold_many, one_line

log = logging.getLogger(__name__)

# Bump whenever the schema or the analysis changes: an index of another version is rebuilt.
SCHEMA_VERSION = 5
# Every document falls in one of these buckets (by key); facets of a huge result set are
# counted in the documents of a few buckets and scaled up.
SAMPLE_BUCKETS = 64
TOKENIZER = "kb_ws"
WRITER_HEAP = 200_000_000
WRITER_WAIT_SECONDS = 60.0
OPEN_LOCK = "kb-open.lock"  # held while an unusable index is recreated
STORED_BODY = 10_000  # characters of a document kept for its snippet (a passage is a few hundred)


@dataclass
class IndexDoc:
    """One searchable object, as the index sees it."""

    key: str  # "<type>:<pk>", unique
    type: str  # passage, paper, claim, annotation, concept, citation
    obj_id: int
    text: str  # what is searched (original text; folded and segmented here)
    body: str  # what the snippet is cut from (original text)
    paper_id: int = 0
    year: int = 0
    kind: str = ""
    order: int = 0  # passage order, for the #p-<order> anchor
    status: str = "published"  # the paper's status (drafts only for admins)
    vis: str = "public"  # public, editors, private or "group:<id>"
    creator: int = 0
    title: str = ""  # paper title (boosted)
    heading: str = ""  # section heading (boosted)
    label: str = ""  # what the hit is called on the results page
    slug: str = ""  # a concept's slug, for its URL
    author_ids: list[int] = field(default_factory=list)
    concept_ids: list[int] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    cited: list[str] = field(default_factory=list)  # a citation's targets: "paper:<id>", "work:<id>"
    cited_target: str = ""  # the one its result line links to
    cited_label: str = ""  # and that target's title


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    # Words rank (BM25 needs frequencies); phrases are matched on the grams, which hold
    # positions, so the words need none (positions were a fifth of the indexing time).
    sb.add_text_field("text", tokenizer_name=TOKENIZER, index_option="freq")
    sb.add_text_field("grams", tokenizer_name=TOKENIZER, index_option="position")
    sb.add_text_field("title", tokenizer_name=TOKENIZER, index_option="freq")
    sb.add_text_field("heading", tokenizer_name=TOKENIZER, index_option="freq")
    # Fast fields only where facets count; the others are for matching and display.
    for name in ("key", "type", "kind", "status", "vis", "tags", "cited"):
        stored, fast = name in ("type", "kind"), name in ("type", "kind")
        sb.add_text_field(name, stored=stored, fast=fast, tokenizer_name="raw", index_option="basic")
    for name in (
        "obj_id",
        "paper_id",
        "year",
        "order",
        "creator",
        "author_id",
        "concept_id",
        "sample",
        "restricted",
    ):
        stored = name in ("obj_id", "paper_id", "year", "order")
        fast = name in ("paper_id", "year", "author_id", "concept_id")
        sb.add_unsigned_field(name, stored=stored, indexed=name not in ("obj_id", "order"), fast=fast)
    sb.add_bytes_field("body", stored=True)
    sb.add_bytes_field("label", stored=True)
    sb.add_bytes_field("slug", stored=True)
    sb.add_bytes_field("cited_target", stored=True)
    sb.add_bytes_field("cited_label", stored=True)
    return sb.build()


def _analyzer() -> tantivy.TextAnalyzer:
    # Text arrives folded and segmented, one token per space-separated word.
    builder = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace())
    return builder.filter(tantivy.Filter.remove_long(120)).build()


class SearchIndex:
    """An open index directory. Cheap to search; one per directory per process."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.schema = build_schema()
        self.needs_rebuild = False
        self._writer_lock = threading.Lock()
        self.index = self._open()

    # -- opening -----------------------------------------------------------
    def _version_file(self) -> Path:
        return self.path / "kb_schema.json"

    def _open_existing(self) -> tantivy.Index:
        if not (self.path / "meta.json").exists():
            raise FileNotFoundError("no index yet")
        if json.loads(self._version_file().read_text()).get("version") != SCHEMA_VERSION:
            raise ValueError("index built with another schema version")
        index = tantivy.Index(self.schema, path=str(self.path), reuse=True)
        index.register_tokenizer(TOKENIZER, _analyzer())
        index.searcher()  # fails on a corrupt index
        return index

    def _open(self) -> tantivy.Index:
        self.path.mkdir(parents=True, exist_ok=True)
        try:
            return self._open_existing()
        except (OSError, ValueError):
            pass
        # Several web workers may find the index missing at once (first start, a new
        # schema version after a deploy): one recreates it, the others then open that.
        with open(self.path / OPEN_LOCK, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                return self._open_existing()
            except (OSError, ValueError) as exc:
                log.warning("search index at %s unusable (%s); recreating it empty", self.path, exc)
            self.needs_rebuild = True
            for entry in self.path.iterdir():  # the directory itself may be a mounted volume
                if entry.name == OPEN_LOCK:
                    continue
                if entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)
            index = tantivy.Index(self.schema, path=str(self.path), reuse=False)
            index.register_tokenizer(TOKENIZER, _analyzer())
            self._version_file().write_text(json.dumps({"version": SCHEMA_VERSION, "built": False}))
            return index

    def rebuilding(self) -> bool:
        """True from recreating an empty index until a rebuild (in any process) committed."""
        if self.needs_rebuild:
            try:
                built = json.loads(self._version_file().read_text()).get("built", True)
            except (OSError, ValueError):
                built = False
            self.needs_rebuild = not built
        return self.needs_rebuild

    # -- reading -----------------------------------------------------------
    def searcher(self) -> tantivy.Searcher:
        return self.index.searcher()

    def reload(self) -> None:
        self.index.reload()

    def num_docs(self) -> int:
        return self.searcher().num_docs

    # -- writing -----------------------------------------------------------
    @contextlib.contextmanager
    def writer(self, *, heap: int = WRITER_HEAP, threads: int = 0) -> Iterator[tantivy.IndexWriter]:
        """The index writer, waited for; commits on success, rolls back on error."""
        with self._writer_lock:
            deadline = time.monotonic() + WRITER_WAIT_SECONDS
            while True:
                try:
                    writer = self.index.writer(heap, threads)
                    break
                except ValueError as exc:
                    if "LockBusy" not in str(exc) or time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            try:
                yield writer
            except BaseException:
                writer.rollback()
                raise
            else:
                writer.commit()
                writer.wait_merging_threads()
            finally:
                del writer
        self.index.reload()

    def rebuild(
        self, *, docs: Iterable[IndexDoc], segmenter: Segmenter, processes: int | None = 1, progress=None
    ) -> int:
        """Replace everything by ``docs`` in one commit (readers see the old index until then).

        ``processes`` analysis workers (None: ``default_processes()``; 1: none, this process
        folds and segments) while this process feeds the writer, whose threads index in
        parallel.
        """
        processes = default_processes() if processes is None else processes
        with (
            analysis_pool(processes, segmenter) as pool,
            self.writer(heap=REBUILD_HEAP, threads=writer_threads()) as writer,
            _gc_paused(),
        ):
            writer.delete_all_documents()
            count = add_documents(writer, docs, segmenter, pool=pool, progress=progress)
        self._version_file().write_text(json.dumps({"version": SCHEMA_VERSION, "built": True}))
        self.needs_rebuild = False
        return count

    def to_document(self, doc: IndexDoc, segmenter: Segmenter) -> tantivy.Document:
        return make_document(doc, analyze(doc, segmenter))

    def replace(
        self, *, docs: Iterable[IndexDoc], segmenter: Segmenter, delete_keys=(), delete_papers=()
    ) -> int:
        """Delete by key and by paper, then add ``docs``, in one commit. Returns the number added."""
        added = 0
        with self.writer(heap=50_000_000, threads=1) as writer:
            for key in delete_keys:
                writer.delete_documents_by_term("key", key)
            for paper_id in delete_papers:
                writer.delete_documents_by_term("paper_id", paper_id)
            for doc in docs:
                writer.delete_documents_by_term("key", doc.key)
                writer.add_document(self.to_document(doc, segmenter))
                added += 1
        return added


@dataclass
class Analyzed:
    """A document's folded, segmented fields, space-separated."""

    text: str
    grams: str
    title: str
    heading: str


@functools.lru_cache(maxsize=4096)
def _short_field(value: str, segmenter: Segmenter) -> str:
    # Titles and headings repeat across a paper's passages: segment each once.
    return " ".join(segmenter.index_tokens(fold(value))) if value else ""


def analyze(doc: IndexDoc, segmenter: Segmenter) -> Analyzed:
    folded = fold(doc.text)
    return Analyzed(
        text=" ".join(segmenter.index_tokens(folded)),
        grams=grams_line(folded),
        title=_short_field(doc.title, segmenter),
        heading=_short_field(doc.heading, segmenter),
    )


def make_document(doc: IndexDoc, analyzed: Analyzed) -> tantivy.Document:
    return _document(doc, analyzed.text, analyzed.grams, analyzed.title, analyzed.heading)


def _document(doc: IndexDoc, text: str, grams: str, title: str, heading: str) -> tantivy.Document:
    out = tantivy.Document()
    out.add_text("text", text)
    out.add_text("grams", grams)
    if title:
        out.add_text("title", title)
    if heading:
        out.add_text("heading", heading)
    out.add_text("key", doc.key)
    out.add_text("type", doc.type)
    out.add_text("kind", doc.kind)
    for tag in doc.tags:
        out.add_text("tags", " ".join(fold(tag).split()))
    for cited in doc.cited:
        out.add_text("cited", cited)
    out.add_unsigned("obj_id", doc.obj_id)
    out.add_unsigned("paper_id", doc.paper_id or 0)
    out.add_unsigned("year", doc.year or 0)
    out.add_unsigned("order", doc.order or 0)
    # Not shown to everyone: searches exclude these unless the reader is allowed them
    # (``QueryBuilder._scope``), which only looks at who may see the restricted ones.
    if not (doc.vis == "public" and doc.status == "published"):
        out.add_unsigned("restricted", 1)
        out.add_text("status", doc.status)
        out.add_text("vis", doc.vis)
        out.add_unsigned("creator", doc.creator or 0)
    out.add_unsigned("sample", zlib.crc32(doc.key.encode()) % SAMPLE_BUCKETS)
    for author_id in doc.author_ids:
        out.add_unsigned("author_id", author_id)
    for concept_id in doc.concept_ids:
        out.add_unsigned("concept_id", concept_id)
    # Only the first STORED_BODY characters are kept for snippets: a huge document stays
    # searchable whole, but reading it back for a snippet costs no more than a long passage.
    out.add_bytes("body", doc.body[:STORED_BODY].encode())
    out.add_bytes("label", doc.label.encode())
    out.add_bytes("slug", doc.slug.encode())
    if doc.cited_target:
        out.add_bytes("cited_target", doc.cited_target.encode())
        out.add_bytes("cited_label", doc.cited_label.encode())
    return out


# Bulk indexing (rebuild_search_index, the bench): folding and segmenting a batch at a time
# (one OpenCC and one jieba call per batch; per-call overhead dominated), in worker
# processes, while this process builds documents and Tantivy's writer threads index them.
# A batch travels as a few long strings, one per column with a line per document, which
# pickle far faster than hundreds of short ones.
_POOL_SEGMENTER: Segmenter | None = None
BATCH = 256
REBUILD_HEAP = 1_000_000_000  # bytes shared by the writer threads; fewer, larger segments

Columns = tuple[list[str], list[str], list[str], list[str]]


def analyze_many(texts: list[str], titles: list[str], headings: list[str], segmenter: Segmenter) -> Columns:
    """``analyze`` for a batch: the (text, grams, title, heading) columns, a line per document.

    Texts may hold line breaks (they fold to spaces).
    """
    folded = fold_many(texts)
    points = CodePoints(folded)
    lines = segmenter.index_lines(folded, points)
    return (
        lines,
        points.grams_lines(),
        [_short_field(t, segmenter) for t in titles],
        [_short_field(h, segmenter) for h in headings],
    )


def _pool_init(words: frozenset[str]) -> None:
    global _POOL_SEGMENTER
    _POOL_SEGMENTER = Segmenter(words)
    # Analysis makes lists of strings and no reference cycles; the collector's passes
    # over them were a few per cent of a worker's time.
    gc.disable()


def _pool_analyze(texts: str, titles: str, headings: str) -> tuple[bytes, ...]:
    """``analyze_many`` on columns joined by line breaks (none inside), answered the same
    way in UTF-16 (a copy of code units each way, where pickling a str encodes UTF-8)."""
    assert _POOL_SEGMENTER is not None
    columns = analyze_many(texts.split("\n"), titles.split("\n"), headings.split("\n"), _POOL_SEGMENTER)
    return tuple("\n".join(column).encode("utf-16-le", "surrogatepass") for column in columns)


def _pool_columns(answer: tuple[bytes, ...]) -> list[list[str]]:
    return [column.decode("utf-16-le", "surrogatepass").split("\n") for column in answer]


def _joined(values) -> str:
    return "\n".join(map(one_line, values))


def _batches(docs: Iterable[IndexDoc]) -> Iterator[list[IndexDoc]]:
    batch: list[IndexDoc] = []
    for doc in docs:
        batch.append(doc)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a rebuild allocates a million short-lived objects."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# How a rebuild shares the cores. Measured on 2 cores (bench/bench_search.py, docs/bench-search.md):
# this process folding and segmenting while one writer thread indexes keeps both busy, at
# 149 us of CPU a passage; two worker processes, two writer threads and the pool's
# threads took 210 us (pickling, and eight threads thrashing two cores' caches). With more
# cores, the writer gets two threads and the analysis the cores left (an estimate: not
# measured here).
def default_processes() -> int:
    """Analysis worker processes for a rebuild; 1 means none (this process analyses)."""
    cores = _cores()
    return 1 if cores <= 2 else cores - 2


def writer_threads() -> int:
    """Tantivy indexing threads for a rebuild (see ``default_processes``)."""
    return 1 if _cores() <= 2 else 2


@contextlib.contextmanager
def analysis_pool(processes: int, segmenter: Segmenter) -> Iterator[multiprocessing.pool.Pool | None]:
    """Worker processes for ``add_documents`` (None for ``processes`` <= 1).

    Open it before the index writer: forking while Tantivy's writer threads run is asking
    for trouble.
    """
    if processes <= 1:
        yield None
        return
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(processes, initializer=_pool_init, initargs=(segmenter.words,)) as pool:
        yield pool


def add_documents(
    writer: tantivy.IndexWriter,
    docs: Iterable[IndexDoc],
    segmenter: Segmenter,
    *,
    pool: multiprocessing.pool.Pool | None = None,
    progress=None,
) -> int:
    """Add ``docs``, analysed a batch at a time, in ``pool`` if given."""
    count = 0
    if pool is None:
        for batch in _batches(docs):
            columns = analyze_many(
                [d.text for d in batch], [d.title for d in batch], [d.heading for d in batch], segmenter
            )
            count += _add(writer, batch, columns, progress)
        return count
    pending: collections.deque = collections.deque()
    # Keep a few batches in flight so the workers never wait for this process.
    for batch in _batches(docs):
        args = (
            _joined(d.text for d in batch),
            _joined(d.title for d in batch),
            _joined(d.heading for d in batch),
        )
        pending.append((batch, pool.apply_async(_pool_analyze, args)))
        if len(pending) >= 8:
            batch, result = pending.popleft()
            count += _add(writer, batch, _pool_columns(result.get()), progress)
    while pending:
        batch, result = pending.popleft()
        count += _add(writer, batch, _pool_columns(result.get()), progress)
    return count


def _add(writer, batch: list[IndexDoc], columns, progress) -> int:
    add, document = writer.add_document, _document
    for doc, text, grams, title, heading in zip(batch, *columns, strict=True):
        add(document(doc, text, grams, title, heading))
    if progress is not None:
        progress(len(batch))
    return len(batch)


_OPEN: dict[Path, SearchIndex] = {}
_OPEN_LOCK = threading.Lock()


def open_index(path: str | Path) -> SearchIndex:
    """The process-wide ``SearchIndex`` for ``path``."""
    key = Path(path).resolve()
    with _OPEN_LOCK:
        found = _OPEN.get(key)
        if found is None or not (key / "meta.json").exists():
            found = _OPEN[key] = SearchIndex(key)
        return found


def forget_index(path: str | Path) -> None:
    """Drop the cached handle (tests, and after the directory was removed)."""
    with _OPEN_LOCK:
        _OPEN.pop(Path(path).resolve(), None)
