"""The admin upload in Chromium: upload, watch the progress, correct the preview, publish, read.

The parse runs on django-tasks' database backend as in production: the page
first shows the queued job's progress bar, then the test runs the real
``db_worker`` loop (in batch mode, in this thread) and the page's script picks
up the finished job and shows the preview. Screenshots go to test-artifacts/.

The browser comes from the shared e2e conftest.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from kb.lib.roles import ROLES
from kb.models import Upload, UploadState
from papers.models import Paper
from tests.e2e.conftest import screenshot
from tests.factories import PASSWORD
from tests.samples import SHORT_PAPER, run_db_worker

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
SAMPLE_PDF = REPO.parent / "shared" / "pdf" / "hanspub_mos_2026_151009_road_traffic_flow.pdf"

PAPER = SHORT_PAPER


@pytest.fixture
def upload_browser(browser):
    """The shared session browser (tests/e2e/conftest.py): one Playwright per run."""
    return browser


@pytest.fixture
def _role_groups(transactional_db):
    # A transactional test's flush also drops the groups the data migration made;
    # do not depend on the rollback emulation to bring them back.
    for name in ROLES:
        Group.objects.get_or_create(name=name)


@pytest.fixture
def admin_page(upload_browser, live_server, _role_groups, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    # The live server speaks plain HTTP and serves static files from the finders.
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    context = upload_browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.errors = []  # console errors (CSP violations among them) and uncaught exceptions
    page.on(
        "console",
        lambda msg: (
            page.errors.append(msg.text)
            # Chromium asks for /favicon.ico on its own; its 404 says nothing about these pages.
            if msg.type == "error" and not msg.location.get("url", "").endswith("/favicon.ico")
            else None
        ),
    )
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", admin_user.get_username())
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("form.form button[type=submit]")
    assert "/accounts/login/" not in page.url
    yield page
    context.close()


def upload_and_wait_for_preview(page, live_server, path: Path, name: str) -> Upload:
    page.goto(f"{live_server.url}/uploads/")
    page.set_input_files("input[name=files]", str(path))
    with page.expect_navigation():
        page.click("form.upload-form button[type=submit]")
    upload = Upload.objects.get(filename=path.name)
    assert page.url.endswith(f"/uploads/{upload.pk}/")

    # Queued: a progress bar the script keeps polling.
    expect(page.locator(".upload-status progress")).to_be_visible()
    expect(page.locator(".upload-status [data-upload-progress]")).to_have_attribute("data-active", "true")
    screenshot(page, f"{name}-progress")

    run_db_worker("e2e-worker")
    upload.refresh_from_db()
    assert upload.state == UploadState.PARSED, upload.error

    # The script sees the finished job and reloads into the preview; no manual refresh here.
    expect(page.locator("#preview-heading")).to_be_visible()
    expect(page.locator(".upload-status progress")).to_have_count(0)
    screenshot(page, f"{name}-preview")
    return upload


def publish_and_wait_for_the_paper(page, name: str) -> None:
    """Click publish: the worker saves the paper while the page shows progress, then opens it."""
    with page.expect_navigation():
        page.click("form[action$='/publish/'] button")
    expect(page.locator(".upload-progress--publishing")).to_be_visible()
    expect(page.locator(".upload-progress__message")).to_contain_text("正在发布")
    screenshot(page, f"{name}-publishing")
    run_db_worker("e2e-worker")
    # The progress script sees the finished job and opens the paper; no clicking here.
    paper = Paper.objects.get()
    expect(page).to_have_url(re.compile(re.escape(paper.get_absolute_url()) + "$"))


def test_admin_uploads_a_text_corrects_it_publishes_and_reads_it(admin_page, live_server, tmp_path):
    page = admin_page
    source = tmp_path / "制度逻辑.txt"
    source.write_text(PAPER, encoding="utf-8")

    upload = upload_and_wait_for_preview(page, live_server, source, "upload-txt")
    expect(page.locator(".upload-outline")).to_contain_text("问题的提出")
    expect(page.locator(".upload-passages")).to_contain_text("治理主体、治理工具与治理过程都在发生变化")

    page.fill("#id_title", "数字治理的制度逻辑")
    page.fill("#id_subtitle", "一个分析框架")
    page.fill("#id_year", "2024")
    with page.expect_navigation():
        page.click("form.upload-meta button[type=submit]")
    expect(page.locator("#id_title")).to_have_value("数字治理的制度逻辑")

    publish_and_wait_for_the_paper(page, "upload-txt")
    paper = Paper.objects.get()
    expect(page.locator("h1.paper-head__title")).to_have_text("数字治理的制度逻辑")
    expect(page.locator(".paper-head__subtitle")).to_contain_text("一个分析框架")
    expect(page.locator(".paper-body")).to_contain_text("治理主体、治理工具与治理过程都在发生变化")
    screenshot(page, "upload-txt-published")

    upload.refresh_from_db()
    assert (upload.state, upload.paper, paper.year) == (UploadState.PUBLISHED, paper, 2024)
    assert page.errors == []


def test_admin_uploads_a_bad_file_and_sees_why(admin_page, live_server, tmp_path):
    page = admin_page
    fake = tmp_path / "fake.pdf"
    fake.write_text("这不是 PDF", encoding="utf-8")
    page.goto(f"{live_server.url}/uploads/")
    page.set_input_files("input[name=files]", str(fake))
    with page.expect_navigation():
        page.click("form.upload-form button[type=submit]")
    expect(page.locator("[data-upload-server-error]")).to_contain_text(
        "fake.pdf：扩展名为 .pdf，但内容不是 PDF 文件。"
    )
    assert Upload.objects.count() == 0
    screenshot(page, "upload-rejected")


def test_an_oversize_file_is_refused_before_it_is_sent(admin_page, live_server, tmp_path, settings):
    page = admin_page
    settings.KB_UPLOAD_MAX_MB = 1
    big = tmp_path / "big.txt"
    big.write_text("数" * 400_000, encoding="utf-8")  # 1.2 MB
    requests = []
    page.goto(f"{live_server.url}/uploads/")
    page.on("request", lambda r: requests.append(r.url) if r.method == "POST" else None)
    page.set_input_files("input[name=files]", str(big))
    page.click("form.upload-form button[type=submit]")
    expect(page.locator("[data-upload-client-error]")).to_have_text("big.txt：文件大小超过 1 MB 的上限。")
    assert requests == []
    assert Upload.objects.count() == 0


def test_admin_uploads_the_sample_pdf_and_publishes_a_readable_paper(admin_page, live_server):
    if not SAMPLE_PDF.is_file():
        pytest.skip(f"sample PDF not found at {SAMPLE_PDF}")
    page = admin_page

    upload_and_wait_for_preview(page, live_server, SAMPLE_PDF, "upload-pdf")
    expect(page.locator(".upload-preview")).to_contain_text("支路汇入型道路")
    publish_and_wait_for_the_paper(page, "upload-pdf")
    expect(page.locator("h1.paper-head__title")).not_to_be_empty()
    expect(page.locator(".paper-body")).to_contain_text(re.compile("车流量"))
    assert page.locator(".paper-body p").count() > 10
    screenshot(page, "upload-pdf-published")
    assert page.errors == []


def test_a_batch_with_an_oversize_file_uploads_the_others_and_names_it(
    admin_page, live_server, tmp_path, settings
):
    page = admin_page
    settings.KB_UPLOAD_MAX_MB = 1
    big = tmp_path / "big.txt"
    big.write_text("数" * 400_000, encoding="utf-8")  # 1.2 MB: kept back by the browser
    good = tmp_path / "good.txt"
    good.write_text(PAPER, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")  # refused by the server
    page.goto(f"{live_server.url}/uploads/")
    page.set_input_files("input[name=files]", [str(big), str(good), str(empty)])
    with page.expect_navigation():
        page.click("form.upload-form button[type=submit]")
    assert list(Upload.objects.values_list("filename", flat=True)) == ["good.txt"]
    messages = page.locator(".messages")
    expect(messages).to_contain_text("2 个文件未上传（其余文件已上传）")
    expect(messages).to_contain_text("big.txt：文件大小超过 1 MB 的上限。")
    expect(messages).to_contain_text("empty.txt：文件为空。")
    expect(page.locator(".upload-table")).to_contain_text("good.txt")
    assert page.errors == []


def _scanned_pdf(path: Path) -> Path:
    """An image-only PDF: the top of the shared PDF's first page (title, authors, abstract), as a scan."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(SAMPLE_PDF))
    image = doc[0].render(scale=2.5, grayscale=True).to_pil()
    doc.close()
    width, height = image.size
    image.crop((0, round(height * 0.05), width, round(height * 0.42))).save(path, "PDF", resolution=180)
    return path


def test_a_scanned_pdf_is_read_by_ocr_with_progress_and_its_passage_is_shown_on_the_page(
    admin_page, live_server, tmp_path, monkeypatch
):
    """Upload a scan, follow the parse through its OCR progress, publish, and open a passage's
    "view on page": the passage's region is highlighted on the page image."""
    import threading

    from django.db import connections

    if not SAMPLE_PDF.is_file():
        pytest.skip(f"sample PDF not found at {SAMPLE_PDF}")
    monkeypatch.setenv("KB_OCR", "1")  # the product's default, whatever the test run says
    page = admin_page
    scan = _scanned_pdf(tmp_path / "扫描件.pdf")
    page.goto(f"{live_server.url}/uploads/")
    page.set_input_files("input[name=files]", str(scan))
    with page.expect_navigation():
        page.click("form.upload-form button[type=submit]")
    upload = Upload.objects.get(filename=scan.name)

    def work():
        try:
            run_db_worker("e2e-ocr-worker")
        finally:  # the thread's own connection: PostgreSQL cannot drop the test database under it
            connections.close_all()

    # The worker parses in the background while the page polls its progress.
    worker = threading.Thread(target=work)
    worker.start()
    try:
        expect(page.locator(".upload-progress__message")).to_contain_text("OCR", timeout=120_000)
        screenshot(page, "upload-ocr-progress")
    finally:
        worker.join(timeout=300)
    upload.refresh_from_db()
    assert upload.state == UploadState.PARSED, upload.error
    expect(page.locator("#preview-heading")).to_be_visible(timeout=30_000)

    publish_and_wait_for_the_paper(page, "upload-ocr")
    paper = Paper.objects.get()
    passage = paper.passages.filter(kind="paragraph", ocr_conf__isnull=False).order_by("order").first()
    assert passage is not None and passage.boxes, "OCR'd passages carry their regions"
    item = page.locator(f"#{passage.anchor}")
    expect(item).to_contain_text("OCR")
    with page.expect_navigation():
        item.get_by_role("link", name="在原页查看").click()
    image = page.locator("img.pageview__image")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    region = page.locator(".pageview__region.is-selected rect").first
    expect(region).to_be_visible()
    image_box, box = image.bounding_box(), region.bounding_box()
    assert box["width"] > 20 and box["height"] > 5
    assert image_box["x"] <= box["x"] <= image_box["x"] + image_box["width"]
    assert image_box["y"] <= box["y"] <= image_box["y"] + image_box["height"]
    screenshot(page, "upload-ocr-page-view")
    assert page.errors == []
