"""The thesaurus as SKOS in JSON-LD, for other vocabulary tools (VocBench, Skosmos, ORKG).

Pure: takes plain ``SkosConcept`` data and the URIs to give them (stable ones, from
``KB_BASE_URL``). Labels carry BCP 47 tags by script: ``zh-Hans`` for simplified Chinese,
``zh-Hant`` for traditional (a label OpenCC's t2s changes), ``en`` for the rest;
``skos:narrower`` is written out as well as ``skos:broader`` so that consumers need no
inference.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kb.lib.textnorm import has_han, to_simplified

HANS, HANT, EN = "zh-Hans", "zh-Hant", "en"

CONTEXT = {
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "prefLabel": {"@id": "skos:prefLabel", "@container": "@language"},
    "altLabel": {"@id": "skos:altLabel", "@container": "@language"},
    "definition": {"@id": "skos:definition", "@container": "@language"},
    "notation": "skos:notation",
    "inScheme": {"@id": "skos:inScheme", "@type": "@id"},
    "topConceptOf": {"@id": "skos:topConceptOf", "@type": "@id"},
    "hasTopConcept": {"@id": "skos:hasTopConcept", "@type": "@id"},
    "broader": {"@id": "skos:broader", "@type": "@id"},
    "narrower": {"@id": "skos:narrower", "@type": "@id"},
    "related": {"@id": "skos:related", "@type": "@id"},
    "title": {"@id": "dct:title", "@container": "@language"},
}


@dataclass
class SkosConcept:
    slug: str
    label_zh: str
    label_en: str = ""
    aliases: list[str] = field(default_factory=list)
    definition: str = ""
    broader: list[str] = field(default_factory=list)  # slugs
    related: list[str] = field(default_factory=list)  # slugs


def script_tag(text: str) -> str:
    """``zh-Hant`` for a label in traditional characters, ``zh-Hans`` for other Chinese, else ``en``."""
    if not has_han(text):
        return EN
    return HANT if to_simplified(text) != text else HANS


_language = script_tag


def _by_language(values: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for value in values:
        out.setdefault(_language(value), []).append(value)
    return out


def skos_jsonld(
    concepts: list[SkosConcept], *, scheme_uri: str, concept_uri, title_zh: str, title_en: str
) -> dict:
    """A ``skos:ConceptScheme`` with its concepts. ``concept_uri(slug)`` gives a concept's URI."""
    known = {c.slug for c in concepts}
    narrower: dict[str, list[str]] = {}
    for c in concepts:
        for parent in c.broader:
            narrower.setdefault(parent, []).append(c.slug)
    graph = []
    for c in sorted(concepts, key=lambda c: c.slug):
        node: dict = {
            "@id": concept_uri(c.slug),
            "@type": "skos:Concept",
            "inScheme": scheme_uri,
            "notation": c.slug,
            "prefLabel": {
                HANT if script_tag(c.label_zh) == HANT else HANS: c.label_zh,
                **({EN: c.label_en} if c.label_en else {}),
            },
        }
        aliases = [a for a in c.aliases if a and a not in (c.label_zh, c.label_en)]
        if aliases:
            node["altLabel"] = _by_language(aliases)
        if c.definition:
            node["definition"] = {_language(c.definition): c.definition}
        for name, slugs in (
            ("broader", [s for s in c.broader if s in known]),
            ("narrower", sorted(s for s in narrower.get(c.slug, []) if s in known)),
            ("related", [s for s in c.related if s in known]),
        ):
            if slugs:
                node[name] = [concept_uri(s) for s in slugs]
        if not node.get("broader"):
            node["topConceptOf"] = scheme_uri
        graph.append(node)
    scheme = {
        "@id": scheme_uri,
        "@type": "skos:ConceptScheme",
        "title": {HANS: title_zh, EN: title_en},
        "hasTopConcept": [n["@id"] for n in graph if "topConceptOf" in n],
    }
    return {"@context": CONTEXT, "@graph": [scheme, *graph]}
