"""Writing a backup archive (``manage.py export_kb``).

``backup_export(path=..., progress=...)`` writes every exported model (see ``manifest``) to a ZIP
file, model by model in dependency order, in chunks of ``CHUNK`` rows by primary key (Django's
JSON Lines serializer, local concrete fields only, so M2M links travel as their own link tables),
then every file named by a file field, then the manifest with the SHA-256 of every member.

Everything is read in one transaction (repeatable read on PostgreSQL; SQLite's read transaction
is a snapshot too), so a write made meanwhile is either wholly in the archive or not at all. The
archive is written beside ``path`` and renamed into place at the end: a failed export leaves no
half archive.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from django.core import serializers
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from kb.services.backup.manifest import (
    CHECKSUMS,
    CHUNK,
    DATA_DIR,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA_DIR,
    NOT_IN_DATABASE,
    BackupError,
    Digest,
    ExactJSONEncoder,
    check_tables,
    checksums_text,
    excluded_models,
    exported_models,
    file_fields,
    migration_state,
    model_label,
)

Progress = Callable[[str, int, int], None]  # (stage, done, total)


def _rows(model, *, using: str):
    """Querysets of at most CHUNK rows, in pk order (keyset paging: no OFFSET, no growing cost)."""
    base = model._base_manager.using(using).order_by("pk")
    last = None
    while True:
        chunk = list((base if last is None else base.filter(pk__gt=last))[:CHUNK])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def _write_model(
    archive: zipfile.ZipFile, model, member: str, *, using: str, progress: Callable[[int], None]
) -> dict:
    names = [f.name for f in model._meta.local_concrete_fields]
    digest, count = Digest(), 0
    with archive.open(member, "w", force_zip64=True) as out:
        for chunk in _rows(model, using=using):
            data = serializers.serialize("jsonl", chunk, fields=names, cls=ExactJSONEncoder).encode("utf-8")
            out.write(data)
            digest.update(data)
            count += len(chunk)
            progress(len(chunk))
    return {"model": model_label(model), "member": member, "count": count, "sha256": digest.hexdigest()}


def _file_names(*, using: str) -> dict[str, object]:
    """Storage name → storage, for every non-empty file field value of every exported model."""
    names: dict[str, object] = {}
    for model in exported_models():
        for field in file_fields(model):
            values = (
                model._base_manager.using(using)
                .exclude(**{field.attname: ""})
                .exclude(**{f"{field.attname}__isnull": True})
            )
            for name in values.values_list(field.attname, flat=True).distinct().iterator():
                names.setdefault(name, field.storage)
    return names


def _write_file(archive: zipfile.ZipFile, name: str, storage) -> dict | None:
    if not storage.exists(name):
        return None
    member, digest = MEDIA_DIR + name, Digest()
    # PDFs are compressed already: storing them is as small and much quicker.
    with (
        storage.open(name, "rb") as src,
        archive.open(zipfile.ZipInfo(member, date_time=(1980, 1, 1, 0, 0, 0)), "w", force_zip64=True) as out,
    ):
        while block := src.read(1 << 20):
            out.write(block)
            digest.update(block)
    return {"name": name, "member": member, "size": digest.size, "sha256": digest.hexdigest()}


def backup_export(*, path: Path, progress: Progress | None = None, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Write the archive to ``path``; return its manifest (missing files are listed in it)."""
    progress = progress or (lambda stage, done, total: None)
    path = Path(path)
    if path.is_dir():
        raise BackupError(f"{path} is a directory; give the archive's file name, e.g. {path / 'tanyuan.zip'}")
    fd, tmp = tempfile.mkstemp(prefix=".export-", suffix=".zip", dir=path.parent)
    os.close(fd)
    try:
        connection = connections[using]
        outermost = not connection.in_atomic_block  # else the caller's transaction is the snapshot
        with transaction.atomic(using=using):
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            manifest = _write_archive(Path(tmp), using=using, progress=progress)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return manifest


def _write_archive(tmp: Path, *, using: str, progress: Progress) -> dict:
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        models = exported_models()
        check_tables(models, using=using)
        total = sum(m._base_manager.using(using).count() for m in models)
        done = 0

        def advance(n: int) -> None:
            nonlocal done
            done += n
            progress("rows", done, total)

        models_written = [
            _write_model(
                archive, model, f"{DATA_DIR}{i:04d}-{model_label(model)}.jsonl", using=using, progress=advance
            )
            for i, model in enumerate(models, start=1)
        ]
        names = _file_names(using=using)
        files, missing = [], []
        for written, (name, storage) in enumerate(sorted(names.items()), start=1):
            entry = _write_file(archive, name, storage)
            if entry is None:  # named by a row, gone from storage: reported, the export goes on
                missing.append(name)
            else:
                files.append(entry)
            progress("files", written, len(names))
        state = migration_state(using=using)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "database_vendor": connections[using].vendor,
            "schema": {app: applied[-1] for app, applied in state.items()},  # the latest migration per app
            "migrations": state,
            "models": models_written,
            "files": files,
            "missing_files": missing,
            "excluded_models": excluded_models(),
            "not_in_archive": NOT_IN_DATABASE,
        }
        members = [(m["member"], m["sha256"]) for m in models_written] + [
            (f["member"], f["sha256"]) for f in files
        ]
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        archive.writestr(CHECKSUMS, checksums_text(members))
    return manifest
