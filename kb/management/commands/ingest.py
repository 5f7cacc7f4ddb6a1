"""manage.py ingest PATH... [--dry-run] [--json] [--no-ocr] [--no-layout] [--progress]: load papers.

Files and folders; the same file twice is unchanged. A bar counts the files, and a second bar
follows each PDF's pages (read, layout pass, OCR: 15–25 s a scanned page) when stderr is a
terminal or with ``--progress``. OCR and the layout model are on unless turned off here or by
``KB_OCR=0`` / ``KB_LAYOUT_MODEL=0``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kb.services.loading import LoadResult, expand_paths, max_upload_bytes, paper_load
from papers.ingest import IngestError, ReadOptions, parse_bytes


class Command(BaseCommand):
    help = "Load papers (.txt, .md, .pdf) from files and folders; same file twice is unchanged."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")
        parser.add_argument("--dry-run", action="store_true", help="parse only; write nothing")
        parser.add_argument("--json", action="store_true", help="print the parsed result as JSON")
        parser.add_argument(
            "--ocr",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="read scanned pages by OCR (default: on, unless KB_OCR=0)",
        )
        parser.add_argument(
            "--layout",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="label PDF regions with the layout model (default: on, unless KB_LAYOUT_MODEL=0)",
        )
        parser.add_argument(
            "--progress", action="store_true", help="show the page bars even when stderr is not a terminal"
        )

    def handle(self, *args, paths, dry_run, json: bool, ocr, layout, progress, **options):
        self.verbosity = options["verbosity"]
        files = expand_paths(paths)
        if not files:
            raise CommandError("no .txt, .md or .pdf files found in: " + ", ".join(paths))
        results: list[LoadResult] = []
        quiet = json or options["verbosity"] == 0
        self.page_bars = progress or (not quiet and sys.stderr.isatty())
        self.read_options = {
            key: value for key, value in (("ocr", ocr), ("layout", layout)) if value is not None
        }
        for path in tqdm(files, desc="ingest", unit="file", disable=quiet, file=sys.stderr):
            if not path.is_file():
                results.append(LoadResult(filename=str(path), status="failed", error=f"{path}: no such file"))
                continue
            results.append(self._load(path, dry_run=dry_run))
        if json:
            self._print_json(results)
        else:
            self._print_summary(results)
        failed = [r for r in results if r.status == "failed"]
        if failed:
            raise CommandError(f"{len(failed)} of {len(results)} file(s) failed", returncode=1)

    def _load(self, path: Path, *, dry_run: bool) -> LoadResult:
        """Parse with this run's reading options (and its page bar), then load."""
        data = path.read_bytes()
        bar = PageBar(path.name) if self.page_bars and path.suffix.lower() == ".pdf" else None
        options = ReadOptions(**self.read_options, progress=bar)
        try:
            parsed = parse_bytes(data, filename=path.name, max_bytes=max_upload_bytes(), options=options)
        except IngestError as exc:
            return LoadResult(filename=path.name, status="failed", error=str(exc))
        finally:
            if bar is not None:
                bar.close()
        return paper_load(data=data, filename=path.name, dry_run=dry_run, parsed=parsed)

    def _print_json(self, results: list[LoadResult]) -> None:
        docs = [
            r.parsed.to_json() if r.parsed else {"source": {"filename": r.filename}, "error": r.error}
            for r in results
        ]
        payload = docs[0] if len(docs) == 1 else docs
        self.stdout.write(json_dumps(payload))

    def _print_summary(self, results: list[LoadResult]) -> None:
        counts: dict[str, int] = {}
        for r in results:
            counts[r.status] = counts.get(r.status, 0) + 1
            if r.status == "failed":
                self.stderr.write(f"failed: {r.error}")
            elif r.warnings and self.verbosity >= 1:
                self.stdout.write(f"{r.filename}: {r.status}, needs review: " + "; ".join(r.warnings))
        order = ["loaded", "revised", "unchanged", "parsed", "failed"]
        self.stdout.write(", ".join(f"{k} {counts[k]}" for k in order if k in counts))


def json_dumps(payload) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2)


class PageBar:
    """A tqdm bar over one PDF's pages, fed by the reader's progress reports; says when OCR runs."""

    def __init__(self, name: str):
        self.bar = tqdm(desc=name, unit="page", file=sys.stderr, leave=False)
        self.ocr_pages = 0
        self.ocr_page: int | None = None  # the page being read by OCR

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.bar.total != total:
            self.bar.reset(total=total)
        if stage == "ocr" and self.ocr_page == done:  # that page is read
            self.ocr_page = None
            self.bar.set_postfix_str(f"{self.ocr_pages} page(s) by OCR", refresh=False)
        elif stage == "ocr" and done < total:
            self.ocr_pages += 1
            self.ocr_page = done + 1
            self.bar.set_postfix_str(f"OCR of page {done + 1}: 15-25 s a page", refresh=False)
        if stage == "pages":
            self.bar.n = done
        self.bar.refresh()

    def close(self) -> None:
        self.bar.close()
