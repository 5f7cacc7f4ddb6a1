"""Schemathesis against the read API's own OpenAPI document.

The document is fetched from the running project (``/api/openapi.json`` through the WSGI
application, in-process, on the test database with a small world of papers, concepts,
claims, cross-references and annotations). Every operation is then called with
generated parameters, as an editor through an API token, and each response is checked:
no server error, a documented status code and content type, a body that conforms to the
documented schema, and parameters the document forbids refused. The number of examples
is bounded so that the whole run stays well under a minute.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from kb.search.service import search_index_rebuild
from kb.wsgi import application

EXAMPLES = 12


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Calls go through the real WSGI application, whose request signals close a database
    connection left outside autocommit, as the test's transaction is; on PostgreSQL that would end
    the test's connection. Django's test client disconnects the same handler for its requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(api_world, editor_token):
    return schemathesis.openapi.from_wsgi(
        "/api/openapi.json", application, headers={"Authorization": f"Bearer {editor_token}"}
    )


def _run(operation, mode: GenerationMode, headers: dict) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def check(case):
        case.call_and_validate(headers=headers)

    check()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
def test_every_operation_conforms_to_the_document(api_schema, editor_token, mode):
    headers = {"Authorization": f"Bearer {editor_token}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 13
    for operation in operations:
        try:
            _run(operation, mode, headers)
        except Unsatisfiable:
            # Nothing invalid to make: every value of its parameters is valid (a concept's slug).
            assert mode == GenerationMode.NEGATIVE, operation.path
        except Exception as exc:
            raise AssertionError(f"{operation.method.upper()} {operation.path}: {exc}") from exc


def test_the_document_lists_every_operation(api_schema):
    paths = set(api_schema.raw_schema["paths"])
    assert {
        "/api/v1/papers",
        "/api/v1/papers/{paper_id}",
        "/api/v1/papers/{paper_id}/passages",
        "/api/v1/papers/{paper_id}/mentions",
        "/api/v1/concepts",
        "/api/v1/concepts/{slug}",
        "/api/v1/concepts/{slug}/mentions",
        "/api/v1/claims",
        "/api/v1/claims/{claim_id}",
        "/api/v1/crossrefs",
        "/api/v1/annotations",
        "/api/v1/annotations/{annotation_id}",
        "/api/v1/search",
    } == paths
    methods = {method for ops in api_schema.raw_schema["paths"].values() for method in ops}
    assert methods == {"get"}  # read-only


def test_real_objects_conform_to_the_document(api_schema, api_world, editor_token, search_index):
    """Generated ids mostly name nothing (404): here every operation answers 200 on real objects."""
    search_index_rebuild()
    headers = {"Authorization": f"Bearer {editor_token}"}
    path_parameters = {
        "paper_id": api_world.paper.pk,
        "slug": api_world.concept.slug,
        "claim_id": api_world.claim.pk,
        "annotation_id": api_world.notes["public"].pk,
    }
    for result in api_schema.get_all_operations():
        operation = result.ok()
        wanted = {
            name: value for name, value in path_parameters.items() if "{" + name + "}" in operation.path
        }
        query = {"q": "数字鸿沟"} if operation.path.endswith("/search") else {}
        case = operation.Case(path_parameters=wanted, query=query)
        response = case.call_and_validate(headers=headers)
        assert response.status_code == 200, (operation.path, response.text)
