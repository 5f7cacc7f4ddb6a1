"""Rebuild the search index from the database, with a progress bar."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from tqdm import tqdm

from kb.search import documents
from kb.search.service import search_index_rebuild


class Command(BaseCommand):
    help = "Rebuild the search index (settings.KB_SEARCH_INDEX_DIR) from the database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--processes",
            type=int,
            default=None,
            help="worker processes that fold and segment text (default: none on 2 cores, else cores - 2; 1: none)",
        )

    def handle(self, *args, **options):
        total = documents.count_all()
        with tqdm(total=total, unit="doc", disable=options["verbosity"] == 0, file=self.stderr) as bar:
            count = search_index_rebuild(progress=bar.update, processes=options["processes"])
        self.stdout.write(self.style.SUCCESS(f"search index rebuilt: {count} documents"))
