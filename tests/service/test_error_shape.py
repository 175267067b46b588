"""One error shape across endpoints: every 4xx is ``{ok: false, code, error_vi, error_en,
errors: [{field, code, error_vi, error_en}], status}`` with a Vietnamese message first."""

from __future__ import annotations

import pytest

from tests.service.conftest import bearer

OBS = {"indicator": "budget_revenue", "period": "9T/2024", "value": "5.900", "as_of": "2024-09-30"}
CASES = [
    ("no token", "GET", "/api/v1/targets", None, {}, 401, None),
    ("bad token", "GET", "/api/v1/targets", None, {"Authorization": "Bearer nope"}, 401, None),
    ("unknown route", "GET", "/api/v1/nothing-here", None, "admin", 404, None),
    ("wrong method", "DELETE", "/api/v1/targets", None, "admin", 405, None),
    ("unknown target", "GET", "/api/v1/targets/khong-co@2024", None, "admin", 404, "id"),
    ("unknown alert", "GET", "/api/v1/alerts/khong:co", None, "admin", 404, "id"),
    ("missing field", "POST", "/api/v1/observations", {"period": "9T/2024"}, "admin", 422,
     "indicator"),
    ("bad figure", "POST", "/api/v1/observations", {**OBS, "value": "4,59.5"}, "admin", 422,
     "value"),
    ("bad period", "POST", "/api/v1/observations", {**OBS, "period": "tháng mười"}, "admin",
     422, "period"),
    ("bad date", "POST", "/api/v1/observations", {**OBS, "as_of": "30/09/2024x"}, "admin",
     422, "as_of"),
    ("extra field", "POST", "/api/v1/observations", {**OBS, "colour": "red"}, "admin", 422,
     "colour"),
    ("unknown indicator", "POST", "/api/v1/observations", {**OBS, "indicator": "khong_co"},
     "admin", 422, "indicator"),
    ("bad expression", "POST", "/api/v1/targets",
     {"indicator": "tourists", "period": "2025", "expression": "nhiều"}, "admin", 422,
     "expression"),
    ("unknown reference", "POST", "/api/v1/tasks",
     {"id": "task-x", "summary": "Việc", "lead_agency": "so-khong-co"}, "admin", 422,
     "lead_agency"),
    ("exists", "POST", "/api/v1/agencies",
     {"id": "so-y-te", "name": "Sở Y tế", "kind": "department"}, "admin", 409, None),
    ("sparql update", "POST", "/api/v1/sparql", {"query": "DELETE WHERE { ?s ?p ?o }"},
     "admin", 422, None),
    ("bad as_of", "GET", "/api/v1/alerts?as_of=hôm-nay", None, "admin", 422, "as_of"),
    ("bad limit", "GET", "/api/v1/tasks?limit=0", None, "admin", 422, "limit"),
    ("not json", "POST", "/api/v1/observations", "{not json", "admin", 422, None),
    ("unknown who", "GET", "/api/v1/who?q=zzzzqqq", None, "admin", 404, None),
    ("bad login", "POST", "/api/v1/auth/token", None, {}, 401, "password"),
]


@pytest.mark.parametrize(("method", "path", "body", "auth", "status", "field"),
                         [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_error_shape_everywhere(shared_client, method, path, body, auth, status, field):
    """Every case is refused, so one service serves them all (nothing written)."""
    client = shared_client
    headers = bearer(auth) if isinstance(auth, str) else auth
    if path.endswith("/auth/token"):
        response = client.post(path, data={"username": "admin", "password": "sai"})
    elif isinstance(body, str):
        response = client.request(method, path, content=body,
                                  headers={**headers, "Content-Type": "application/json"})
    else:
        response = client.request(method, path, json=body, headers=headers)
    assert response.status_code == status, response.text
    data = response.json()
    assert set(data) == {"ok", "code", "error_vi", "error_en", "errors", "status"}
    assert data["ok"] is False and data["status"] == status
    assert data["code"] and data["error_vi"] and data["error_en"]
    assert data["error_vi"] != data["error_en"]
    for item in data["errors"]:
        assert {"field", "code", "error_vi", "error_en"} <= set(item)
    if field:
        assert field in [e["field"] for e in data["errors"]], data
        named = next(e for e in data["errors"] if e["field"] == field)
        assert field in named["error_vi"] or status in (401, 404)
    assert response.headers["x-error-code"] == data["code"]
