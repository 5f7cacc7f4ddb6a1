"""Ingestion throughput: text (MB/s over the sample corpus repeated) and PDF (pages/s).

Run from the repository root: ``.venv/bin/python bench/bench_ingest.py [--rounds N]``.
Prints a short table; it asserts nothing (timings belong here, not in the tests).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / ".." / "shared").resolve()
sys.path.insert(0, str(ROOT))

from papers.ingest import parse_bytes  # noqa: E402


def _pdf_pages(data: bytes) -> int:
    import io

    from pdfminer.pdfpage import PDFPage

    return sum(1 for _ in PDFPage.get_pages(io.BytesIO(data)))


def bench_text(rounds: int) -> tuple[float, float, int]:
    files = sorted((SHARED / "corpus").glob("*.txt"))
    blobs = [(f.name, f.read_bytes()) for f in files]
    size = sum(len(b) for _, b in blobs) * rounds
    start = time.perf_counter()
    for _ in range(rounds):
        for name, data in blobs:
            parse_bytes(data, filename=name)
    elapsed = time.perf_counter() - start
    return size / 1e6, elapsed, len(blobs) * rounds


def bench_pdf(rounds: int) -> tuple[int, float, int]:
    files = sorted((SHARED / "pdf").glob("*.pdf"))
    blobs = [(f.name, f.read_bytes()) for f in files]
    pages = sum(_pdf_pages(b) for _, b in blobs) * rounds
    start = time.perf_counter()
    for _ in range(rounds):
        for name, data in blobs:
            parse_bytes(data, filename=name)
    return pages, time.perf_counter() - start, len(blobs) * rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="times the text corpus is repeated")
    parser.add_argument("--pdf-rounds", type=int, default=3, help="times the PDFs are repeated")
    args = parser.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"no sample corpus at {SHARED}")
    mb, text_s, text_files = bench_text(args.rounds)
    pages, pdf_s, pdf_files = bench_pdf(args.pdf_rounds)
    print(f"{'input':<6} {'files':>6} {'volume':>12} {'seconds':>8} {'throughput':>14}")
    print(f"{'text':<6} {text_files:>6} {mb:>9.2f} MB {text_s:>8.2f} {mb / text_s:>9.2f} MB/s")
    print(f"{'pdf':<6} {pdf_files:>6} {pages:>6} pages {pdf_s:>8.2f} {pages / pdf_s:>8.1f} pages/s")


if __name__ == "__main__":
    main()
