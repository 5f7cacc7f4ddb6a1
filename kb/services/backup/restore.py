"""Restoring a backup archive into an empty database (``manage.py import_kb``).

``backup_import(path=..., progress=...)`` refuses, before writing anything, an archive that is
not one, one of a newer format or schema, a damaged one (a member whose SHA-256 differs from the
manifest), a database that already holds data, or a MEDIA_ROOT holding other files under the
archived names. Then it restores the uploaded files, loads every model in one transaction
(dependency order, constraints checked at the end), resets the PostgreSQL sequences, and
rebuilds what the archive leaves out: the page aggregates and the search index.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction

from kb.search import documents
from kb.search.service import search_index_rebuild
from kb.services.aggregates import aggregates_rebuild
from kb.services.backup.manifest import (
    CHECKSUMS,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    BackupError,
    Digest,
    check_tables,
    exported_models,
    migration_state,
    model_label,
)
from kb.services.backup.rows import Remap, is_seeded, load_member
from papers.models import Paper

NOT_AN_ARCHIVE = (
    "{path} is not a Tanyuan backup archive (a ZIP file with manifest.json, written by export_kb)."
)
NEWER_FORMAT = (
    "The archive has format version {found}; this Tanyuan reads versions up to {supported}. "
    "Upgrade Tanyuan, then import again. Nothing was imported."
)
NEWER_SCHEMA = (
    "The archive was written by a newer Tanyuan: migrations {names} are not applied to this database. "
    "Upgrade Tanyuan and run `manage.py migrate`, then import again. Nothing was imported."
)
DAMAGED = "The archive is damaged: {member} {problem}. Nothing was imported; use another copy of the backup."
NOT_EMPTY = (
    "The database is not empty ({found}). import_kb restores only into an empty database: create a "
    "new database, run `manage.py migrate` on it, then import. Nothing was imported."
)
FILE_CONFLICT = (
    "MEDIA_ROOT already holds {name} with other content. Move it away or use an empty MEDIA_ROOT, "
    "then import again. Nothing was imported."
)
INVALID_ROWS = "The archive's rows do not fit together ({error}). Nothing was imported."

Progress = Callable[[str, int, int], None]  # (stage, done, total)


def _read_manifest(archive: zipfile.ZipFile, path: Path) -> dict:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise BackupError(NOT_AN_ARCHIVE.format(path=path)) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(NOT_AN_ARCHIVE.format(path=path))
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(NEWER_FORMAT.format(found=version, supported=FORMAT_VERSION))
    if not _well_formed(manifest):
        raise BackupError(DAMAGED.format(member=MANIFEST, problem="is malformed"))
    return manifest


def _well_formed(manifest: dict) -> bool:
    def entries(key: str, fields: dict[str, type]) -> bool:
        value = manifest.get(key)
        return isinstance(value, list) and all(
            isinstance(e, dict) and all(isinstance(e.get(k), t) for k, t in fields.items()) for e in value
        )

    migrations = manifest.get("migrations")
    return (
        entries("models", {"model": str, "member": str, "count": int, "sha256": str})
        and entries("files", {"name": str, "member": str, "sha256": str})
        and isinstance(migrations, dict)
        and all(isinstance(v, list) for v in migrations.values())
    )


def _verify(archive: zipfile.ZipFile, manifest: dict, progress: Progress) -> None:
    """Every member the manifest lists is present and matches its checksum; nothing else is there."""
    listed = [(e["member"], e["sha256"]) for e in manifest["models"]] + [
        (e["member"], e["sha256"]) for e in manifest["files"]
    ]
    names = set(archive.namelist())
    for extra in sorted(names - {m for m, _ in listed} - {MANIFEST, CHECKSUMS}):
        raise BackupError(DAMAGED.format(member=extra, problem="is not listed in the manifest"))
    for done, (member, sha) in enumerate(listed, start=1):
        if member not in names:
            raise BackupError(DAMAGED.format(member=member, problem="is missing"))
        digest = Digest()
        try:
            with archive.open(member) as data:
                while block := data.read(1 << 20):
                    digest.update(block)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:  # CRC or deflate failure
            raise BackupError(DAMAGED.format(member=member, problem=f"cannot be read ({exc})")) from exc
        if digest.hexdigest() != sha:
            raise BackupError(DAMAGED.format(member=member, problem="does not match its SHA-256 checksum"))
        progress("verify", done, len(listed))


def _check_schema(manifest: dict, *, using: str) -> None:
    """Every migration the archived database had must be applied here (an older archive is fine:
    fields added since take their defaults); every archived model must exist here."""
    check_tables(exported_models(), using=using)
    here = migration_state(using=using)
    missing = [
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if name not in here.get(app, ())
    ]
    if missing:
        raise BackupError(
            NEWER_SCHEMA.format(names=", ".join(missing[:5]) + (" …" if len(missing) > 5 else ""))
        )
    here_models = {model_label(m) for m in exported_models()}
    unknown = [e["model"] for e in manifest["models"] if e["model"] not in here_models]
    if unknown:
        raise BackupError(NEWER_SCHEMA.format(names=", ".join(unknown[:5])))


def _check_empty(*, using: str) -> None:
    found = []
    for model in exported_models():
        if is_seeded(model):
            continue
        rows = model._base_manager.using(using)
        if rows.exists():
            found.append(f"{rows.count()} × {model_label(model)}")
    if found:
        raise BackupError(NOT_EMPTY.format(found=", ".join(found[:6]) + (" …" if len(found) > 6 else "")))


def _file_sha(name: str) -> str:
    digest = Digest()
    with default_storage.open(name, "rb") as data:
        while block := data.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _check_files(manifest: dict) -> list[dict]:
    """The files to write (those not already present with the same content)."""
    todo = []
    for entry in manifest["files"]:
        try:
            present = default_storage.exists(entry["name"])
        except SuspiciousFileOperation as exc:
            raise BackupError(
                DAMAGED.format(member=entry["member"], problem="names a file outside MEDIA_ROOT")
            ) from exc
        if not present:
            todo.append(entry)
        elif _file_sha(entry["name"]) != entry["sha256"]:
            raise BackupError(FILE_CONFLICT.format(name=entry["name"]))
    return todo


def _restore_files(
    archive: zipfile.ZipFile, todo: list[dict], written: list[str], progress: Progress
) -> None:
    for done, entry in enumerate(todo, start=1):
        with archive.open(entry["member"]) as data:
            name = default_storage.save(entry["name"], File(data, name=entry["name"]))
        written.append(name)
        if name != entry["name"]:
            raise BackupError(FILE_CONFLICT.format(name=entry["name"]))
        progress("files", done, len(todo))


def _load(archive: zipfile.ZipFile, manifest: dict, progress: Progress, *, using: str) -> dict[str, int]:
    connection = connections[using]
    remap: Remap = {}
    loaded: dict[str, int] = {}
    total = sum(e["count"] for e in manifest["models"])
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        progress("rows", done, total)

    ContentType.objects.clear_cache()  # ids cached from a database since flushed would mislead
    with transaction.atomic(using=using), connection.constraint_checks_disabled():
        for entry in manifest["models"]:
            try:
                load_member(archive, entry["member"], remap, using=using, advance=advance)
            except (DeserializationError, IntegrityError) as exc:
                raise BackupError(INVALID_ROWS.format(error=f"{entry['model']}: {exc}")) from exc
            loaded[entry["model"]] = entry["count"]
        models = [apps.get_model(e["model"]) for e in manifest["models"]]
        try:
            connection.check_constraints(table_names=[m._meta.db_table for m in models])
        except IntegrityError as exc:
            raise BackupError(INVALID_ROWS.format(error=exc)) from exc
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
    return loaded


def backup_import(
    *,
    path: Path,
    progress: Progress | None = None,
    using: str = DEFAULT_DB_ALIAS,
    search_processes: int | None = 1,
) -> dict:
    """Restore the archive at ``path``; return {"models": {label: rows}, "files": n, "documents": n}.

    ``search_processes``: as ``search_index_rebuild``'s ``processes`` (None: as many as the cores allow)."""
    progress = progress or (lambda stage, done, total: None)
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BackupError(NOT_AN_ARCHIVE.format(path=path)) from exc
    with archive:
        manifest = _read_manifest(archive, path)
        _verify(archive, manifest, progress)
        _check_schema(manifest, using=using)
        _check_empty(using=using)
        todo = _check_files(manifest)
        written: list[str] = []
        try:
            _restore_files(archive, todo, written, progress)
            loaded = _load(archive, manifest, progress, using=using)
        except BaseException:
            for name in written:  # the database stays empty: so does MEDIA_ROOT
                default_storage.delete(name)
            raise
    progress("aggregates", 0, Paper.objects.using(using).count())  # the bar shows before the first batch ends
    aggregates_rebuild(progress=lambda done, total: progress("aggregates", done, total))
    documents = _rebuild_search(progress, processes=search_processes)
    return {"models": loaded, "files": len(manifest["files"]), "documents": documents}


def _rebuild_search(progress: Progress, *, processes: int | None) -> int:
    total, done = documents.count_all(), 0
    progress("search", 0, total)

    def advance(n: int) -> None:
        nonlocal done
        done += n
        progress("search", done, total)

    return search_index_rebuild(progress=advance, processes=processes)
