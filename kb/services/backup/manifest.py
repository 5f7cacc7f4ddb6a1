"""What a backup archive holds and how it is described: the format version, which models are
exported (every installed model that holds data, found through ``apps.get_models``, so a model
added later is included without a change here) and which are left out as derived or transient,
their dependency order, the migration state, and SHA-256 checksums.

An archive is a ZIP file::

    manifest.json                 format, version, migration state, counts, checksums, exclusions
    SHA256SUMS                    the same checksums, readable by ``sha256sum -c`` after unzipping
    data/0001-auth.user.jsonl     one member per model, Django's JSON Lines serializer, by pk
    media/sources/2024/05/a.pdf   the uploaded files named by file fields, under their storage names
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "tanyuan-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
DATA_DIR = "data/"
MEDIA_DIR = "media/"
CHUNK = 500  # rows per query on export and per insert on import: memory stays bounded

# Derived or transient data, left out of every archive (and said so in its manifest).
EXCLUDED_APPS = {
    "sessions": "sessions are transient: everyone signs in again",
    "django_tasks_database": "the background task queue is transient",
    "axes": "login throttling attempts are transient",
}
EXCLUDED_MODELS = {
    "kb.paperaggregate": "page aggregate, rebuilt on import",
    "kb.paperconceptcount": "page aggregate, rebuilt on import",
    "kb.conceptstat": "page aggregate, rebuilt on import",
    "kb.conceptyear": "page aggregate, rebuilt on import",
    "kb.conceptpair": "page aggregate, rebuilt on import",
    "kb.librarystat": "page aggregate, rebuilt on import",
}
NOT_IN_DATABASE = {
    "search index": "rebuilt from the database on import (settings.KB_SEARCH_INDEX_DIR)",
    "page image cache": "rendered again on demand (settings.KB_PAGE_CACHE_DIR)",
}
# Rows that ``migrate`` itself creates (content types, permissions, the role groups of a data
# migration): on import they are matched by natural key, never inserted twice.
SEEDED_BY_MIGRATE = ("contenttypes.contenttype", "auth.permission", "auth.group", "auth.group_permissions")


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds (ECMAScript's format); a backup keeps microseconds."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class BackupError(Exception):
    """An archive that cannot be written or restored; the message says why and what to do."""


def model_label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def exclusion_reason(model: type[models.Model]) -> str | None:
    opts = model._meta
    if opts.app_label in EXCLUDED_APPS:
        return EXCLUDED_APPS[opts.app_label]
    return EXCLUDED_MODELS.get(opts.label_lower)


def _storable(model: type[models.Model]) -> bool:
    opts = model._meta
    return opts.managed and not opts.proxy and not opts.swapped


def excluded_models() -> dict[str, str]:
    """label → why it is not in the archive (only models that exist in this installation)."""
    return {
        model_label(m): reason
        for m in apps.get_models(include_auto_created=True)
        if _storable(m) and (reason := exclusion_reason(m))
    }


def _dependencies(model: type[models.Model]) -> set[type[models.Model]]:
    found = set()
    for f in model._meta.local_concrete_fields:
        target = f.related_model if f.is_relation else None
        if isinstance(target, type) and target is not model:
            found.add(target._meta.concrete_model or target)
    return found


def exported_models() -> list[type[models.Model]]:
    """Every model that holds data, M2M link tables included, targets before the rows that point
    to them (cycles, if any, are broken by label order; constraints are checked at the end anyway)."""
    pending = sorted(
        (m for m in apps.get_models(include_auto_created=True) if _storable(m) and not exclusion_reason(m)),
        key=model_label,
    )
    ordered: list[type[models.Model]] = []
    while pending:
        waiting = set(pending)
        ready = [m for m in pending if not (_dependencies(m) & waiting)]
        if not ready:  # a cycle: take the first and go on
            ready = pending[:1]
        ordered.extend(ready)
        pending = [m for m in pending if m not in ready]
    return ordered


NOT_MIGRATED = "The database is not migrated (no table for {models}): run `manage.py migrate` first."


def check_tables(models_: Iterable[type[models.Model]], *, using: str) -> None:
    """Raise NOT_MIGRATED when a model's table is missing (migrations not applied)."""
    tables = set(connections[using].introspection.table_names())
    missing = [model_label(m) for m in models_ if m._meta.db_table not in tables]
    if missing:
        raise BackupError(
            NOT_MIGRATED.format(models=", ".join(missing[:5]) + (" …" if len(missing) > 5 else ""))
        )


def file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.local_concrete_fields if isinstance(f, models.FileField)]


def migration_state(*, using: str) -> dict[str, list[str]]:
    """Applied migrations per app, in order of application (the last is the app's state)."""
    state: dict[str, list[str]] = {}
    recorder = MigrationRecorder.Migration.objects.using(using).order_by("applied", "id")
    for app, name in recorder.values_list("app", "name"):
        state.setdefault(app, []).append(name)
    return state


@dataclass
class Digest:
    """SHA-256 and size of bytes seen so far."""

    sha: hashlib._Hash = field(default_factory=hashlib.sha256)
    size: int = 0

    def update(self, data: bytes) -> None:
        self.sha.update(data)
        self.size += len(data)

    def hexdigest(self) -> str:
        return self.sha.hexdigest()


def checksums_text(members: Iterable[tuple[str, str]]) -> str:
    """``sha256sum`` format: one ``<hex>  <member>`` line per member."""
    return "".join(f"{sha}  {name}\n" for name, sha in members)
