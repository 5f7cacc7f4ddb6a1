"""manage.py rebuild_aggregates [--check]: recompute the page aggregates from scratch.

They are kept up to date by the services; this rebuilds them after an upgrade that
introduced them, or checks them (``--check``: compare with a whole-library recomputation and
exit non-zero on a difference, changing nothing).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kb.services.aggregates import aggregates_expected, aggregates_rebuild, aggregates_stored


class Command(BaseCommand):
    help = "Recompute the page aggregates (mention counts, co-occurrence, years, library counts)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="compare with a recomputation; change nothing"
        )

    def handle(self, *args, check: bool = False, **options):
        if check:
            stored, expected = aggregates_stored(), aggregates_expected()
            wrong = [name for name in expected if stored.get(name) != expected[name]]
            if wrong:
                raise CommandError(f"aggregates differ from a recomputation: {', '.join(wrong)}")
            self.stdout.write("aggregates match a recomputation")
            return
        bar = tqdm(total=0, unit="paper", disable=options["verbosity"] == 0, file=self.stderr)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        count = aggregates_rebuild(progress=progress)
        bar.close()
        self.stdout.write(f"aggregates rebuilt from {count} papers")
