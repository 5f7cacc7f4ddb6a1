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

import contextlib
import functools
import json
import logging
import multiprocessing
import shutil
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import tantivy

from kb.lib.segment import Segmenter, grams
from kb.lib.textnorm import fold

log = logging.getLogger(__name__)

# Bump whenever the schema or the analysis changes: an index of another version is rebuilt.
SCHEMA_VERSION = 1
TOKENIZER = "kb_ws"
WRITER_HEAP = 200_000_000
WRITER_WAIT_SECONDS = 60.0


@dataclass
class IndexDoc:
    """One searchable object, as the index sees it."""

    key: str  # "<type>:<pk>", unique
    type: str  # passage, paper, claim, annotation, concept
    obj_id: int
    text: str  # what is searched (original text; folded and segmented here)
    body: str  # what the snippet is cut from (original text)
    paper_id: int = 0
    year: int = 0
    kind: str = ""
    order: int = 0  # passage order, for the #p-<order> anchor
    status: str = "published"  # the paper's status (drafts only for admins)
    vis: str = "public"  # public, editors or private
    creator: int = 0
    title: str = ""  # paper title (boosted)
    heading: str = ""  # section heading (boosted)
    label: str = ""  # what the hit is called on the results page
    slug: str = ""  # a concept's slug, for its URL
    author_ids: list[int] = field(default_factory=list)
    concept_ids: list[int] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("text", tokenizer_name=TOKENIZER, index_option="position")
    sb.add_text_field("grams", tokenizer_name=TOKENIZER, index_option="position")
    sb.add_text_field("title", tokenizer_name=TOKENIZER, index_option="freq")
    sb.add_text_field("heading", tokenizer_name=TOKENIZER, index_option="freq")
    # Fast fields only where facets count; the others are for matching and display.
    for name in ("key", "type", "kind", "status", "vis", "tags"):
        stored, fast = name in ("type", "kind"), name in ("type", "kind")
        sb.add_text_field(name, stored=stored, fast=fast, tokenizer_name="raw", index_option="basic")
    for name in ("obj_id", "paper_id", "year", "order", "creator", "author_id", "concept_id"):
        stored = name in ("obj_id", "paper_id", "year", "order")
        fast = name in ("paper_id", "year", "author_id", "concept_id")
        sb.add_unsigned_field(name, stored=stored, indexed=name not in ("obj_id", "order"), fast=fast)
    sb.add_bytes_field("body", stored=True)
    sb.add_bytes_field("label", stored=True)
    sb.add_bytes_field("slug", stored=True)
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

    def _open(self) -> tantivy.Index:
        self.path.mkdir(parents=True, exist_ok=True)
        expected = {"version": SCHEMA_VERSION}
        try:
            if not (self.path / "meta.json").exists():
                raise FileNotFoundError("no index yet")
            if json.loads(self._version_file().read_text()) != expected:
                raise ValueError("index built with another schema version")
            index = tantivy.Index(self.schema, path=str(self.path), reuse=True)
            index.register_tokenizer(TOKENIZER, _analyzer())
            index.searcher()  # fails on a corrupt index
            return index
        except (OSError, ValueError) as exc:
            log.warning("search index at %s unusable (%s); recreating it empty", self.path, exc)
            self.needs_rebuild = True
            shutil.rmtree(self.path, ignore_errors=True)
            self.path.mkdir(parents=True, exist_ok=True)
            index = tantivy.Index(self.schema, path=str(self.path), reuse=False)
            index.register_tokenizer(TOKENIZER, _analyzer())
            self._version_file().write_text(json.dumps(expected))
            return index

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
    """A document's folded, segmented fields, space-separated (cheap to pickle to a pool)."""

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
        grams=" ".join(grams(folded)),
        title=_short_field(doc.title, segmenter),
        heading=_short_field(doc.heading, segmenter),
    )


def make_document(doc: IndexDoc, analyzed: Analyzed) -> tantivy.Document:
    out = tantivy.Document()
    out.add_text("text", analyzed.text)
    out.add_text("grams", analyzed.grams)
    if analyzed.title:
        out.add_text("title", analyzed.title)
    if analyzed.heading:
        out.add_text("heading", analyzed.heading)
    out.add_text("key", doc.key)
    out.add_text("type", doc.type)
    out.add_text("kind", doc.kind)
    out.add_text("status", doc.status)
    out.add_text("vis", doc.vis)
    for tag in doc.tags:
        out.add_text("tags", " ".join(fold(tag).split()))
    out.add_unsigned("obj_id", doc.obj_id)
    out.add_unsigned("paper_id", doc.paper_id or 0)
    out.add_unsigned("year", doc.year or 0)
    out.add_unsigned("order", doc.order or 0)
    out.add_unsigned("creator", doc.creator or 0)
    for author_id in doc.author_ids:
        out.add_unsigned("author_id", author_id)
    for concept_id in doc.concept_ids:
        out.add_unsigned("concept_id", concept_id)
    out.add_bytes("body", doc.body.encode())
    out.add_bytes("label", doc.label.encode())
    out.add_bytes("slug", doc.slug.encode())
    return out


# Bulk indexing (rebuild, bench): folding and segmenting in worker processes, Tantivy in
# this one. Workers get and return plain tuples of strings, which pickle fast.
_POOL_SEGMENTER: Segmenter | None = None
BATCH = 512


def _pool_init(words: frozenset[str]) -> None:
    global _POOL_SEGMENTER
    _POOL_SEGMENTER = Segmenter(words)


def _pool_analyze(batch: list[tuple[str, str, str]]) -> list[tuple[str, str, str, str]]:
    assert _POOL_SEGMENTER is not None
    out = []
    for text, title, heading in batch:
        a = analyze(
            IndexDoc(key="", type="", obj_id=0, text=text, body="", title=title, heading=heading),
            _POOL_SEGMENTER,
        )
        out.append((a.text, a.grams, a.title, a.heading))
    return out


def _batches(docs: Iterable[IndexDoc]) -> Iterator[list[IndexDoc]]:
    batch: list[IndexDoc] = []
    for doc in docs:
        batch.append(doc)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def add_documents(
    writer: tantivy.IndexWriter,
    docs: Iterable[IndexDoc],
    segmenter: Segmenter,
    *,
    processes: int = 1,
    progress=None,
) -> int:
    """Add ``docs``; with ``processes`` > 1 the folding and segmenting run in a process pool."""
    count = 0
    if processes <= 1:
        for doc in docs:
            writer.add_document(make_document(doc, analyze(doc, segmenter)))
            count += 1
            if progress is not None:
                progress(1)
        return count
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(processes, initializer=_pool_init, initargs=(segmenter.words,)) as pool:
        batches = _batches(docs)
        pending = []
        # Keep a few batches in flight so the workers never wait for this process.
        for batch in batches:
            pending.append(
                (batch, pool.apply_async(_pool_analyze, ([(d.text, d.title, d.heading) for d in batch],)))
            )
            if len(pending) < processes * 3:
                continue
            count += _drain(writer, pending.pop(0), progress)
        while pending:
            count += _drain(writer, pending.pop(0), progress)
    return count


def _drain(writer, item, progress) -> int:
    batch, result = item
    for doc, (text, grams_, title, heading) in zip(batch, result.get(), strict=True):
        writer.add_document(make_document(doc, Analyzed(text, grams_, title, heading)))
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
