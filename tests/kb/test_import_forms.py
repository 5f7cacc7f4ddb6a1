"""The one upload-or-paste form of the three imports (kb.forms.imports), as each page shows it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kb.forms.imports import ERROR_BOTH, AnnotationImportForm, RecordImportForm, ThesaurusImportForm
from kb.models import Annotation


@pytest.mark.parametrize("form_class", [RecordImportForm, ThesaurusImportForm, AnnotationImportForm])
def test_exactly_one_of_file_or_text_within_the_bound(form_class, monkeypatch):
    text = form_class.text_name
    assert form_class({}, {}).errors["__all__"] == [str(form_class.error_nothing)]
    both = form_class({text: "x"}, {"file": SimpleUploadedFile("a.json", b"{}")})
    assert both.errors["__all__"] == [str(ERROR_BOTH)]
    pasted = form_class({text: "数字鸿沟"})
    assert (
        pasted.is_valid()
        and pasted.cleaned_data["data"] == "数字鸿沟".encode()
        and pasted.cleaned_data["name"] == ""
    )
    uploaded = form_class({}, {"file": SimpleUploadedFile("a" * 300 + ".json", b"{}")})
    assert (
        uploaded.is_valid()
        and uploaded.cleaned_data["data"] == b"{}"
        and len(uploaded.cleaned_data["name"]) == 200
    )
    # The bound is the stage's, counted in bytes, with the importer's own message.
    stage = form_class.stage
    assert stage.max_bytes == 5 * 2**20
    too_large = str(stage.too_large % {"mb": 5})
    big = form_class({text: "字" * (stage.max_bytes // 3 + 1)})
    assert big.errors["__all__"] == [too_large]
    big_file = form_class({}, {"file": SimpleUploadedFile("a.json", b"x" * (stage.max_bytes + 1))})
    assert big_file.errors["__all__"] == [too_large]


def test_annotation_page_keeps_the_pasted_text_and_says_what_is_missing(paper_with_text, scholar_client):
    url = reverse("kb:annotation-import", args=[paper_with_text.pk])
    empty = scholar_client.post(url, {"json": "  ", "action": "preview"}).content.decode()
    assert str(AnnotationImportForm.error_nothing) in empty
    bad = scholar_client.post(url, {"json": "{not json", "action": "preview"}).content.decode()
    assert "JSON 格式错误：第 1 行第 2 列" in bad and "{not json</textarea>" in bad  # nothing lost
    assert "maxlength" not in bad  # a long paste is refused with a message, never cut silently
    assert not Annotation.objects.exists()
