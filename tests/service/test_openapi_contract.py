"""The OpenAPI document is the contract (issue 20): every status an operation can answer is
documented in the one error shape, and a 405 names every method the path answers."""

from __future__ import annotations

import pytest

from tests.service.conftest import bearer


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
