"""Importing bibliographic records: match, enrich, skip, one transaction, and a metadata-only
paper that later receives its full text."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from kb.models import Upload
from kb.services.loading import paper_load
from kb.services.uploads import ERROR_RECORD_FILE, ERROR_RECORD_PICK, upload_create, upload_publish
from papers.ingest import IngestError, parse_bytes
from papers.models import Author, DocType, Paper
from papers.records import ERROR_FORMAT, ERROR_NO_TITLE, parse_records
from papers.services import records as service
from papers.services.metadata import METADATA_URL
from tests import factories as f

FIXTURES = Path(__file__).resolve().parent.parent / "papers" / "records" / "fixtures"
ENDNOTE = (FIXTURES / "cnki_endnote.txt").read_bytes()
TITLE = "数字鸿沟的生成逻辑与弥合路径——基于共同富裕的视角"
DOI = "10.16637/j.cnki.23-1360/d.2023.01.012"


def _paper(title: str, *authors: str, **fields) -> Paper:
    empty = {"title_en": "", "abstract": "", "keywords": [], "venue": "", "year": None}
    paper = f.PaperFactory(title=title, **{**empty, **fields})
    for order, name in enumerate(authors):
        f.AuthorshipFactory(paper=paper, order=order, author=f.AuthorFactory(name=name))
    return paper


def test_preview_plans_creates_and_writes_nothing(editor):
    plan = service.records_preview(data=ENDNOTE, user=editor)
    assert plan.format == "endnote"
    assert [(a.kind, a.line) for a in plan.actions] == [("create", 1), ("create", 18), ("create", 29)]
    assert Paper.objects.count() == 0


def test_apply_creates_metadata_only_papers(editor):
    report = service.records_apply(data=ENDNOTE, user=editor)
    assert len(report.created) == 3 and report.errors == []
    article = Paper.objects.get(doi=DOI)
    assert article.title == TITLE
    assert [a.author.name for a in article.authorships.order_by("order")] == ["王佃利", "滕蕾"]
    assert (article.venue, article.year, article.issn, article.record_extra["cn"]) == (
        "行政论坛",
        2023,
        "1005-460X",
        "23-1360/D",
    )
    assert article.revisions.count() == 0 and article.passages.count() == 0
    thesis = Paper.objects.get(doc_type=DocType.THESIS)
    assert (thesis.institution, thesis.degree, thesis.advisor) == ("华中师范大学", "硕士", "李华")
    newspaper = Paper.objects.get(doc_type=DocType.NEWSPAPER)
    assert newspaper.published == "2022-03-15"


def test_importing_the_same_file_again_changes_nothing(editor):
    service.records_apply(data=ENDNOTE, user=editor)
    plan = service.records_preview(data=ENDNOTE, user=editor)
    assert [a.kind for a in plan.actions] == ["skip", "skip", "skip"]
    assert {a.reason for a in plan.actions} == {str(service.SKIP_IDENTICAL)}
    report = service.records_apply(data=ENDNOTE, user=editor)
    assert report.created == [] and report.enriched == []
    assert Paper.objects.count() == 3


def test_match_by_doi_enriches_only_empty_fields(editor):
    paper = _paper("一个不同的题名", "别人", doi=DOI, venue="已有刊名")
    plan = service.records_preview(data=ENDNOTE, user=editor)
    action = plan.actions[0]
    assert (action.kind, action.paper_id) == ("enrich", paper.pk)
    changed = {c.field: (c.old, c.new) for c in action.changes}
    assert "venue" not in changed and "title" not in changed and "authors" not in changed
    assert changed["year"] == (None, 2023)
    assert changed["keywords"] == ([], ["数字鸿沟", "共同富裕", "数字治理", "数字包容"])
    assert changed["abstract"][0] == ""
    service.records_apply(data=ENDNOTE, user=editor)
    paper.refresh_from_db()
    assert (paper.title, paper.venue, paper.year, paper.issn) == (
        "一个不同的题名",
        "已有刊名",
        2023,
        "1005-460X",
    )
    assert paper.version == 2  # through the metadata service: the optimistic lock moved on


def test_match_by_title_folds_traditional_script_punctuation_and_spaces(editor):
    paper = _paper("數字鴻溝的生成邏輯與弥合路徑：基於共同富裕的視角", "王佃利")
    plan = service.records_preview(data=ENDNOTE, user=editor)
    assert (plan.actions[0].kind, plan.actions[0].paper_id) == ("enrich", paper.pk)


def test_same_title_other_first_author_is_not_a_match(editor):
    _paper(TITLE, "另一位作者")
    plan = service.records_preview(data=ENDNOTE, user=editor)
    assert plan.actions[0].kind == "create"


def test_type_rule_article_gives_way_to_thesis(editor):
    paper = _paper("共同富裕视域下农村老年群体数字鸿沟问题研究", "刘芷君")
    action = service.records_preview(data=ENDNOTE, user=editor).actions[1]
    assert action.paper_id == paper.pk
    assert {c.field: c.new for c in action.changes}["doc_type"] == DocType.THESIS.label
    service.records_apply(data=ENDNOTE, user=editor)
    paper.refresh_from_db()
    assert (paper.doc_type, paper.institution) == (DocType.THESIS, "华中师范大学")


@pytest.mark.django_db
def test_duplicate_within_the_file_is_skipped_with_the_first_line():
    data = ENDNOTE + b"\n" + ENDNOTE.split(b"\n\n")[0]
    plan = service.records_preview(data=data, user=None)
    assert plan.actions[-1].kind == "skip"
    assert plan.actions[-1].reason == str(service.SKIP_DUPLICATE % {"line": 1})


@pytest.mark.django_db
def test_invalid_record_is_skipped_with_the_reason_and_the_others_are_saved():
    bad = "%0 Journal Article\n%T " + "过长的题名" * 120 + "\n%A 张三\n%D 2023\n\n"
    data = bad.encode() + ENDNOTE
    plan = service.records_preview(data=data, user=None)
    assert (plan.actions[0].kind, plan.actions[0].line) == ("skip", 1)
    assert plan.actions[0].reason == "最多 500 个字符。"
    report = service.records_apply(data=data, user=None)
    assert len(report.created) == 3


@pytest.mark.django_db
def test_a_record_failing_at_save_is_reported_with_its_line_and_the_others_are_saved(monkeypatch):
    real = service.paper_create_metadata_only

    def flaky(**kwargs):
        if kwargs["title"].startswith("以数字化"):
            raise ValidationError("数据库拒绝了这条记录")
        return real(**kwargs)

    monkeypatch.setattr(service, "paper_create_metadata_only", flaky)
    report = service.records_apply(data=ENDNOTE, user=None)
    assert len(report.created) == 2
    assert [(e.line, e.message) for e in report.errors] == [(29, "保存失败：数据库拒绝了这条记录")]
    assert not Paper.objects.filter(title="以数字化助力共同富裕").exists()


@pytest.mark.django_db
def test_apply_is_one_transaction(monkeypatch):
    def boom(**kwargs):
        raise RuntimeError("crash after the first writes")

    calls = []
    real = service.paper_create_metadata_only

    def second_crashes(**kwargs):
        calls.append(1)
        return real(**kwargs) if len(calls) == 1 else boom()

    monkeypatch.setattr(service, "paper_create_metadata_only", second_crashes)
    with pytest.raises(RuntimeError):
        service.records_apply(data=ENDNOTE, user=None)
    assert Paper.objects.count() == 0 and Author.objects.count() == 0


def test_scholar_may_not_import(scholar):
    with pytest.raises(PermissionDenied):
        service.records_preview(data=ENDNOTE, user=scholar)
    with pytest.raises(PermissionDenied):
        service.records_apply(data=ENDNOTE, user=scholar)


def test_unknown_or_oversize_file_is_refused(editor, monkeypatch):
    with pytest.raises(ValidationError) as exc:
        service.records_preview(data="只是一段文字\n".encode(), user=editor)
    assert exc.value.code == "format"
    monkeypatch.setattr(service, "MAX_BYTES", 100)
    with pytest.raises(ValidationError) as exc:
        service.records_preview(data=ENDNOTE, user=editor)
    assert exc.value.code == "size"


def test_stash_refuses_what_is_not_a_record_file(editor, scholar):
    with pytest.raises(ValidationError) as exc:
        service.record_file_stash(data="论文正文\n第二段\n".encode(), user=editor)
    assert exc.value.messages == [str(service.ERROR_FORMAT)]
    with pytest.raises(PermissionDenied):
        service.record_file_stash(data=ENDNOTE, user=scholar)


def test_stash_round_trip_and_expired_token(db):
    token = service.record_file_stash(data=ENDNOTE, user=None)
    assert service.record_file_load(token=token) == ENDNOTE
    service.record_file_discard(token=token)
    for bad in (token, "../../etc/passwd", ""):
        with pytest.raises(ValidationError):
            service.record_file_load(token=bad)


def test_import_records_command_dry_run_then_apply(db, tmp_path, capsys):
    path = tmp_path / "CNKI-export.txt"
    path.write_bytes(ENDNOTE)
    call_command("import_records", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "would create 3" in out and Paper.objects.count() == 0
    call_command("import_records", str(path))
    assert Paper.objects.count() == 3


# -- the pages ------------------------------------------------------------------------------------


def _upload(client, data: bytes = ENDNOTE, name: str = "CNKI-export.txt"):
    return client.post(reverse("kb:record-import"), {"file": SimpleUploadedFile(name, data)})


def test_editor_uploads_previews_and_applies(editor_client):
    response = _upload(editor_client)
    assert response.status_code == 302
    preview = editor_client.get(response["Location"])
    assert preview.status_code == 200
    html = preview.content.decode()
    assert html.count('data-action="create"') == 3
    assert "EndNote" in html and TITLE in html
    assert Paper.objects.count() == 0
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    applied = editor_client.post(reverse("kb:record-apply", args=[token]), follow=True)
    assert Paper.objects.count() == 3
    assert "导入完成：新建 3 篇，补充 0 篇，跳过 0 条。" in applied.content.decode()
    # the stash is gone: applying twice does nothing
    editor_client.post(reverse("kb:record-apply", args=[token]))
    assert Paper.objects.count() == 3


def test_pasted_text_with_an_unreadable_record_shows_its_line(editor_client):
    text = "%0 Journal Article\n%A 张三\n%J 无题名期刊\n\n" + ENDNOTE.decode()
    response = editor_client.post(reverse("kb:record-import"), {"text": text}, follow=True)
    html = response.content.decode()
    assert "第 1 行" in html and str(ERROR_NO_TITLE) in html
    assert html.count('data-action="create"') == 3


def test_enrich_preview_shows_old_and_new(editor_client):
    _paper("一个不同的题名", "别人", doi=DOI, venue="已有刊名")
    html = editor_client.get(_upload(editor_client)["Location"]).content.decode()
    assert 'data-action="enrich"' in html and "1005-460X" in html and "（空）" in html


def test_cancel_discards_and_writes_nothing(editor_client):
    location = _upload(editor_client)["Location"]
    token = location.rstrip("/").rsplit("/", 1)[1]
    editor_client.post(reverse("kb:record-cancel", args=[token]))
    assert editor_client.get(location)["Location"] == reverse("kb:record-import")
    assert Paper.objects.count() == 0


def test_another_user_cannot_apply_my_preview(editor_client, other_editor):
    token = _upload(editor_client)["Location"].rstrip("/").rsplit("/", 1)[1]
    other = Client()
    other.force_login(other_editor)
    assert other.get(reverse("kb:record-preview", args=[token]))["Location"] == reverse("kb:record-import")
    other.post(reverse("kb:record-apply", args=[token]))
    assert Paper.objects.count() == 0


def test_a_paper_text_is_refused_with_the_reason(editor_client):
    response = _upload(editor_client, "数字鸿沟与共同富裕\n\n正文第一段。\n".encode(), "paper.txt")
    assert response.status_code == 400
    assert str(ERROR_FORMAT) in response.content.decode()


def test_scholar_is_refused(scholar_client):
    assert scholar_client.get(reverse("kb:record-import")).status_code == 403
    assert _upload(scholar_client).status_code == 403


# -- record files are not papers ------------------------------------------------------------------


def test_upload_refuses_a_cnki_endnote_txt_and_points_to_the_import(admin_user):
    files = [SimpleUploadedFile("CNKI-20240101.txt", ENDNOTE), SimpleUploadedFile("x.net", ENDNOTE + b"\n")]
    with pytest.raises(ValidationError) as exc:
        upload_create(files=files, user=admin_user)
    assert exc.value.messages[0] == str(
        ERROR_RECORD_FILE % {"name": "CNKI-20240101.txt", "format": "EndNote", "url": "/records/import/"}
    )
    assert len(exc.value.messages) == 2  # the .net too: records, not "unsupported type"


def test_ingest_pipeline_refuses_a_record_file():
    with pytest.raises(IngestError) as exc:
        parse_bytes(ENDNOTE, filename="CNKI.txt")
    assert "record file (EndNote)" in str(exc.value)


# -- a metadata-only paper receives its full text -------------------------------------------------

PAPER_TEXT = (
    "數字鴻溝與共同富裕\n\n张三\n\n摘要：数字鸿沟是社会不平等的新形态。\n\n一、引言\n\n正文段落。\n".encode()
)
RECORD = "%0 Journal Article\n%A 张三\n%T 数字鸿沟与共同富裕\n%J 行政论坛\n%D 2023\n%@ 1005-460X\n%W CNKI\n"


def test_uploaded_text_attaches_to_the_matching_metadata_only_paper(db):
    [paper_id] = service.records_apply(data=RECORD.encode(), user=None).created
    result = paper_load(data=PAPER_TEXT, filename="paper.txt")
    assert (result.status, result.paper_id) == ("loaded", paper_id)
    paper = Paper.objects.get(pk=paper_id)
    assert paper.revisions.count() == 1 and paper.passages.exists()
    # the record's metadata and authors stay; the parse fills what the record lacked
    assert (paper.title, paper.venue, paper.year, paper.issn) == (
        "数字鸿沟与共同富裕",
        "行政论坛",
        2023,
        "1005-460X",
    )
    assert paper.abstract.startswith("数字鸿沟是社会不平等的新形态")
    assert [a.author.name for a in paper.authorships.all()] == ["张三"]
    assert Paper.objects.count() == 1


def test_text_of_another_author_does_not_attach(db):
    record = RECORD.replace("%A 张三", "%A 李四")
    [paper_id] = service.records_apply(data=record.encode(), user=None).created
    result = paper_load(data=PAPER_TEXT, filename="paper.txt")
    assert result.status == "loaded" and result.paper_id != paper_id
    assert Paper.objects.get(pk=paper_id).revisions.count() == 0


def test_metadata_only_paper_renders_everywhere(client, admin_client_, db):
    [paper_id] = service.records_apply(data=RECORD.encode(), user=None).created
    paper = Paper.objects.get(pk=paper_id)
    detail = client.get(paper.get_absolute_url()).content.decode()
    assert "仅有题录，尚无全文" in detail and reverse("kb:upload-create") not in detail
    admin_detail = admin_client_.get(paper.get_absolute_url()).content.decode()
    assert reverse("kb:upload-create") in admin_detail
    listing = client.get(reverse("papers:paper-list")).content.decode()
    assert "数字鸿沟与共同富裕" in listing and "仅有题录" in listing
    assert client.get(reverse("kb:search") + "?q=数字鸿沟").status_code == 200
    assert client.get(reverse("papers:paper-cite", args=[paper_id, "ris"])).status_code == 200


def test_preview_query_count_does_not_grow_with_records_or_papers(
    editor_client, django_assert_max_num_queries
):
    def many(count: int) -> bytes:
        one = "%0 Journal Article\n%A 作者{n}\n%T 数字治理研究之{n}\n%J 行政论坛\n%D 2023\n%X 摘要{n}\n\n"
        return "".join(one.format(n=n) for n in range(count)).encode()

    for n in range(0, 40, 2):  # half of the records match a paper already there
        _paper(f"数字治理研究之{n}", f"作者{n}")
    for count in (4, 40):
        location = _upload(editor_client, many(count))["Location"]
        with django_assert_max_num_queries(8):
            response = editor_client.get(location)
        assert response.content.decode().count('data-action="enrich"') == count // 2


@pytest.fixture
def immediate_tasks(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }


def test_admin_picks_the_record_for_an_uploaded_text(admin_client_, admin_user, immediate_tasks):
    # a title the parse will not find: only the admin's pick ties the text to the record
    record = RECORD.replace("数字鸿沟与共同富裕", "题录里的另一种题名")
    [paper_id] = service.records_apply(data=record.encode(), user=None).created
    page = admin_client_.get(reverse("kb:upload-create") + f"?record={paper_id}").content.decode()
    assert "data-upload-record" in page and "题录里的另一种题名" in page
    response = admin_client_.post(
        reverse("kb:upload-create"),
        {"files": SimpleUploadedFile("paper.txt", PAPER_TEXT), "record": paper_id},
    )
    upload = Upload.objects.get()
    assert response["Location"] == upload.get_absolute_url()
    assert upload.corrections == {"record": paper_id}
    assert "data-upload-record" in admin_client_.get(upload.get_absolute_url()).content.decode()
    result = upload_publish(upload=upload, user=admin_user)
    assert (result.status, result.paper_id) == ("loaded", paper_id)
    paper = Paper.objects.get(pk=paper_id)
    assert paper.title == "题录里的另一种题名" and paper.passages.exists()
    assert Paper.objects.count() == 1


def test_a_record_that_already_has_its_text_cannot_be_picked(admin_user, immediate_tasks, paper_with_text):
    with pytest.raises(ValidationError) as exc:
        upload_create(
            files=[SimpleUploadedFile("p.txt", PAPER_TEXT)], user=admin_user, record=paper_with_text.pk
        )
    assert exc.value.messages == [str(ERROR_RECORD_PICK)]


def test_metadata_only_paper_opens_in_the_admin_and_edit_page(admin_client_, db):
    [paper_id] = service.records_apply(data=RECORD.encode(), user=None).created
    assert admin_client_.get(reverse("admin:papers_paper_change", args=[paper_id])).status_code == 200
    assert admin_client_.get(reverse("papers:paper-edit", args=[paper_id])).status_code == 200
    assert (
        admin_client_.get(reverse("papers:author-detail", args=[Author.objects.get().pk])).status_code == 200
    )


@pytest.mark.parametrize("fmt", ["ris", "bib", "json"])
def test_the_sites_own_exports_import_back_field_by_field(fmt, db):
    from papers import cite

    [paper_id] = service.records_apply(data=ENDNOTE.split(b"\n\n")[0], user=None).created
    paper = Paper.objects.prefetch_related("authorships__author").get(pk=paper_id)
    exported = cite.export(fmt, [(cite.cited_work(paper), f"tanyuan{paper.pk}")])
    [record] = parse_records(exported.encode()).records
    for name in ("title", "venue", "year", "volume", "issue", "pages", "doi", "issn", "keywords", "abstract"):
        assert getattr(record, name) == getattr(paper, name), (fmt, name)
    assert record.authors == ["王佃利", "滕蕾"] and record.doc_type == paper.doc_type
    # and importing it again finds the paper: nothing new
    [action] = service.records_preview(data=exported.encode(), user=None).actions
    assert action.kind == "skip", [(c.field, c.new) for c in action.changes]


@pytest.fixture
def fresh_index(settings, tmp_path):
    from kb.search import dictionary
    from kb.search.index import forget_index

    settings.KB_SEARCH_INDEX_DIR = str(tmp_path / "search-index")
    settings.KB_SEARCH_THESAURUS_TTL = 0
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }
    dictionary.thesaurus_changed()
    yield
    forget_index(settings.KB_SEARCH_INDEX_DIR)


def test_imported_records_are_found_by_search(editor, django_capture_on_commit_callbacks, fresh_index):
    from kb.search.selectors import search_query

    with django_capture_on_commit_callbacks(execute=True):
        [paper_id] = service.records_apply(data=RECORD.encode(), user=editor).created
    hits = {(hit.type, hit.obj_id) for hit in search_query(query="数字鸿沟与共同富裕", user=editor).hits}
    assert ("paper", paper_id) in hits


@pytest.mark.django_db
def test_a_record_with_a_bad_url_is_skipped_in_the_preview_already():
    data = "TY  - JOUR\nTI  - 网址不对的记录\nUR  - ftp://example.org/x\nER  - \n".encode()
    [action] = service.records_preview(data=data, user=None).actions
    assert (action.kind, action.reason) == ("create", "")  # rispy keeps only http(s) links: none here
    data = b'[{"type": "article-journal", "title": "\\u7f51\\u5740", "URL": "javascript:alert(1)"}]'
    [action] = service.records_preview(data=data, user=None).actions
    assert (action.kind, action.reason) == ("skip", str(METADATA_URL))
