"""manage.py resolve_citations: build the citation network of a library loaded before it existed.

Loading, revising or correcting a paper keeps the network up to date by itself; this resolves
every paper's references and builds its citation statements once, one paper at a time.
Editors' decisions stand; running it again changes nothing that is already right.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from tqdm import tqdm

from kb.services.citations import citations_backfill


class Command(BaseCommand):
    help = "Resolve every paper's references to library papers and cited works; build citation statements."

    def handle(self, *args, **options):
        bar = tqdm(total=0, unit="paper", disable=options["verbosity"] == 0, file=self.stderr)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        count = citations_backfill(progress=progress)
        bar.close()
        self.stdout.write(f"citation network built for {count} papers")
