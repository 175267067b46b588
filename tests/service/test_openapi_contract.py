"""The OpenAPI document is the contract (issue 20): every status an operation can answer is
documented in the one error shape, and a 405 names every method the path answers."""

from __future__ import annotations

import re

import pytest

from tests.service.conftest import bearer


@pytest.fixture
def client(shared_client):
    """Reads and refused methods only (405s, 404s, 422s): the module's one service."""
    return shared_client


def operations(client) -> list[tuple[str, str, dict]]:
    paths = client.get("/openapi.json").json()["paths"]
    return [(method.upper(), path, op) for path, item in paths.items()
            for method, op in item.items()]


def test_every_operation_documents_its_errors_in_the_error_shape(client):
    ops = operations(client)
    assert len(ops) > 30
    for method, path, op in ops:
        responses = op["responses"]
        if path == "/api/v1/auth/token":  # no session needed, no fact written
            expected = {"401", "413", "422", "429"}
        else:
            expected = {"401", "403", "404", "422"} | (
                {"409", "413"} if method in ("POST", "PATCH") else set())
        assert expected <= set(responses), (method, path, sorted(responses))
        for status in expected:
            schema = responses[status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (method, path, status)


@pytest.mark.parametrize(("method", "path", "allow"), [
    ("DELETE", "/api/v1/agencies", "GET, POST"),
    ("PUT", "/api/v1/targets/t1", "GET, PATCH"),
    ("PUT", "/api/v1/sparql", "GET, POST"),
    ("GET", "/api/v1/observations/batch", None),  # the {observation_id} route answers GET
    ("DELETE", "/api/v1/observations/batch", "POST"),
])
def test_a_405_names_every_method_of_the_path(client, method, path, allow):
    response = client.request(method, path, headers=bearer("admin"))
    if allow is None:
        assert response.status_code != 405
        return
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.json()["code"] == "method_not_allowed"


def test_the_schema_of_a_plan_date_refuses_what_validation_refuses(client):
    spec = client.get("/openapi.json").json()
    as_of = next(p for p in spec["paths"]["/api/v1/alerts"]["get"]["parameters"]
                 if p["name"] == "as_of")["schema"]["anyOf"][0]
    assert as_of["format"] == "date"
    pattern = re.compile(as_of["pattern"])
    for text in ("0", "0422-11-17", "2138-05-06", "2024-13-01", "1700000000"):
        assert not pattern.search(text), text
        answer = client.get("/api/v1/alerts", params={"as_of": text}, headers=bearer("admin"))
        assert answer.status_code == 422, text
    assert pattern.search("2024-10-15")
    assert client.get("/api/v1/alerts", params={"as_of": "2024-10-15"},
                      headers=bearer("admin")).status_code == 200
    body = spec["components"]["schemas"]["ObservationCreate"]["properties"]["as_of"]
    assert body["pattern"] == as_of["pattern"] and body["format"] == "date"


def test_a_trace_or_impact_of_no_such_document_is_a_404(client):
    for path in ("/api/v1/trace/khong-co", "/api/v1/impact/khong-co"):
        answer = client.get(path, headers=bearer("viewer"))
        assert answer.status_code == 404, path
        assert answer.json()["code"] == "unknown_document"


@pytest.mark.parametrize(("fmt", "media"), [
    ("ttl", "text/turtle"), ("nt", "application/n-triples"), ("jsonld", "application/ld+json"),
    ("xml", "application/rdf+xml")])
def test_every_export_format_answers_a_documented_media_type(client, fmt, media):
    spec = client.get("/openapi.json").json()
    documented = spec["paths"]["/api/v1/export"]["get"]["responses"]["200"]["content"]
    answer = client.get("/api/v1/export", params={"format": fmt}, headers=bearer("admin"))
    assert answer.status_code == 200
    assert answer.headers["content-type"].split(";")[0] == media
    assert media in documented


def test_every_path_answers_an_undocumented_method_with_405_and_its_documented_allow(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path, item in paths.items():
        documented = {m.upper() for m in item}
        other = next(m for m in ("DELETE", "PUT", "PATCH", "POST", "GET") if m not in documented)
        concrete = re.sub(r"\{[^}]+\}", "x", path)
        answer = client.request(other, concrete, headers=bearer("admin"))
        assert answer.status_code == 405, (other, path, answer.status_code)
        allowed = {m.strip() for m in answer.headers["allow"].split(",")}
        assert allowed == documented, (path, allowed, documented)
