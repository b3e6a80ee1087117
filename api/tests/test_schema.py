"""The OpenAPI schema is valid, and the API keeps to it under schemathesis (issue 16, Done when).

Schemathesis reads the schema the product serves and sends each operation generated requests
(valid and invalid parameters, ids in and out of the scope) through the WSGI app with a real
token of a strategist whose region has a case with something behind every endpoint. Bounded
and deterministic (`derandomize`): a few dozen requests an operation, the same ones every run.
"""

import json

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from config.wsgi import application

pytestmark = pytest.mark.django_db


def test_the_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    for path in ("/api/v1/kunskapsstod/", "/api/v1/arenden/{id}/", "/api/v1/beslut/"):
        assert path in schema
    assert "bearer" in schema


@pytest.fixture
def wsgi_in_the_test_transaction():
    """The WSGI handler closes the database connection around each request (Django's test
    client switches that off, schemathesis's client does not): it would end the test's
    transaction, and its data, after the first request."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield
    for signal in signals:
        signal.connect(close_old_connections)


def served_schema():
    """The schema as /api/schema/ serves it (drf-spectacular's generator, read at collection:
    schemathesis makes one test per operation from it)."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated, renderer_context={}))


schema = schemathesis.openapi.from_dict(served_schema())
# Every request goes to the product's WSGI application, in the test's transaction.
schema.app = application


@schema.parametrize()
@settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_schema(
    case, wsgi_in_the_test_transaction, full_case, foreign_case, sara, token_of
):
    _token, secret = token_of(sara)
    case.call_and_validate(headers={"Authorization": f"Bearer {secret}"})


def test_the_served_schema_is_the_one_tested(client, olle):
    client.force_login(olle)
    response = client.get("/api/schema/?format=json")
    assert response.json() == served_schema()
