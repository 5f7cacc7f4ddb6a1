"""``/api/docs``: the OpenAPI document rendered on the server, as a page of the site.

No Swagger UI: it would load scripts (from a CDN by default) that the site's CSP forbids.
The page is made from the same document as ``/api/openapi.json`` (``api.get_openapi_schema``):
every operation with its parameters (type, bounds, enumeration, default) and answers,
then every schema with its fields; references link to the schema they name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from ninja.openapi.docs import DocsBase

from kb.lib import roles

REF = "#/components/schemas/"


@dataclass
class TypeText:
    """A type as words; ``parts`` are ("text", words) and ("ref", schema name) pieces, so the
    page links each schema a type names."""

    parts: list[tuple[str, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(value for _kind, value in self.parts)

    @property
    def refs(self) -> list[str]:
        return [value for kind, value in self.parts if kind == "ref"]


def _words(text: str) -> TypeText:
    return TypeText([("text", text)])


def _joined(types: list[TypeText], separator: str) -> TypeText:
    parts: list[tuple[str, str]] = []
    for n, t in enumerate(types):
        if n:
            parts.append(("text", separator))
        parts += t.parts
    return TypeText(parts)


@dataclass
class Param:
    name: str
    where: str
    required: bool
    type: TypeText
    description: str
    constraints: str


@dataclass
class Answer:
    status: str
    description: str
    type: TypeText | None


@dataclass
class Operation:
    anchor: str
    method: str
    path: str
    summary: str
    description: str
    params: list[Param]
    answers: list[Answer]
    auth: list[str]


@dataclass
class Prop:
    name: str
    type: TypeText
    required: bool
    description: str
    constraints: str


@dataclass
class SchemaDoc:
    name: str
    description: str
    props: list[Prop]


def type_text(schema: dict[str, Any] | None) -> TypeText:
    """``string``, ``integer | null``, ``array of PaperSummary``, ``"a" | "b"`` …"""
    if not schema:
        return _words("any")
    if "$ref" in schema:
        return TypeText([("ref", schema["$ref"].removeprefix(REF))])
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return _joined([type_text(s) for s in schema[key]], " | ")
    if "enum" in schema:
        return _words(" | ".join(f'"{v}"' if isinstance(v, str) else str(v) for v in schema["enum"]))
    if "const" in schema:
        return _words(f'"{schema["const"]}"')
    kind = schema.get("type", "object")
    if kind == "array":
        return _joined([_words("array of "), type_text(schema.get("items"))], "")
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return _joined([_words("object of "), type_text(schema["additionalProperties"])], "")
    if schema.get("format"):
        return _words(f"{kind} ({schema['format']})")
    return _words(str(kind))


def constraints(schema: dict[str, Any]) -> str:
    words = []
    for key, sign in (
        ("minimum", "≥"),
        ("maximum", "≤"),
        ("minLength", "length ≥"),
        ("maxLength", "length ≤"),
    ):
        if key in schema:
            words.append(f"{sign} {schema[key]}")
    for part in schema.get("anyOf", []):
        if part.get("type") != "null":
            words += [w for w in constraints(part).split(", ") if w]
    if "default" in schema and schema["default"] is not None:
        words.append(f"default {schema['default']}")
    return ", ".join(words)


def _answers(responses: dict[str, Any]) -> list[Answer]:
    out = []
    for status, answer in sorted(responses.items()):
        content = answer.get("content", {})
        schema = next(iter(content.values()), {}).get("schema") if content else None
        out.append(Answer(status, answer.get("description", ""), type_text(schema) if schema else None))
    return out


def operations(document: dict[str, Any]) -> list[Operation]:
    out = []
    for path, methods in document.get("paths", {}).items():
        for method, op in methods.items():
            params = [
                Param(
                    name=p["name"],
                    where=p.get("in", ""),
                    required=bool(p.get("required")),
                    type=type_text(p.get("schema")),
                    description=p.get("description") or p.get("schema", {}).get("description", ""),
                    constraints=constraints(p.get("schema", {})),
                )
                for p in op.get("parameters", [])
            ]
            out.append(
                Operation(
                    anchor=op.get("operationId", f"{method}-{path}"),
                    method=method.upper(),
                    path=path,
                    summary=op.get("summary", ""),
                    description=op.get("description", ""),
                    params=params,
                    answers=_answers(op.get("responses", {})),
                    auth=[name for item in op.get("security", []) for name in item],
                )
            )
    return out


def schemas(document: dict[str, Any]) -> list[SchemaDoc]:
    out = []
    for name, schema in sorted(document.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        props = [
            Prop(
                name=prop,
                type=type_text(spec),
                required=prop in required,
                description=spec.get("description", ""),
                constraints=constraints(spec),
            )
            for prop, spec in schema.get("properties", {}).items()
        ]
        out.append(SchemaDoc(name=name, description=schema.get("description", ""), props=props))
    return out


class ServerRenderedDocs(DocsBase):
    """ninja's docs hook, answering the site's template instead of Swagger UI."""

    template = "kb/api_docs.html"

    def render_page(self, request: HttpRequest, api, **kwargs: Any) -> HttpResponse:
        document = api.get_openapi_schema(path_params=kwargs)
        context = {
            "document": document,
            "operations": operations(document),
            "schemas": schemas(document),
            "openapi_url": self.get_openapi_url(api, kwargs),
            "example_url": request.build_absolute_uri(reverse("api:paper-list")) + "?year=2023&limit=5",
            "can_make_tokens": roles.is_editor(request.user),
        }
        return render(request, self.template, context)
