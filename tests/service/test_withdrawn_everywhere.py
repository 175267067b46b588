"""A withdrawn alert disappears everywhere at once (issue 18): the rules' outcomes live in the
outcome store (rules.store), and the alerts API, trace, impact, SPARQL and the exported graph
all read them from there. A backdated correction that no longer supports an alert removes it
from every one of them; the store keeps the withdrawal, with its cause, for auditors. A
database from before (outcomes stored as log facts) opens and shows none of those rows."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kg.dataset import load_into
from kg.errors import LogError
from kg.log import Fact, open_log
from kg.log.migrations import migrate
from kg.log.sqlite import MIGRATIONS as LOG_MIGRATIONS
from kg.project import entity_iri
from rules.store import store_for
from service.app import create_app
from service.security import hash_password
from service.store import ServiceStore
from tests.service.conftest import BACKENDS, MINI, PASSWORD, bearer, make_settings

STORAGE = BACKENDS  # tests that reach the database: on SQLite and PostgreSQL (conftest)

LAGGING = {"indicator": "budget_revenue", "period": "9T/2024", "value": "5.595,5",
           "pct_of_plan": "55,9", "as_of": "2024-09-30"}
CORRECTED = {**LAGGING, "value": "9.500", "pct_of_plan": "95"}  # same day: backdated
ALERT = "off_track:budget_revenue@2024:9T/2024"
PLAN = "nq-hdnd-ke-hoach-2024"


def _seen(client: TestClient, alert_id: str) -> dict[str, bool]:
    """Where ``alert_id`` shows: the alerts list and page, trace, impact, SPARQL, export."""
    viewer, auditor = bearer("viewer"), bearer("auditor")
    listed = client.get("/api/v1/alerts", params={"limit": 500}, headers=viewer).json()
    impact = client.get(f"/api/v1/impact/{PLAN}", headers=viewer).json()
    node = str(entity_iri("alert", alert_id))
    rows = client.post("/api/v1/sparql", headers=auditor, json={
        "query": f"SELECT ?k WHERE {{ <{node}> a ?k }}"}).json()
    export = client.get("/api/v1/export", params={"format": "nt"}, headers=auditor).text
    return {
        "alerts": alert_id in {a["id"] for a in listed["data"]},
        "alert page": client.get(f"/api/v1/alerts/{alert_id}", headers=viewer).status_code
        == 200,
        "trace": client.get(f"/api/v1/trace/{alert_id}", headers=viewer).status_code == 200,
        "impact": alert_id in {a["id"] for a in impact["alerts"]},
        "sparql": bool(rows.get("rows")),
        "export": f"<{node}>" in export,
    }


def test_a_backdated_correction_withdraws_the_alert_everywhere(client: TestClient,
                                                               app: Any) -> None:
    raised = client.post("/api/v1/observations", json=LAGGING, headers=bearer("tc"))
    assert raised.status_code == 201, raised.text
    assert ALERT in {a["id"] for a in raised.json()["alerts"]}
    assert _seen(client, ALERT) == dict.fromkeys(
        ("alerts", "alert page", "trace", "impact", "sparql", "export"), True)

    fixed = client.post("/api/v1/observations", json=CORRECTED, headers=bearer("tc"))
    assert fixed.status_code == 201, fixed.text
    assert _seen(client, ALERT) == dict.fromkeys(
        ("alerts", "alert page", "trace", "impact", "sparql", "export"), False)

    log = app.state.runtime.log
    assert "alert" not in log.counts()  # the fact log holds only asserted facts
    store = store_for(log)
    assert store.get(ALERT) is None
    (withdrawal,) = store.withdrawals(ident=ALERT)
    assert withdrawal["withdrawn_by"] == [fixed.json()["facts"][0]["id"]]
    assert withdrawal["payload"]["id"] == ALERT  # what was withdrawn, as it was raised


def _legacy_db(path: Path, alert_id: str) -> None:
    """A database as the log kept it before outcomes left it: the log's first migrations only,
    and a rule outcome stored as a fact of kind ``alert`` (then the mini dataset)."""
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, [m for m in LOG_MIGRATIONS if m[0] <= "0005_index_jurisdiction_seq"])
    payload = {"id": alert_id, "kind": "off_track", "severity": "high", "as_of": "2024-09-30",
               "subject": {"id": "budget_revenue@2024", "name": "Thu ngân sách",
                           "kind": "target"}, "agency": "so-tai-chinh",
               "rule": {"id": "pace.off_track", "version": 1}, "facts": []}
    conn.execute("INSERT INTO facts (jurisdiction, kind, key, version, payload, submitted_by, "
                 "submitted_at, as_of, content_hash) VALUES ('', 'alert', ?, 1, ?, 'rules', "
                 "'2024-10-01T00:00:00+00:00', '2024-09-30', 'legacy')",
                 (alert_id, json.dumps(payload)))
    conn.close()
    with open_log(path) as log:  # the later migrations run here
        load_into(log, MINI)
    store = ServiceStore(path)
    store.add_user("viewer", hash_password(PASSWORD), "viewer")
    store.add_user("auditor", hash_password(PASSWORD), "auditor")
    store.close()


def test_a_legacy_database_opens_and_shows_none_of_its_old_alert_rows(tmp_path: Path) -> None:
    legacy = "off_track:legacy@2024:9T/2024"
    path = tmp_path / "kehoach.db"
    _legacy_db(path, legacy)
    with open_log(path) as log:  # migration 0006 moved the row out of the facts
        assert "alert" not in log.counts()
        with pytest.raises(LogError) as refused:
            log.append([Fact("alert", "again", {"kind": "off_track"})])
        assert refused.value.code == "rule_output_kind"
        moved = log.database.execute("SELECT kind, key FROM legacy_rule_outputs")
        assert moved == [("alert", legacy)]
    application = create_app(make_settings(path))
    try:
        with TestClient(application) as legacy_client:
            assert _seen(legacy_client, legacy) == dict.fromkeys(
                ("alerts", "alert page", "trace", "impact", "sparql", "export"), False)
    finally:
        application.state.runtime.close()
