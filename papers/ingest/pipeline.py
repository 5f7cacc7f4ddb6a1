"""Entry points of the pipeline: bytes or a path in, ``ParsedPaper`` out.

This first version reads UTF-8 text and splits paragraphs on blank lines;
the ingestion issue replaces the stages behind these two functions.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from papers.ingest.types import IngestError, ParsedPaper, PassageInfo, SourceInfo

SUPPORTED_SUFFIXES = {".txt": "txt", ".md": "md", ".pdf": "pdf"}
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


def parse_file(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedPaper:
    path = Path(path)
    if path.stat().st_size > max_bytes:
        raise IngestError(f"{path.name}: file is larger than the limit of {max_bytes // (1024 * 1024)} MB")
    return parse_bytes(path.read_bytes(), filename=path.name, max_bytes=max_bytes)


def parse_bytes(data: bytes, *, filename: str, max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedPaper:
    suffix = Path(filename).suffix.lower()
    fmt = SUPPORTED_SUFFIXES.get(suffix)
    if fmt is None:
        raise IngestError(f"{filename}: unsupported file type {suffix or '(none)'}; use .txt, .md or .pdf")
    if len(data) > max_bytes:
        raise IngestError(f"{filename}: file is larger than the limit of {max_bytes // (1024 * 1024)} MB")
    if not data.strip():
        raise IngestError(f"{filename}: the file is empty")
    source = SourceInfo(
        filename=filename, sha256=hashlib.sha256(data).hexdigest(), format=fmt, size=len(data)
    )
    if fmt == "pdf":
        raise IngestError(f"{filename}: PDF reading is not available yet")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IngestError(f"{filename}: the text is not valid UTF-8") from None
    paragraphs = [" ".join(block.split()) for block in text.split("\n\n")]
    passages = [PassageInfo(kind="paragraph", text=p) for p in paragraphs if p]
    paper = ParsedPaper(source=source, passages=passages)
    if passages:
        paper.title = passages[0].text[:200]
        passages[0].kind = "heading"
    return paper
