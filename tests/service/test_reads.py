"""Reads: catalogue, targets and tasks with status, statuses, alerts and their filters, the
board, an indicator's series, an agency's portfolio, who/trace/impact, SPARQL, export."""

from __future__ import annotations

import pytest

from tests.service.conftest import BACKENDS, bearer

STORAGE = BACKENDS  # tests that reach the database: on SQLite and PostgreSQL (conftest)


@pytest.fixture
def client(shared_client):
    """Every test here only reads: the module's one service (tests/service/conftest.py)."""
    return shared_client


def get(client, path, role="viewer", **params):
    response = client.get(path, params=params, headers=bearer(role))
    assert response.status_code == 200, response.text
    return response.json() if "json" in response.headers["content-type"] else response.text


def test_list_catalogue_envelopes(client):
    for path, count in (("/api/v1/agencies", 3), ("/api/v1/documents", 2),
                        ("/api/v1/indicators", 3), ("/api/v1/targets", 3),
                        ("/api/v1/tasks", 2), ("/api/v1/observations", 1)):
        body = get(client, path)
        assert body["count"] == len(body["data"]) == count, path
    assert get(client, "/api/v1/agencies", q="y tế")["data"][0]["id"] == "so-y-te"
    assert get(client, "/api/v1/documents/seed-001")["class"] == "Report"
    assert get(client, "/api/v1/agencies/so-tai-chinh")["parent"] == "ubnd-tinh"


def test_targets_carry_status_group_and_agency(client):
    target = get(client, "/api/v1/targets/budget_revenue@2024")
    assert (target["status"], target["group"], target["agency"]) == (
        "on_track", "economic", "so-tai-chinh")
    assert target["source"] == {"doc": "001", "line": 6, "quote": "10.000 tỷ đồng"}
    assert get(client, "/api/v1/targets", agency="so-y-te")["count"] == 1
    assert get(client, "/api/v1/targets", status="on_track")["count"] == 1


def test_statuses_and_tasks_as_of(client):
    before = {t["id"]: t["status"] for t in get(client, "/api/v1/tasks", as_of="2024-09-20")
              ["data"]}
    after = {t["id"]: t["status"] for t in get(client, "/api/v1/tasks")["data"]}
    assert before["task-001-002"] == "due_soon" and after["task-001-002"] == "overdue"
    rows = get(client, "/api/v1/statuses", kind="task")["data"]
    assert {r["id"] for r in rows} == {"task-001-001", "task-001-002"}


def test_alert_filters(client):
    every = get(client, "/api/v1/alerts")["data"]
    assert every and all(a["explanation_vi"] and a["explanation_en"] for a in every)
    assert {a["agency"] for a in get(client, "/api/v1/alerts", agency="so-y-te")["data"]} == \
        {"so-y-te"}
    overdue = get(client, "/api/v1/alerts", kind="overdue", severity="warning")["data"]
    assert [a["subject"]["id"] for a in overdue] == ["task-001-002"]
    assert get(client, "/api/v1/alerts", as_of="2024-09-01")["count"] < len(every)
    one = get(client, f"/api/v1/alerts/{overdue[0]['id']}")
    assert one["id"] == overdue[0]["id"] and one["sources"]


def test_board_counts_groups_and_changes(client):
    board = get(client, "/api/v1/board")
    assert set(board["groups"]) == {"economic", "social", "environment"}
    assert board["counts"]["targets"] == {"on_track": 1, "no_data": 2}
    assert board["last_report"]["id"] == "seed-001"
    assert all(c["as_of"] >= "2024-06-30" for c in board["changes"])


def test_indicator_series_actual_expected_target(client):
    data = get(client, "/api/v1/indicators/budget_revenue")
    point = data["series"][0]["points"][0]
    assert (point["period"], point["actual_pct"], point["expected_pct"], point["target_pct"]) \
        == ("6T/2024", 52.0, 50.0, 100.0)


def test_agency_portfolio(client):
    data = get(client, "/api/v1/agencies/so-y-te/portfolio")
    assert [t["id"] for t in data["tasks"]] == ["task-001-002"]
    assert data["overdue_ageing"] and data["alerts"]
    assert {r["role"] for r in data["responsibilities"]} >= {"lead"}


def test_who_trace_impact(client):
    who = get(client, "/api/v1/who", q="task-001-001")["data"][0]
    assert who["lead"][0]["id"] == "so-tai-chinh"
    trace = get(client, "/api/v1/trace/budget_revenue@2024")
    assert "nq-hdnd-ke-hoach-2024" in [c["id"] for c in trace["chain"]]
    svg = get(client, "/api/v1/trace/budget_revenue@2024", format="svg")
    assert svg.startswith("<svg") and "nq-hdnd-ke-hoach-2024" in svg
    assert "digraph" in get(client, "/api/v1/trace/budget_revenue@2024", format="dot")
    impact = get(client, "/api/v1/impact/nq-hdnd-ke-hoach-2024")
    assert "budget_revenue@2024" in [t["id"] for t in impact["targets"]]


def test_sparql_export_check_for_inspectors(client):
    rows = client.post("/api/v1/sparql", headers=bearer("auditor"), json={
        "query": "SELECT ?t WHERE { ?t a kh:Target }"}).json()["rows"]
    assert len(rows) == 3
    ttl = get(client, "/api/v1/export", role="auditor")
    assert "budget_revenue" in ttl
    assert "checks" in get(client, "/api/v1/check", role="auditor")
    assert "targets_of_indicator" in get(client, "/api/v1/sparql", role="admin")


def test_me_and_openapi(client):
    assert get(client, "/api/v1/auth/me", role="tc") == {
        "username": "tc", "role": "reporter", "agency": "so-tai-chinh", "disabled": False}
    spec = client.get("/openapi.json").json()
    assert "/api/v1/observations/batch" in spec["paths"]
    assert "/api/v1/alerts/stream" in spec["paths"]


def test_list_routes_page_and_count_every_match(client):
    every = get(client, "/api/v1/alerts")
    assert every["count"] == len(every["data"]) > 2
    second = get(client, "/api/v1/alerts", limit=2, offset=1)
    assert second["count"] == every["count"]
    assert [a["id"] for a in second["data"]] == [a["id"] for a in every["data"][1:3]]
    assert get(client, "/api/v1/alerts", offset=every["count"])["data"] == []
    for path in ("/api/v1/statuses", "/api/v1/targets", "/api/v1/tasks",
                 "/api/v1/observations", "/api/v1/agencies"):
        whole, first = get(client, path), get(client, path, limit=1)
        assert first["count"] == whole["count"] and len(first["data"]) == 1, path
        assert first["data"][0]["id"] == whole["data"][0]["id"], path
        response = client.get(path, params={"limit": 1001}, headers=bearer("viewer"))
        assert response.status_code == (200 if path.endswith("agencies") else 422), path
