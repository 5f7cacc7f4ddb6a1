"""Typed shapes of the read API (pydantic through django-ninja): the OpenAPI document is made from these.

Every list answers a ``Page``-like object (``count``, ``limit``, ``offset``, ``next``,
``previous``, ``items``); errors answer ``Error`` (``detail``) or, for bad parameters,
``ValidationErrors`` (422). Annotations are W3C Web Annotation JSON-LD (``W3CAnnotation``),
as the export writes them (``kb.services.w3c``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from kb.models import (
    AnchorStatus,
    ClaimKind,
    ClaimStatus,
    CrossRefStatus,
    MentionOrigin,
    MentionStatus,
    Relation,
    Stance,
)
from papers.models import DocType, PaperStatus, PassageKind

# Enumerations as the document lists them (the values, not the labels).
DOC_TYPES = tuple(DocType.values)
PASSAGE_KINDS = tuple(PassageKind.values)


# Query strings carrying control characters are refused with 400 before any operation runs
# (``kb.textguard``): the document says so, with this pattern on every text parameter.
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"


class Error(Schema):
    detail: str


class BadInput(Schema):
    """A query string with a control character (NUL …), refused by the site before the API."""

    errors: list[str]


class ValidationErrors(Schema):
    detail: list[dict[str, Any]]


class Paging(Schema):
    count: int = Field(..., description="Number of items matching the filters")
    limit: int
    offset: int
    next: str | None = Field(None, description="URL of the next page, or null")
    previous: str | None = Field(None, description="URL of the previous page, or null")


# -- papers -------------------------------------------------------------------------------------


class AuthorOut(Schema):
    id: int
    name: str
    name_en: str
    orcid: str


class AuthorshipOut(Schema):
    order: int
    affiliation: str
    author: AuthorOut


class PaperRef(Schema):
    id: int
    title: str
    year: int | None


class PaperSummary(Schema):
    id: int
    title: str
    title_en: str
    year: int | None
    venue: str
    doc_type: str = Field(..., description="One of: " + ", ".join(DOC_TYPES))
    doi: str | None
    authors: list[str] = Field(..., description="Author names, in the paper's order")
    html_url: str = Field(..., description="The reader page")


class PaperDetail(PaperSummary):
    subtitle: str
    abstract: str
    abstract_en: str
    keywords: list[str]
    keywords_en: list[str]
    volume: str
    issue: str
    pages: str
    language: str
    issn: str
    url: str = Field(..., description="The work's own URL, where it has one")
    published: str = Field(..., description="Full publication date where known (may be partial)")
    publisher: str
    place: str
    online_only: bool
    institution: str
    degree: str
    advisor: str
    status: str = Field(..., description="One of: " + ", ".join(PaperStatus.values))
    authorships: list[AuthorshipOut]
    passage_count: int
    created_at: datetime
    updated_at: datetime


class PaperPage(Paging):
    items: list[PaperSummary]


# -- passages -----------------------------------------------------------------------------------


class SectionOut(Schema):
    id: int
    number: str
    heading: str
    level: int


class PassageOut(Schema):
    id: int
    order: int = Field(..., description="The reader's ¶ number (anchor #p-<order>)")
    kind: str = Field(..., description="One of: " + ", ".join(PASSAGE_KINDS))
    section: SectionOut | None
    page: int | None = Field(None, description="1-based PDF page; null for text and Markdown sources")
    page_label: str = Field(..., description="The page number printed on that page, where found")
    text: str
    start: int = Field(..., description="Offset in the revision's text, in code points")
    end: int
    ocr_conf: float | None
    html_url: str


class PassagePage(Paging):
    items: list[PassageOut]


# -- concepts and mentions ----------------------------------------------------------------------


class ConceptRef(Schema):
    slug: str
    label_zh: str
    label_en: str


class ConceptSummary(ConceptRef):
    id: int
    aliases: list[str]
    group: str
    broader: list[str] = Field(..., description="Slugs of the broader concepts")
    mention_count: int = Field(..., description="Active mentions in papers the caller may read")
    html_url: str


class PassageRef(Schema):
    id: int
    order: int
    page: int | None
    page_label: str


class DefinitionSource(Schema):
    paper: PaperRef
    passage: PassageRef


class ConceptDetail(ConceptSummary):
    definition: str
    definition_source: DefinitionSource | None
    narrower: list[str]
    related: list[str]
    merged_into: str | None = Field(None, description="Slug of the concept this one was merged into")


class ConceptPage(Paging):
    items: list[ConceptSummary]


class MentionOut(Schema):
    id: int
    concept: ConceptRef
    paper: PaperRef
    passage: PassageRef
    start: int = Field(..., description="Offset in the passage text, in code points")
    end: int
    surface: str
    origin: str = Field(..., description="One of: " + ", ".join(MentionOrigin.values))
    status: str = Field(..., description="One of: " + ", ".join(MentionStatus.values))


class MentionPage(Paging):
    items: list[MentionOut]


# -- claims and cross-references ----------------------------------------------------------------


class EvidenceOut(Schema):
    id: int
    stance: str = Field(..., description="One of: " + ", ".join(Stance.values))
    exact: str = Field(..., description="The quote")
    prefix: str
    suffix: str
    start: int | None
    end: int | None
    anchor_status: str = Field(..., description="One of: " + ", ".join(AnchorStatus.values))
    paper: PaperRef | None
    passage: PassageRef | None
    section: str = Field(..., description="The heading of the passage's section, if any")


class ClaimSummary(Schema):
    id: int
    statement: str
    kind: str = Field(..., description="One of: " + ", ".join(ClaimKind.values))
    status: str = Field(..., description="One of: " + ", ".join(ClaimStatus.values))
    paper: PaperRef
    concepts: list[ConceptRef]
    creator: str
    created_at: datetime
    reviewed_at: datetime | None
    html_url: str


class ClaimRelationOut(Schema):
    id: int
    relation: str
    note: str
    claim_id: int = Field(..., description="The claim at the other end")
    statement: str


class ClaimDetail(ClaimSummary):
    evidence: list[EvidenceOut]
    relations_out: list[ClaimRelationOut]
    relations_in: list[ClaimRelationOut]


class ClaimPage(Paging):
    items: list[ClaimSummary]


class CrossRefEnd(Schema):
    paper: PaperRef
    passage: PassageRef
    text: str


class CrossRefOut(Schema):
    id: int
    relation: str = Field(..., description="One of: " + ", ".join(Relation.values))
    status: str = Field(..., description="One of: " + ", ".join(CrossRefStatus.values))
    note: str
    score: float | None
    reason: dict[str, Any] = Field(..., description="Why it was suggested (shared concepts, terms)")
    source: CrossRefEnd
    target: CrossRefEnd
    created_at: datetime
    updated_at: datetime


class CrossRefPage(Paging):
    items: list[CrossRefOut]


# -- annotations (W3C Web Annotation JSON-LD) ---------------------------------------------------


class W3CBody(Schema):
    type: str
    value: str | None = None
    format: str | None = None
    purpose: str | None = None
    source: str | None = None


class W3CSelector(Schema):
    type: str
    exact: str | None = None
    prefix: str | None = None
    suffix: str | None = None
    start: int | None = None
    end: int | None = None


class W3CTarget(Schema):
    type: str
    source: str
    selector: W3CSelector | list[W3CSelector] | None = None


class W3CCreator(Schema):
    type: str
    nickname: str


class W3CAnnotation(Schema):
    context: str = Field(..., alias="@context")
    id: str
    type: str
    motivation: str
    created: str
    modified: str
    creator: W3CCreator
    body: W3CBody | list[W3CBody] | None = None
    target: W3CTarget | str = Field(
        ..., description="A reply's target is the IRI of the annotation it answers"
    )


class W3CPartOf(Schema):
    id: str
    total: int


class W3CAnnotationPage(Schema):
    """A W3C ``AnnotationPage`` of the visible annotations (Web Annotation Protocol paging)."""

    context: str = Field(..., alias="@context")
    id: str
    type: str
    partOf: W3CPartOf  # noqa: N815 -- the W3C vocabulary's name
    startIndex: int  # noqa: N815 -- the W3C vocabulary's name
    next: str | None = None
    prev: str | None = None
    items: list[W3CAnnotation]


# -- search -------------------------------------------------------------------------------------


class SearchHit(Schema):
    type: str = Field(..., description="passage, paper, claim, annotation, concept or citation")
    id: int
    paper_id: int | None
    year: int | None
    kind: str | None
    order: int | None = Field(
        None, description="A passage's ¶ number (passages, annotations and citation statements)"
    )
    slug: str | None = Field(None, description="A concept's slug")
    score: float
    title: str = Field(..., description="HTML: escaped text with <mark> around the matches")
    snippet: str = Field(..., description="HTML: escaped text with <mark> around the matches")
    html_url: str


class SearchOut(Schema):
    query: str
    total: int
    page: int
    limit: int
    num_pages: int
    rebuilding: bool = Field(
        ..., description="True while the index is being rebuilt (results may be partial)"
    )
    hits: list[SearchHit]
