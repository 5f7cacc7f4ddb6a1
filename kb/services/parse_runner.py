"""Parsing a file within limits: a child process with a memory budget and a wall-clock timeout.

``parse_limited(data, *, filename, max_bytes, progress)`` runs the pure parse
(``papers.ingest.parse_bytes``) in a child process (a fresh interpreter: ``child_main``) and returns its
``ParsedPaper``; a parse the file cannot pass raises ``IngestError`` with the reason:

- memory: the child may add ``KB_PARSE_MEMORY_MB`` of address space to what it holds after
  its imports (``RLIMIT_AS``); a parse that needs more (a decompression bomb, a page far too
  big) is refused with ``ERROR_EXPANDS``, never with "looks scanned". Before the parse a
  PDF's Flate streams are inflated in bounded chunks, counting only: a stream that expands
  beyond half the budget is refused at once (pdfium offers no hook, and when an allocation
  fails inside it, it reads an empty page, which looks scanned).
- time: after ``KB_PARSE_TIMEOUT_S`` seconds the child is killed (``ERROR_TIMEOUT``).
- pages: ``KB_PARSE_MAX_PAGES`` (``ReadOptions.max_pages``; the reader names the limit).
- a child that dies otherwise (killed by a signal, a crash) gives ``ERROR_KILLED``.

The reader's progress reports (stage, done, total) travel from the child over a pipe and
(pickled messages on a pipe, ``multiprocessing.connection``) are handed to ``progress`` in the parent, so the upload page's bar still follows the pages.

``KB_PARSE_ISOLATED=0`` parses in the calling process, with the page limit only (the test
suite does so, to keep its many small parses quick and its stubs patchable).
"""

from __future__ import annotations

import os
import pickle
import re
import signal
import subprocess
import sys
import time
import traceback
import zlib
from collections.abc import Callable
from multiprocessing.connection import Connection

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from papers.ingest import IngestError, ParsedPaper, ReadOptions, parse_bytes

ERROR_EXPANDS = _("%(name)s：此 PDF 解压后超出上限（每次解析最多 %(limit)s MB 内存），未能读取。")
ERROR_TIMEOUT = _("%(name)s：解析超过 %(limit)s 秒的时间上限，已停止。")
ERROR_KILLED = _("%(name)s：解析进程意外终止（%(reason)s），文件未能读取；可重试。")

Progress = Callable[[str, int, int], None]

_STREAM = re.compile(rb"stream\r?\n")
_FLATE = re.compile(rb"/FlateDecode|/Fl\b")
CHILD = "from kb.services.parse_runner import child_main; child_main()"
CHUNK = 1 << 20  # inflate in steps of 1 MB of output and 64 KB of input: the check stays small
FEED = 1 << 16


class ParseLimitError(IngestError):
    """The parse went past a limit: ``kind`` is "memory", "timeout" or "killed"."""

    def __init__(self, message: str, *, kind: str):
        super().__init__(message)
        self.kind = kind


def _limit_error(kind: str, name: str) -> ParseLimitError:
    if kind == "memory":
        message = ERROR_EXPANDS % {"name": name, "limit": settings.KB_PARSE_MEMORY_MB}
    elif kind == "timeout":
        message = ERROR_TIMEOUT % {"name": name, "limit": settings.KB_PARSE_TIMEOUT_S}
    else:
        message = ERROR_KILLED % {"name": name, "reason": kind}
        kind = "killed"
    return ParseLimitError(str(message), kind=kind)


def _inflate(raw: bytes | memoryview, budget: int, *, keep: bool) -> tuple[bytes | None, int]:
    """Inflate ``raw`` in small steps up to ``budget`` + 1 bytes: (the bytes or None, their size).

    Keeps the output (``keep``: an inner layer of chained filters) only while it fits the
    budget; past it, counts and stops. Invalid
    deflate counts what it gave before the error (pdfium decides what to make of it)."""
    inflater = zlib.decompressobj()
    parts: list[bytes] = []
    size = 0
    try:
        for at in range(0, len(raw), FEED):
            pending: bytes | memoryview = raw[at : at + FEED]
            while pending and not inflater.eof:
                out = inflater.decompress(pending, CHUNK)
                size += len(out)
                if size > budget:
                    return None, size
                if keep:
                    parts.append(out)
                pending = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        pass
    return b"".join(parts), size


def largest_flate_stream(data: bytes, *, budget: int) -> int:
    """The decoded size of the PDF's largest Flate stream, counted up to ``budget`` + 1 bytes.

    A stream with chained filters (``[/FlateDecode /FlateDecode]``, the classic tiny bomb) is
    inflated layer by layer, each within the budget. Streams inside object streams are not
    seen; the memory limit of the child still holds for them.
    """
    largest = 0
    for match in _STREAM.finditer(data):
        head = data[max(0, match.start() - 1024) : match.start()]
        head = head[head.rfind(b" obj") :] if b" obj" in head else head
        layers = min(len(_FLATE.findall(head)), 4)
        stop = data.find(b"endstream", match.end())
        raw: bytes | memoryview | None = memoryview(data)[match.end() : stop if stop > 0 else len(data)]
        size = 0
        for layer in range(layers):
            raw, size = _inflate(raw or b"", budget, keep=layer < layers - 1)
            if raw is None:
                break
        largest = max(largest, size)
        if largest > budget:
            break
    return largest


def _vm_bytes() -> int:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _child(
    conn: Connection, *, data: bytes, filename: str, max_bytes: int, options: dict, memory_mb: int, parse
) -> None:
    """The child's work: set the limit, check the streams, parse, send the result or the reason."""
    import resource

    budget = memory_mb * 2**20
    try:
        if filename.lower().endswith(".pdf") and largest_flate_stream(data, budget=budget // 2) > budget // 2:
            conn.send(("limit", "memory"))
            return
        limit = _vm_bytes() + budget
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        read = ReadOptions(
            **options, progress=lambda stage, done, total: conn.send(("progress", stage, done, total))
        )
        parsed = parse(data, filename=filename, max_bytes=max_bytes, options=read)
        conn.send(("ok", parsed))
    except IngestError as exc:
        conn.send(("error", str(exc)))
    except MemoryError:
        conn.send(("limit", "memory"))
    except BaseException:  # anything else: the parent logs it and says the parse stopped
        conn.send(("crash", traceback.format_exc()[-4000:]))
    finally:
        conn.close()


def read_options(progress: Progress | None = None) -> ReadOptions:
    """The product's reading options with the configured page limit."""
    return ReadOptions(max_pages=settings.KB_PARSE_MAX_PAGES, progress=progress)


def parse_limited(
    data: bytes,
    *,
    filename: str,
    max_bytes: int,
    progress: Progress | None = None,
    parse: Callable[..., ParsedPaper] = parse_bytes,
) -> ParsedPaper:
    """Parse ``data`` within the configured limits (module docstring); ``IngestError`` says why not.

    ``parse`` must be importable by name when the parse is isolated (the child imports it).
    """
    options = read_options(progress)
    if not settings.KB_PARSE_ISOLATED:
        return parse(data, filename=filename, max_bytes=max_bytes, options=options)
    plain = {"layout": options.layout, "ocr": options.ocr, "max_pages": options.max_pages}
    job = {"data": data, "filename": filename, "max_bytes": max_bytes, "options": plain, "parse": parse}
    job["memory_mb"] = settings.KB_PARSE_MEMORY_MB
    # A fresh interpreter, not multiprocessing's spawn: that one runs the parent's __main__ again.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path for path in sys.path if path)}
    command = [sys.executable, "-c", CHILD]  # fixed: this interpreter and this module
    child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)  # noqa: S603
    assert child.stdin is not None and child.stdout is not None
    receiver = Connection(os.dup(child.stdout.fileno()))
    child.stdout.close()
    deadline = time.monotonic() + settings.KB_PARSE_TIMEOUT_S
    try:
        try:
            child.stdin.write(pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL))
            child.stdin.close()
        except BrokenPipeError:
            pass  # the child is gone already: its exit code says why, below
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _limit_error("timeout", filename)
            if not receiver.poll(min(remaining, 1.0)):
                continue
            try:
                message = receiver.recv()
            except EOFError:
                # killed by the kernel for memory (SIGKILL), by an operator, or crashed
                code = child.wait(5)
                raise _limit_error(
                    "memory" if code == -signal.SIGKILL else f"exit code {code}", filename
                ) from None
            except MemoryError:  # the parent could not take the result in
                raise _limit_error("memory", filename) from None
            kind = message[0]
            if kind == "progress":
                if progress is not None:
                    progress(*message[1:])
            elif kind == "ok":
                return message[1]
            elif kind == "error":
                raise IngestError(message[1])
            elif kind == "limit":
                raise _limit_error(message[1], filename)
            else:
                raise RuntimeError(f"the parse of {filename} failed in its child process:\n{message[1]}")
    finally:
        receiver.close()
        if child.poll() is None:
            child.kill()
        child.wait(5)


def child_main() -> None:
    """The child interpreter's entry: read the job from stdin, answer on what was stdout."""
    out = os.dup(1)
    os.dup2(2, 1)  # a stray print of a library goes to stderr, not into the answers
    conn = Connection(out)
    job = pickle.load(sys.stdin.buffer)  # noqa: S301 -- written by the parent, our own process
    _child(conn, **job)
