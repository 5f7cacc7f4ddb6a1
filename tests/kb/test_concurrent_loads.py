"""Concurrent loads of one file give one paper (the loser says "unchanged"), and no file of a
failed or rolled-back load stays on disk."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from kb.services import loading
from papers.models import Paper, SourceFile, TextRevision
from papers.services import ingest as ingest_module

pytestmark = pytest.mark.django_db

TEXT = "数字治理与共同富裕\n\n数字鸿沟是新的不平等。\n\n弥合数字鸿沟需要数字素养。"


def _stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _blind_to_committed_sources(monkeypatch):
    """Make the next save behave as the second of two processes: it looks up the sha256 before
    the first one's row is visible, so it goes on to save and hits the unique constraint."""
    real = SourceFile

    class Blind:
        objects = type("M", (), {"filter": staticmethod(lambda **kw: real.objects.none())})()

        def __new__(cls, *args, **kwargs):
            return real(*args, **kwargs)

    monkeypatch.setattr(ingest_module, "SourceFile", Blind)


def test_the_loser_of_a_race_reports_unchanged_and_leaves_one_paper(settings, monkeypatch):
    data = TEXT.encode()
    first = loading.paper_load(data=data, filename="p.txt")
    assert first.status == "loaded"
    files = _stored_files(settings)
    assert len(files) == 1
    _blind_to_committed_sources(monkeypatch)
    second = loading.paper_load(data=data, filename="p.txt")
    assert (second.status, second.paper_id) == ("unchanged", first.paper_id)
    assert Paper.objects.count() == 1 and TextRevision.objects.count() == 1
    assert _stored_files(settings) == files  # the loser's copy of the file is gone


def test_ingest_command_of_the_losing_process_says_unchanged(settings, monkeypatch, tmp_path):
    path = tmp_path / "p.txt"
    path.write_text(TEXT, encoding="utf-8")
    call_command("ingest", str(path), stdout=StringIO(), stderr=StringIO())
    _blind_to_committed_sources(monkeypatch)
    out = StringIO()
    call_command("ingest", str(path), stdout=out, stderr=StringIO())
    assert "unchanged 1" in out.getvalue()
    assert Paper.objects.count() == 1


def test_files_of_a_failed_load_are_removed(settings, monkeypatch):
    def broken_follow_up(outcome):
        raise RuntimeError("follow-up failed")

    monkeypatch.setattr(loading, "paper_loaded", broken_follow_up)
    with pytest.raises(RuntimeError):
        loading.paper_load(data=TEXT.encode(), filename="p.txt")
    assert not Paper.objects.exists() and not SourceFile.objects.exists()
    assert _stored_files(settings) == []
