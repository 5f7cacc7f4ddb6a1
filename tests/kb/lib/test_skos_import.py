"""The pure SKOS JSON-LD reader: the shapes other tools write, language tags, errors."""

from __future__ import annotations

import pytest

from kb.lib.env import EnvError, env_base_url
from kb.lib.skos import HANS, HANT, SkosConcept, script_tag, skos_jsonld
from kb.lib.skos_import import (
    ERROR_NO_LABEL,
    ERROR_NOT_SKOS,
    SKOS,
    SKOS_JSONLD,
    TANYUAN,
    SkosImportError,
    detect_format,
    language_tag,
    loads,
    parse_skos,
)

BASE = "http://example.org/concepts/"


def test_reads_our_own_export_back():
    concepts = [
        SkosConcept(slug="digital", label_zh="数字化", label_en="digitalisation"),
        SkosConcept(
            slug="digital-governance",
            label_zh="数字治理",
            label_en="digital governance",
            aliases=["數位治理", "e-governance", "数治"],
            definition="运用数字技术开展的治理。",
            broader=["digital"],
            related=["gov"],
        ),
        SkosConcept(slug="gov", label_zh="治理"),
    ]
    document = skos_jsonld(
        concepts, scheme_uri=BASE, concept_uri=lambda s: BASE + s + "/", title_zh="词表", title_en="T"
    )
    parsed = {c.notation: c for c in parse_skos(document).concepts}
    assert set(parsed) == {"digital", "digital-governance", "gov"}
    dg = parsed["digital-governance"]
    assert (dg.iri, dg.label_zh, dg.label_en) == (
        BASE + "digital-governance/",
        "数字治理",
        "digital governance",
    )
    assert sorted(dg.aliases) == sorted(["數位治理", "e-governance", "数治"])
    assert dg.definition == "运用数字技术开展的治理。"
    assert dg.broader == [BASE + "digital/"] and dg.related == [BASE + "gov/"]
    assert parsed["digital"].narrower == [BASE + "digital-governance/"]
    assert not any(c.errors for c in parsed.values())


def test_export_tags_labels_by_script():
    document = skos_jsonld(
        [
            SkosConcept(
                slug="a", label_zh="数字治理", label_en="digital governance", aliases=["數位治理", "数治"]
            )
        ],
        scheme_uri=BASE,
        concept_uri=lambda s: BASE + s,
        title_zh="词表",
        title_en="T",
    )
    node = document["@graph"][1]
    assert node["prefLabel"] == {"zh-Hans": "数字治理", "en": "digital governance"}
    assert node["altLabel"] == {"zh-Hant": ["數位治理"], "zh-Hans": ["数治"]}
    assert document["@graph"][0]["title"] == {"zh-Hans": "词表", "en": "T"}


@pytest.mark.parametrize(
    ("text", "language", "tag"),
    [
        ("数字治理", "zh", HANS),
        ("數位治理", "zh", HANT),
        ("數位治理", None, HANT),
        ("数字治理", "zh-Hant", HANT),  # a tag the file gives is kept
        ("数字治理", "zh-CN", HANS),
        ("治理", "zh-TW", HANS),  # the same in both scripts: simplified
        ("governance", "en-GB", "en"),
        ("governance", None, "en"),
        ("gouvernance", "fr", None),
    ],
)
def test_language_tags(text, language, tag):
    assert language_tag(text, language) == tag


def test_script_tag():
    assert [script_tag(t) for t in ("数字鸿沟", "數字鴻溝", "digital divide")] == [HANS, HANT, "en"]


def test_expanded_jsonld_with_value_objects_and_lists():
    """The shape rdflib and most RDF tools write: full IRIs, @value/@language, {"@id"} links."""
    document = [
        {
            "@id": "http://x.org/c/1",
            "@type": [SKOS + "Concept"],
            SKOS + "prefLabel": [
                {"@value": "數字鴻溝", "@language": "zh"},
                {"@value": "digital divide", "@language": "en"},
            ],
            SKOS + "altLabel": [{"@value": "数字分化", "@language": "zh-Hans"}],
            SKOS + "definition": [
                {"@value": "A gap.", "@language": "en"},
                {"@value": "接入差距。", "@language": "zh"},
            ],
            SKOS + "related": [{"@id": "http://x.org/c/2"}],
        },
        {"@id": "http://x.org/c/2", "@type": SKOS + "Concept", SKOS + "prefLabel": {"@value": "数字素养"}},
        {"@id": "http://x.org/scheme", "@type": SKOS + "ConceptScheme", SKOS + "prefLabel": "词表"},
    ]
    first, second = parse_skos(document).concepts
    # a traditional preferred label: simplified as label_zh, the traditional form an alias
    assert (first.label_zh, first.label_en) == ("数字鸿沟", "digital divide")
    assert first.aliases == ["數字鴻溝", "数字分化"]
    assert first.definition == "接入差距。"
    assert first.related == ["http://x.org/c/2"]
    assert second.label_zh == "数字素养"


def test_compact_keys_prefixes_and_plain_strings():
    """A hand-written file: prefixes in the context, labels as plain strings with a default language."""
    document = {
        "@context": {
            "skos": "http://www.w3.org/2004/02/skos/core#",
            "ex": "http://x.org/",
            "@language": "zh",
        },
        "@graph": [
            {
                "@id": "ex:a",
                "@type": "skos:Concept",
                "skos:prefLabel": ["公共价值", {"@value": "public value", "@language": "en"}],
                "skos:altLabel": ["公共價值"],
                "skos:broader": {"@id": "ex:b"},
                "skos:notation": "pv",
            },
            {"@id": "ex:b", "@type": "skos:Concept", "skos:prefLabel": "价值", "skos:narrower": "ex:a"},
        ],
    }
    a, b = parse_skos(document).concepts
    assert (a.iri, a.label_zh, a.label_en, a.aliases, a.notation) == (
        "http://x.org/a",
        "公共价值",
        "public value",
        ["公共價值"],
        "pv",
    )
    assert a.broader == ["http://x.org/b"] and b.narrower == ["http://x.org/a"]


def test_vocab_terms_language_maps_and_embedded_nodes():
    document = {
        "@context": {"@vocab": SKOS, "broader": {"@type": "@id"}},
        "@id": "http://x.org/scheme",
        "@type": "ConceptScheme",
        "hasTopConcept": [
            {
                "@id": "http://x.org/top",
                "@type": "Concept",
                "prefLabel": {"zh": "数字化", "en": "digitalisation"},
                "narrower": [
                    {"@id": "http://x.org/child", "@type": "Concept", "prefLabel": {"zh": "数字孪生"}}
                ],
            }
        ],
    }
    concepts = {c.iri: c for c in parse_skos(document).concepts}
    assert set(concepts) == {"http://x.org/top", "http://x.org/child"}
    assert concepts["http://x.org/top"].label_en == "digitalisation"
    assert concepts["http://x.org/top"].narrower == ["http://x.org/child"]


def test_a_term_declared_only_with_its_type_expands_through_vocab():
    document = {
        "@context": {"@vocab": SKOS, "broader": {"@type": "@id"}, "ex": "http://x.org/"},
        "@graph": [{"@id": "ex:a", "@type": "Concept", "prefLabel": "数字孪生", "broader": "ex:b"}],
    }
    (concept,) = parse_skos(document).concepts
    assert concept.broader == ["http://x.org/b"]


def test_a_concept_without_a_chinese_label_is_an_error_and_other_languages_a_note():
    document = {
        "@graph": [
            {
                "@id": "http://x.org/a",
                "@type": "skos:Concept",
                "skos:prefLabel": [{"@value": "governance", "@language": "en"}],
                "skos:altLabel": [{"@value": "gouvernance", "@language": "fr"}],
            }
        ]
    }
    (concept,) = parse_skos(document).concepts
    assert concept.errors == [str(ERROR_NO_LABEL)]
    assert concept.notes and "fr" in concept.notes[0]


def test_no_concepts_and_bad_json_are_refused():
    with pytest.raises(SkosImportError, match=str(ERROR_NOT_SKOS)):
        parse_skos({"@graph": [{"@id": "x", "@type": "skos:ConceptScheme"}]})
    with pytest.raises(SkosImportError):
        loads("{not json")


def test_detect_format():
    assert detect_format({"version": 1, "concepts": []}) == TANYUAN
    assert detect_format({"@context": {}, "@graph": []}) == SKOS_JSONLD
    assert detect_format([{"@id": "x"}]) == SKOS_JSONLD
    assert detect_format({"foo": 1}) is None
    assert detect_format("text") is None


def test_base_url_setting_is_strict():
    assert env_base_url("KB_BASE_URL", "http://localhost:8000", {}) == "http://localhost:8000"
    assert (
        env_base_url("KB_BASE_URL", "x", {"KB_BASE_URL": "https://kb.example.org/"})
        == "https://kb.example.org"
    )
    for bad in ("kb.example.org", "ftp://x.org", "https://x.org/?a=1", "https://"):
        with pytest.raises(EnvError, match="KB_BASE_URL"):
            env_base_url("KB_BASE_URL", "x", {"KB_BASE_URL": bad})
