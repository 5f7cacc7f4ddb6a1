"""The SKOS export, read back with rdflib (an independent JSON-LD and RDF implementation)."""

from __future__ import annotations

import warnings

import pytest
from django.urls import reverse
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from kb.services import concepts as services

SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")


@pytest.fixture
def thesaurus(db):
    digital = services.concept_create(label_zh="数字化", label_en="digitalisation", slug="digitalisation")
    governance = services.concept_create(label_zh="治理", label_en="governance", slug="governance")
    divide = services.concept_create(label_zh="数字鸿沟", slug="digital-divide")
    both = services.concept_create(
        label_zh="数字治理",
        label_en="digital governance",
        slug="digital-governance",
        aliases=["數位治理", "e-governance"],
        definition="运用数字技术开展的治理。",
        broader=[digital, governance],
        related=[divide],  # never a broader concept: SKOS forbids related links inside the hierarchy
    )
    gone = services.concept_create(label_zh="电子政务", slug="e-government")
    services.concept_merge(source=gone, target=both)
    return {"digital": digital, "governance": governance, "both": both, "divide": divide}


def test_the_export_is_a_skos_scheme_rdflib_can_read(thesaurus, scholar_client, settings):
    settings.KB_BASE_URL = "https://kb.example.org"
    response = scholar_client.get(reverse("kb:thesaurus-skos"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/ld+json")
    with warnings.catch_warnings():
        # rdflib's own JSON-LD parser still builds a ConjunctiveGraph internally.
        warnings.simplefilter("ignore", DeprecationWarning)
        graph = Graph().parse(data=response.content.decode(), format="json-ld")

    def uri(concept) -> URIRef:
        return URIRef(settings.KB_BASE_URL + concept.get_absolute_url())

    both, digital, governance = thesaurus["both"], thesaurus["digital"], thesaurus["governance"]
    assert set(graph.subjects(RDF.type, SKOS.Concept)) == {
        uri(both),
        uri(digital),
        uri(governance),
        uri(thesaurus["divide"]),
    }  # no merged one
    assert (uri(both), SKOS.prefLabel, Literal("数字治理", lang="zh-Hans")) in graph
    assert (uri(both), SKOS.altLabel, Literal("數位治理", lang="zh-Hant")) in graph
    assert (uri(both), SKOS.prefLabel, Literal("digital governance", lang="en")) in graph
    assert {str(o) for o in graph.objects(uri(both), SKOS.altLabel)} >= {
        "數位治理",
        "e-governance",
        "电子政务",
    }
    assert set(graph.objects(uri(both), SKOS.broader)) == {uri(digital), uri(governance)}
    assert (uri(digital), SKOS.narrower, uri(both)) in graph
    assert (uri(both), SKOS.related, uri(thesaurus["divide"])) in graph
    scheme = URIRef(settings.KB_BASE_URL + reverse("kb:concept-list"))
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
    assert set(graph.objects(scheme, SKOS.hasTopConcept)) == {
        uri(digital),
        uri(governance),
        uri(thesaurus["divide"]),
    }
    assert (uri(both), SKOS.inScheme, scheme) in graph


def test_export_queries_do_not_grow_with_the_thesaurus(
    thesaurus, scholar_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8) as few:
        scholar_client.get(reverse("kb:thesaurus-skos"))
    for i in range(20):
        services.concept_create(label_zh=f"概念{i}", slug=f"c{i}", broader=thesaurus["digital"], detect=False)
    with django_assert_max_num_queries(len(few.captured_queries)):
        scholar_client.get(reverse("kb:thesaurus-skos"))
