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


def test_load_samples_without_a_corpus_starts_empty_and_says_how_to_add_papers(tmp_path):
    out = StringIO()
    call_command("load_samples", str(tmp_path / "missing"), stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "library starts empty" in text
    assert "/uploads/" in text and "manage.py ingest DIR" in text and "make run CORPUS=DIR" in text
    assert Paper.objects.count() == 0


def test_load_samples_loads_the_folder_it_is_given(tmp_path):
    (tmp_path / "a.txt").write_text("数字治理与共同富裕\n\n数字鸿沟是新的不平等。", encoding="utf-8")
    out = StringIO()
    call_command("load_samples", str(tmp_path), stdout=out, stderr=StringIO())
    assert "loaded 1" in out.getvalue()
    assert Paper.objects.count() == 1


# -- reading options and the page bar ------------------------------------------------------------


def test_a_blank_scan_is_refused_saying_what_ocr_found_and_no_ocr_says_ocr_is_off(tmp_path):
    from tests.kb.pdfs import blank_scan_pdf

    (tmp_path / "blank.pdf").write_bytes(blank_scan_pdf(2))
    for flag, message in (("--ocr", "OCR found no text on any of its 2 page(s)"), ("--no-ocr", "run OCR")):
        err = StringIO()
        with pytest.raises(CommandError):
            call_command("ingest", str(tmp_path), "--dry-run", flag, stdout=StringIO(), stderr=err)
        assert message in err.getvalue(), flag


def test_no_layout_keeps_the_layout_model_out(tmp_path, monkeypatch):
    from papers.ingest import layout
    from tests.kb.pdfs import chinese_pdf

    def refuse(*args, **kwargs):
        raise AssertionError("the layout model ran")

    monkeypatch.setattr(layout, "page_regions", refuse)
    (tmp_path / "p.pdf").write_bytes(chinese_pdf(2))
    out = StringIO()
    call_command("ingest", str(tmp_path), "--dry-run", "--no-layout", stdout=out, stderr=StringIO())
    assert "parsed 1" in out.getvalue()


def test_the_page_bar_shows_with_progress_only(tmp_path, capsys, monkeypatch):
    from tests.kb.pdfs import chinese_pdf

    monkeypatch.setenv("KB_LAYOUT_MODEL", "0")
    (tmp_path / "three.pdf").write_bytes(chinese_pdf(3))
    call_command("ingest", str(tmp_path), "--dry-run", stdout=StringIO(), stderr=StringIO())
    assert "3/3" not in capsys.readouterr().err  # not a terminal: the tests' output stays clean
    call_command("ingest", str(tmp_path), "--dry-run", "--progress", stdout=StringIO(), stderr=StringIO())
    assert "three.pdf" in capsys.readouterr().err
