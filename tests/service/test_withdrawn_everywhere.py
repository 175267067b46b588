"""A withdrawn alert disappears everywhere at once (issue 18): the rules' outcomes live in the
outcome store (rules.store), and the alerts API, trace, impact, SPARQL and the exported graph
all read them from there. A backdated correction that no longer supports an alert removes it
from every one of them; the store keeps the withdrawal, with its cause, for auditors."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from kg.project import entity_iri
from rules.store import store_for
from tests.service.conftest import bearer

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

