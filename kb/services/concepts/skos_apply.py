"""Applying a SKOS import plan, and keeping the uploaded file between the preview and the apply.

``thesaurus_import_apply`` plans again against the current database
(``kb.services.concepts.skos_import``) and writes through ``concept_create`` /
``concept_update``: each concept in its own savepoint inside one transaction, so one that
fails is reported and the others are saved; broader links go in before related ones (so the
related-versus-hierarchy check sees the new hierarchy); mentions are detected once at the end.

``thesaurus_file_stash`` / ``thesaurus_file_load`` / ``thesaurus_file_discard`` keep an
uploaded file under an unguessable token (bounded in size, a day at most).
"""

from __future__ import annotations

import contextlib
import re
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
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

STASH_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


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


def _stash_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "thesaurus-imports"


def _stash_path(token: str) -> Path:
    if not _TOKEN.match(token or ""):
        raise ValidationError(ERROR_EXPIRED, code="expired")
    return _stash_dir() / f"{token}.json"


def thesaurus_file_stash(*, data: bytes, user) -> str:
    """Keep ``data`` for the apply; returns its token. ``ValidationError`` when it is too
    large or not a SKOS file. Stashes older than a day are removed."""
    require_editor(user)
    if len(data) > MAX_BYTES:
        raise ValidationError(ERROR_TOO_LARGE % {"mb": MAX_BYTES // 2**20}, code="size")
    parse_thesaurus_file(data)
    folder = _stash_dir()
    folder.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - STASH_SECONDS
    for old in folder.glob("*.json"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    _stash_path(token).write_bytes(data)
    return token


def thesaurus_file_load(*, token: str) -> bytes:
    path = _stash_path(token)
    if not path.is_file():
        raise ValidationError(ERROR_EXPIRED, code="expired")
    return path.read_bytes()


def thesaurus_file_discard(*, token: str) -> None:
    with contextlib.suppress(ValidationError):
        _stash_path(token).unlink(missing_ok=True)
