"""manage.py export_kb OUT: write the whole knowledge base to one backup archive (a ZIP file).

Every model's rows (users with their password hashes, roles, groups, papers, revisions, passages,
annotations, claims, concepts, tags, history, tokens, preferences …), the uploaded files and a
manifest with checksums. ``import_kb`` restores it into an empty database, SQLite or PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kb.management.bars import StageBars
from kb.services.backup import BackupError, backup_export


class Command(BaseCommand):
    help = "Write every model's rows and the uploaded files to one backup archive (ZIP), with a manifest."

    def add_arguments(self, parser):
        parser.add_argument("out", type=Path, help="the archive to write, e.g. tanyuan-2026-12-07.zip")

    def handle(self, *args, out: Path, **options):
        bars = StageBars(self.stderr, disable=options["verbosity"] == 0)
        try:
            manifest = backup_export(path=out, progress=bars)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bars.close()
        rows = sum(m["count"] for m in manifest["models"])
        for name in manifest["missing_files"]:
            self.stderr.write(self.style.WARNING(f"missing in storage, not in the archive: {name}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"wrote {out}: {rows} rows of {len(manifest['models'])} models, "
                f"{len(manifest['files'])} files (format version {manifest['format_version']})"
            )
        )
