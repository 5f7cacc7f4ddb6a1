"""Applying a SKOS import plan, and keeping the uploaded file between the preview and the apply.

``thesaurus_import_apply`` plans again against the current database
(``kb.services.concepts.skos_import``) and writes through ``concept_create`` /
``concept_update``: each concept in its own savepoint inside one transaction, so one that
fails is reported and the others are saved; broader links go in before related ones (so the
related-versus-hierarchy check sees the new hierarchy); mentions are detected once at the end.

``thesaurus_file_stash`` checks an uploaded file and keeps it between the preview and the
apply (``THESAURUS_UPLOADS``, a ``papers.staging.Stage``: bounded in size, a day at most).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from kb.models import Concept
from kb.services.concepts.editing import concept_create, concept_update
from kb.services.concepts.skos_import import (
    CREATE,
    ERROR_EXPIRED,
    ERROR_TOO_LARGE,
    MAX_BYTES,
    UPDATE,
    Action,
    ImportPlan,
    parse_thesaurus_file,
    require_editor,
    thesaurus_import_preview,
)
from kb.services.mentions import mentions_detect_all
from papers.staging import Stage


@dataclass
class ImportReport:
    plan: ImportPlan
    created: list[Concept] = field(default_factory=list)
    updated: list[Concept] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


@transaction.atomic
def thesaurus_import_apply(*, data: bytes | str, user=None) -> ImportReport:
    """Plan ``data`` again and write it; each concept in a savepoint (a failure is reported)."""
    plan = thesaurus_import_preview(data=data, user=user)
    report = ImportReport(plan=plan)
    concept_of: dict[tuple, Concept] = {}
    relabelled: set[int] = set()

    def attempt(action: Action, write) -> None:
        try:
            with transaction.atomic():
                write()
        except ValidationError as exc:
            report.errors.extend((action.concept.index, message) for message in exc.messages)

    for action in plan.actions:
        pc = action.concept
        if action.kind == CREATE:

            def create(action=action, pc=pc):
                concept = concept_create(
                    label_zh=pc.label_zh,
                    label_en=pc.label_en,
                    aliases=pc.aliases,
                    definition=pc.definition,
                    slug=action.slug,
                    user=user,
                    detect=False,
                )
                concept_of[action.key] = concept
                report.created.append(concept)
                relabelled.add(concept.pk)

            attempt(action, create)
        elif action.kind == UPDATE:
            concept_of[action.key] = action.existing
            if action.values:

                def update(action=action):
                    concept_update(concept=action.existing, user=user, detect=False, **action.values)
                    relabelled.add(action.existing.pk)

                attempt(action, update)
            report.updated.append(action.existing)
    for name in ("broader", "related"):
        for action in plan.actions:
            keys = action.add_broader if name == "broader" else action.add_related
            concept = concept_of.get(action.key)
            targets = [concept_of.get(k) or Concept.objects.filter(pk=k[1]).first() for k in keys if k]
            targets = [t for t in targets if t is not None and t.pk]
            if concept is None or not targets:
                continue

            def link(concept=concept, targets=targets, name=name):
                concept.refresh_from_db()
                current = list(getattr(concept, name).all())
                concept_update(concept=concept, user=user, detect=False, **{name: [*current, *targets]})

            attempt(action, link)
    if relabelled:
        mentions_detect_all(concept_ids=relabelled)
    return report


# -- the file between preview and apply ------------------------------------------------------------

THESAURUS_UPLOADS = Stage(
    folder="thesaurus-imports",
    session_key="thesaurus_imports",
    max_bytes=MAX_BYTES,
    too_large=ERROR_TOO_LARGE,
    expired=ERROR_EXPIRED,
    check=parse_thesaurus_file,
)


def thesaurus_file_stash(*, data: bytes, user) -> str:
    """Keep ``data`` for the apply; its token (``ValidationError``: too large, not SKOS)."""
    require_editor(user)
    return THESAURUS_UPLOADS.save(data)
