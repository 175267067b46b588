"""Writes: observations (single, batch), task updates, planning-office edits, template
import; idempotency keys; what a write caused; the audit log records and cannot be edited."""

from __future__ import annotations

import pytest

from tests.service.conftest import BACKENDS, bearer

STORAGE = BACKENDS  # every test on SQLite and PostgreSQL (tests/service/conftest.py)

OBS = {"indicator": "budget_revenue", "period": "9T/2024", "value": "5.595,5",
       "pct_of_plan": "55,9", "as_of": "2024-09-30"}


def test_post_observation_returns_alert_and_status_change_caused(client):
    response = client.post("/api/v1/observations", json=OBS, headers=bearer("tc"))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["counts"] == {"new": 1}
    assert [a["id"] for a in body["alerts"]] == ["off_track:budget_revenue@2024:9T/2024"]
    assert "55,9%" in body["alerts"][0]["explanation_vi"]
    change = body["status_changes"][0]
    assert (change["previous"], change["status"]) == ("on_track", "off_track")
    stored = client.get(f"/api/v1/observations/{body['facts'][0]['key']}",
                        headers=bearer("viewer")).json()
    assert stored["value"] == "5.595,5" and stored["submitted_by"] == "tc"
    alerts = client.get("/api/v1/alerts", params={"kind": "off_track"},
                        headers=bearer("viewer")).json()
    assert alerts["count"] == 1


def test_resubmitted_figure_is_a_new_version_not_a_new_fact(client):
    first = client.post("/api/v1/observations", json=OBS, headers=bearer("tc")).json()
    second = client.post("/api/v1/observations", json={**OBS, "value": "5.600"},
                         headers=bearer("tc")).json()
    same = client.post("/api/v1/observations", json={**OBS, "value": "5.600"},
                       headers=bearer("tc")).json()
    assert first["facts"][0]["key"] == second["facts"][0]["key"]
    assert (second["counts"], same["counts"]) == ({"version": 1}, {"duplicate": 1})
    assert same["alerts"] == [] and same["status_changes"] == []


def test_idempotency_key_replays_same_body_and_refuses_another(client):
    headers = {**bearer("tc"), "Idempotency-Key": "bc-9t-2024"}
    first = client.post("/api/v1/observations", json=OBS, headers=headers)
    again = client.post("/api/v1/observations", json=OBS, headers=headers)
    other = client.post("/api/v1/observations", json={**OBS, "value": "1"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    assert other.status_code == 409 and other.json()["code"] == "idempotency_conflict"
    versions = client.get("/api/v1/observations", params={"period": "9T/2024"},
                          headers=bearer("tc")).json()["data"]
    assert [v["version"] for v in versions] == [1]


def test_idempotency_keys_are_per_user(client):
    key = {"Idempotency-Key": "shared"}
    a = client.post("/api/v1/observations", json=OBS, headers={**bearer("tc"), **key})
    b = client.post("/api/v1/observations", json={**OBS, "value": "5.700"},
                    headers={**bearer("admin"), **key})
    assert (a.status_code, b.status_code) == (201, 201)


def test_batch_is_all_or_nothing(client):
    good = {**OBS, "period": "8T/2024", "as_of": "2024-08-31", "pct_of_plan": "58"}
    bad = {**OBS, "value": "5,59.5"}
    refused = client.post("/api/v1/observations/batch", json={"items": [good, bad]},
                          headers=bearer("tc"))
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "items.1.value"
    ok = client.post("/api/v1/observations/batch", json={"items": [good, OBS]},
                     headers=bearer("tc"))
    assert ok.status_code == 201 and ok.json()["counts"] == {"new": 2}


def test_task_completion_changes_status(client):
    response = client.post("/api/v1/tasks/task-001-001/updates",
                           json={"status": "completed", "as_of": "2024-10-01"},
                           headers=bearer("tc"))
    assert response.status_code == 201, response.text
    change = response.json()["status_changes"][0]
    assert change["status"] == "completed_on_time"
    task = client.get("/api/v1/tasks/task-001-001", headers=bearer("viewer")).json()
    assert task["status"] == "completed_on_time"


def test_task_update_unknown_task_is_404(client):
    response = client.post("/api/v1/tasks/task-khong-co/updates",
                           json={"status": "completed", "as_of": "2024-10-01"},
                           headers=bearer("admin"))
    assert response.status_code == 404


def test_admin_creates_and_updates_catalogue(client):
    admin = bearer("admin")
    created = client.post("/api/v1/targets", json={
        "indicator": "tourists", "period": "2025", "expression": "4.500", "unit": "nghìn lượt",
        "set_by": "nq-hdnd-ke-hoach-2024"}, headers=admin)
    assert created.status_code == 201 and created.json()["facts"][0]["key"] == "tourists@2025"
    patched = client.patch("/api/v1/targets/tourists@2025", json={"expression": "4.600"},
                           headers=admin)
    assert patched.json()["counts"] == {"version": 1}
    target = client.get("/api/v1/targets/tourists@2025", headers=admin).json()
    assert (target["expression"], target["version"]) == ("4.600", 2)
    doc = client.post("/api/v1/documents", json={
        "id": "qd-1-ubnd-2024", "title": "giao chỉ tiêu", "number": "1/QĐ-UBND",
        "issuer": "ubnd-tinh", "date": "2024-01-05"}, headers=admin)
    task = client.post("/api/v1/tasks", json={
        "id": "task-new", "summary": "Rà soát thu", "lead_agency": "so-tai-chinh",
        "deadline": "2024-12-31", "assigned_by": "qd-1-ubnd-2024"}, headers=admin)
    agency = client.patch("/api/v1/agencies/so-y-te", json={"name_en": "Department of Health"},
                          headers=admin)
    assert (doc.status_code, task.status_code, agency.status_code) == (201, 201, 200)
    assert client.get("/api/v1/tasks/task-new", headers=admin).json()["lead_agency"] == \
        "so-tai-chinh"


def test_import_template_csv(client, tmp_path):
    csv = ("indicator;period;value;kind;as_of;pct_of_plan\n"
           "budget_revenue;9T/2024;5.900;actual;30/09/2024;59\n")
    response = client.post("/api/v1/imports", files={"file": ("so-lieu.csv", csv.encode())},
                           headers=bearer("admin"))
    assert response.status_code == 201, response.text
    assert response.json()["counts"] == {"new": 1}
    bad = client.post("/api/v1/imports", files={"file": (
        "sai.csv", b"indicator;period;value;kind;as_of\nbudget_revenue;9T/2024;4,5.9;actual;"
        b"30/09/2024\n")}, headers=bearer("admin"))
    assert bad.status_code == 422
    problem = bad.json()["errors"][0]
    assert problem["field"] == "value" and problem["row"] == 2


def test_audit_log_records_writes_and_refusals_and_is_append_only(client, db, service_backend):
    client.post("/api/v1/observations", json=OBS, headers=bearer("tc"))
    client.post("/api/v1/observations", json={**OBS, "indicator": "tourists"},
                headers=bearer("tc"))
    records = client.get("/api/v1/audit", params={"username": "tc"},
                         headers=bearer("admin")).json()["data"]
    assert [(r["outcome"], r["status"]) for r in records] == [("ok", 201), ("refused", 403)]
    assert records[0]["target"].startswith("observation:obs-api-")
    assert records[1]["detail"]["code"] == "not_owner"
    assert records[1]["at"] and records[1]["client"] == "testclient"
    conn = service_backend.raw(db)
    for sql in ("UPDATE service_audit SET outcome='ok'", "DELETE FROM service_audit"):
        with pytest.raises(service_backend.error, match="append-only"):
            conn.execute(sql)
    conn.close()


def test_oversized_body_is_refused_before_parsing_and_audited(client):
    huge = b'{"items": [' + b",".join([b'{"indicator": "tourists"}'] * 60_000) + b"]}"
    response = client.post("/api/v1/observations/batch", content=huge,
                           headers={**bearer("admin"), "Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["code"] == "too_large" and "quá lớn" in response.json()["error_vi"]
    records = client.get("/api/v1/audit", headers=bearer("admin")).json()["data"]
    refused = [r for r in records if r["status"] == 413]
    assert refused and refused[-1]["action"] == "POST /api/v1/observations/batch"


def test_streamed_body_over_the_limit_is_refused(client):
    def chunks():
        for _ in range(40):
            yield b" " * 50_000  # 2 MB without a Content-Length header

    response = client.post("/api/v1/observations", content=chunks(),
                           headers={**bearer("admin"), "Content-Type": "application/json"})
    assert response.status_code == 413 and response.json()["code"] == "too_large"


def test_cached_lists_follow_a_write(client):
    def read(path):
        return client.get(path, params={"limit": 1000}, headers=bearer("viewer")).json()

    before = (read("/api/v1/observations"), read("/api/v1/targets"), read("/api/v1/alerts"))
    assert client.post("/api/v1/observations", json=OBS, headers=bearer("tc")).status_code == 201
    observations, targets, alerts = (read("/api/v1/observations"), read("/api/v1/targets"),
                                     read("/api/v1/alerts"))
    assert observations["count"] == before[0]["count"] + 1
    status = {t["id"]: t["status"] for t in targets["data"]}
    assert status["budget_revenue@2024"] == "off_track" != {
        t["id"]: t["status"] for t in before[1]["data"]}["budget_revenue@2024"]
    assert alerts["count"] == before[2]["count"] + 1
