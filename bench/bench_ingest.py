"""Ingestion throughput: text (MB/s over the sample corpus repeated) and PDF (pages/s).

Run from the repository root: ``.venv/bin/python bench/bench_ingest.py [--rounds N]``.
Prints a short table; it asserts nothing (timings belong here, not in the tests).
Each row is set against a baseline measured in the same run on the same input:
for text, decoding and splitting on blank lines (what a naive loader does); for
PDF, pdfminer.six's own ``extract_text`` (layout analysis without any of our
cleaning or structure). The ratio is what the pipeline costs on top of that.
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


def _naive_text(data: bytes, filename: str) -> list[str]:
    return [block.strip() for block in data.decode("utf-8-sig").split("\n\n") if block.strip()]


def _pdfminer_text(data: bytes, filename: str) -> str:
    import io

    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(data))


def _time(parse, blobs, rounds: int) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        for name, data in blobs:
            parse(data, filename=name)
    return time.perf_counter() - start


def bench_text(rounds: int) -> tuple[float, float, float, int]:
    files = sorted((SHARED / "corpus").glob("*.txt"))
    blobs = [(f.name, f.read_bytes()) for f in files]
    size = sum(len(b) for _, b in blobs) * rounds
    baseline = _time(_naive_text, blobs, rounds)
    elapsed = _time(parse_bytes, blobs, rounds)
    return size / 1e6, elapsed, baseline, len(blobs) * rounds


def bench_pdf(rounds: int) -> tuple[int, float, float, int]:
    files = sorted((SHARED / "pdf").glob("*.pdf"))
    blobs = [(f.name, f.read_bytes()) for f in files]
    pages = sum(_pdf_pages(b) for _, b in blobs) * rounds
    baseline = _time(_pdfminer_text, blobs, rounds)
    elapsed = _time(parse_bytes, blobs, rounds)
    return pages, elapsed, baseline, len(blobs) * rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="times the text corpus is repeated")
    parser.add_argument("--pdf-rounds", type=int, default=3, help="times the PDFs are repeated")
    args = parser.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"no sample corpus at {SHARED}")
    mb, text_s, text_base, text_files = bench_text(args.rounds)
    pages, pdf_s, pdf_base, pdf_files = bench_pdf(args.pdf_rounds)
    print(f"{'input':<6} {'files':>6} {'volume':>12} {'seconds':>8} {'throughput':>14}  baseline (same run)")
    print(
        f"{'text':<6} {text_files:>6} {mb:>9.2f} MB {text_s:>8.2f} {mb / text_s:>9.2f} MB/s"
        f"  naive split {mb / text_base:.1f} MB/s, pipeline costs {text_s / text_base:.0f}x"
    )
    print(
        f"{'pdf':<6} {pdf_files:>6} {pages:>6} pages {pdf_s:>8.2f} {pages / pdf_s:>8.1f} pages/s"
        f"  pdfminer extract_text {pages / pdf_base:.1f} pages/s, pipeline costs {pdf_s / pdf_base:.2f}x"
    )


if __name__ == "__main__":
    main()
