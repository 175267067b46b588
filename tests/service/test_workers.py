"""Several service processes on one database (nhiều tiến trình phục vụ): the start-up records
the start replay's conclusions once (in the outcome store), an Idempotency-Key is written
once whichever process gets it, a claim left by a killed process is taken over, live alerts
caused by another process reach a listener, and ``kehoach serve --workers 2`` serves it all
over real HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from kg.log import Fact, open_log
from rules.store import OutcomeStore
from service.app import create_app
from service.store import ServiceStore
from tests.service.conftest import (
    AS_OF,
    PASSWORD,
    SECRET,
    _free_port,
    bearer,
    make_settings,
    start_uvicorn,
)

KEHOACH = str(Path(sys.executable).parent / "kehoach")
FIGURE = {"indicator": "budget_revenue", "period": "9T/2024", "value": "5.100",
          "pct_of_plan": "51", "as_of": "2024-09-30"}


def _recorded(db: Path) -> tuple[dict[str, int], dict[str, dict], tuple | None]:
    """The log's counts, the outcome store's set of the service's date and its write mark."""
    with open_log(db) as log, OutcomeStore(log) as store:
        return (log.counts(), {o.id: o.payload for o in store.current(AS_OF)},
                store.generation(AS_OF))


def test_start_records_replay_outcomes_once(db):
    before, nothing, _ = _recorded(db)
    assert nothing == {}
    with TestClient(create_app(make_settings(db))):
        started = _recorded(db)
    assert started[0] == before  # outcomes go to the outcome store, never the fact log
    assert any(p.get("severity") for p in started[1].values())  # alerts among them
    with TestClient(create_app(make_settings(db))):
        again = _recorded(db)
    assert again == started  # the second start's conclusions were all there: nothing written


def test_same_idempotency_key_in_two_processes_writes_once(db):
    """Two apps (two runtimes, two connections) race one key: one write, one answer."""
    apps = [create_app(make_settings(db)) for _ in range(2)]
    headers = {**bearer("tc"), "Idempotency-Key": "race-1"}
    with TestClient(apps[0]) as first, TestClient(apps[1]) as second:
        with ThreadPoolExecutor(8) as pool:
            responses = list(pool.map(
                lambda n: (first, second)[n % 2].post("/api/v1/observations", json=FIGURE,
                                                      headers=headers), range(8)))
    assert {r.status_code for r in responses} == {201}, [r.text for r in responses]
    assert sum(r.headers.get("idempotent-replayed") != "true" for r in responses) == 1
    assert len({json.dumps(r.json(), sort_keys=True) for r in responses}) == 1
    with open_log(db) as log:
        written = [f for f in log.read() if f.batch == "race-1"]
    assert len(written) == 1


def test_claim_of_a_killed_process_is_taken_over(db):
    script = ("import os, sys; from pathlib import Path; from service.store import ServiceStore;"
              "s = ServiceStore(Path(sys.argv[1])); assert s.claim('tc', 'k-dead', 'h');"
              "os._exit(0)")
    subprocess.run([sys.executable, "-c", script, str(db)], check=True, cwd=os.getcwd())
    store = ServiceStore(db)
    assert store.recall("tc", "k-dead").status == 0  # still pending, its process is gone
    assert store.claim("tc", "k-dead", "h")
    assert not store.claim("tc", "k-dead", "h")  # now held by this (live) process
    store.release("tc", "k-dead")
    assert store.claim("tc", "k-dead", "h")
    store.close()


def test_stream_carries_alerts_written_by_another_process(db):
    listening = create_app(make_settings(db).model_copy(update={"follow_seconds": 0.2}))
    server, thread, url = start_uvicorn(listening)
    try:
        with TestClient(create_app(make_settings(db))) as other, httpx.Client(
                base_url=url, timeout=20) as http, http.stream(
                "GET", "/api/v1/alerts/stream", headers=bearer("viewer")) as stream:
            lines = stream.iter_lines()
            assert next(line for line in lines if line.startswith("event: ")) == "event: ready"
            assert other.post("/api/v1/observations", json=FIGURE,
                              headers=bearer("tc")).status_code == 201
            first = next(line[7:] for line in lines if line.startswith("event: "))
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    assert first in {"alert", "status_change"}


@pytest.mark.slow
def test_serve_with_two_workers(db, tmp_path):
    port = _free_port()
    env = {**os.environ, "KEHOACH_SECRET_KEY": SECRET}
    proc = subprocess.Popen([KEHOACH, "serve", "--db", str(db), "--port", str(port),
                             "--as-of", AS_OF.isoformat(), "--workers", "2"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                token = httpx.post(f"{url}/api/v1/auth/token", data={
                    "username": "tc", "password": PASSWORD}).json()["access_token"]
                break
            except httpx.TransportError:
                time.sleep(0.1)
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "workers-1"}

        def post(_n: int) -> httpx.Response:  # a new connection each: any worker answers
            return httpx.post(f"{url}/api/v1/observations", json=FIGURE, headers=headers,
                              timeout=30)

        with ThreadPoolExecutor(6) as pool:
            responses = list(pool.map(post, range(6)))
        reads = [httpx.get(f"{url}/api/v1/alerts?subject=budget_revenue@2024",
                           headers=headers, timeout=30).json()["count"] for _ in range(6)]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert {r.status_code for r in responses} == {201}, [r.text for r in responses]
    assert sum(r.headers.get("idempotent-replayed") != "true" for r in responses) == 1
    assert len(set(reads)) == 1 and reads[0] >= 1  # every worker sees the written alert
    with open_log(db) as log:
        assert len([f for f in log.read() if f.batch == "workers-1"]) == 1


def test_a_read_during_a_write_answers_from_the_last_view(db):
    """While a write holds the runtime, reads do not wait for the rules: they get the log as
    it stood before the write; once the write is done, reads see it."""
    app = create_app(make_settings(db))
    with TestClient(app) as client:
        runtime = app.state.runtime
        before = client.get("/api/v1/alerts?limit=1", headers=bearer("tc")).json()["count"]
        holding, release = threading.Event(), threading.Event()

        def slow_write() -> None:
            with runtime.write_lock:
                holding.set()
                release.wait(10)

        writer = threading.Thread(target=slow_write)
        writer.start()
        holding.wait(5)
        with open_log(db) as log:  # another process's write lands meanwhile
            log.append([Fact("task_update", "upd-elsewhere", {"task": "no-such-task",
                                                              "status": "in_progress"})],
                       submitted_by="x")
        t0 = time.perf_counter()
        during = client.get("/api/v1/alerts?limit=1", headers=bearer("tc"))
        waited = time.perf_counter() - t0
        release.set()
        writer.join()
        assert during.status_code == 200 and during.json()["count"] == before
        assert waited < 5  # it did not wait for the 10 s write
        posted = client.post("/api/v1/observations", json=FIGURE, headers=bearer("tc"))
        assert posted.status_code == 201 and posted.json()["alerts"]
        listed = client.get("/api/v1/alerts?limit=1000", headers=bearer("tc")).json()["data"]
        assert {a["id"] for a in posted.json()["alerts"]} <= {a["id"] for a in listed}
