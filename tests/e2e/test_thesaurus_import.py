"""SKOS thesaurus import in Chromium: an editor uploads another tool's JSON-LD, reviews the
preview (create / update old → new / a refused related link) and applies it.
Screenshot: test-artifacts/thesaurus-import.png."""

from __future__ import annotations

import json

import pytest

from kb.models import Concept
from kb.services import concepts as services
from tests.e2e.conftest import login, screenshot

expect = pytest.importorskip("playwright.sync_api").expect


def test_editor_imports_a_skos_file(editor, page, live_server, console_errors, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    parent = services.concept_create(label_zh="数字不平等", slug="digital-inequality", detect=False)
    services.concept_create(label_zh="数字鸿沟", slug="digital-divide", broader=[parent], detect=False)
    document = {
        "@context": {"skos": "http://www.w3.org/2004/02/skos/core#", "ex": "http://vocab.example.org/"},
        "@graph": [
            {
                "@id": "ex:1",
                "@type": "skos:Concept",
                "skos:prefLabel": [
                    {"@value": "數字鴻溝", "@language": "zh"},
                    {"@value": "digital divide", "@language": "en"},
                ],
                "skos:related": {"@id": "ex:3"},
            },
            {
                "@id": "ex:2",
                "@type": "skos:Concept",
                "skos:prefLabel": {"@value": "数字素养", "@language": "zh"},
            },
            {
                "@id": "ex:3",
                "@type": "skos:Concept",
                "skos:prefLabel": {"@value": "数字不平等", "@language": "zh"},
            },
        ],
    }
    login(page, live_server, editor)
    page.goto(f"{live_server.url}/thesaurus/import/")
    page.get_by_label("SKOS 词表文件").set_input_files(
        files=[
            {
                "name": "vocab.jsonld",
                "mimeType": "application/ld+json",
                "buffer": json.dumps(document, ensure_ascii=False).encode(),
            }
        ]
    )
    page.locator("form.record-form").get_by_role("button", name="预览").click()

    expect(page.get_by_role("heading", name="词表导入预览")).to_be_visible()
    expect(page.locator("[data-thesaurus-summary]")).to_contain_text("将新建 1 个概念，更新 1 个，跳过 1 个")
    update = page.locator("tr[data-action=update]")
    expect(update.locator(".record-changes")).to_contain_text("digital divide")
    expect(update.locator(".thesaurus-problems")).to_contain_text("数字不平等")
    screenshot(page, "thesaurus-import")
    assert not Concept.objects.filter(label_zh="数字素养").exists()

    page.get_by_role("button", name="应用（写入 2 个概念）").click()
    expect(page.get_by_text("词表导入完成：新建 1 个概念，更新 1 个，跳过 1 个。")).to_be_visible()
    assert Concept.objects.get(slug="digital-divide").label_en == "digital divide"
    assert Concept.objects.filter(label_zh="数字素养").exists()
    assert not Concept.objects.get(slug="digital-divide").related.exists()
    assert console_errors == []
