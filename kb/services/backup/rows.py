"""Putting archived rows into the database (used by ``kb.services.backup.restore``).

Rows keep their primary keys, so every foreign key, generic relation (tags), history row and
M2M link stays what it was. They are inserted raw, in batches: no ``save()``, no signals (history,
search, aggregates), no ``auto_now`` overwriting the stored dates, no file-field side effects.

The exception is what ``migrate`` creates by itself (``SEEDED_BY_MIGRATE``: content types,
permissions, the role groups of a data migration and their permission links). Their primary keys
may differ between two databases, so those rows are matched by natural key (link rows by their
pair), and every foreign key and generic object id pointing at them is translated.
"""

from __future__ import annotations

import itertools
import zipfile
from collections.abc import Callable, Iterator

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist
from django.db import connections, models

from kb.services.backup.manifest import CHUNK, SEEDED_BY_MIGRATE, model_label

# Models that name another row by content type + object id without declaring a GenericForeignKey.
GENERIC_PAIRS = {"admin.logentry": ("content_type_id", "object_id")}

Remap = dict[str, dict]  # model label → {archived pk: pk in this database}


def archived_objects(archive: zipfile.ZipFile, member: str, *, using: str) -> Iterator[list]:
    """The member's rows as unsaved model instances, CHUNK at a time."""
    with archive.open(member) as raw:
        lines = (line.decode("utf-8") for line in raw)
        while batch := list(itertools.islice(lines, CHUNK)):
            yield [d.object for d in serializers.deserialize("jsonl", batch, using=using)]


def _generic_pairs(model: type[models.Model]) -> list[tuple[str, str]]:
    pairs = [
        (getattr(model._meta.get_field(f.ct_field), "attname", f.ct_field), f.fk_field)
        for f in model._meta.private_fields
        if isinstance(f, GenericForeignKey)
    ]
    if model_label(model) in GENERIC_PAIRS:
        pairs.append(GENERIC_PAIRS[model_label(model)])
    return pairs


def remap_references(objs: list, remap: Remap, *, using: str) -> None:
    """Point foreign keys and generic object ids at the rows as they are numbered here."""
    if not objs or not any(remap.values()):
        return
    model = type(objs[0])
    fks = [
        (f.attname, remap[label])
        for f in model._meta.local_concrete_fields
        if f.is_relation
        and f.target_field.primary_key
        and remap.get(label := model_label(f.related_model._meta.concrete_model))
    ]
    pairs = _generic_pairs(model)
    for obj in objs:
        for attname, table in fks:
            value = getattr(obj, attname)
            if value in table:
                setattr(obj, attname, table[value])
        for ct_attname, id_attname in pairs:
            _remap_generic(obj, ct_attname, id_attname, remap, using=using)


def _remap_generic(obj, ct_attname: str, id_attname: str, remap: Remap, *, using: str) -> None:
    ct_id, object_id = getattr(obj, ct_attname), getattr(obj, id_attname)
    if ct_id is None or object_id in (None, ""):
        return
    target = ContentType.objects.db_manager(using).get_for_id(ct_id).model_class()
    if target is None or not (table := remap.get(model_label(target))):
        return
    key = target._meta.pk.to_python(object_id)
    if key in table:
        setattr(obj, id_attname, type(object_id)(table[key]))


def insert_raw(objs: list, *, using: str) -> None:
    """INSERT the instances as they are (primary keys included), in batches the backend accepts."""
    if not objs:
        return
    model = type(objs[0])
    fields = list(model._meta.local_concrete_fields)
    size = connections[using].ops.bulk_batch_size(fields, objs) or len(objs)
    manager = model._base_manager.using(using)
    for start in range(0, len(objs), size):
        manager._insert(objs[start : start + size], fields=fields, using=using, raw=True)


def is_seeded(model: type[models.Model]) -> bool:
    return model_label(model) in SEEDED_BY_MIGRATE


def _existing(model: type[models.Model], obj, *, using: str):
    manager = model._default_manager.db_manager(using)
    if hasattr(manager, "get_by_natural_key") and hasattr(obj, "natural_key"):
        try:
            return manager.get_by_natural_key(*obj.natural_key())
        except ObjectDoesNotExist:
            return None
    # A link table: the pair of rows it links is its identity.
    pair = {f.attname: getattr(obj, f.attname) for f in model._meta.local_concrete_fields if f.is_relation}
    return model._base_manager.using(using).filter(**pair).first()


def merge_seeded(objs: list, remap: Remap, *, using: str) -> tuple[int, int]:
    """Match rows ``migrate`` may have created already; insert the others. (matched, inserted)."""
    model = type(objs[0])
    table = remap.setdefault(model_label(model), {})
    matched = inserted = 0
    values = [f for f in model._meta.local_concrete_fields if not f.primary_key]
    for obj in objs:
        archived_pk = obj.pk
        found = _existing(model, obj, using=using)
        if found is not None:
            table[archived_pk] = found.pk
            changed = {
                f.attname: getattr(obj, f.attname)
                for f in values
                if getattr(obj, f.attname) != getattr(found, f.attname)
            }
            if changed:
                model._base_manager.using(using).filter(pk=found.pk).update(**changed)
            matched += 1
            continue
        if model._base_manager.using(using).filter(pk=archived_pk).exists():
            obj.pk = None  # taken by another row here: a new number, and references follow it
        obj.save_base(raw=True, using=using, force_insert=True)
        table[archived_pk] = obj.pk
        inserted += 1
    return matched, inserted


def load_member(
    archive: zipfile.ZipFile, member: str, remap: Remap, *, using: str, advance: Callable[[int], None]
) -> None:
    """Load one model's member: seeded models merged by natural key, all others inserted raw."""
    for objs in archived_objects(archive, member, using=using):
        remap_references(objs, remap, using=using)
        if is_seeded(type(objs[0])):
            merge_seeded(objs, remap, using=using)
        else:
            insert_raw(objs, using=using)
        advance(len(objs))
