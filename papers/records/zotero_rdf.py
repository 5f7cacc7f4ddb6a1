"""Zotero RDF (Zotero's "Export → Zotero RDF"), read by rdflib.

The graph is parsed as RDF/XML; every resource with a ``z:itemType`` is a record. Its
container (a journal, a book, a newspaper) is the resource it ``dcterms:isPartOf`` (volume,
issue, ISSN, DOI and the container title live there), authors are the ``foaf:Person``
nodes of the ``bib:authors`` sequence. RDF keeps no line numbers: a record's line is that
of its ``rdf:about`` in the file, else 1.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.container import Seq
from rdflib.namespace import DC, DCTERMS, FOAF

from papers.records import normalise as n
from papers.records.types import Record

Z = Namespace("http://www.zotero.org/namespaces/export#")
BIB = Namespace("http://purl.org/net/biblio#")
PRISM = Namespace("http://prismstandard.org/namespaces/1.2/basic/")
LINK = Namespace("http://purl.org/rss/1.0/modules/link/")
MARKER = re.compile(r"zotero\.org/namespaces/export#|purl\.org/net/biblio#")
# Zotero's item types that are not works (notes, attachments) are not records.
NOT_WORKS = {"note", "attachment"}


def looks_like_zotero_rdf(head: str) -> bool:
    start = head.lstrip()[:200]
    return start.startswith(("<?xml", "<rdf:RDF")) and bool(MARKER.search(head)) and "rdf:RDF" in head


def zotero_items(text: str) -> Iterator[tuple[int, str, dict | None, str]]:
    """(line, raw, fields or None, error) per item; one error for a file rdflib cannot parse."""
    graph = Graph()
    try:
        graph.parse(data=text, format="xml")
    except Exception as exc:  # rdflib raises the XML parser's and its own errors
        yield 1, text[:200], None, f"RDF/XML: {exc.__class__.__name__}"
        return
    for subject, kind in sorted(graph.subject_objects(Z.itemType), key=lambda pair: _line(text, pair[0])):
        if str(kind) in NOT_WORKS:
            continue
        yield _line(text, subject), "", {"graph": graph, "subject": subject, "kind": str(kind)}, ""


def _line(text: str, subject) -> int:
    if isinstance(subject, URIRef):
        at = text.find(f'rdf:about="{subject}"')
        if at >= 0:
            return text.count("\n", 0, at) + 1
    return 1


def _one(graph: Graph, subject, predicate) -> str:
    value = graph.value(subject, predicate)
    return n.clean(str(value)) if value is not None else ""


def _people(graph: Graph, subject, predicate) -> list[str]:
    names = []
    for seq in graph.objects(subject, predicate):
        people = Seq(graph, seq).items() if (seq, RDF.type, RDF.Seq) in graph else [seq]
        for person in people:
            family, given = _one(graph, person, FOAF.surname), _one(graph, person, FOAF.givenName)
            names.append(n.join_name(family, given) or _one(graph, person, FOAF.name))
    return [name for name in names if name]


def _identifiers(graph: Graph, *subjects) -> dict[str, str]:
    found: dict[str, str] = {}
    for subject in subjects:
        for value in graph.objects(subject, DC.identifier):
            text = n.clean(
                str(value if (value, RDF.value, None) not in graph else graph.value(value, RDF.value))
            )
            kind, _, rest = text.partition(" ")
            if kind.upper() in ("DOI", "ISSN", "ISBN") and rest:
                found.setdefault(kind.lower(), rest.strip())
            elif text.startswith(("http://", "https://")):
                found.setdefault("url", text)
        if isinstance(subject, URIRef) and str(subject).startswith("urn:issn:"):
            found.setdefault("issn", str(subject)[9:])
    return found


def zotero_record(fields: dict, record: Record) -> Record:
    graph, item = fields["graph"], fields["subject"]
    container = graph.value(item, DCTERMS.isPartOf)
    record.doc_type = n.doc_type(
        {"journalArticle": "article", "newspaperArticle": "newspaper", "bookSection": "chapter"}.get(
            fields["kind"], fields["kind"]
        )
    )
    record.title = _one(graph, item, DC.title)
    record.authors = n.people(_people(graph, item, BIB.authors))
    record.abstract = _one(graph, item, DCTERMS.abstract)
    record.keywords = n.keywords(
        [n.clean(str(s)) for s in graph.objects(item, DC.subject) if not isinstance(s, URIRef)]
    )
    n.set_date(record, _one(graph, item, DC.date))
    record.pages = _one(graph, item, BIB.pages)
    record.language = _one(graph, item, Z.language)
    publisher = graph.value(item, DC.publisher)
    publisher_name = _one(graph, publisher, FOAF.name) if publisher is not None else ""
    if record.doc_type == "thesis":
        record.institution = publisher_name
        record.degree = _one(graph, item, Z.type)
    else:
        record.publisher = publisher_name
        record.venue = _one(graph, container, DC.title) if container is not None else ""
    if container is not None:
        record.volume = _one(graph, container, PRISM.volume)
        record.issue = _one(graph, container, PRISM.number)
    ids = _identifiers(graph, item, *([container] if container is not None else []))
    record.doi = n.doi(ids.get("doi", ""))
    record.issn = ids.get("issn", "")
    record.url = ids.get("url", "")
    record.record_extra = {k: v for k, v in {"isbn": ids.get("isbn", "")}.items() if v}
    return record
