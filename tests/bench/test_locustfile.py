"""The load test in the repository: the paper generator, the report, and a short locust run.

The smoke run starts locust in a subprocess (gevent's monkey-patching stays out of pytest)
against the live server on SQLite with a handful of generated papers, for a few seconds, and
checks that every task of the mix ran and that no request failed.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management import call_command
from django.db import connections

from kb.management.commands.generate_papers import paper_variant
from kb.models.crossrefs import PassageProfile
from kb.search import dictionary
from kb.search.index import forget_index
from kb.services.users import user_ensure
from papers.ingest import parse_bytes
from papers.ingest.types import CitationInfo
from papers.models import Paper
from tests.liveserver import SerialServerThread
from tests.samples import SHORT_PAPER

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "bench"))
import loadtest_report  # noqa: E402 - bench/ is a folder of scripts, not a package

EXPECTED = {
    "/",
    "/papers/?page=[n]",
    "/papers/[id]/",
    "/search/?q=[terms]",
    "/api/papers/[id]/annotations/ [POST]",
    "/api/papers/[id]/claims/ [POST]",
    "/uploads/new/ [POST]",
    "/uploads/[id]/progress/",
    "/accounts/login/ [POST]",
}


def _sample():
    return parse_bytes(SHORT_PAPER.encode(), filename="short.txt")


def test_variants_are_distinct_papers_with_the_same_passages():
    sample = _sample()
    variants = [paper_variant(sample, n=n, seed=1) for n in range(30)]
    assert len({v.title for v, _ in variants}) == 30
    assert len({v.source.sha256 for v, _ in variants}) == 30
    for variant, data in variants:
        assert Counter(p.text for p in variant.passages[1:]) == Counter(p.text for p in sample.passages[1:])
        assert variant.doi == ""
        assert variant.title.encode() in data
    # the same number and seed: the same paper (a second run finds it unchanged)
    assert paper_variant(sample, n=3, seed=1)[0].source.sha256 == variants[3][0].source.sha256


def test_citations_follow_their_passages():
    sample = _sample()
    paragraphs = [i for i, p in enumerate(sample.passages) if p.kind == "paragraph"]
    sample.citations = [CitationInfo(marker="[1]", passage=i, start=0, end=1) for i in paragraphs]
    for n in range(10):
        variant, _ = paper_variant(sample, n=n, seed=1)
        for old, new in zip(sample.citations, variant.citations, strict=True):
            assert variant.passages[new.passage].text == sample.passages[old.passage].text


def test_report_fails_on_any_failure(tmp_path, capsys):
    header = "Type,Name,Request Count,Failure Count,Requests/s,50%,99%\n"
    stats = tmp_path / "stats.csv"
    stats.write_text(header + "GET,/,10,0,2.0,12,40\n,Aggregated,10,0,2.0,12,40\n", encoding="utf-8")
    assert loadtest_report.main(["report", str(stats)]) == 0
    assert "GET /" in capsys.readouterr().out
    stats.write_text(header + "GET,/,10,1,2.0,12,40\n,Aggregated,10,1,2.0,12,40\n", encoding="utf-8")
    assert loadtest_report.main(["report", str(stats)]) == 1


@pytest.fixture
def serial_live_server(django_db_serialized_rollback, transactional_db):
    """Django's live server (as pytest-django's ``live_server``), answering one request at a time."""
    overrides = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}
    thread = SerialServerThread(
        "localhost", connections_override=overrides, static_handler=StaticFilesHandler, port=0
    )
    thread.daemon = True
    for conn in overrides.values():
        conn.inc_thread_sharing()
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://localhost:{thread.port}"
    thread.terminate()
    for conn in overrides.values():
        conn.dec_thread_sharing()


@pytest.fixture
def library(django_db_serialized_rollback, transactional_db, settings, tmp_path):
    settings.KB_SEARCH_INDEX_DIR = str(tmp_path / "search-index")
    settings.KB_SEARCH_THESAURUS_TTL = 0
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }
    dictionary.thesaurus_changed()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "short.txt").write_text(SHORT_PAPER, encoding="utf-8")
    call_command("generate_papers", 4, corpus=str(corpus), skip_crossrefs=True, skip_index=True, verbosity=0)
    call_command("rebuild_search_index", verbosity=0)
    for role in ("scholar", "editor", "admin"):
        user_ensure(username=role, password=f"{role}-tanyuan-demo", role=role.capitalize())
    yield
    forget_index(settings.KB_SEARCH_INDEX_DIR)


def test_smoke_run_covers_every_task_without_failures(library, serial_live_server, tmp_path):
    assert Paper.objects.count() == 4
    assert not PassageProfile.objects.exists()  # --skip-crossrefs: no profiles, no suggestions
    env = {**os.environ, "LOADTEST_WAIT": "0.1"}
    # A fixed command: locust from this virtualenv on our own locustfile and the live server.
    run = subprocess.run(  # noqa: S603
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "-u",
            "3",
            "-r",
            "3",
            "-t",
            "15s",
            "--host",
            serial_live_server,
            "--csv",
            str(tmp_path / "locust"),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    with (tmp_path / "locust_stats.csv").open(encoding="utf-8") as handle:
        stats = {row["Name"]: row for row in csv.DictReader(handle)}
    failures = (tmp_path / "locust_failures.csv").read_text(encoding="utf-8")
    assert stats["Aggregated"]["Failure Count"] == "0", failures + run.stderr[-2000:]
    ran = {name for name, row in stats.items() if int(row["Request Count"]) > 0}
    assert EXPECTED - ran == set(), run.stderr[-2000:]
    assert run.returncode == 0, run.stderr[-2000:]
