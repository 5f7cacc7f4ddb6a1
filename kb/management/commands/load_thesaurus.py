"""Load (or update) the curated concept thesaurus shipped in kb/data/thesaurus.json. Idempotent."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kb.services.concepts import THESAURUS_FILE, thesaurus_load


class Command(BaseCommand):
    help = "Create or update the concepts of the curated thesaurus (by slug), then re-detect their mentions."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(THESAURUS_FILE), help="a thesaurus JSON file")

    def handle(self, *args, path, **options):
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        stats = thesaurus_load(data=data)
        summary = ", ".join(f"{key} {value}" for key, value in sorted(stats.items()))
        if options.get("verbosity", 1) >= 1:
            self.stdout.write(f"thesaurus: {len(data['concepts'])} concepts ({summary})")
