"""Load (or update) a thesaurus: the curated kb/data/thesaurus.json, or a SKOS file in JSON-LD.

The kind of file is told by its content: our own JSON (``{"concepts": [...]}``) goes through
``thesaurus_load``; SKOS JSON-LD (this site's ``/thesaurus/skos.jsonld`` or another tool's)
through the SKOS import, which prints its plan and applies it unless ``--dry-run``.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kb.lib.skos_import import TANYUAN, SkosImportError, detect_format, loads
from kb.services.concepts import THESAURUS_FILE, skos_apply, skos_import, thesaurus_load


class Command(BaseCommand):
    help = (
        "Create or update concepts from the curated thesaurus (by slug) or from a SKOS JSON-LD file "
        "(matched by IRI, then by label), then re-detect their mentions."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=str(THESAURUS_FILE), help="thesaurus.json or a SKOS JSON-LD file"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="SKOS files: print the plan, write nothing"
        )

    def handle(self, *args, path, dry_run=False, **options):
        try:
            raw = Path(path).read_bytes()
            if len(raw) > skos_import.MAX_BYTES:
                raise CommandError(f"{path} is larger than {skos_import.MAX_BYTES // 2**20} MB")
            data = loads(raw.decode("utf-8-sig"))
        except (OSError, UnicodeDecodeError, SkosImportError) as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        verbose = options.get("verbosity", 1) >= 1
        if detect_format(data) == TANYUAN:
            if dry_run:
                raise CommandError("--dry-run applies to SKOS files only")
            stats = thesaurus_load(data=data)
            summary = ", ".join(f"{key} {value}" for key, value in sorted(stats.items()))
            if verbose:
                self.stdout.write(f"thesaurus: {len(data['concepts'])} concepts ({summary})")
            return
        write = skos_import.thesaurus_import_preview if dry_run else skos_apply.thesaurus_import_apply
        try:
            result = write(data=raw)
        except ValidationError as exc:
            raise CommandError(f"{path}: {' '.join(exc.messages)}") from exc
        plan = result if dry_run else result.plan
        problems = plan.problems + ([] if dry_run else result.errors)
        if verbose:
            for action in plan.actions:
                pc = action.concept
                detail = action.reason or "; ".join(
                    f"{c.field}: {c.old!r} → {c.new!r}" for c in action.changes
                )
                self.stdout.write(
                    f"{pc.index:>4} {action.kind:<6} {pc.label_zh or pc.iri}  {detail}".rstrip()
                )
            for index, message in problems:
                self.stderr.write(f"concept {index}: {message}")
            counts = ", ".join(f"{kind} {n}" for kind, n in plan.counts.items())
            self.stdout.write(
                f"SKOS: {len(plan.actions)} concepts ({counts}){' [dry run]' if dry_run else ''}"
            )
