"""manage.py ingest: folders and files, idempotent, summary, exit code, --json."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from papers.models import Paper, Passage

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the repo")


@needs_corpus
def test_loading_the_sample_corpus_twice_creates_nothing_twice():
    out = StringIO()
    call_command("ingest", str(CORPUS), stdout=out, stderr=StringIO())
    assert "loaded 5" in out.getvalue()
    counts = (Paper.objects.count(), Passage.objects.count())
    out = StringIO()
    call_command("ingest", str(CORPUS), stdout=out, stderr=StringIO())
    assert "unchanged 5" in out.getvalue()
    assert (Paper.objects.count(), Passage.objects.count()) == counts
    assert counts[0] == 5


def test_failed_file_makes_the_command_fail_while_others_load(tmp_path):
    (tmp_path / "good.txt").write_text("数字治理与共同富裕\n\n数字鸿沟是新的不平等。", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    err = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("ingest", str(tmp_path), stdout=StringIO(), stderr=err)
    assert excinfo.value.returncode == 1
    assert "empty.txt" in err.getvalue()
    assert Paper.objects.count() == 1


def test_dry_run_json_prints_the_contract_and_writes_nothing(tmp_path):
    (tmp_path / "p.txt").write_text("数字治理与共同富裕\n\n数字鸿沟是新的不平等。", encoding="utf-8")
    out = StringIO()
    call_command("ingest", str(tmp_path / "p.txt"), "--dry-run", "--json", stdout=out, stderr=StringIO())
    doc = json.loads(out.getvalue())
    for key in ("source", "title", "authors", "sections", "passages", "footnotes", "citations", "warnings"):
        assert key in doc
    assert doc["source"]["format"] == "txt" and len(doc["source"]["sha256"]) == 64
    assert Paper.objects.count() == 0


def test_missing_path_is_reported(tmp_path):
    with pytest.raises(CommandError):
        call_command("ingest", str(tmp_path / "nope"), stdout=StringIO(), stderr=StringIO())
