"""Ingestion throughput: text (MB/s over the sample corpus repeated) and PDF (pages/s).

Run from the repository root: ``.venv/bin/python bench/bench_ingest.py [--rounds N]``.
Prints a short table; it asserts nothing (timings belong here, not in the tests).
Each row is set against a baseline measured in the same run on the same input:
for text, decoding and splitting on blank lines (what a naive loader does); for
PDF, pdfminer.six's own ``extract_text`` (layout analysis without any of our
cleaning or structure). The ratio is what the pipeline costs on top of that.

PDF rows are measured twice, with the layout model off and on (OCR off: the shared PDFs
have text layers). Times are CPU seconds of this process (all its threads), i.e. the cost
on one core whatever else the machine is running; for PDFs wall-clock seconds are shown too.
Then the layout model alone (seconds per page, rendering apart) and, when the OCR stage
exists, OCR seconds per page on a generated image-only page.
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


def _cpu(parse, blobs, rounds: int) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of parsing every blob ``rounds`` times."""
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(rounds):
        for name, data in blobs:
            parse(data, filename=name)
    return time.process_time() - cpu, time.perf_counter() - wall


def bench_text(rounds: int) -> tuple[float, float, float, int]:
    files = sorted((SHARED / "corpus").glob("*.txt"))
    blobs = [(f.name, f.read_bytes()) for f in files]
    size = sum(len(b) for _, b in blobs) * rounds
    baseline, _ = _cpu(_naive_text, blobs, rounds)
    elapsed, _ = _cpu(parse_bytes, blobs, rounds)
    return size / 1e6, elapsed, baseline, len(blobs) * rounds


def _pipeline(layout: bool):
    from papers.ingest.types import ReadOptions

    def parse(data: bytes, filename: str):
        return parse_bytes(data, filename=filename, options=ReadOptions(layout=layout, ocr=False))

    return parse


def bench_pdf(rounds: int) -> dict:
    files = sorted((SHARED / "pdf").glob("*.pdf"))
    blobs = [(f.name, f.read_bytes()) for f in files]
    if _layout_available():
        _layout_warm_up()  # the session loads once per process; not part of a page's cost
    return {
        "files": len(blobs) * rounds,
        "pages": sum(_pdf_pages(b) for _, b in blobs) * rounds,
        "pdfminer": _cpu(_pdfminer_text, blobs, rounds),
        "off": _cpu(_pipeline(False), blobs, rounds),
        "on": _cpu(_pipeline(True), blobs, rounds) if _layout_available() else None,
    }


def _layout_available() -> bool:
    from papers.ingest import layout

    return layout.available()


def _layout_warm_up() -> None:
    import numpy as np

    from papers.ingest import layout

    layout.page_regions(np.full((1263, 893, 3), 255, dtype=np.uint8), scale=1.5)


def bench_layout_model() -> tuple[int, float, float, float] | None:
    """(pages, render s/page, model s/page CPU, model s/page wall) over the shared PDFs."""
    import pypdfium2 as pdfium

    from papers.ingest import layout

    if not layout.available():
        return None
    _layout_warm_up()
    pages = 0
    render = model = model_wall = 0.0
    for path in sorted((SHARED / "pdf").glob("*.pdf")):
        doc = pdfium.PdfDocument(path)
        for page in doc:
            start = time.process_time()
            image = page.render(scale=1.5, rev_byteorder=True).to_numpy()
            render += time.process_time() - start
            start, wall = time.process_time(), time.perf_counter()
            layout.page_regions(image, scale=1.5)
            model += time.process_time() - start
            model_wall += time.perf_counter() - wall
            pages += 1
        doc.close()
    return pages, render / pages, model / pages, model_wall / pages


def _image_only_pdf() -> bytes:
    """The first page of a shared PDF, rendered and put back as a bare image: no text layer."""
    import io

    import pypdfium2 as pdfium
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    source = sorted((SHARED / "pdf").glob("*.pdf"))[0]
    page = pdfium.PdfDocument(source)[0]
    width, height = page.get_size()
    image = page.render(scale=2.0).to_pil()
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=(width, height))
    c.drawImage(ImageReader(image), 0, 0, width=width, height=height)
    c.showPage()
    c.save()
    return buffer.getvalue()


def bench_ocr() -> tuple[float, float] | None:
    """(CPU s, wall s) for OCR of one generated image-only page, when the OCR stage exists."""
    import importlib.util

    if importlib.util.find_spec("papers.ingest.ocr") is None:
        return None
    import pypdfium2 as pdfium

    from papers.ingest import ocr

    if hasattr(ocr, "engine"):
        ocr.engine()  # the models load once per worker process, not once per page
    doc = pdfium.PdfDocument(_image_only_pdf())
    page = doc[0]
    width, height = page.get_size()
    cpu, wall = time.process_time(), time.perf_counter()
    ocr.ocr_page(page, page_no=1, width=width, height=height)
    return time.process_time() - cpu, time.perf_counter() - wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="times the text corpus is repeated")
    parser.add_argument("--pdf-rounds", type=int, default=1, help="times the PDFs are repeated")
    parser.add_argument("--no-ocr", action="store_true", help="skip the OCR line")
    args = parser.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"no sample corpus at {SHARED}")
    mb, text_s, text_base, text_files = bench_text(args.rounds)
    pdf = bench_pdf(args.pdf_rounds)
    pages, (base_cpu, _) = pdf["pages"], pdf["pdfminer"]
    print(f"{'input':<14} {'files':>5} {'volume':>12} {'seconds':>8} {'throughput':>14}  baseline (same run)")
    print(
        f"{'text':<14} {text_files:>5} {mb:>9.2f} MB {text_s:>8.2f} {mb / text_s:>9.2f} MB/s"
        f"  naive split {mb / text_base:.1f} MB/s, pipeline costs {text_s / text_base:.0f}x"
    )
    for key, label in (("off", "pdf"), ("on", "pdf + layout")):
        if pdf[key] is None:
            print(f"{label:<14} layout model not installed")
            continue
        cpu, wall = pdf[key]
        print(
            f"{label:<14} {pdf['files']:>5} {pages:>6} pages {cpu:>8.2f} {pages / cpu:>8.1f} pages/s"
            f"  pdfminer extract_text {pages / base_cpu:.1f} pages/s, pipeline costs {cpu / base_cpu:.2f}x"
            f"  (CPU time, one core; wall {wall:.2f} s)"
        )
    model = bench_layout_model()
    if model is not None:
        n, render, per_page, per_page_wall = model
        print(
            f"layout model: {per_page:.3f} s/page CPU ({per_page_wall:.3f} s wall) over {n} pages,"
            f" one thread; rendering at 1.5x {render:.3f} s/page"
        )
    ocr = None if args.no_ocr else bench_ocr()
    if ocr is not None:
        print(f"ocr: {ocr[0]:.1f} s/page CPU ({ocr[1]:.1f} s wall), one generated image-only page")


if __name__ == "__main__":
    main()
