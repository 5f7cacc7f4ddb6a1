"""The admin upload: services (create, parse task, corrections, publish, discard) and the pages.

Most tests run the parse task synchronously (django-tasks' ImmediateBackend);
the tests that need a job to stay queued switch back to the database backend.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kb.models import AnchorStatus, Upload, UploadState
from kb.services import loading
from kb.services import uploads as svc
from papers.models import Paper, PaperStatus, Passage, SourceFile, TextRevision
from papers.services import metadata
from tests import factories as f
from tests.samples import SHORT_PAPER, run_db_worker

pytestmark = pytest.mark.django_db

# "QUEUES": [] accepts the tasks' queues (indexing, parsing, publishing: kb.settings.TASK_QUEUES).
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}

PAPER = SHORT_PAPER

REVISED_PAPER = PAPER.replace(
    "制度逻辑决定了数字技术进入治理过程的方式",
    "制度逻辑在很大程度上决定了数字技术进入治理过程的方式与节奏",
)


def txt(name: str = "paper.txt", text: str = PAPER, encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/plain")


@pytest.fixture(autouse=True)
def _media_and_tasks(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = IMMEDIATE


def media_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def assert_nothing_saved() -> None:
    assert Paper.objects.count() == 0
    assert Passage.objects.count() == 0
    assert SourceFile.objects.count() == 0
    assert TextRevision.objects.count() == 0


# -- upload_create: checking files ---------------------------------------------------------------


def test_create_accepts_several_files_and_parses_each(admin_user):
    uploads = svc.upload_create(
        files=[txt("a.txt"), txt("b.md", PAPER.replace("数字治理", "数据治理"))], user=admin_user
    ).uploads
    assert [u.filename for u in uploads] == ["a.txt", "b.md"]
    assert len({u.batch for u in uploads}) == 1
    for upload in uploads:
        assert upload.state == UploadState.PARSED
        assert upload.progress == 100
        assert upload.preview["source"]["sha256"] == upload.sha256
        assert upload.preview["passages"]
        assert upload.uploaded_by == admin_user
    assert uploads[0].preview["title"].startswith("数字治理的制度逻辑")
    assert_nothing_saved()  # parsing alone publishes nothing


def test_create_with_the_database_backend_queues_one_job_per_file(admin_user, settings):
    settings.TASKS = DATABASE
    batch = svc.upload_create(files=[txt("a.txt"), txt("b.txt", PAPER + "\n补充一段。")], user=admin_user)
    uploads = batch.uploads
    assert {u.state for u in uploads} == {UploadState.QUEUED}
    jobs = DBTaskResult.objects.all()
    assert sorted(job.args_kwargs["kwargs"]["upload_id"] for job in jobs) == sorted(u.pk for u in uploads)
    assert {u.task_id for u in uploads} == {str(job.id) for job in jobs}

    assert svc.upload_parse(upload_id=uploads[0].pk) == UploadState.PARSED
    uploads[0].refresh_from_db()
    assert uploads[0].state == UploadState.PARSED
    assert svc.upload_parse(upload_id=uploads[0].pk) == "skipped"  # a job runs once


def test_create_accepts_gb18030_text(admin_user):
    (upload,) = svc.upload_create(files=[txt("gbk.txt", PAPER, encoding="gb18030")], user=admin_user)
    assert upload.state in (UploadState.PARSED, UploadState.FAILED)
    assert upload.format == "txt"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", svc.ERROR_EMPTY),
        ("blank.txt", b" \n\r\n\t ", svc.ERROR_EMPTY),
        ("paper.docx", b"PK\x03\x04 some zip", svc.ERROR_TYPE),
        ("paper.exe", b"MZ\x90\x00", svc.ERROR_TYPE),
        ("noext", PAPER.encode(), svc.ERROR_TYPE),
        ("fake.pdf", PAPER.encode(), svc.ERROR_NOT_PDF),
        ("image.pdf", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", svc.ERROR_NOT_PDF),
        ("binary.txt", b"\x00\x01\x02\x03binary\x00", svc.ERROR_NOT_TEXT),
        ("renamed.txt", b"%PDF-1.7\n1 0 obj\n", svc.ERROR_NOT_TEXT),
        ("latin.md", b"\xff\xfe\xfa\xfb\x80\x81\x82", svc.ERROR_NOT_TEXT),
    ],
)
def test_bad_input_is_rejected_before_anything_is_written(admin_user, settings, name, data, message):
    with pytest.raises(ValidationError) as excinfo:
        svc.upload_create(files=[SimpleUploadedFile(name, data)], user=admin_user)
    assert excinfo.value.messages == [message % {"name": name}]
    assert Upload.objects.count() == 0
    assert DBTaskResult.objects.count() == 0
    assert media_files(settings) == []


def test_oversize_file_is_rejected(admin_user, settings):
    settings.KB_UPLOAD_MAX_MB = 1
    big = SimpleUploadedFile("big.txt", ("数" * (2**20 // 3 + 10)).encode())
    assert big.size > 2**20
    with pytest.raises(ValidationError) as excinfo:
        svc.upload_create(files=[big], user=admin_user)
    assert excinfo.value.messages == [svc.ERROR_TOO_LARGE % {"name": "big.txt", "limit": 1}]
    assert Upload.objects.count() == 0


def test_bad_files_are_refused_by_name_and_the_good_ones_accepted(admin_user, settings):
    files = [txt("good.txt"), SimpleUploadedFile("empty.txt", b""), SimpleUploadedFile("x.pdf", b"hello")]
    batch = svc.upload_create(files=files, user=admin_user)
    assert [u.filename for u in batch] == ["good.txt"]
    assert batch.refused == [svc.ERROR_EMPTY % {"name": "empty.txt"}, svc.ERROR_NOT_PDF % {"name": "x.pdf"}]
    assert list(Upload.objects.values_list("filename", flat=True)) == ["good.txt"]
    assert len(media_files(settings)) == 1


def test_a_batch_of_bad_files_writes_nothing_and_names_every_one(admin_user, settings):
    files = [SimpleUploadedFile("empty.txt", b""), SimpleUploadedFile("x.pdf", b"hello")]
    with pytest.raises(ValidationError) as excinfo:
        svc.upload_create(files=files, user=admin_user)
    assert excinfo.value.messages == [
        svc.ERROR_EMPTY % {"name": "empty.txt"},
        svc.ERROR_NOT_PDF % {"name": "x.pdf"},
    ]
    assert Upload.objects.count() == 0
    assert media_files(settings) == []


def test_the_same_file_twice_in_one_batch_is_accepted_once(admin_user):
    batch = svc.upload_create(files=[txt("a.txt"), txt("copy.txt")], user=admin_user)
    assert [u.filename for u in batch] == ["a.txt"]
    assert batch.refused == [svc.ERROR_DUPLICATE_IN_BATCH % {"name": "copy.txt"}]


def test_the_page_says_which_files_were_not_uploaded(admin_client_):
    files = [txt("good.txt"), SimpleUploadedFile("empty.txt", b"")]
    response = admin_client_.post(reverse("kb:upload-create"), {"files": files, "refused": ["big.pdf"]})
    upload = Upload.objects.get()
    assert response["Location"] == f"{reverse('kb:upload-list')}?batch={upload.batch}"
    page = admin_client_.get(response["Location"]).content.decode()
    assert "2 个文件未上传（其余文件已上传）" in page
    assert str(svc.ERROR_EMPTY % {"name": "empty.txt"}) in page
    assert str(svc.ERROR_TOO_LARGE % {"name": "big.pdf", "limit": 50}).split("：")[0] in page
    assert "good.txt" in page


def test_no_files_and_too_many_files(admin_user):
    with pytest.raises(ValidationError) as excinfo:
        svc.upload_create(files=[], user=admin_user)
    assert excinfo.value.messages == [str(svc.ERROR_NO_FILES)]
    many = [txt(f"{i}.txt", f"{PAPER}\n{i}") for i in range(svc.MAX_FILES + 1)]
    with pytest.raises(ValidationError) as excinfo:
        svc.upload_create(files=many, user=admin_user)
    assert excinfo.value.messages == [svc.ERROR_TOO_MANY % {"max": svc.MAX_FILES}]


def test_a_path_in_the_filename_is_reduced_to_its_name(admin_user):
    (upload,) = svc.upload_create(files=[txt("../../etc/paper.txt")], user=admin_user)
    assert upload.filename == "paper.txt"
    assert ".." not in upload.file.name


@pytest.mark.parametrize("who", ["scholar", "editor"])
def test_only_admins_may_call_the_services(request, who, admin_user):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        svc.upload_create(files=[txt()], user=user)
    (upload,) = svc.upload_create(files=[txt()], user=admin_user)
    for call in (svc.upload_publish, svc.upload_discard, svc.upload_retry):
        with pytest.raises(PermissionDenied):
            call(upload=upload, user=user)
    with pytest.raises(PermissionDenied):
        svc.upload_update_preview(upload=upload, user=user, title="x")
    assert_nothing_saved()


# -- upload_parse: the background task -----------------------------------------------------------


def test_pdf_looking_garbage_fails_with_a_clear_error_and_saves_nothing(admin_user):
    garbage = SimpleUploadedFile("garbage.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 40)
    (upload,) = svc.upload_create(files=[garbage], user=admin_user)
    assert upload.state == UploadState.FAILED
    assert upload.error.strip()
    assert upload.preview is None
    assert_nothing_saved()


def test_a_pipeline_crash_fails_the_upload_instead_of_leaving_it_parsing(admin_user, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("bug in the pipeline")

    monkeypatch.setattr(svc, "parse_bytes", boom)
    (upload,) = svc.upload_create(files=[txt()], user=admin_user)
    assert upload.state == UploadState.FAILED
    assert upload.error == str(svc.ERROR_UNEXPECTED)


def test_a_failed_upload_can_be_parsed_again(admin_user, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("bug in the pipeline")

    with monkeypatch.context() as patch:
        patch.setattr(svc, "parse_bytes", broken)
        (upload,) = svc.upload_create(files=[txt()], user=admin_user)
    assert upload.state == UploadState.FAILED
    upload = svc.upload_retry(upload=upload, user=admin_user)
    assert (upload.state, upload.error, upload.progress) == (UploadState.PARSED, "", 100)
    with pytest.raises(ValidationError):
        svc.upload_retry(upload=upload, user=admin_user)  # only a failed upload


def test_a_missing_stored_file_fails_the_upload(admin_user, settings):
    settings.TASKS = DATABASE
    (upload,) = svc.upload_create(files=[txt()], user=admin_user)
    upload.file.storage.delete(upload.file.name)
    assert svc.upload_parse(upload_id=upload.pk) == UploadState.FAILED
    upload.refresh_from_db()
    assert upload.error == str(svc.ERROR_FILE_MISSING)


def test_a_job_for_an_upload_discarded_meanwhile_does_nothing(admin_user, settings):
    settings.TASKS = DATABASE
    (upload,) = svc.upload_create(files=[txt()], user=admin_user)
    svc.upload_discard(upload=upload, user=admin_user)
    assert svc.upload_parse(upload_id=upload.pk) == "skipped"
    upload.refresh_from_db()
    assert upload.state == UploadState.DISCARDED
    assert upload.preview is None


def test_the_database_worker_runs_the_job(admin_user, settings, monkeypatch):
    from django_tasks_db.management.commands import db_worker

    # The worker closes connections it thinks stale; that would end the test's transaction.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    settings.TASKS = DATABASE
    (upload,) = svc.upload_create(files=[txt()], user=admin_user)
    run_db_worker()
    upload.refresh_from_db()
    assert upload.state == UploadState.PARSED
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


# -- corrections, publish, discard ---------------------------------------------------------------


@pytest.fixture
def parsed_upload(admin_user):
    (upload,) = svc.upload_create(files=[txt()], user=admin_user)
    assert upload.state == UploadState.PARSED
    return upload


def test_publish_saves_a_published_paper_and_links_it(parsed_upload, admin_user, settings):
    result = svc.upload_publish(upload=parsed_upload, user=admin_user)
    parsed_upload.refresh_from_db()
    paper = Paper.objects.get()
    assert result.status == "loaded"
    assert parsed_upload.state == UploadState.PUBLISHED
    assert parsed_upload.paper == paper
    assert parsed_upload.outcome == "loaded"
    assert paper.status == PaperStatus.PUBLISHED
    assert paper.title.startswith("数字治理的制度逻辑")
    assert Passage.objects.filter(paper=paper).count() == len(parsed_upload.preview["passages"])
    assert SourceFile.objects.get().uploaded_by == admin_user


@pytest.fixture
def worker(settings, monkeypatch):
    """The database task backend, and a function running its worker until the queue is empty."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    settings.TASKS = DATABASE
    return run_db_worker


def test_publishing_runs_in_the_worker_with_progress(admin_user, admin_client_, worker, settings):
    settings.TASKS = IMMEDIATE
    (upload,) = svc.upload_create(files=[txt()], user=admin_user)
    settings.TASKS = DATABASE
    response = admin_client_.post(reverse("kb:upload-publish", args=[upload.pk]))
    assert response["Location"] == upload.get_absolute_url()  # not the paper yet
    upload.refresh_from_db()
    assert (upload.state, upload.is_active, Paper.objects.count()) == (UploadState.PUBLISHING, True, 0)
    fragment = admin_client_.get(reverse("kb:upload-progress", args=[upload.pk])).content.decode()
    assert "发布中" in fragment and "<progress" in fragment and "data-paper-url" not in fragment
    assert not upload.can_discard and not upload.can_publish
    worker()
    upload.refresh_from_db()
    paper = Paper.objects.get()
    assert (upload.state, upload.paper, paper.status) == (UploadState.PUBLISHED, paper, PaperStatus.PUBLISHED)
    fragment = admin_client_.get(reverse("kb:upload-progress", args=[upload.pk])).content.decode()
    assert f'data-paper-url="{paper.get_absolute_url()}"' in fragment


def test_a_publication_that_fails_in_the_worker_goes_back_with_the_reason(
    admin_user, admin_client_, worker, monkeypatch
):
    (upload,) = svc.upload_create(files=[txt()], user=admin_user)
    worker()
    svc.upload_publish_request(upload=upload, user=admin_user)

    def broken(**kwargs):
        Paper.objects.create(title="半途")  # written, then rolled back with the failure
        raise ValidationError("数据库出错")

    monkeypatch.setattr(svc, "paper_load", broken)
    worker()
    upload.refresh_from_db()
    assert (upload.state, upload.error) == (UploadState.PARSED, "数据库出错")
    assert Paper.objects.count() == 0
    html = admin_client_.get(upload.get_absolute_url()).content.decode()
    assert "发布未成功：数据库出错" in html
    assert reverse("kb:upload-publish", args=[upload.pk]) in html  # try again


def test_a_stalled_publication_is_queued_again_and_runs_once(admin_user, worker, settings):
    (upload,) = svc.upload_create(files=[txt()], user=admin_user)
    worker()
    svc.upload_publish_request(upload=upload, user=admin_user)
    Upload.objects.filter(pk=upload.pk).update(updated_at=timezone.now() - timedelta(hours=2))
    upload.refresh_from_db()
    assert upload.is_stalled and upload.can_retry and upload.can_discard
    assert svc.upload_retry(upload=upload, user=admin_user).state == UploadState.PUBLISHING
    worker()  # both jobs: the first publishes, the second finds nothing to do
    upload.refresh_from_db()
    assert (upload.state, Paper.objects.count()) == (UploadState.PUBLISHED, 1)
    assert svc.upload_publish_run(upload_id=upload.pk, user_id=admin_user.pk) == "skipped"


def test_only_a_parsed_upload_can_be_queued_for_publication(admin_user, worker, scholar):
    (upload,) = svc.upload_create(files=[txt()], user=admin_user)
    with pytest.raises(ValidationError):  # still queued for parsing
        svc.upload_publish_request(upload=upload, user=admin_user)
    worker()
    with pytest.raises(PermissionDenied):
        svc.upload_publish_request(upload=upload, user=scholar)
    svc.upload_publish_request(upload=upload, user=admin_user)
    with pytest.raises(ValidationError):  # twice
        svc.upload_publish_request(upload=upload, user=admin_user)


def test_publish_applies_the_corrections(parsed_upload, admin_user):
    svc.upload_update_preview(
        upload=parsed_upload,
        user=admin_user,
        title="数字治理的制度逻辑",
        subtitle="一个分析框架",
        title_en="The Institutional Logic of Digital Governance",
        authors="王佃利\n滕蕾",
        year="2023",
        venue="公共管理学报",
        doi="https://doi.org/10.1234/abcd.2023.01",
        keywords="数字治理；制度逻辑, 公共管理",
    )
    svc.upload_publish(upload=parsed_upload, user=admin_user)
    paper = Paper.objects.get()
    assert (paper.title, paper.subtitle, paper.title_en) == (
        "数字治理的制度逻辑",
        "一个分析框架",
        "The Institutional Logic of Digital Governance",
    )
    assert [a.author.name for a in paper.authorships.order_by("order")] == ["王佃利", "滕蕾"]
    assert (paper.year, paper.venue, paper.doi) == (2023, "公共管理学报", "10.1234/abcd.2023.01")
    assert paper.keywords == ["数字治理", "制度逻辑", "公共管理"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("doi", "not a doi", metadata.METADATA_DOI),
        ("year", "99", metadata.METADATA_YEAR),
        ("year", "二〇二三", metadata.METADATA_YEAR),
        ("title", "题" * 501, metadata.METADATA_TOO_LONG % {"limit": 500}),
        ("authors", ["名" * 201], metadata.AUTHOR_TOO_LONG),
    ],
)
def test_invalid_corrections_are_refused(parsed_upload, admin_user, field, value, message):
    with pytest.raises(ValidationError) as excinfo:
        svc.upload_update_preview(upload=parsed_upload, user=admin_user, **{field: value})
    assert excinfo.value.message_dict == {field: [str(message)]}
    parsed_upload.refresh_from_db()
    assert parsed_upload.corrections == {}


def test_unknown_fields_cannot_be_corrected(parsed_upload, admin_user):
    with pytest.raises(ValidationError) as excinfo:
        svc.upload_update_preview(upload=parsed_upload, user=admin_user, status="archived")
    assert excinfo.value.messages == [metadata.METADATA_UNKNOWN_FIELD % {"fields": "status"}]


def test_publish_failure_leaves_no_paper_rows_and_the_upload_awaiting(parsed_upload, admin_user, monkeypatch):
    def failing_followup(outcome):
        raise RuntimeError("search index down")

    monkeypatch.setattr(loading, "paper_loaded", failing_followup)
    with pytest.raises(RuntimeError):
        svc.upload_publish(upload=parsed_upload, user=admin_user)
    assert_nothing_saved()
    parsed_upload.refresh_from_db()
    assert parsed_upload.state == UploadState.PARSED
    assert parsed_upload.paper is None


def test_only_a_parsed_upload_can_be_corrected_or_published(admin_user, settings):
    settings.TASKS = DATABASE
    (upload,) = svc.upload_create(files=[txt()], user=admin_user)
    with pytest.raises(ValidationError) as excinfo:
        svc.upload_publish(upload=upload, user=admin_user)
    assert excinfo.value.messages == [svc.ERROR_STATE % {"state": "排队中"}]
    with pytest.raises(ValidationError):
        svc.upload_update_preview(upload=upload, user=admin_user, title="x")
    assert_nothing_saved()


def test_publishing_twice_is_refused(parsed_upload, admin_user):
    svc.upload_publish(upload=parsed_upload, user=admin_user)
    with pytest.raises(ValidationError):
        svc.upload_publish(upload=parsed_upload, user=admin_user)
    assert Paper.objects.count() == 1


def test_publish_and_discard_delete_the_upload_copy_once_committed(
    admin_user, settings, django_capture_on_commit_callbacks
):
    first, second = svc.upload_create(
        files=[txt("a.txt"), txt("b.txt", PAPER.replace("数字治理", "数据治理"))], user=admin_user
    )
    kept = Path(first.file.path), Path(second.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        svc.upload_publish(upload=first, user=admin_user)
        svc.upload_discard(upload=second, user=admin_user)
    assert not kept[0].exists() and not kept[1].exists()
    second.refresh_from_db()
    assert second.state == UploadState.DISCARDED
    # The published paper keeps its own copy of the source.
    assert Path(SourceFile.objects.get().file.path).read_bytes() == PAPER.encode()


def test_a_published_upload_cannot_be_discarded(parsed_upload, admin_user):
    svc.upload_publish(upload=parsed_upload, user=admin_user)
    with pytest.raises(ValidationError):
        svc.upload_discard(upload=parsed_upload, user=admin_user)


def test_uploading_the_same_file_again_says_unchanged(parsed_upload, admin_user):
    from kb.selectors.uploads import upload_preview

    svc.upload_publish(upload=parsed_upload, user=admin_user)
    paper = Paper.objects.get()
    (again,) = svc.upload_create(files=[txt("again.txt")], user=admin_user)
    assert upload_preview(upload=again)["duplicate_of"] == paper
    result = svc.upload_publish(upload=again, user=admin_user)
    again.refresh_from_db()
    assert result.status == again.outcome == "unchanged"
    assert again.paper == paper
    assert Paper.objects.count() == 1
    assert TextRevision.objects.count() == 1


def test_a_changed_text_becomes_a_revision_and_marks_annotations_for_reanchoring(parsed_upload, admin_user):
    from kb.selectors.uploads import upload_preview

    svc.upload_publish(upload=parsed_upload, user=admin_user)
    paper = Paper.objects.get()
    old_passage = Passage.objects.filter(paper=paper, kind="paragraph").last()
    note = f.AnnotationFactory(passage=old_passage)
    assert note.anchor_status == AnchorStatus.ANCHORED

    (changed,) = svc.upload_create(files=[txt("v2.txt", REVISED_PAPER)], user=admin_user)
    assert upload_preview(upload=changed)["revision_of"] == paper
    result = svc.upload_publish(upload=changed, user=admin_user)
    changed.refresh_from_db()
    assert result.status == changed.outcome == "revised"
    assert changed.paper == paper
    assert Paper.objects.count() == 1
    revisions = list(paper.revisions.order_by("number").values_list("number", "is_current"))
    assert revisions == [(1, False), (2, True)]
    assert Passage.objects.filter(pk=old_passage.pk).exists()  # the old text stays
    note.refresh_from_db()
    assert note.anchor_status == AnchorStatus.NEEDS_REANCHOR
    assert "在很大程度上" in paper.revisions.get(is_current=True).text


# -- the pages -----------------------------------------------------------------------------------


def _urls(upload) -> dict[str, tuple[str, str]]:
    return {
        "list": ("get", reverse("kb:upload-list")),
        "create-form": ("get", reverse("kb:upload-create")),
        "create": ("post", reverse("kb:upload-create")),
        "detail": ("get", reverse("kb:upload-detail", args=[upload.pk])),
        "progress": ("get", reverse("kb:upload-progress", args=[upload.pk])),
        "update": ("post", reverse("kb:upload-update", args=[upload.pk])),
        "publish": ("post", reverse("kb:upload-publish", args=[upload.pk])),
        "discard": ("post", reverse("kb:upload-discard", args=[upload.pk])),
        "retry": ("post", reverse("kb:upload-retry", args=[upload.pk])),
    }


def test_every_upload_page_is_for_admins_only(persona, parsed_upload):
    name, client = persona
    for key, (method, url) in _urls(parsed_upload).items():
        data = {"files": txt("other.txt", PAPER + "另一段。"), "title": "改"} if method == "post" else None
        response = getattr(client, method)(url, data)
        if name == "admin":
            assert response.status_code in (200, 302), key
        elif name == "anonymous":
            assert response.status_code == 302, key
            assert response["Location"].startswith(reverse("login")), key
        else:
            assert response.status_code == 403, key
    if name != "admin":
        parsed_upload.refresh_from_db()
        assert parsed_upload.state == UploadState.PARSED
        assert parsed_upload.corrections == {}
        assert Upload.objects.count() == 1
        assert_nothing_saved()


def test_admin_uploads_one_file_and_lands_on_its_preview(admin_client_):
    response = admin_client_.post(reverse("kb:upload-create"), {"files": [txt()]})
    upload = Upload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == upload.get_absolute_url()
    page = admin_client_.get(response["Location"])
    html = page.content.decode()
    assert 'name="title"' in html and "数字治理的制度逻辑" in html
    assert "一、" in html and "问题的提出" in html  # the section outline or the first passages
    assert reverse("kb:upload-publish", args=[upload.pk]) in html


def test_admin_uploads_several_files_and_sees_the_batch(admin_client_):
    files = [txt("a.txt"), txt("b.txt", PAPER.replace("数字治理", "数据治理"))]
    response = admin_client_.post(reverse("kb:upload-create"), {"files": files})
    batch = Upload.objects.first().batch
    assert response["Location"] == f"{reverse('kb:upload-list')}?batch={batch}"
    html = admin_client_.get(response["Location"]).content.decode()
    assert "a.txt" in html and "b.txt" in html


def test_bad_upload_shows_the_reasons_and_saves_nothing(admin_client_):
    response = admin_client_.post(
        reverse("kb:upload-create"),
        {"files": [SimpleUploadedFile("x.pdf", b"not a pdf"), SimpleUploadedFile("e.txt", b"")]},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert str(svc.ERROR_NOT_PDF % {"name": "x.pdf"}) in html
    assert str(svc.ERROR_EMPTY % {"name": "e.txt"}) in html
    assert Upload.objects.count() == 0


def test_posting_without_files_asks_for_one(admin_client_):
    response = admin_client_.post(reverse("kb:upload-create"), {})
    assert response.status_code == 400
    assert "请选择至少一个文件。" in response.content.decode()


def test_queued_upload_shows_a_progress_bar_and_a_refresh_link(admin_client_, admin_user, settings):
    settings.TASKS = DATABASE
    (upload,) = svc.upload_create(files=[txt()], user=admin_user)
    html = admin_client_.get(upload.get_absolute_url()).content.decode()
    assert "<progress" in html
    assert 'data-active="true"' in html
    assert f'href="{upload.get_absolute_url()}"' in html
    assert "js/upload.js" in html
    assert "<script>" not in html  # strict CSP: no inline scripts


def test_the_progress_fragment_is_the_partial_the_page_includes(admin_client_, admin_user, settings):
    settings.TASKS = DATABASE
    (upload,) = svc.upload_create(files=[txt()], user=admin_user)
    url = reverse("kb:upload-progress", args=[upload.pk])
    fragment = admin_client_.get(url)
    assert fragment.status_code == 200
    assert "no-cache" in fragment["Cache-Control"] or "max-age=0" in fragment["Cache-Control"]
    assert fragment.content.decode().strip() in admin_client_.get(upload.get_absolute_url()).content.decode()
    svc.upload_parse(upload_id=upload.pk)
    after = admin_client_.get(url).content.decode()
    assert 'data-active="false"' in after and "<progress" not in after
    assert 'data-state="parsed"' in after


def test_failed_upload_shows_its_error(admin_client_, admin_user):
    (upload,) = svc.upload_create(
        files=[SimpleUploadedFile("g.pdf", b"%PDF-1.4\n\x00\x01garbage")], user=admin_user
    )
    html = admin_client_.get(upload.get_absolute_url()).content.decode()
    assert upload.error in html or upload.error.replace("'", "&#x27;") in html
    assert reverse("kb:upload-publish", args=[upload.pk]) not in html
    assert reverse("kb:upload-discard", args=[upload.pk]) in html


def test_retry_from_the_page(admin_client_, admin_user, settings):
    settings.TASKS = DATABASE
    (upload,) = svc.upload_create(files=[txt()], user=admin_user)
    upload.file.storage.delete(upload.file.name)
    svc.upload_parse(upload_id=upload.pk)
    html = admin_client_.get(upload.get_absolute_url()).content.decode()
    assert reverse("kb:upload-retry", args=[upload.pk]) in html
    response = admin_client_.post(reverse("kb:upload-retry", args=[upload.pk]))
    assert response["Location"] == upload.get_absolute_url()
    upload.refresh_from_db()
    assert upload.state == UploadState.QUEUED
    assert DBTaskResult.objects.count() == 2


def _stall(upload, *, state=UploadState.PARSING, minutes: int) -> None:
    """As if the worker claimed ``upload`` and then went quiet ``minutes`` ago."""
    Upload.objects.filter(pk=upload.pk).update(
        state=state, progress=20, updated_at=timezone.now() - timedelta(minutes=minutes)
    )


def test_a_stalled_parse_can_be_queued_again(admin_user, settings):
    settings.TASKS = DATABASE
    settings.KB_UPLOAD_STALLED_MINUTES = 30
    (upload,) = svc.upload_create(files=[txt()], user=admin_user)
    _stall(upload, minutes=5)
    upload.refresh_from_db()
    assert upload.is_active and not upload.is_stalled and not upload.can_retry
    with pytest.raises(ValidationError):  # still making progress: leave it alone
        svc.upload_retry(upload=upload, user=admin_user)
    _stall(upload, minutes=31)
    upload.refresh_from_db()
    assert upload.is_stalled and upload.can_retry and upload.minutes_idle == 31
    assert svc.upload_retry(upload=upload, user=admin_user).state == UploadState.QUEUED
    assert DBTaskResult.objects.count() == 2
    # The new job parses it; the old one, should it wake up, finds nothing to finish.
    assert svc.upload_parse(upload_id=upload.pk) == UploadState.PARSED
    assert svc.upload_parse(upload_id=upload.pk) == "skipped"
    assert Upload.objects.get(pk=upload.pk).state == UploadState.PARSED


def test_a_stalled_upload_says_so_beside_its_progress_with_a_retry_button(
    admin_client_, admin_user, settings
):
    settings.TASKS = DATABASE
    (upload,) = svc.upload_create(files=[txt()], user=admin_user)
    retry = reverse("kb:upload-retry", args=[upload.pk])
    fragment = reverse("kb:upload-progress", args=[upload.pk])
    assert retry not in admin_client_.get(fragment).content.decode()
    _stall(upload, state=UploadState.QUEUED, minutes=45)
    html = admin_client_.get(fragment).content.decode()
    assert "已 45 分钟没有进展" in html and retry in html
    page = admin_client_.get(upload.get_absolute_url()).content.decode()
    assert page.count(f'action="{retry}"') == 1  # beside the progress, not twice
    assert admin_client_.post(retry)["Location"] == upload.get_absolute_url()
    assert Upload.objects.get(pk=upload.pk).state == UploadState.QUEUED


def test_admin_corrects_then_publishes_and_reads_the_paper(admin_client_, parsed_upload):
    form = {
        "title": "数字治理的制度逻辑",
        "subtitle": "",
        "title_en": "",
        "authors": "王佃利\n滕蕾",
        "year": "2024",
        "venue": "公共管理学报",
        "doi": "",
        "keywords": "数字治理；制度逻辑",
    }
    response = admin_client_.post(reverse("kb:upload-update", args=[parsed_upload.pk]), form)
    assert response.status_code == 302
    parsed_upload.refresh_from_db()
    assert parsed_upload.corrections["year"] == 2024

    response = admin_client_.post(reverse("kb:upload-publish", args=[parsed_upload.pk]))
    paper = Paper.objects.get()
    assert response["Location"] == paper.get_absolute_url()
    reader = admin_client_.get(paper.get_absolute_url())
    assert reader.status_code == 200
    html = reader.content.decode()
    assert "数字治理的制度逻辑" in html and "滕蕾" in html
    assert "治理主体、治理工具与治理过程都在发生变化" in html


def test_invalid_correction_rerenders_with_the_error(admin_client_, parsed_upload):
    response = admin_client_.post(
        reverse("kb:upload-update", args=[parsed_upload.pk]), {"title": "x", "doi": "nonsense"}
    )
    assert response.status_code == 400
    assert str(metadata.METADATA_DOI) in response.content.decode()
    parsed_upload.refresh_from_db()
    assert parsed_upload.corrections == {}


def test_discard_from_the_page(admin_client_, parsed_upload):
    response = admin_client_.post(reverse("kb:upload-discard", args=[parsed_upload.pk]))
    assert response["Location"] == reverse("kb:upload-list")
    parsed_upload.refresh_from_db()
    assert parsed_upload.state == UploadState.DISCARDED
    response = admin_client_.post(reverse("kb:upload-publish", args=[parsed_upload.pk]), follow=True)
    assert Paper.objects.count() == 0
    assert "已放弃" in response.content.decode()


def test_user_text_is_escaped(admin_client_, admin_user):
    hostile = PAPER.replace("数字治理的制度逻辑与实践路径", "<script>alert(1)</script>数字治理")
    (upload,) = svc.upload_create(files=[txt("x.txt", hostile)], user=admin_user)
    html = admin_client_.get(upload.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_every_post_needs_the_csrf_token(admin_user, parsed_upload):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    for key, (method, url) in _urls(parsed_upload).items():
        if method == "post":
            assert client.post(url, {"title": "x"}).status_code == 403, key
    assert client.get(parsed_upload.get_absolute_url()).content.decode().count("csrfmiddlewaretoken") >= 3
    parsed_upload.refresh_from_db()
    assert parsed_upload.state == UploadState.PARSED


def test_list_page_queries_do_not_grow_with_uploads(admin_client_, admin_user, django_assert_max_num_queries):
    for i in range(8):
        svc.upload_create(files=[txt(f"{i}.txt", f"{PAPER}\n第{i}段。")], user=admin_user)
    with django_assert_max_num_queries(8):
        response = admin_client_.get(reverse("kb:upload-list"))
    assert response.content.decode().count("data-upload-progress") == 8


# -- the preview selector ------------------------------------------------------------------------


def test_preview_starts_at_the_text_and_shows_corrections_over_the_parse(admin_user):
    from kb.selectors.uploads import upload_preview

    preview = {
        "title": "旧标题",
        "authors": [{"name": "甲", "name_en": "Jia", "affiliation": "某大学"}],
        "sections": [{"number": "一、", "heading": "引言", "level": 1}],
        "passages": [
            {"kind": "metadata", "section": None, "page": 1, "text": "旧标题"},
            {"kind": "heading", "section": 0, "page": 1, "text": "一、引言"},
            {"kind": "paragraph", "section": 0, "page": 2, "text": "正文。"},
        ],
        "warnings": ["未找到关键词"],
    }
    upload = Upload(
        sha256="0" * 64, preview=preview, corrections={"title": "新标题", "authors": ["甲", "乙"]}
    )
    parts = upload_preview(upload=upload)
    assert [p["text"] for p in parts["first_passages"]] == ["一、引言", "正文。"]
    assert parts["first_passages"][1]["section_heading"] == "引言"
    assert parts["meta"]["title"] == "新标题"
    assert parts["authors"] == [{"name": "甲", "name_en": "Jia", "affiliation": "某大学"}, {"name": "乙"}]
    assert parts["counts"]["passages"] == 3
    assert parts["warnings"] == ["未找到关键词"] and parts["needs_review"]
    assert parts["duplicate_of"] is None and parts["revision_of"] is None


def test_preview_shows_warnings_by_code_in_the_readers_language(admin_user):
    from django.utils import translation

    from kb.selectors.uploads import upload_preview

    preview = {
        "title": "",
        "passages": [],
        "warnings": ["3 numbered citation(s) but no reference list"],
        "warning_codes": [{"code": "no_references", "params": {"n": 3}}],
    }
    upload = Upload(sha256="0" * 64, preview=preview)
    assert upload_preview(upload=upload)["warnings"] == ["有 3 处编号引用，但没有参考文献列表。"]
    with translation.override("en"):
        assert upload_preview(upload=upload)["warnings"] == ["3 numbered citation(s) but no reference list."]


# -- parse progress (issue 11, item 8) -----------------------------------------------------------


def test_the_parse_reports_real_progress_page_by_page(admin_user, monkeypatch):
    from kb.services import upload_progress

    seen: list[tuple[int, str]] = []
    write = svc._set_progress

    def spy(upload_id, progress, message):
        seen.append((progress, str(message)))
        write(upload_id, progress, message)

    monkeypatch.setattr(svc, "_set_progress", spy)
    monkeypatch.setattr(upload_progress, "PROGRESS_INTERVAL", 0)  # every report is written
    monkeypatch.setenv("KB_LAYOUT_MODEL", "0")
    from tests.kb.pdfs import chinese_pdf

    pdf = SimpleUploadedFile("six.pdf", chinese_pdf(6), content_type="application/pdf")
    (upload,) = svc.upload_create(files=[pdf], user=admin_user).uploads
    assert upload.state == UploadState.PARSED and upload.progress == 100
    values = [progress for progress, _message in seen]
    assert values == sorted(values), "the bar never goes back"
    assert len({v for v in values if 10 < v < 90}) >= 5, f"intermediate values while reading: {seen}"
    assert any("第 3/6 页" in message for _progress, message in seen)


def test_progress_writes_are_throttled_but_an_ocr_page_is_always_shown():
    from django.utils import translation

    from kb.services.upload_progress import END, START, ParseProgress

    writes: list[tuple[int, str]] = []
    progress = ParseProgress(lambda percent, message: writes.append((percent, message)), clock=lambda: 100.0)
    with translation.override("zh-hans"):
        for page in range(1, 5):  # four fast text pages, all within one second: one write
            progress("pages", page, 8)
        progress("ocr", 4, 8)  # page 5 is a scan: OCR starts, and says so at once
        progress("ocr", 5, 8)
        progress("pages", 5, 8)
        progress("pages", 8, 8)  # read: on to the structure
    assert writes[0] == (START + (END - START) // 8, "正在读取：第 1/8 页…")
    assert writes[1] == (START + (END - START) * 4 // 8, "OCR 第 5/8 页，每页约 15–25 秒…")
    assert writes[2] == (END, "正在解析：清理文本、识别结构与元数据…")
    assert len(writes) == 3
    with translation.override("en"):
        progress("ocr", 6, 8)
    assert writes[-1][1] == "OCR of page 7/8, about 15–25 s a page…"


def test_the_progress_fragment_shows_the_ocr_page(admin_client_, admin_user, settings):
    settings.TASKS = DATABASE
    (upload,) = svc.upload_create(files=[txt()], user=admin_user).uploads
    Upload.objects.filter(pk=upload.pk).update(
        state=UploadState.PARSING, progress=42, message="OCR 第 3/8 页，每页约 15–25 秒…"
    )
    fragment = admin_client_.get(reverse("kb:upload-progress", args=[upload.pk])).content.decode()
    assert 'value="42"' in fragment and "OCR 第 3/8 页" in fragment


def test_a_progress_message_is_shown_in_the_readers_language(admin_client_, admin_user, settings):
    settings.TASKS = DATABASE
    (upload,) = svc.upload_create(files=[txt()], user=admin_user).uploads
    Upload.objects.filter(pk=upload.pk).update(
        state=UploadState.PARSING, message="OCR 第 3/8 页，每页约 15–25 秒…"
    )
    url = reverse("kb:upload-progress", args=[upload.pk])
    assert "OCR 第 3/8 页" in admin_client_.get(url).content.decode()
    admin_client_.post(reverse("set_language"), {"language": "en", "next": url})
    assert "OCR of page 3/8, about 15–25 s a page…" in admin_client_.get(url).content.decode()
    Upload.objects.filter(pk=upload.pk).update(message=str(svc.MESSAGE_PARSING))
    assert "正在解析" not in admin_client_.get(url).content.decode()


def test_publishing_saves_the_previewed_parse_without_reading_the_file_again(
    parsed_upload, admin_user, monkeypatch
):
    def no_second_parse(*args, **kwargs):
        raise AssertionError("publishing parsed the file again (a scan's OCR would run twice)")

    monkeypatch.setattr(svc, "parse_limited", no_second_parse)
    result = svc.upload_publish(upload=parsed_upload, user=admin_user)
    assert result.status == "loaded"
    assert Passage.objects.count() == len(parsed_upload.preview["passages"])


def test_a_preview_of_other_bytes_is_not_published_the_file_is_parsed_again(
    parsed_upload, admin_user, monkeypatch
):
    parsed_upload.preview = {
        **parsed_upload.preview,
        "source": {**parsed_upload.preview["source"], "sha256": "0"},
    }
    parsed_upload.preview["title"] = "一个别的预览"
    parsed_upload.save()
    svc.upload_publish(upload=parsed_upload, user=admin_user)
    assert Paper.objects.get().title.startswith("数字治理的制度逻辑")
