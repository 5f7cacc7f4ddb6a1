"""manage.py import_kb IN: restore a backup archive written by ``export_kb`` into an empty database.

Checks the archive (format version, schema, SHA-256 of every member) and that the database holds
nothing but what ``migrate`` created, then restores the files, loads every row in one transaction,
and rebuilds the page aggregates and the search index, with progress bars.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kb.management.bars import StageBars
from kb.services.backup import BackupError, backup_import


class Command(BaseCommand):
    help = "Restore a backup archive (export_kb) into an empty, migrated database; then rebuild search."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="the archive written by export_kb")
        parser.add_argument(
            "--processes",
            type=int,
            default=None,
            help="processes that fold and segment text for the search index (as rebuild_search_index)",
        )

    def handle(self, *args, archive: Path, **options):
        bars = StageBars(self.stderr, disable=options["verbosity"] == 0)
        try:
            result = backup_import(path=archive, progress=bars, search_processes=options["processes"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bars.close()
        rows = sum(result["models"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"restored {rows} rows of {len(result['models'])} models and {result['files']} files "
                f"from {archive}; search index rebuilt: {result['documents']} documents"
            )
        )
