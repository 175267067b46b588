"""Who may do what: one parametrized test over a route × role table (401 without a token,
403 for the wrong role or another agency's target/task/observation — also when the body names
the reporter's own indicator but the client ``id`` or the path names another agency's stored
object), and refusals land in the audit log."""

from __future__ import annotations

import pytest

from tests.service.conftest import BACKENDS, bearer

STORAGE = BACKENDS  # tests that reach the database: on SQLite and PostgreSQL (conftest)

OBS = {"indicator": "budget_revenue", "period": "9T/2024", "value": "5.900",
       "pct_of_plan": "59", "as_of": "2024-09-30"}
# so-y-te's own indicator, but the id of so-tai-chinh's stored observation (mini dataset)
FOREIGN_ID = {"indicator": "tourists", "period": "9T/2024", "value": "1.000",
              "as_of": "2024-09-30", "id": "obs-001-001"}
CSV = ("file", "so-lieu.csv", b"indicator;period;value;kind;as_of\n"
       b"budget_revenue;9T/2024;5.900;actual;30/09/2024\n")
ROLES = ["anon", "viewer", "auditor", "tc", "yte", "admin"]
# name, method, path, json body, expected status per role (in ROLES order)
TABLE = [
    ("read targets", "GET", "/api/v1/targets", None, [401, 200, 200, 200, 200, 200]),
    ("read alerts", "GET", "/api/v1/alerts", None, [401, 200, 200, 200, 200, 200]),
    ("read trace", "GET", "/api/v1/trace/budget_revenue@2024", None,
     [401, 200, 200, 200, 200, 200]),
    ("read audit", "GET", "/api/v1/audit", None, [401, 403, 200, 403, 403, 200]),
    ("export", "GET", "/api/v1/export", None, [401, 403, 200, 403, 403, 200]),
    ("sparql", "POST", "/api/v1/sparql", {"query": "ASK { ?s ?p ?o }"},
     [401, 403, 200, 403, 403, 200]),
    ("assert observation", "POST", "/api/v1/observations", OBS,
     [401, 403, 403, 201, 403, 201]),
    ("assert batch", "POST", "/api/v1/observations/batch", {"items": [OBS]},
     [401, 403, 403, 201, 403, 201]),
    ("task progress", "POST", "/api/v1/tasks/task-001-001/updates",
     {"status": "in_progress", "progress": 40, "as_of": "2024-10-01"},
     [401, 403, 403, 201, 403, 201]),
    ("other agency's task", "POST", "/api/v1/tasks/task-001-002/updates",
     {"status": "completed", "as_of": "2024-10-01"}, [401, 403, 403, 403, 201, 201]),
    # writes through the client id of another agency's stored object: 403 for every reporter
    # (the admin gets 409: an observation is never re-pointed to another indicator)
    ("other agency's id", "POST", "/api/v1/observations", FOREIGN_ID,
     [401, 403, 403, 403, 403, 409]),
    ("other agency's id in batch", "POST", "/api/v1/observations/batch",
     {"items": [FOREIGN_ID]}, [401, 403, 403, 403, 403, 409]),
    ("import template", "POST", "/api/v1/imports", CSV, [401, 403, 403, 403, 403, 201]),
    ("update own target", "PATCH", "/api/v1/targets/budget_revenue@2024", {"baseline": "9.000"},
     [401, 403, 403, 403, 403, 200]),
    ("create target", "POST", "/api/v1/targets",
     {"indicator": "tourists", "period": "2025", "expression": "4.500"},
     [401, 403, 403, 403, 403, 201]),
    ("update task", "PATCH", "/api/v1/tasks/task-001-001", {"deadline_text": "trong Quý IV"},
     [401, 403, 403, 403, 403, 200]),
    ("create agency", "POST", "/api/v1/agencies",
     {"id": "so-xay-dung", "name": "Sở Xây dựng", "kind": "department", "parent": "ubnd-tinh"},
     [401, 403, 403, 403, 403, 201]),
]
CASES = [pytest.param(method, path, body, role, statuses[n], id=f"{name}-{role}")
         for name, method, path, body, statuses in TABLE for n, role in enumerate(ROLES)]


@pytest.mark.parametrize(("method", "path", "body", "role", "expected"), CASES)
def test_route_role_matrix(request, shared_client, method, path, body, role, expected):
    writes = method != "GET" and path != "/api/v1/sparql" and expected < 400
    # reads and refusals (a refused write changes nothing but the audit log, whose latest
    # record is checked below) share one service; an accepted write gets its own database
    client = request.getfixturevalue("client") if writes else shared_client
    headers = {} if role == "anon" else bearer(role)
    if isinstance(body, tuple):  # a multipart upload
        response = client.request(method, path, files={body[0]: body[1:]}, headers=headers)
    else:
        response = client.request(method, path, json=body, headers=headers)
    assert response.status_code == expected, response.text
    if expected >= 400:
        assert response.json()["code"] in {"unauthorized", "role_forbidden", "not_owner",
                                           "id_other_indicator"}
    if method != "GET" and path != "/api/v1/sparql" and expected in (401, 403, 409):
        records = client.get("/api/v1/audit", params={"outcome": "refused"},
                             headers=bearer("auditor")).json()["data"]
        last = records[-1]
        assert (last["action"], last["status"]) == (f"{method} {path}", expected)
        assert last["username"] == (None if role == "anon" else role)
        assert last["client"] == "testclient"


def test_refused_write_names_agency_in_vietnamese_first(client):
    response = client.post("/api/v1/observations", json={**OBS, "indicator": "tourists"},
                           headers=bearer("tc"))
    body = response.json()
    assert response.status_code == 403
    assert "so-y-te" in body["error_vi"] and "chủ trì" in body["error_vi"]
    assert body["errors"][0]["field"] == "indicator"
    assert client.get("/api/v1/observations", params={"period": "9T/2024"},
                      headers=bearer("admin")).json()["count"] == 0


def test_batch_with_one_foreign_row_writes_nothing(client):
    items = [OBS, {**OBS, "indicator": "tourists", "value": "1.000"}]
    response = client.post("/api/v1/observations/batch", json={"items": items},
                           headers=bearer("tc"))
    assert response.status_code == 403
    assert response.json()["errors"][0]["field"] == "items.1.indicator"
    assert client.get("/api/v1/observations", params={"period": "9T/2024"},
                      headers=bearer("tc")).json()["count"] == 0
