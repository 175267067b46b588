"""API workers beside one judge read what it stored (issues 18, 19): under ``--judge external``
a worker's alerts and statuses are the judge's stored outcomes and status snapshot — equal to a
clean replay at the same date — and a read the judge has not caught up with says so (never an
empty "no alerts"). On SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient

from kg.log import open_log
from rules.replay import replay
from rules.results import closed_alerts, status_rows
from rules.status_store import StatusStore
from rules.store import OutcomeStore
from service.app import create_app
from service.judge import Judge
from service.schemas import ObservationCreate
from service.settings import Settings
from service.writes import observation_fact
from tests.service.conftest import AS_OF, SECRET, bearer
from tests.service.test_judge import FIGURE, _seeded

ALL = {"limit": 1000}


def _worker(target: Any) -> Settings:
    return Settings(db=target, secret_key=SECRET, as_of=AS_OF, judge="external",
                    judge_wait_seconds=60)


@contextmanager
def _judging(target: Any) -> Iterator[Judge]:
    """``kehoach judge``'s loop in a thread of this process, on its own log handle."""
    log = open_log(target)
    judge = Judge(log, lambda: AS_OF, poll=0.05)
    stop = threading.Event()
    thread = threading.Thread(target=judge.run, args=(stop,), daemon=True)
    thread.start()
    try:
        assert judge.ready.wait(120)
        yield judge
    finally:
        stop.set()
        thread.join(timeout=30)
        judge.close()
        log.close()


def _alerts(client: TestClient) -> tuple[list[dict[str, Any]], dict[str, str]]:
    got = client.get("/api/v1/alerts", params=ALL, headers=bearer("viewer"))
    assert got.status_code == 200, got.text
    return got.json()["data"], dict(got.headers)


def _statuses(client: TestClient) -> list[dict[str, Any]]:
    got = client.get("/api/v1/statuses", params=ALL, headers=bearer("viewer"))
    assert got.status_code == 200, got.text
    return got.json()["data"]


def _alert_view(rows: list[dict[str, Any]]) -> list[tuple]:
    return sorted((a["id"], a["as_of"], a["severity"], a["explanation_vi"],
                   bool(a.get("superseded_by"))) for a in rows)


def _status_view(rows: list[dict[str, Any]]) -> list[tuple]:
    return sorted((r["id"], r["status"], r["verdict"], r["dimension"], r["period"],
                   r["explanation"]) for r in rows)


def _same_as_store_and_replay(target: Any, alerts: list[dict[str, Any]],
                              statuses: list[dict[str, Any]]) -> None:
    """The API's alerts and statuses are the judge's stored ones and a clean replay's."""
    with open_log(target) as log:
        clean = replay(log, AS_OF, persist=False)
        with OutcomeStore(log) as store:
            stored = {o.id for o in store.current(AS_OF, kind="alert")}
            ruleset = store.ruleset
        with StatusStore(log, ruleset) as snapshot:
            held = snapshot.current(AS_OF)
    assert {a["id"] for a in alerts} == stored
    assert _status_view(statuses) == _status_view(status_rows(held))
    assert _alert_view(alerts) == _alert_view([a.to_dict() for a in closed_alerts(clean)])
    assert _status_view(statuses) == _status_view(status_rows(clean.statuses))


def test_a_worker_reads_the_judges_outcomes_and_says_how_far_they_go(log_backend):
    target = _seeded(log_backend.target())
    app = create_app(_worker(target))
    try:
        with TestClient(app) as client:
            # no judge yet: an error that says so — never an empty list
            early = client.get("/api/v1/alerts", headers=bearer("viewer"))
            assert early.status_code == 503 and early.json()["code"] == "not_judged"
            assert early.headers["retry-after"] == "5"
            assert "kehoach judge" in early.json()["error_en"]
            with _judging(target):
                alerts, headers = _alerts(client)
                assert alerts and headers["x-kehoach-judged"] == "current"
                _same_as_store_and_replay(target, alerts, _statuses(client))

                posted = client.post("/api/v1/observations", json=FIGURE,
                                     headers=bearer("tc"))
                assert posted.status_code == 201 and posted.json()["judged"], posted.text
                raised = {a["id"] for a in posted.json()["alerts"]}
                alerts, headers = _alerts(client)
                assert raised and raised <= {a["id"] for a in alerts}
                assert headers["x-kehoach-judged"] == "current"
                assert headers["x-kehoach-judged-upto"] == headers["x-kehoach-log-seq"]
                _same_as_store_and_replay(target, alerts, _statuses(client))
                one = client.get(f"/api/v1/alerts/{sorted(raised)[0]}", headers=bearer("viewer"))
                assert one.status_code == 200 and one.headers["x-kehoach-judged"] == "current"
                judged_upto = int(headers["x-kehoach-judged-upto"])

            # the judge stopped; another process appends: the worker answers with what was
            # judged, marked as behind — it does not judge the new fact itself
            with open_log(target) as log:
                log.append([observation_fact(ObservationCreate(
                    **{**FIGURE, "value": "5.300", "pct_of_plan": "53"}), "tc")])
                last = log.last_seq()
            behind, headers = _alerts(client)
            assert headers["x-kehoach-judged"] == "behind"
            assert int(headers["x-kehoach-judged-upto"]) == judged_upto < last
            assert int(headers["x-kehoach-log-seq"]) == last
            assert _alert_view(behind) == _alert_view(alerts)
            missing = client.get("/api/v1/alerts/no-such-alert", headers=bearer("viewer"))
            assert missing.status_code == 404
            assert f"up to position {judged_upto} of {last}" in missing.json()["error_en"]
    finally:
        app.state.runtime.close()
