"""Reading a SKOS thesaurus from JSON-LD, without an RDF library (pure; no models, no requests).

Handles the shapes vocabulary tools write: a top-level ``@graph`` (or a list of nodes, or
one node), compact keys through the ``@context`` (terms, ``prefix:suffix``, ``@vocab``) or
full IRIs (expanded JSON-LD), labels as strings, ``{"@value", "@language"}`` objects,
language maps (``"@container": "@language"``) or lists of any of these, and links as IRI
strings, ``{"@id"}`` objects or embedded nodes. Remote contexts are not fetched: the
usual prefixes (``skos``, ``dct``, ``rdf`` …) are known.

Labels are sorted by script: ``zh-Hans`` / ``zh-Hant`` / ``en`` tags as given; plain ``zh``
(or ``zh-CN``, ``zh-TW`` …) by the text itself, traditional when OpenCC's t2s changes it.
The simplified preferred label becomes ``label_zh`` (a traditional one is converted and
kept as an alias), the English one ``label_en``, the rest aliases.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from kb.lib.skos import EN, HANS, HANT, script_tag, to_simplified
from kb.lib.textnorm import has_han

SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
KNOWN_PREFIXES = {
    "skos": SKOS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "dct": "http://purl.org/dc/terms/",
    "dcterms": "http://purl.org/dc/terms/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skosxl": "http://www.w3.org/2008/05/skos-xl#",
}
MAX_CONCEPTS = 5000
_LANG_TAG = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")
MAX_DEPTH = 20  # embedded nodes inside embedded nodes …

ERROR_JSON = _("不是有效的 JSON：%(reason)s")
ERROR_NOT_SKOS = _("文件中没有 SKOS 概念（skos:Concept）。")
ERROR_NO_LABEL = _("缺少中文标签（skos:prefLabel，语言 zh、zh-Hans 或 zh-Hant）。")
ERROR_NO_IRI = _("概念缺少 @id。")
NOTE_OTHER_LANGUAGE = _("忽略了其他语言的标签：%(tags)s")

TANYUAN, SKOS_JSONLD = "tanyuan", "skos"


class SkosImportError(ValueError):
    """The file cannot be read as a thesaurus at all."""


@dataclass
class ParsedConcept:
    index: int  # 1-based position in the file, for messages
    iri: str
    notation: str = ""
    label_zh: str = ""
    label_en: str = ""
    aliases: list[str] = field(default_factory=list)
    definition: str = ""
    broader: list[str] = field(default_factory=list)  # IRIs
    narrower: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class ParsedThesaurus:
    concepts: list[ParsedConcept]
    truncated: bool = False


def detect_format(data) -> str | None:
    """``tanyuan`` for our own thesaurus.json, ``skos`` for JSON-LD, else None."""
    if isinstance(data, dict) and isinstance(data.get("concepts"), list) and "@graph" not in data:
        return TANYUAN
    if isinstance(data, dict) and ("@graph" in data or "@context" in data or "@id" in data):
        return SKOS_JSONLD
    if isinstance(data, list) and data and all(isinstance(node, dict) for node in data):
        return SKOS_JSONLD
    return None


def loads(text: str):
    try:
        return json.loads(text)
    except ValueError as exc:
        raise SkosImportError(str(ERROR_JSON % {"reason": exc})) from None


# -- the context ---------------------------------------------------------------------------


@dataclass
class _Term:
    iri: str
    container: str = ""
    type: str = ""
    language: str | None = None


@dataclass
class _Context:
    terms: dict[str, _Term] = field(default_factory=dict)
    prefixes: dict[str, str] = field(default_factory=lambda: dict(KNOWN_PREFIXES))
    vocab: str = ""
    language: str | None = None

    def iri(self, value: str, *, vocab: bool = True) -> str:
        if value.startswith("@"):
            return value
        if vocab and value in self.terms:
            return self.terms[value].iri
        prefix, colon, suffix = value.partition(":")
        if colon and not suffix.startswith("//") and prefix in self.prefixes:
            return self.prefixes[prefix] + suffix
        if colon or not vocab or not self.vocab:
            return value
        return self.vocab + value


def _read_context(raw, ctx: _Context | None = None) -> _Context:
    ctx = ctx or _Context()
    for part in raw if isinstance(raw, list) else [raw]:
        if not isinstance(part, dict):
            continue  # a remote context: not fetched, the known prefixes stand in
        if isinstance(part.get("@vocab"), str):
            ctx.vocab = part["@vocab"]
        if "@language" in part:
            ctx.language = part["@language"] if isinstance(part["@language"], str) else None
        for key, value in part.items():
            if key.startswith("@"):
                continue
            if isinstance(value, str) and (value.endswith(("#", "/", ":")) or key in KNOWN_PREFIXES):
                ctx.prefixes[key] = value
        for key, value in part.items():
            if key.startswith("@"):
                continue
            if isinstance(value, str):
                ctx.terms[key] = _Term(iri=ctx.iri(value, vocab=False))
            elif isinstance(value, dict):
                raw_id = value.get("@id")
                if isinstance(raw_id, str):
                    iri = ctx.iri(raw_id, vocab=False)
                else:  # {"@type": "@id"} alone: the key itself, through @vocab or a prefix
                    iri = ctx.vocab + key if ctx.vocab and ":" not in key else ctx.iri(key, vocab=False)
                ctx.terms[key] = _Term(
                    iri=iri,
                    container=str(value.get("@container") or ""),
                    type=str(value.get("@type") or ""),
                    language=value["@language"] if isinstance(value.get("@language"), str) else None,
                )
    return ctx


# -- nodes -----------------------------------------------------------------------------------


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _collect(node: dict, ctx: _Context, nodes: dict[str, dict], order: list[str], depth: int) -> str | None:
    """Add ``node`` (and the nodes embedded in it) to ``nodes`` by expanded IRI; return its IRI."""
    if depth > MAX_DEPTH:
        return None
    if "@context" in node:
        ctx = _read_context(
            node["@context"], _Context(dict(ctx.terms), dict(ctx.prefixes), ctx.vocab, ctx.language)
        )
    iri = node.get("@id")
    iri = ctx.iri(iri, vocab=False) if isinstance(iri, str) else f"_:n{len(order)}"
    props = nodes.get(iri)
    if props is None:
        props = nodes[iri] = {}
        order.append(iri)
    for key, value in node.items():
        if key in ("@id", "@context"):
            continue
        if key == "@graph":
            for child in _as_list(value):
                if isinstance(child, dict):
                    _collect(child, ctx, nodes, order, depth + 1)
            continue
        term = ctx.terms.get(key)
        name = "@type" if key == "@type" else ctx.iri(key)
        for item in _values(value, term, ctx):
            if isinstance(item, dict) and "@node" in item:
                child_iri = _collect(item["@node"], ctx, nodes, order, depth + 1)
                if child_iri:
                    props.setdefault(name, []).append({"@id": child_iri})
            else:
                props.setdefault(name, []).append(item)
    return iri


def _values(value, term: _Term | None, ctx: _Context) -> list:
    """A property's values in one shape: ``{"@value", "@language"}``, ``{"@id"}`` or ``{"@node"}``."""
    out: list = []
    if term and term.container == "@language" and isinstance(value, dict):
        for lang, texts in value.items():
            for text in _as_list(texts):
                if isinstance(text, str):
                    out.append({"@value": text, "@language": None if lang == "@none" else lang})
        return out
    for item in _as_list(value):
        if isinstance(item, str):
            if term and term.type in ("@id", "@vocab"):
                out.append({"@id": ctx.iri(item, vocab=term.type == "@vocab")})
            else:
                language = term.language if term and term.language is not None else ctx.language
                out.append({"@value": item, "@language": language, "@id?": item})
        elif isinstance(item, dict):
            if "@value" in item:
                if isinstance(item["@value"], str | int | float):
                    out.append({"@value": str(item["@value"]), "@language": item.get("@language")})
            elif set(item) == {"@id"} and isinstance(item["@id"], str):
                out.append({"@id": ctx.iri(item["@id"], vocab=False)})
            elif item and all(isinstance(k, str) and _LANG_TAG.match(k) for k in item):
                # A language map the context does not declare ({"zh": "…", "en": "…"}).
                for lang, texts in item.items():
                    out.extend(
                        {"@value": t, "@language": lang} for t in _as_list(texts) if isinstance(t, str)
                    )
            else:
                out.append({"@node": item})
    return out


def _types(props: dict, ctx: _Context) -> set[str]:
    types = set()
    for item in props.get("@type", []) + props.get(RDF_TYPE, []):
        raw = item.get("@id") or item.get("@id?") or item.get("@value")
        if isinstance(raw, str):
            types.add(ctx.iri(raw))
    return types


def _texts(props: dict, name: str) -> list[tuple[str, str | None]]:
    out = []
    for item in props.get(SKOS + name, []):
        text = item.get("@value")
        if isinstance(text, str) and text.strip():
            out.append((" ".join(text.split()), item.get("@language")))
    return out


def _links(props: dict, name: str, ctx: _Context) -> list[str]:
    out = []
    for item in props.get(SKOS + name, []):
        iri = item.get("@id") or item.get("@id?")
        if isinstance(iri, str) and iri:
            iri = ctx.iri(iri, vocab=False)
            if iri not in out:
                out.append(iri)
    return out


# -- labels ----------------------------------------------------------------------------------


def language_tag(text: str, language: str | None) -> str | None:
    """``zh-Hans``, ``zh-Hant``, ``en``, or None for another language."""
    tag = (language or "").lower()
    if tag in ("zh-hans", "zh-hant"):
        return HANS if tag == "zh-hans" else HANT
    if tag == "zh" or tag.startswith("zh-"):
        return script_tag(text) if has_han(text) else EN
    if tag == "en" or tag.startswith("en-"):
        return EN
    if not tag:
        return script_tag(text)
    return None


def _labels(props: dict, concept: ParsedConcept) -> None:
    by_tag: dict[str, list[str]] = {HANS: [], HANT: [], EN: []}
    extra: list[str] = []
    others: set[str] = set()
    for text, language in _texts(props, "prefLabel"):
        tag = language_tag(text, language)
        if tag is None:
            others.add(str(language))
        else:
            by_tag[tag].append(text)
    if by_tag[HANS]:
        concept.label_zh = by_tag[HANS][0]
        extra += by_tag[HANS][1:] + by_tag[HANT]
    elif by_tag[HANT]:
        concept.label_zh = to_simplified(by_tag[HANT][0])
        extra += by_tag[HANT]
    if by_tag[EN]:
        concept.label_en = by_tag[EN][0]
        extra += by_tag[EN][1:]
    for name in ("altLabel", "hiddenLabel"):
        for text, language in _texts(props, name):
            if language_tag(text, language) is None:
                others.add(str(language))
            else:
                extra.append(text)
    seen = {concept.label_zh, concept.label_en}
    for text in extra:
        if text not in seen:
            seen.add(text)
            concept.aliases.append(text)
    if others:
        concept.notes.append(str(NOTE_OTHER_LANGUAGE % {"tags": "、".join(sorted(others))}))
    if not concept.label_zh:
        concept.errors.append(str(ERROR_NO_LABEL))


def _definition(props: dict) -> str:
    ranked = sorted(
        _texts(props, "definition"),
        key=lambda pair: {HANS: 0, HANT: 1, EN: 2}.get(language_tag(*pair) or "", 3),
    )
    return ranked[0][0] if ranked else ""


def _notation(props: dict) -> str:
    for item in props.get(SKOS + "notation", []):
        text = item.get("@value")
        if isinstance(text, str) and text.strip():
            return text.strip()
    return ""


def parse_skos(data) -> ParsedThesaurus:
    """The concepts of a JSON-LD document (already decoded from JSON). ``SkosImportError``
    when it holds no ``skos:Concept``."""
    ctx = _read_context(data.get("@context", {})) if isinstance(data, dict) else _Context()
    nodes: dict[str, dict] = {}
    order: list[str] = []
    roots = data if isinstance(data, list) else [data]
    for root in roots:
        if isinstance(root, dict):
            _collect(root, ctx, nodes, order, 0)
    concepts: list[ParsedConcept] = []
    truncated = False
    for iri in order:
        props = nodes[iri]
        types = _types(props, ctx)
        is_concept = SKOS + "Concept" in types or (
            not types and (SKOS + "prefLabel") in props and SKOS + "hasTopConcept" not in props
        )
        if not is_concept or SKOS + "ConceptScheme" in types:
            continue
        if len(concepts) >= MAX_CONCEPTS:
            truncated = True
            break
        concept = ParsedConcept(index=len(concepts) + 1, iri="" if iri.startswith("_:") else iri)
        if not concept.iri:
            concept.errors.append(str(ERROR_NO_IRI))
        concept.notation = _notation(props)
        _labels(props, concept)
        concept.definition = _definition(props)
        concept.broader = _links(props, "broader", ctx)
        concept.narrower = _links(props, "narrower", ctx)
        concept.related = _links(props, "related", ctx)
        concepts.append(concept)
    if not concepts:
        raise SkosImportError(str(ERROR_NOT_SKOS))
    return ParsedThesaurus(concepts=concepts, truncated=truncated)
