"""Re-anchor annotations and evidence that await it (normally done right after a revision is loaded).

manage.py reanchor_targets            # every paper with targets awaiting re-anchoring
manage.py reanchor_targets --paper 3  # one paper
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from kb.models import AnchorStatus, Annotation, Evidence
from kb.services.anchoring import targets_reanchor
from papers.models import Paper


class Command(BaseCommand):
    help = (
        "Re-anchor annotations and evidence on their paper's current text; report anchored, moved, orphaned."
    )

    def add_arguments(self, parser):
        parser.add_argument("--paper", type=int, help="only this paper (id)")

    def handle(self, *args, **options):
        waiting = AnchorStatus.NEEDS_REANCHOR
        if options["paper"]:
            papers = Paper.objects.filter(pk=options["paper"])
            if not papers.exists():
                raise CommandError(f"no paper {options['paper']}")
        else:
            ids = set(Annotation.objects.filter(anchor_status=waiting).values_list("paper_id", flat=True))
            # Evidence waits on the paper it quotes (any paper), or its claim's when that text is gone.
            for quoted, own in Evidence.objects.filter(anchor_status=waiting).values_list(
                "revision__paper_id", "claim__paper_id"
            ):
                ids.add(quoted or own)
            papers = Paper.objects.filter(pk__in=ids)
        for paper in papers.order_by("pk"):
            report = targets_reanchor(paper=paper)
            self.stdout.write(
                f"{paper.pk}\tanchored {len(report.anchored)}\tmoved {len(report.moved)}\torphaned {len(report.orphaned)}"
            )
