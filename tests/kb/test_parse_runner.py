"""Bounded background work: a parse within memory, time and page limits, and a bounded publication.

The child-process tests spawn a real child (``KB_PARSE_ISOLATED`` on) with small limits; the
parse functions that misbehave are in ``tests/kb/parse_stubs.py``, which the child imports.
"""

from __future__ import annotations

import zlib
from functools import cache

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kb.models import UploadState
from kb.services import loading, parse_runner
from kb.services import uploads as svc
from kb.services.parse_runner import ParseLimitError, largest_flate_stream, parse_limited
from papers.ingest import IngestError
from papers.models import Paper, Passage
from tests.kb import parse_stubs
from tests.kb.pdfs import chinese_pdf
from tests.samples import SHORT_PAPER

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}}


def _pdf(stream_dict: bytes, body: bytes) -> bytes:
    """A one-page PDF whose content stream is ``body`` under ``stream_dict``'s filters."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d %s >>\nstream\n" % (len(body), stream_dict) + body + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def _zeros_deflated(megabytes: int) -> bytes:
    deflater = zlib.compressobj(9)
    zero = bytes(1 << 20)
    return b"".join(deflater.compress(zero) for _ in range(megabytes)) + deflater.flush()


@cache
def bomb_pdf() -> bytes:
    """160 MB of zeros as a page's content stream, deflated to ~160 KB."""
    return _pdf(b"/Filter /FlateDecode", _zeros_deflated(160))


@cache
def double_bomb_pdf() -> bytes:
    """The classic tiny bomb: the deflated zeros deflated again (a few hundred bytes)."""
    return _pdf(b"/Filter [/FlateDecode /FlateDecode]", zlib.compress(_zeros_deflated(64), 9))


@pytest.fixture
def isolated(settings, monkeypatch):
    monkeypatch.setenv("KB_LAYOUT_MODEL", "0")  # the child reads what the parent would, quickly
    monkeypatch.setenv("KB_OCR", "0")
    settings.KB_PARSE_ISOLATED = True
    settings.KB_PARSE_MEMORY_MB = 256
    settings.KB_PARSE_TIMEOUT_S = 60
    return settings


# -- pure: the pre-check of a PDF's streams ------------------------------------------------------


def test_the_precheck_counts_a_streams_decoded_size_up_to_the_budget():
    assert largest_flate_stream(bomb_pdf(), budget=32 << 20) > 32 << 20
    assert largest_flate_stream(bomb_pdf(), budget=1 << 30) == 160 << 20


def test_the_precheck_sees_through_chained_filters():
    assert len(double_bomb_pdf()) < 2000
    assert largest_flate_stream(double_bomb_pdf(), budget=32 << 20) > 32 << 20


def test_the_precheck_passes_a_real_paper():
    assert largest_flate_stream(chinese_pdf(2), budget=1 << 20) < 1 << 20


# -- in the child process --------------------------------------------------------------------


@pytest.mark.parametrize(("pdf", "limit"), [(bomb_pdf, 256), (double_bomb_pdf, 64)])
def test_a_decompression_bomb_expands_beyond_the_limit_never_looks_scanned(isolated, pdf, limit):
    isolated.KB_PARSE_MEMORY_MB = limit
    with pytest.raises(ParseLimitError) as caught:
        parse_limited(pdf(), filename="bomb.pdf", max_bytes=50 << 20)
    assert caught.value.kind == "memory"
    assert str(caught.value) == str(parse_runner.ERROR_EXPANDS % {"name": "bomb.pdf", "limit": limit})
    assert "scanned" not in str(caught.value)


def test_a_parse_past_the_memory_limit_is_stopped_with_the_same_reason(isolated):
    with pytest.raises(ParseLimitError) as caught:
        parse_limited(b"x", filename="a.txt", max_bytes=1 << 20, parse=parse_stubs.hog)
    assert caught.value.kind == "memory"


def test_a_parse_past_the_time_limit_is_killed(isolated):
    isolated.KB_PARSE_TIMEOUT_S = 2
    with pytest.raises(ParseLimitError) as caught:
        parse_limited(
            SHORT_PAPER.encode(),
            filename="a.txt",
            max_bytes=1 << 20,
            parse=parse_stubs.sleepy,
        )
    assert caught.value.kind == "timeout"
    assert str(caught.value) == str(parse_runner.ERROR_TIMEOUT % {"name": "a.txt", "limit": 2})


def test_a_child_that_dies_gives_a_reason(isolated):
    with pytest.raises(ParseLimitError) as caught:
        parse_limited(b"x", filename="a.txt", max_bytes=1 << 20, parse=parse_stubs.vanishing)
    assert caught.value.kind == "killed"
    assert "exit code 3" in str(caught.value)


def test_the_child_returns_the_parsed_paper_and_its_progress_reaches_the_parent(isolated):
    reports = []
    parsed = parse_limited(
        SHORT_PAPER.encode(),
        filename="a.txt",
        max_bytes=1 << 20,
        parse=parse_stubs.reporting,
        progress=lambda *report: reports.append(report),
    )
    assert reports == [("pages", 1, 3), ("pages", 2, 3), ("pages", 3, 3)]
    in_process = parse_stubs.parse_bytes(SHORT_PAPER.encode(), filename="a.txt")
    assert parsed.to_json() == in_process.to_json()


def test_an_ingest_error_in_the_child_is_an_ingest_error_in_the_parent(isolated):
    with pytest.raises(IngestError, match="empty"):
        parse_limited(b"   ", filename="a.txt", max_bytes=1 << 20)


def test_the_page_limit_is_a_setting(settings):
    settings.KB_PARSE_MAX_PAGES = 1
    with pytest.raises(IngestError, match="more than the limit of 1"):
        parse_limited(chinese_pdf(2), filename="two.pdf", max_bytes=50 << 20)


# -- the upload: failed with its reason, and retried -------------------------------------------


@pytest.mark.django_db
def test_a_timed_out_parse_fails_the_upload_with_its_reason_and_can_be_retried(
    isolated, admin_user, tmp_path, monkeypatch
):
    isolated.MEDIA_ROOT = tmp_path / "media"
    isolated.TASKS = IMMEDIATE
    isolated.KB_PARSE_TIMEOUT_S = 2
    with monkeypatch.context() as patch:
        patch.setattr(svc, "parse_bytes", parse_stubs.sleepy)
        (upload,) = svc.upload_create(
            files=[SimpleUploadedFile("a.txt", SHORT_PAPER.encode(), content_type="text/plain")],
            user=admin_user,
        )
    assert upload.state == UploadState.FAILED
    assert upload.error == str(parse_runner.ERROR_TIMEOUT % {"name": "a.txt", "limit": 2})
    assert upload.can_retry
    isolated.KB_PARSE_ISOLATED = False  # the retry, in-process, parses for real
    upload = svc.upload_retry(upload=upload, user=admin_user)
    assert (upload.state, upload.error) == (UploadState.PARSED, "")


@pytest.mark.django_db
def test_a_bomb_upload_says_it_expands_beyond_the_limit(isolated, admin_user, tmp_path):
    isolated.MEDIA_ROOT = tmp_path / "media"
    isolated.TASKS = IMMEDIATE
    isolated.KB_PARSE_MEMORY_MB = 64
    (upload,) = svc.upload_create(
        files=[SimpleUploadedFile("bomb.pdf", bomb_pdf(), content_type="application/pdf")], user=admin_user
    )
    assert upload.state == UploadState.FAILED
    assert upload.error == str(parse_runner.ERROR_EXPANDS % {"name": "bomb.pdf", "limit": 64})


# -- publishing: refused above a documented size ------------------------------------------------


@pytest.mark.django_db
def test_a_text_above_the_publish_limit_is_refused_and_nothing_is_saved(settings):
    settings.KB_PUBLISH_MAX_CHARS = 100
    result = loading.paper_load(data=SHORT_PAPER.encode(), filename="long.txt")
    assert result.status == "failed"
    assert "KB_PUBLISH_MAX_CHARS" in result.error and "long.txt" in result.error
    assert Paper.objects.count() == 0 and Passage.objects.count() == 0
    settings.KB_PUBLISH_MAX_CHARS = 3_000_000
    assert loading.paper_load(data=SHORT_PAPER.encode(), filename="long.txt").status == "loaded"


@pytest.mark.django_db
def test_publishing_an_upload_above_the_limit_says_why(settings, admin_user, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = IMMEDIATE
    (upload,) = svc.upload_create(
        files=[SimpleUploadedFile("a.txt", SHORT_PAPER.encode(), content_type="text/plain")], user=admin_user
    )
    settings.KB_PUBLISH_MAX_CHARS = 100
    with pytest.raises(ValidationError, match="KB_PUBLISH_MAX_CHARS"):
        svc.upload_publish(upload=upload, user=admin_user)
    assert Paper.objects.count() == 0
