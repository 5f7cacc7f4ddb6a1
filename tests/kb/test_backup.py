"""export_kb / import_kb: a varied library survives export → fresh database → import, every row of
every model field by field and every file byte for byte; and each refusal says why.

The round trip runs on the database the suite runs on (SQLite, or PostgreSQL with DATABASE_URL):
it flushes the test database (a transactional test) and renumbers what ``migrate`` creates (content
types, permissions, role groups), as a database migrated elsewhere would number them.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import uuid
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.sql import emit_post_migrate_signal
from django.db import DEFAULT_DB_ALIAS

from kb.lib.roles import ROLES
from kb.models import Annotation, Concept, Upload, Visibility
from kb.search import dictionary
from kb.search.index import forget_index
from kb.search.selectors import search_query
from kb.services.aggregates import aggregates_stored
from kb.services.annotations import annotation_create, annotation_reply
from kb.services.backup import FORMAT_VERSION, backup_export
from kb.services.backup.manifest import MANIFEST, excluded_models, exported_models, file_fields, model_label
from kb.services.backup.restore import (
    DAMAGED,
    FILE_CONFLICT,
    INVALID_ROWS,
    NEWER_FORMAT,
    NEWER_SCHEMA,
    NOT_AN_ARCHIVE,
    NOT_EMPTY,
)
from kb.services.backup.rows import is_seeded
from kb.services.claims import claim_create
from kb.services.crossrefs.decisions import crossref_create
from kb.services.groups import group_add_member, group_create
from kb.services.loading import paper_load
from kb.services.preferences import preference_update
from kb.services.reading import reading_position_record
from kb.services.tokens import token_create
from papers.models import Paper
from tests import factories as f
from tests.kb.pdfs import chinese_pdf

TEXT = (
    "数字治理与城乡差距\n\n李四\n\n摘要：本文讨论数字鸿沟与共同富裕。\n\n一、引言\n\n"
    "数字鸿沟扩大了城乡之间的收入差距，共同富裕需要弥合数字鸿沟。\n\n二、结论\n\n"
    "公共服务的数字化有助于共同富裕。\n"
)


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.KB_SEARCH_INDEX_DIR = str(tmp_path / "search-index")
    settings.KB_SEARCH_THESAURUS_TTL = 0
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }
    dictionary.thesaurus_changed()
    yield
    forget_index(settings.KB_SEARCH_INDEX_DIR)


def _library() -> None:
    """Papers (a PDF and a text, with their source files), concepts with mentions, annotations with
    tags, a reply and a group audience, a claim with evidence from another paper, a cross-reference,
    a research group, a token, preferences, a reading position, a custom group with permissions,
    an admin log entry naming a role group, and the history rows all of these leave."""
    scholar = f.UserFactory(username="scholar", role="Scholar")
    editor = f.UserFactory(username="editor", role="Editor")
    admin = f.UserFactory(username="admin", role="Admin")
    broad = Concept.objects.create(label_zh="共同富裕", label_en="common prosperity", slug="gongtong-fuyu")
    divide = Concept.objects.create(label_zh="数字鸿沟", label_en="digital divide", slug="shuzi-honggou")
    divide.broader.add(broad)
    pdf = paper_load(data=chinese_pdf(2), filename="divide.pdf", user=admin)
    txt = paper_load(data=TEXT.encode(), filename="governance.txt", user=admin)
    assert pdf.status != "failed" and txt.status != "failed", (pdf.error, txt.error)
    pdf_paper, txt_paper = Paper.objects.get(pk=pdf.paper_id), Paper.objects.get(pk=txt.paper_id)
    p_pdf = pdf_paper.passages.filter(text__contains="数字鸿沟").first()
    p_txt = txt_paper.passages.filter(text__contains="数字鸿沟扩大").first()
    reading = group_create(user=editor, name="数字治理读书会", description="每周一次")
    group_add_member(user=editor, group=reading, member=scholar)
    note = annotation_create(
        user=editor,
        passage=p_txt,
        start=0,
        end=4,
        exact=p_txt.text[:4],
        body="**关键**概念",
        tags=["方法", "定义"],
        visibility=Visibility.PUBLIC,
        color="yellow",
    )
    annotation_reply(user=admin, parent=note, body="同意，见第二节。")
    annotation_create(
        user=scholar,
        passage=p_pdf,
        start=0,
        end=4,
        exact=p_pdf.text[:4],
        body="小组讨论",
        tags=["待读"],
        visibility=Visibility.GROUP,
        group=reading,
    )
    claim_create(
        user=editor,
        paper=txt_paper,
        statement="数字鸿沟扩大城乡收入差距。",
        concepts=[divide, broad],
        evidence=[
            {"passage": p_txt, "start": 0, "end": 6, "exact": p_txt.text[:6]},
            {"passage": p_pdf, "start": 0, "end": 4, "exact": p_pdf.text[:4], "stance": "qualifies"},
        ],
    )
    crossref_create(source=p_txt, target=p_pdf, relation="same_topic", note="同一议题", user=editor)
    token_create(user=editor, name="导出脚本")
    preference_update(user=scholar, show_concepts=False, color_names={"yellow": "方法"})
    reading_position_record(user=scholar, passage_id=p_txt.pk)
    reviewers = Group.objects.create(name="审稿组")
    reviewers.permissions.add(*Permission.objects.filter(codename__in=["change_paper", "view_claim"]))
    scholar.user_permissions.add(Permission.objects.get(codename="view_paper"))
    LogEntry.objects.create(
        user=admin,
        content_type=ContentType.objects.get_for_model(Group),
        object_id=str(Group.objects.get(name="Scholar").pk),
        object_repr="Scholar",
        action_flag=ADDITION,
    )
    Upload.objects.create(
        batch=uuid.uuid4(),
        file=ContentFile(b"%PDF-1.4 draft", name="draft.pdf"),
        filename="草稿.pdf",
        format="pdf",
        size=14,
        sha256="0" * 64,
        uploaded_by=admin,
        preview={"title": "草稿", "pages": [1, 2]},
    )


def _natural(model, pk, cache: dict):
    """What ``migrate`` creates is compared by natural key (its numbers may differ), the rest by pk."""
    key = (model_label(model), pk)
    if key not in cache:
        cache[key] = model._base_manager.get(pk=pk).natural_key() if pk is not None else None
    return cache[key]


def _snapshot() -> dict[str, dict]:
    """Every row of every exported model: {label: {identity: {attname: value}}}."""
    cache: dict = {}
    out = {}
    for model in exported_models():
        rows = {}
        fields = model._meta.local_concrete_fields
        for obj in model._base_manager.order_by("pk"):
            values = {}
            for field in fields:
                value = field.value_from_object(obj) if not field.is_relation else getattr(obj, field.attname)
                if (
                    field.is_relation
                    and is_seeded(field.related_model)
                    and hasattr(field.related_model, "natural_key")
                ):
                    value = _natural(field.related_model, value, cache)
                if isinstance(value, (dict, list)):
                    value = json.dumps(value, sort_keys=True, ensure_ascii=False)
                values[field.attname] = value
            if model is LogEntry and obj.content_type.model_class() is Group:
                values["object_id"] = Group.objects.get(pk=obj.object_id).natural_key()
            if is_seeded(model):
                identity = (
                    _natural(model, obj.pk, cache)
                    if hasattr(model, "natural_key")
                    else tuple(v for k, v in values.items() if k != model._meta.pk.attname)
                )
                values.pop(model._meta.pk.attname, None)
            else:
                identity = obj.pk
            rows[identity] = values
        out[model_label(model)] = rows
    return out


def _files() -> dict[str, str]:
    """Storage name → SHA-256 of every file any file field names."""
    out = {}
    for model in exported_models():
        for field in file_fields(model):
            for name in model._base_manager.exclude(**{field.attname: ""}).values_list(
                field.attname, flat=True
            ):
                with field.storage.open(name) as data:
                    out[name] = hashlib.sha256(data.read()).hexdigest()
    return out


def _fresh_database(settings) -> None:
    """Flush, then let ``migrate``'s creations come back under other numbers than before."""
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    ContentType.objects.create(app_label="zz_backup_test", model="shifted")  # every later id moves by one
    emit_post_migrate_signal(verbosity=0, interactive=False, db=DEFAULT_DB_ALIAS)
    ContentType.objects.filter(app_label="zz_backup_test").delete()
    for name in reversed(ROLES):  # the data migration made them Scholar, Editor, Admin
        Group.objects.create(name=name)
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    shutil.rmtree(settings.KB_SEARCH_INDEX_DIR, ignore_errors=True)
    forget_index(settings.KB_SEARCH_INDEX_DIR)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_export_then_import_into_a_fresh_database_changes_nothing(settings, tmp_path):
    _library()
    before, files_before, aggregates_before = _snapshot(), _files(), aggregates_stored()
    ct_before = {ct.natural_key(): ct.pk for ct in ContentType.objects.all()}
    populated = {label for label, rows in before.items() if rows}
    expected = {
        "auth.user",
        "auth.user_groups",
        "auth.group_permissions",
        "auth.user_user_permissions",
        "admin.logentry",
        "papers.paper",
        "papers.sourcefile",
        "papers.textrevision",
        "papers.passage",
        "papers.historicalpaper",
        "kb.annotation",
        "kb.historicalannotation",
        "taggit.tag",
        "taggit.taggeditem",
        "kb.claim",
        "kb.claim_concepts",
        "kb.evidence",
        "kb.historicalevidence",
        "kb.concept",
        "kb.concept_broader",
        "kb.mention",
        "kb.crossreference",
        "kb.researchgroup",
        "kb.groupmembership",
        "kb.historicalgroupmembership",
        "kb.apitoken",
        "kb.userpreference",
        "kb.readingposition",
        "kb.upload",
    }
    assert expected <= populated, expected - populated
    assert any(n.startswith("sources/") and n.endswith(".pdf") for n in files_before)
    assert any(n.startswith("uploads/") for n in files_before)
    archive = tmp_path / "kb.zip"
    call_command("export_kb", str(archive), verbosity=0)

    _fresh_database(settings)
    assert not Paper.objects.exists() and not default_storage.exists(next(iter(files_before)))
    assert {ct.natural_key(): ct.pk for ct in ContentType.objects.all()} != ct_before
    call_command("import_kb", str(archive), verbosity=0)

    after = _snapshot()
    assert sorted(after) == sorted(before)
    for label in before:
        for key, row in before[label].items():
            assert after[label].get(key) == row, (
                label,
                key,
                {
                    k: (v, after[label].get(key, {}).get(k))
                    for k, v in row.items()
                    if after[label].get(key, {}).get(k) != v
                },
            )
        assert after[label] == before[label], label
    assert _files() == files_before
    assert aggregates_stored() == aggregates_before
    scholar = get_user_model().objects.get(username="scholar")
    assert scholar.check_password(f.PASSWORD)
    hits = search_query(query="数字鸿沟", user=scholar).hits
    assert {h.paper_id for h in hits} >= set(Paper.objects.values_list("pk", flat=True))
    assert Annotation.objects.get(parent__isnull=False).parent.tags.count() == 2
    # New rows get numbers after the restored ones (PostgreSQL sequences were reset).
    assert Group.objects.create(name="新组").pk > max(
        g for g in Group.objects.exclude(name="新组").values_list("pk", flat=True)
    )
    assert Paper.objects.create(title="新论文").pk > max(before["papers.paper"])


# --- Refusals -------------------------------------------------------------------------------


def _matches(template: str, message: str) -> bool:
    """``message`` is ``template`` with its placeholders filled."""
    pattern = ".+".join(re.escape(part) for part in re.split(r"\{\w+\}", template))
    return re.fullmatch(pattern, message, flags=re.S) is not None


def _rewrite(archive: Path, *, manifest=None, member: str | None = None, data: bytes | None = None) -> None:
    with zipfile.ZipFile(archive) as old:
        items = [(info, old.read(info.filename)) for info in old.infolist()]
    with zipfile.ZipFile(archive, "w") as new:
        for info, content in items:
            if info.filename == MANIFEST and manifest is not None:
                content = json.dumps(manifest).encode()
            elif info.filename == member:
                content = data
            new.writestr(info, content)


def _manifest(archive: Path) -> dict:
    with zipfile.ZipFile(archive) as z:
        return json.loads(z.read(MANIFEST))


def _import_error(archive: Path) -> str:
    with pytest.raises(CommandError) as exc:
        call_command("import_kb", str(archive), verbosity=0)
    return str(exc.value)


def _empty_database() -> None:
    """Delete every row migrate did not create (inside the test's transaction, rolled back after)."""
    derived = [apps.get_model(label) for label in excluded_models()]
    for model in [*derived, *reversed(exported_models())]:
        if not is_seeded(model):
            model._base_manager.all()._raw_delete(DEFAULT_DB_ALIAS)


@pytest.fixture
def archive(db, tmp_path):
    paper_load(
        data=TEXT.encode(), filename="governance.txt", user=f.UserFactory(username="admin", role="Admin")
    )
    path = tmp_path / "kb.zip"
    backup_export(path=path)
    return path


def test_refuses_a_database_that_holds_data(archive):
    message = _import_error(archive)
    assert _matches(NOT_EMPTY, message) and "1 × papers.paper" in message and "auth.user" in message
    assert Paper.objects.count() == 1


def test_refuses_a_newer_format_version(archive):
    _rewrite(archive, manifest={**_manifest(archive), "format_version": FORMAT_VERSION + 1})
    _empty_database()
    assert _import_error(archive) == NEWER_FORMAT.format(found=FORMAT_VERSION + 1, supported=FORMAT_VERSION)


def test_refuses_an_archive_from_a_newer_schema(archive):
    manifest = _manifest(archive)
    manifest["migrations"]["kb"].append("9999_from_the_future")
    _rewrite(archive, manifest=manifest)
    _empty_database()
    message = _import_error(archive)
    assert _matches(NEWER_SCHEMA, message) and "kb.9999_from_the_future" in message


def test_refuses_a_damaged_member_and_loads_nothing(archive):
    member = next(m["member"] for m in _manifest(archive)["models"] if m["model"] == "papers.paper")
    with zipfile.ZipFile(archive) as z:
        data = z.read(member).replace("数字治理".encode(), "数字政府".encode())
    _rewrite(archive, member=member, data=data)
    _empty_database()
    message = _import_error(archive)
    assert message == DAMAGED.format(member=member, problem="does not match its SHA-256 checksum")
    assert not Paper.objects.exists() and not get_user_model().objects.exists()


def test_refuses_a_file_that_is_not_an_archive(db, tmp_path):
    path = tmp_path / "notes.zip"
    path.write_bytes(b"%PDF-1.7 not a zip")
    assert _import_error(path) == NOT_AN_ARCHIVE.format(path=path)
    path.write_bytes(b"")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("data.json", "[]")
    assert _import_error(path) == NOT_AN_ARCHIVE.format(path=path)


def test_refuses_to_overwrite_another_file_in_media_root(archive):
    name = _manifest(archive)["files"][0]["name"]
    _empty_database()
    with default_storage.open(name, "wb") as out:
        out.write(b"another file")
    assert _import_error(archive) == FILE_CONFLICT.format(name=name)
    with default_storage.open(name) as data:
        assert data.read() == b"another file"


def test_manifest_lists_counts_checksums_and_what_is_left_out(archive):
    assert archive.stat().st_mode & 0o777 == 0o600  # password hashes: the owner's eyes only
    manifest = _manifest(archive)
    counts = {m["model"]: m["count"] for m in manifest["models"]}
    assert counts["papers.paper"] == 1 and counts["auth.user"] == 1
    assert (
        "sessions.session" in manifest["excluded_models"] and "kb.conceptstat" in manifest["excluded_models"]
    )
    assert "search index" in manifest["not_in_archive"]
    assert manifest["migrations"]["kb"][-1].startswith("00")
    with zipfile.ZipFile(archive) as z:
        for entry in manifest["models"] + manifest["files"]:
            assert hashlib.sha256(z.read(entry["member"])).hexdigest() == entry["sha256"]
        sums = z.read("SHA256SUMS").decode()
    assert f"{manifest['files'][0]['sha256']}  {manifest['files'][0]['member']}" in sums


def test_refuses_a_malformed_manifest_and_a_file_name_outside_media_root(archive):
    manifest = _manifest(archive)
    _empty_database()
    _rewrite(archive, manifest={**manifest, "models": "everything"})
    assert _import_error(archive) == DAMAGED.format(member=MANIFEST, problem="is malformed")
    entry = manifest["files"][0]
    _rewrite(archive, manifest={**manifest, "files": [{**entry, "name": "../../outside.txt"}]})
    assert _import_error(archive) == DAMAGED.format(
        member=entry["member"], problem="names a file outside MEDIA_ROOT"
    )


def test_rows_that_do_not_fit_together_load_nothing_and_leave_no_file(archive, settings):
    """A consistent archive (checksums updated) whose passages name a paper that is not in it."""
    manifest = _manifest(archive)
    entry = next(m for m in manifest["models"] if m["model"] == "papers.passage")
    with zipfile.ZipFile(archive) as z:
        rows = [json.loads(line) for line in z.read(entry["member"]).decode().splitlines()]
    for row in rows:
        row["fields"]["paper"] = 999_999
    data = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode()
    entry["sha256"] = hashlib.sha256(data).hexdigest()
    _rewrite(archive, manifest=manifest, member=entry["member"], data=data)
    _empty_database()
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    message = _import_error(archive)
    assert _matches(INVALID_ROWS, message) and "999999" in message
    assert not Paper.objects.exists() and not get_user_model().objects.exists()
    assert not default_storage.exists(manifest["files"][0]["name"])


def test_export_refuses_a_directory(db, tmp_path):
    with pytest.raises(CommandError, match="is a directory"):
        call_command("export_kb", str(tmp_path), verbosity=0)


def test_every_model_is_exported_or_excluded_with_a_reason_and_targets_come_first():
    labels = [model_label(m) for m in exported_models()]
    everything = {
        model_label(m)
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not m._meta.swapped
    }
    assert set(labels) | set(excluded_models()) == everything
    assert not set(labels) & set(excluded_models())
    assert {"kb.claim_concepts", "taggit.taggeditem", "kb.historicalannotation", "auth.user_groups"} <= set(
        labels
    )
    for before, after in [
        ("contenttypes.contenttype", "auth.permission"),
        ("papers.paper", "papers.passage"),
        ("papers.passage", "kb.annotation"),
        ("kb.claim", "kb.evidence"),
        ("auth.group", "auth.user_groups"),
    ]:
        assert labels.index(before) < labels.index(after), (before, after)
