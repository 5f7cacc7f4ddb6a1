"""manage.py ingest PATH... [--dry-run] [--json]: load papers from files and folders."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kb.services.loading import LoadResult, expand_paths, paper_load


class Command(BaseCommand):
    help = "Load papers (.txt, .md, .pdf) from files and folders; same file twice is unchanged."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")
        parser.add_argument("--dry-run", action="store_true", help="parse only; write nothing")
        parser.add_argument("--json", action="store_true", help="print the parsed result as JSON")

    def handle(self, *args, paths, dry_run, json: bool, **options):
        self.verbosity = options["verbosity"]
        files = expand_paths(paths)
        if not files:
            raise CommandError("no .txt, .md or .pdf files found in: " + ", ".join(paths))
        results: list[LoadResult] = []
        quiet = json or options["verbosity"] == 0
        for path in tqdm(files, desc="ingest", unit="file", disable=quiet, file=sys.stderr):
            if not path.is_file():
                results.append(LoadResult(filename=str(path), status="failed", error=f"{path}: no such file"))
                continue
            results.append(paper_load(data=path.read_bytes(), filename=path.name, dry_run=dry_run))
        if json:
            self._print_json(results)
        else:
            self._print_summary(results)
        failed = [r for r in results if r.status == "failed"]
        if failed:
            raise CommandError(f"{len(failed)} of {len(results)} file(s) failed", returncode=1)

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
