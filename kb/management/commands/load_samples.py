"""manage.py load_samples [DIR]: load the sample corpus for ``make run``, or start empty without one.

A clone without ``../shared/corpus`` (or whatever ``KB_SAMPLE_CORPUS`` or ``DIR`` names) still
runs: the library starts empty and the message says how to add papers. A folder that is
there is loaded like ``manage.py ingest DIR`` (a file that fails makes the command fail).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from kb.models.aggregates import PaperAggregate
from kb.services.loading import expand_paths
from papers.models import Paper

NO_CORPUS = """No sample corpus at {path}: the library starts empty.
To add papers:
  - sign in as the admin account printed above and upload files at /uploads/ (PDF, TXT, Markdown);
  - or load a folder: python manage.py ingest DIR
  - or start with one: make run CORPUS=DIR"""


class Command(BaseCommand):
    help = "Load the sample corpus (default KB_SAMPLE_CORPUS); without one, start with an empty library."

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", default=None)

    def handle(self, *args, folder: str | None, **options):
        path = Path(folder or settings.KB_SAMPLE_CORPUS)
        if not path.is_dir() or not expand_paths([path]):
            self.stdout.write(NO_CORPUS.format(path=path))
            return
        call_command(
            "ingest", str(path), verbosity=options["verbosity"], stdout=self.stdout, stderr=self.stderr
        )
        # A library loaded before the page aggregates existed gets them once.
        if PaperAggregate.objects.count() < Paper.objects.count():
            call_command("rebuild_aggregates", verbosity=options["verbosity"], stdout=self.stdout)
