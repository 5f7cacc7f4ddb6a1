"""W3C Web Annotation export (checked against the W3C test suite's MUST schemas) and import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.urls import reverse
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from kb.models import Annotation
from kb.services import annotations as annotation_services
from kb.services import w3c as services
from tests import factories as f

SUITE = Path(__file__).resolve().parents[2].parent / "shared" / "w3c-web-annotation-tests"


def _suite():
    if not SUITE.is_dir():
        pytest.skip(f"W3C test suite not found at {SUITE}")
    schemas = {}
    for path in SUITE.rglob("*.json"):
        if "samples" in path.parts:
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "$schema" in data:
            schemas[path.name] = data
            schemas.setdefault(data.get("id", path.name), data)
    registry = Registry().with_resources(
        (key, Resource.from_contents(schema, default_specification=DRAFT4)) for key, schema in schemas.items()
    )
    return schemas, registry


def _must_failures(document: dict, test_file: str) -> list[str]:
    schemas, registry = _suite()
    listing = json.loads((SUITE / test_file).read_text(encoding="utf-8"))
    failures = []
    for assertion in listing["assertions"]:
        schema = schemas[Path(assertion).name]
        valid = Draft4Validator(schema, registry=registry).is_valid(document)
        if valid != (schema.get("expectedResult", "valid") == "valid"):
            failures.append(f"{assertion}: {schema.get('errorMessage', '')}")
    return failures


def test_the_must_checks_can_fail():
    bad = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "body": "x",
        "bodyValue": "y",
    }
    assert (
        len(_must_failures(bad, "annotations/annotationMusts.test")) >= 2
    )  # no id, no target, body+bodyValue


@pytest.fixture
def annotations(paper_with_text, editor, other_editor):
    passage = paper_with_text.passages.get(order=1)
    concept = f.ConceptFactory(label_zh="数字鸿沟", slug="数字鸿沟")
    made = [
        annotation_services.annotation_create(
            user=editor,
            passage=passage,
            start=0,
            end=4,
            exact="数字鸿沟",
            body="**定义**",
            tags=["概念", "定义"],
            visibility="public",
            concept=concept,
        ),
        annotation_services.annotation_create(
            user=editor, passage=passage, start=None, end=None, exact="新形态", visibility="public"
        ),
    ]
    made.append(annotation_services.annotation_reply(user=other_editor, parent=made[0], body="同意"))
    return made


def test_every_exported_annotation_passes_the_must_assertions(annotations, client, paper_with_text):
    response = client.get(reverse("kb:annotation-export"), {"paper": paper_with_text.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    collection = json.loads(response.content)
    assert _must_failures(collection, "collections/collectionMusts.test") == []
    items = collection["first"]["items"]
    assert collection["total"] == len(items) == 3
    for item in items:
        assert _must_failures(item, "annotations/annotationMusts.test") == [], item


def test_exported_shape(annotations):
    data = services.annotation_to_w3c(annotations[0], base="https://kb.example")
    assert data["id"] == f"https://kb.example/annotations/{annotations[0].pk}/"
    target = data["target"]
    assert target["source"] == f"https://kb.example/papers/{annotations[0].paper_id}/"
    quote, position = target["selector"]
    assert quote == {
        "type": "TextQuoteSelector",
        "exact": "数字鸿沟",
        "prefix": "一、数字鸿沟的内涵\n\n",
        "suffix": "是数字时代社会不平等的新形态①。",
    }
    assert position == {
        "type": "TextPositionSelector",
        "start": annotations[0].start,
        "end": annotations[0].end,
    }
    purposes = [b["purpose"] for b in data["body"]]
    assert purposes == ["commenting", "tagging", "tagging", "identifying"]
    reply = services.annotation_to_w3c(annotations[2], base="https://kb.example")
    assert reply["target"] == data["id"] and reply["motivation"] == "replying"


def test_export_by_user_and_visibility(annotations, editor, paper_with_text, scholar_client):
    annotation_services.annotation_create(
        user=editor,
        passage=paper_with_text.passages.get(order=1),
        start=None,
        end=None,
        exact="数字时代",
        body="私密",
    )
    by_user = scholar_client.get(reverse("kb:annotation-export"), {"user": "editor2"}).json()
    assert [i["motivation"] for i in by_user["first"]["items"]] == ["replying"]
    everything = scholar_client.get(reverse("kb:annotation-export")).content.decode()
    assert "私密" not in everything and "数字鸿沟" in everything


def test_export_round_trips_through_import(annotations, paper_with_text, editor):
    collection = services.annotation_collection(
        annotations=Annotation.objects.filter(parent=None),
        base="https://kb.example",
        collection_id="x",
        label="x",
    )
    report = services.annotations_import(paper=paper_with_text, data=collection, user=editor)
    assert [i.quote for i in report.anchored] == ["数字鸿沟", "新形态"]
    copy = report.anchored[0].annotation
    assert (copy.start, copy.end, copy.body, copy.tag_list) == (
        annotations[0].start,
        annotations[0].end,
        "**定义**",
        ["概念", "定义"],
    )


HYPOTHESIS_EXPORT = {
    "total": 3,
    "rows": [
        {
            "id": "abc",
            "uri": "https://example.org/paper.pdf",
            "text": "Hypothesis 评论",
            "tags": ["hyp"],
            "target": [
                {
                    "source": "https://example.org/paper.pdf",
                    "selector": [
                        {"type": "TextPositionSelector", "start": 900, "end": 905},
                        {
                            "type": "TextQuoteSelector",
                            "exact": "共同富裕",
                            "prefix": "弥合数字鸿沟是实现",
                            "suffix": "的重要路径",
                        },
                    ],
                }
            ],
        },
        {
            "text": "找不到的引文",
            "target": [
                {
                    "selector": [
                        {"type": "TextQuoteSelector", "exact": "人工智能伦理", "prefix": "", "suffix": ""}
                    ]
                }
            ],
        },
        {"text": "没有选择器的页面批注", "target": [{"source": "https://example.org/paper.pdf"}]},
    ],
}


def test_import_hypothesis_json_anchors_by_quote_and_reports_the_rest(paper_with_text, editor):
    report = services.annotations_import(paper=paper_with_text, data=HYPOTHESIS_EXPORT, user=editor)
    anchored = report.anchored[0].annotation
    passage = paper_with_text.passages.get(order=3)
    assert (anchored.passage, anchored.exact, anchored.tag_list) == (passage, "共同富裕", ["hyp"])
    assert passage.revision.text[anchored.start : anchored.end] == "共同富裕"
    orphan = report.orphaned[0]
    assert (orphan.quote, orphan.reason) == ("人工智能伦理", services.NOT_ANCHORED)
    assert orphan.annotation.anchor_status == "orphaned" and orphan.annotation.pk  # kept, not dropped
    # A target without selectors is a note on the whole paper (tests/kb/test_hypothesis_import.py).
    assert [i.index for i in report.page_notes] == [2] and report.skipped == []


def test_import_page(paper_with_text, editor_client, scholar_client):
    url = reverse("kb:annotation-import", args=[paper_with_text.pk])
    assert scholar_client.get(url).status_code == 200  # scholars import into their own notes
    refused = scholar_client.post(url, {"json": json.dumps(HYPOTHESIS_EXPORT), "visibility": "editors"})
    assert refused.status_code == 200 and not Annotation.objects.exists()
    response = editor_client.post(url, {"json": json.dumps(HYPOTHESIS_EXPORT), "visibility": "editors"})
    html = response.content.decode()
    assert response.status_code == 200 and "人工智能伦理" in html and str(services.NOT_ANCHORED) in html
    assert set(Annotation.objects.values_list("visibility", flat=True)) == {"editors"}
    bad = editor_client.post(url, {"json": "{not json"})
    assert "JSON 格式错误：第 1 行第 2 列" in bad.content.decode()  # where the file breaks
