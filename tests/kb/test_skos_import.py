"""SKOS import: round trip through the export, other tools' files, matching, preview and apply,
the related-versus-hierarchy rule, stable IRIs from KB_BASE_URL, and the pages."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from kb.lib.skos import skos_jsonld
from kb.models import Concept
from kb.selectors import concepts as selectors
from kb.selectors.skos import concept_iri, scheme_iri
from kb.services import concepts as services
from kb.services.concepts import skos_apply, skos_import
from kb.services.concepts.editing import CONCEPT_RELATED_HIERARCHY
from kb.services.concepts.thesaurus import THESAURUS_FILE

SKOS = "http://www.w3.org/2004/02/skos/core#"


def export() -> bytes:
    document = skos_jsonld(
        selectors.thesaurus_skos(),
        scheme_uri=scheme_iri(),
        concept_uri=concept_iri,
        title_zh="探源概念词表",
        title_en="Tanyuan thesaurus",
    )
    return json.dumps(document, ensure_ascii=False).encode()


def snapshot() -> dict:
    """Every unmerged concept: labels, aliases, definition, links (by slug)."""
    return {
        c.slug: (
            c.label_zh,
            c.label_en,
            sorted(c.aliases),
            c.definition,
            sorted(b.slug for b in c.broader.all()),
            sorted(r.slug for r in c.related.all()),
        )
        for c in Concept.objects.filter(merged_into=None).prefetch_related("broader", "related")
    }


@pytest.fixture
def thesaurus(db):
    digital = services.concept_create(label_zh="数字化", label_en="digitalisation", slug="digitalisation")
    governance = services.concept_create(label_zh="治理", label_en="governance", slug="governance")
    divide = services.concept_create(label_zh="数字鸿沟", slug="digital-divide", aliases=["數字鴻溝"])
    both = services.concept_create(
        label_zh="数字治理",
        label_en="digital governance",
        slug="digital-governance",
        aliases=["數位治理", "e-governance"],
        definition="运用数字技术开展的治理。",
        broader=[digital, governance],
        related=[divide],
    )
    return {"digital": digital, "governance": governance, "divide": divide, "both": both}


def skos_file(*nodes, context=None) -> bytes:
    document = {"@context": context or {"skos": SKOS}, "@graph": list(nodes)}
    return json.dumps(document, ensure_ascii=False).encode()


def concept_node(iri, zh, **extra) -> dict:
    return {"@id": iri, "@type": "skos:Concept", "skos:prefLabel": {"@value": zh, "@language": "zh"}, **extra}


# -- round trip -----------------------------------------------------------------------------


def test_reimporting_the_export_changes_nothing(thesaurus, editor):
    before = snapshot()
    plan = skos_import.thesaurus_import_preview(data=export(), user=editor)
    assert plan.counts == {"create": 0, "update": 0, "skip": 4, "error": 0}
    assert {a.reason for a in plan.actions} == {str(skos_import.SKIP_UNCHANGED)}
    skos_apply.thesaurus_import_apply(data=export(), user=editor)
    assert snapshot() == before


def test_export_into_an_empty_thesaurus_gives_the_same_concepts(thesaurus, editor):
    data, before = export(), snapshot()
    Concept.objects.all().delete()
    report = skos_apply.thesaurus_import_apply(data=data, user=editor)
    assert len(report.created) == 4 and not report.errors and not report.plan.problems
    assert snapshot() == before


def test_load_thesaurus_command_takes_the_export(thesaurus, tmp_path):
    """Regression: the SKOS export fed to load_thesaurus used to crash with KeyError: 'concepts'."""
    before = snapshot()
    path = tmp_path / "skos.jsonld"
    path.write_bytes(export())
    Concept.objects.all().delete()
    out = StringIO()
    call_command("load_thesaurus", str(path), stdout=out, stderr=StringIO())
    assert "SKOS: 4 concepts (create 4, update 0, skip 0, error 0)" in out.getvalue()
    assert snapshot() == before


def test_load_thesaurus_command_dry_run_and_our_own_format(db, tmp_path):
    path = tmp_path / "skos.jsonld"
    path.write_bytes(skos_file(concept_node("http://x.org/a", "数字素养")))
    out = StringIO()
    call_command("load_thesaurus", str(path), "--dry-run", stdout=out)
    assert "create 1" in out.getvalue() and "[dry run]" in out.getvalue()
    assert not Concept.objects.exists()
    call_command("load_thesaurus", str(THESAURUS_FILE), stdout=StringIO())
    assert Concept.objects.count() == len(json.loads(THESAURUS_FILE.read_text())["concepts"])


def test_the_command_refuses_a_file_that_is_not_a_thesaurus(db, tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "x.json"
    path.write_text('{"foo": 1}')
    with pytest.raises(CommandError, match="SKOS"):
        call_command("load_thesaurus", str(path))


# -- matching and updating ---------------------------------------------------------------------


def test_other_tool_file_matches_by_label_folded_and_adds_without_removing(thesaurus, editor):
    data = skos_file(
        {
            "@id": "http://vocab.example.org/c/17",
            "@type": "skos:Concept",
            "skos:prefLabel": [
                {"@value": "數字鴻溝", "@language": "zh"},
                {"@value": "digital divide", "@language": "en"},
            ],
            "skos:altLabel": [{"@value": "数字分化", "@language": "zh-Hans"}],
            "skos:definition": {"@value": "接入与使用的差距。", "@language": "zh"},
            "skos:broader": {"@id": "http://vocab.example.org/c/1"},
        },
        concept_node("http://vocab.example.org/c/1", "数字不平等"),
    )
    plan = skos_import.thesaurus_import_preview(data=data, user=editor)
    update, create = plan.actions
    assert (update.kind, update.matched_by, update.existing) == ("update", "label", thesaurus["divide"])
    changes = {c.field: (c.old, c.new) for c in update.changes}
    assert changes["label_en"] == ("", "digital divide")
    # the traditional label folds to the concept's own label: not an alias of its own
    assert changes["aliases"] == ("", "数字分化")
    assert changes["definition"] == ("", "接入与使用的差距。")
    assert changes["broader"] == ("", "数字不平等")
    assert "label_zh" not in changes  # matched by label: the label stays as it is
    assert create.kind == "create"
    assert not Concept.objects.filter(label_zh="数字不平等").exists()  # the preview wrote nothing
    skos_apply.thesaurus_import_apply(data=data, user=editor)
    divide = Concept.objects.get(pk=thesaurus["divide"].pk)
    assert (divide.label_en, divide.aliases, divide.definition) == (
        "digital divide",
        ["数字分化"],
        "接入与使用的差距。",
    )
    assert [b.label_zh for b in divide.broader.all()] == ["数字不平等"]
    assert [r.label_zh for r in divide.related.all()] == ["数字治理"]  # kept


def test_a_new_label_by_iri_is_a_rename_keeping_the_old_one(thesaurus, editor):
    data = skos_file(concept_node(concept_iri("digital-divide"), "数字分化"))
    (action,) = skos_import.thesaurus_import_preview(data=data, user=editor).actions
    assert action.matched_by == "iri"
    assert [(c.field, c.old, c.new) for c in action.changes][0] == ("label_zh", "数字鸿沟", "数字分化")
    skos_apply.thesaurus_import_apply(data=data, user=editor)
    divide = Concept.objects.get(slug="digital-divide")
    assert divide.label_zh == "数字分化" and "数字鸿沟" in divide.aliases


def test_iris_from_another_base_do_not_match_by_iri(thesaurus, editor, settings):
    data = export()
    settings.KB_BASE_URL = "https://kb.example.org"
    plan = skos_import.thesaurus_import_preview(data=data, user=editor)
    assert {a.matched_by for a in plan.actions if a.existing} == {"label"}


def test_duplicates_and_errors_are_reported_per_concept(db, editor):
    data = skos_file(
        concept_node("http://x.org/a", "数字素养"),
        concept_node("http://x.org/b", "數字素養"),
        {
            "@id": "http://x.org/c",
            "@type": "skos:Concept",
            "skos:prefLabel": {"@value": "x", "@language": "en"},
        },
        concept_node("http://x.org/d", "数字能力", **{"skos:broader": {"@id": "http://elsewhere.org/z"}}),
    )
    plan = skos_import.thesaurus_import_preview(data=data, user=editor)
    assert [a.kind for a in plan.actions] == ["create", "skip", "error", "create"]
    assert plan.actions[1].reason == str(skos_import.SKIP_DUPLICATE).format(index=1)
    assert "http://elsewhere.org/z" in plan.actions[3].notes[0]
    report = skos_apply.thesaurus_import_apply(data=data, user=editor)
    assert sorted(c.label_zh for c in report.created) == ["数字素养", "数字能力"]
    assert report.plan.problems == [(3, plan.actions[2].reason)]


def test_bad_files_are_refused_with_a_message(db, editor):
    cases = [
        (b"\xff\xfe\x00", skos_import.ERROR_ENCODING),
        (b'{"version": 1, "concepts": []}', skos_import.ERROR_OUR_FORMAT),
        (b'{"foo": 1}', skos_import.ERROR_FORMAT),
    ]
    for data, message in cases:
        with pytest.raises(ValidationError) as caught:
            skos_import.thesaurus_import_preview(data=data, user=editor)
        assert caught.value.messages == [str(message)]
    with pytest.raises(ValidationError, match="JSON"):
        skos_import.thesaurus_import_preview(data=b"{oops", user=editor)


def test_scholars_cannot_import(db, scholar):
    with pytest.raises(PermissionDenied):
        skos_import.thesaurus_import_preview(
            data=skos_file(concept_node("http://x.org/a", "数字")), user=scholar
        )


# -- the related-versus-hierarchy rule --------------------------------------------------------------


def test_import_refuses_a_related_link_to_a_broader_concept_transitively(thesaurus, editor):
    data = skos_file(
        concept_node(
            "http://x.org/child",
            "数字治理工具",
            **{"skos:broader": {"@id": concept_iri("digital-governance")}},
        ),
        concept_node(
            "http://x.org/other",
            "算法治理",
            **{
                "skos:broader": {"@id": concept_iri("governance")},
                "skos:related": {"@id": concept_iri("governance")},
            },
        ),
        concept_node(
            "http://x.org/grandchild",
            "政务小程序",
            **{
                "skos:broader": {"@id": "http://x.org/child"},
                "skos:related": [
                    {"@id": concept_iri("digitalisation")},
                    {"@id": concept_iri("digital-divide")},
                ],
            },
        ),
    )
    plan = skos_import.thesaurus_import_preview(data=data, user=editor)
    child, other, grandchild = plan.actions
    assert not child.errors
    assert other.errors == [str(CONCEPT_RELATED_HIERARCHY).format(label="治理")]
    # 数字化 is above 政务小程序 through 数字治理工具 and 数字治理
    assert grandchild.errors == [str(CONCEPT_RELATED_HIERARCHY).format(label="数字化")]
    report = skos_apply.thesaurus_import_apply(data=data, user=editor)
    assert len(report.created) == 3
    assert list(Concept.objects.get(label_zh="算法治理").related.all()) == []
    assert [c.label_zh for c in Concept.objects.get(label_zh="政务小程序").related.all()] == ["数字鸿沟"]


def test_import_refuses_a_cycle(thesaurus, editor):
    data = skos_file(
        concept_node(
            concept_iri("digitalisation"),
            "数字化",
            **{"skos:broader": {"@id": concept_iri("digital-governance")}},
        )
    )
    (action,) = skos_import.thesaurus_import_preview(data=data, user=editor).actions
    assert action.errors == [str(skos_import.ERROR_CYCLE).format(label="数字治理")]


def test_services_refuse_related_to_broader_or_narrower(thesaurus):
    both, digital, governance = thesaurus["both"], thesaurus["digital"], thesaurus["governance"]
    message = str(CONCEPT_RELATED_HIERARCHY)
    with pytest.raises(ValidationError) as caught:
        services.concept_update(concept=both, related=[digital])
    assert caught.value.messages == [message.format(label="数字化")]
    with pytest.raises(ValidationError) as caught:  # the other way: 数字治理 is narrower than 治理
        services.concept_update(concept=governance, related=[both])
    assert caught.value.messages == [message.format(label="数字治理")]
    child = services.concept_create(label_zh="政务小程序", broader=[both], detect=False)
    with pytest.raises(ValidationError):  # transitively, two levels up
        services.concept_update(concept=child, related=[digital])
    with pytest.raises(ValidationError):  # two levels down
        services.concept_update(concept=digital, related=[child])
    with pytest.raises(ValidationError):
        services.concept_create(label_zh="x", broader=[both], related=[governance], detect=False)
    with pytest.raises(ValidationError):  # a new broader link that conflicts with a related one
        services.concept_update(concept=thesaurus["divide"], broader=[both])
    services.concept_update(concept=child, related=[thesaurus["divide"]])  # unrelated branches: fine


def _violations(entries) -> list[tuple[str, str]]:
    up = {}
    for e in entries:
        named = e.get("broader") or []
        up[e["slug"]] = {named} if isinstance(named, str) else set(named)

    def above(slug):
        seen, stack = set(), list(up.get(slug, ()))
        while stack:
            s = stack.pop()
            if s not in seen:
                seen.add(s)
                stack += up.get(s, ())
        return seen

    return [
        (e["slug"], r)
        for e in entries
        for r in e.get("related", [])
        if r in above(e["slug"]) or e["slug"] in above(r)
    ]


def test_the_shipped_thesaurus_has_no_related_link_inside_its_hierarchy():
    entries = json.loads(THESAURUS_FILE.read_text(encoding="utf-8"))["concepts"]
    assert _violations(entries) == []
    # the check itself finds the pair the shipped file used to have
    bad = [dict(e) for e in entries]
    for e in bad:
        if e["slug"] == "public-value-failure":
            e["related"] = [*e.get("related", []), "efficiency-paradox"]
    assert _violations(bad) == [("public-value-failure", "efficiency-paradox")]


def test_thesaurus_load_leaves_out_a_related_link_inside_the_hierarchy(db):
    data = {
        "concepts": [
            {"slug": "a", "label_zh": "甲", "related": ["c"]},
            {"slug": "b", "label_zh": "乙", "broader": "a"},
            {"slug": "c", "label_zh": "丙", "broader": "b"},
        ]
    }
    services.thesaurus_load(data=data)
    assert not Concept.objects.get(slug="a").related.exists()


# -- stable IRIs -------------------------------------------------------------------------------


def test_export_iris_come_from_kb_base_url_not_the_request_host(thesaurus, settings, scholar):
    settings.KB_BASE_URL = "https://kb.example.org"
    settings.ALLOWED_HOSTS = ["one.example", "two.example"]
    ids = []
    for host in ("one.example", "two.example"):
        client = Client(HTTP_HOST=host)
        client.force_login(scholar)
        document = json.loads(client.get(reverse("kb:thesaurus-skos")).content)
        ids.append(sorted(node["@id"] for node in document["@graph"]))
    assert ids[0] == ids[1]
    assert "https://kb.example.org/concepts/digital-governance/" in ids[0]
    assert "https://kb.example.org/concepts/" in ids[0]


# -- the pages ----------------------------------------------------------------------------------


def test_upload_preview_apply(thesaurus, editor_client):
    data = skos_file(
        concept_node("http://x.org/a", "数字素养", **{"skos:broader": {"@id": concept_iri("digitalisation")}})
    )
    response = editor_client.post(
        reverse("kb:thesaurus-import"), {"file": SimpleUploadedFile("t.jsonld", data, "application/ld+json")}
    )
    assert response.status_code == 302
    preview = editor_client.get(response["Location"])
    assert preview.status_code == 200
    assert 'data-action="create"' in preview.content.decode() and "数字素养" in preview.content.decode()
    assert not Concept.objects.filter(label_zh="数字素养").exists()
    apply_url = response["Location"] + "apply/"
    assert editor_client.post(apply_url).status_code == 302
    created = Concept.objects.get(label_zh="数字素养")
    assert [b.slug for b in created.broader.all()] == ["digitalisation"]
    # the preview is gone once applied
    assert editor_client.post(apply_url).status_code == 302
    assert Concept.objects.filter(label_zh="数字素养").count() == 1


def test_paste_then_cancel_writes_nothing(db, editor_client):
    data = skos_file(concept_node("http://x.org/a", "数字素养")).decode()
    response = editor_client.post(reverse("kb:thesaurus-import"), {"text": data})
    token_url = response["Location"]
    assert editor_client.post(token_url + "cancel/").status_code == 302
    assert editor_client.post(token_url + "apply/").status_code == 302
    assert not Concept.objects.exists()


def test_a_bad_upload_shows_the_reason(db, editor_client):
    response = editor_client.post(reverse("kb:thesaurus-import"), {"text": '{"version": 1, "concepts": []}'})
    assert response.status_code == 400
    assert str(skos_import.ERROR_OUR_FORMAT) in response.content.decode()


def test_another_editor_cannot_see_or_apply_my_preview(db, editor_client, other_editor):
    response = editor_client.post(
        reverse("kb:thesaurus-import"),
        {"text": skos_file(concept_node("http://x.org/a", "数字素养")).decode()},
    )
    other = Client()
    other.force_login(other_editor)
    assert other.get(response["Location"]).status_code == 302
    other.post(response["Location"] + "apply/")
    assert not Concept.objects.exists()


def test_preview_queries_do_not_grow_with_the_file(thesaurus, editor_client, django_assert_max_num_queries):
    def preview(n):
        nodes = [
            concept_node(
                f"http://x.org/{i}", f"概念{i}", **{"skos:related": {"@id": concept_iri("governance")}}
            )
            for i in range(n)
        ]
        response = editor_client.post(reverse("kb:thesaurus-import"), {"text": skos_file(*nodes).decode()})
        return response["Location"]

    small, large = preview(2), preview(40)
    with django_assert_max_num_queries(12) as few:
        assert editor_client.get(small).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert editor_client.get(large).status_code == 200


def test_the_edit_form_shows_the_related_refusal(thesaurus, editor_client):
    both, digital = thesaurus["both"], thesaurus["digital"]
    response = editor_client.post(
        reverse("kb:concept-edit", args=[both.slug]),
        {"label_zh": both.label_zh, "broader": [digital.pk], "related": [digital.pk]},
    )
    assert response.status_code == 200
    assert str(CONCEPT_RELATED_HIERARCHY).format(label="数字化") in response.content.decode()
    assert not both.related.filter(pk=digital.pk).exists()


def test_a_merge_drops_related_links_that_would_fall_inside_the_hierarchy(thesaurus):
    both, governance = thesaurus["both"], thesaurus["governance"]
    twin = services.concept_create(label_zh="数字化治理", related=[governance], detect=False)
    services.concept_merge(source=twin, target=both)  # 治理 is above 数字治理
    assert not both.related.filter(pk=governance.pk).exists()
    assert both.broader.filter(pk=governance.pk).exists()


def test_narrower_naming_a_concept_outside_the_file_puts_it_under_the_new_one(thesaurus, editor):
    data = skos_file(
        concept_node(
            "http://x.org/gap", "数字差距", **{"skos:narrower": {"@id": concept_iri("digital-divide")}}
        )
    )
    plan = skos_import.thesaurus_import_preview(data=data, user=editor)
    assert [(a.kind, a.concept.label_zh) for a in plan.actions] == [
        ("create", "数字差距"),
        ("update", "数字鸿沟"),
    ]
    assert [(c.field, c.old, c.new) for c in plan.actions[1].changes] == [("broader", "", "数字差距")]
    skos_apply.thesaurus_import_apply(data=data, user=editor)
    assert [b.label_zh for b in Concept.objects.get(slug="digital-divide").broader.all()] == ["数字差距"]
