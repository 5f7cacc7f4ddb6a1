"""manage.py import_records FILE [--dry-run]: import bibliographic records (RIS, BibTeX, CSL-JSON,
CNKI's NoteExpress, EndNote and RefWorks exports) through the same service as /records/import/.

Each record creates a metadata-only paper, enriches the paper it matches, or is skipped with
the reason; a record that cannot be read or saved is reported with its line number.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from papers.services import records as service


class Command(BaseCommand):
    help = "Import bibliographic records from a file; --dry-run shows the plan and writes nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")

    def handle(self, *args, file: str, dry_run: bool, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        data = path.read_bytes()
        try:
            if dry_run:
                plan, errors = service.records_preview(data=data, user=None), []
            else:
                report = service.records_apply(data=data, user=None)
                plan, errors = report.plan, report.errors
        except ValidationError as exc:
            raise CommandError(f"{path}: {' '.join(exc.messages)}") from None
        for action in plan.actions:
            target = f" → #{action.paper_id}" if action.paper_id else ""
            line = f"line {action.line}: {action.kind}{target} {action.record.title}"
            if action.changes:
                line += " (" + ", ".join(change.field for change in action.changes) + ")"
            if action.reason:
                line += f" — {action.reason}"
            self.stdout.write(line)
        for error in [*plan.errors, *errors]:
            self.stderr.write(f"line {error.line}: {error.message}")
        counts = plan.counts
        verb = "would" if dry_run else "done:"
        self.stdout.write(
            f"{plan.format}: {verb} create {counts['create']}, enrich {counts['enrich']}, "
            f"skip {counts['skip']}, errors {len(plan.errors) + len(errors)}"
        )
