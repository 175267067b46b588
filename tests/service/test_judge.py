"""One judge, many readers (issue 19): ``kehoach judge`` judges a log that API workers append
to without judging; what it concludes reaches every worker's live stream."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest

from kg.dataset import load_into
from kg.errors import KehoachError
from kg.log import Fact, open_log
from rules.store import OutcomeStore
from service.events import Broadcaster
from service.judge import Judge, JudgeLink
from service.schemas import ObservationCreate
from service.security import hash_password
from service.store import ServiceStore
from service.writes import observation_fact
from tests.service.conftest import AS_OF, MINI, PASSWORD, SECRET, USERS, _free_port, bearer
from tests.service.test_serve_workers import _answers, _wait

KEHOACH = str(Path(sys.executable).parent / "kehoach")

FIGURE = {"indicator": "budget_revenue", "period": "9T/2024", "value": "5.100",
          "pct_of_plan": "51", "as_of": "2024-09-30"}


def _figure() -> Fact:
    """The fact the API writes for a reporter's figure (51 % of plan by September: an alert)."""
    return observation_fact(ObservationCreate(**FIGURE), "tc")


def test_link_writes_without_judging_and_answers_with_the_judges_alerts(log_backend):
    """On SQLite (polling) and PostgreSQL (LISTEN/NOTIFY) alike."""
    db = log_backend.target()
    with open_log(db) as log:
        load_into(log, MINI)
    judge_log, worker_log = open_log(db), open_log(db)
    judging = Judge(judge_log, lambda: AS_OF, poll=0.05)
    stop = threading.Event()
    thread = threading.Thread(target=judging.run, args=(stop,), daemon=True)
    thread.start()
    assert judging.ready.wait(120)
    link = JudgeLink(worker_log, Broadcaster(), wait_seconds=60, poll=0.05)
    try:
        with pytest.raises(KehoachError) as second:  # one judge per database and jurisdiction
            Judge(worker_log, lambda: AS_OF)
        assert second.value.code == "judge_running"
        written = link.write([_figure()], "tc", "judge-1")
        forwarded = link.feed.since(0)
    finally:
        stop.set()
        thread.join(timeout=30)
        link.close()
        judging.close()
    assert written.judged and written.alerts, written.to_dict()
    assert written.to_dict()["judged"] is True
    with OutcomeStore(worker_log) as store:  # the judge stored what it announced
        stored = {o.id for o in store.current(AS_OF)}
    assert {a["id"] for a in written.alerts} <= stored
    assert {d["id"] for _s, e, d in forwarded if e == "alert"} >= {a["id"]
                                                                    for a in written.alerts}
    judge_log.close()
    worker_log.close()


def test_without_a_judge_a_write_says_it_was_not_judged(db):
    with open_log(db) as log:
        link = JudgeLink(log, Broadcaster(), wait_seconds=0.3, poll=0.05)
        written = link.write([_figure()], "tc", "judge-2")
        link.close()
    assert not written.judged and written.alerts == [] and written.appended


def _stream(url: str, seen: dict[int, list[tuple[str, str]]], streams: list, stop: threading.Event,
            ) -> int | None:
    """Open one live stream; when its worker has none yet, keep reading it in a thread (events
    into ``seen[pid]``) and return the pid; else close it and return None."""
    client = httpx.Client(base_url=url, timeout=httpx.Timeout(60, read=None))
    response = client.send(client.build_request("GET", "/api/v1/alerts/stream",
                                                headers=bearer("viewer")), stream=True)
    pid = int(response.headers["x-kehoach-worker"])
    if response.status_code != 200 or pid in seen:
        response.close()
        client.close()
        return None
    seen[pid] = []
    streams.append((client, response))
    ready = threading.Event()

    def read() -> None:
        event = ""
        try:
            for line in response.iter_lines():
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: "):
                    seen[pid].append((event, line[6:]))
                    ready.set()
                if stop.is_set():
                    return
        except httpx.HTTPError:
            return

    threading.Thread(target=read, daemon=True).start()
    assert ready.wait(60), "no ready event on the stream"
    return pid


def _seeded(target: Path | str) -> Path | str:
    """``target`` (a SQLite file or a PostgreSQL URL) with the mini dataset and the users."""
    with open_log(target) as log:
        load_into(log, MINI)
    store = ServiceStore(target)
    for username, (role, agency) in USERS.items():
        store.add_user(username, hash_password(PASSWORD), role, agency)
    store.close()
    return target


@pytest.mark.slow
def test_a_write_shows_its_alert_on_the_streams_of_both_workers(log_backend):
    """`kehoach judge` + `kehoach serve --workers 2 --judge external` on one database (SQLite
    file, PostgreSQL): a figure posted to the service raises its alert on the live stream of
    each worker. The workers' own log following is slowed to an hour: only the judge's
    announcements can carry the alert to the worker that did not take the write."""
    db = _seeded(log_backend.target())
    env = {**os.environ, "KEHOACH_SECRET_KEY": SECRET, "KEHOACH_SSE_KEEPALIVE_SECONDS": "0.5",
           "KEHOACH_FOLLOW_SECONDS": "3600"}
    judge = subprocess.Popen([KEHOACH, "judge", "--db", str(db), "--as-of", AS_OF.isoformat(),
                              "--poll", "0.1"], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)
    port = _free_port()
    serve = subprocess.Popen([KEHOACH, "serve", "--db", str(db), "--port", str(port),
                              "--as-of", AS_OF.isoformat(), "--workers", "2", "--judge",
                              "external"], env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    seen: dict[int, list[tuple[str, str]]] = {}
    streams: list = []
    stop = threading.Event()
    try:
        assert judge.stdout is not None and "judging" in judge.stdout.readline()
        _wait(lambda: _answers(url))
        for _ in range(60):  # new connections until both workers hold a stream
            _stream(url, seen, streams, stop)
            if len(seen) == 2:
                break
        assert len(seen) == 2, f"one worker answered every connection: {list(seen)}"
        posted = httpx.post(f"{url}/api/v1/observations", json=FIGURE, headers=bearer("tc"),
                            timeout=60)
        assert posted.status_code == 201, posted.text
        written = posted.json()
        raised = {a["id"] for a in written["alerts"]}
        assert raised, written

        def everywhere() -> bool:
            return all(raised <= {json.loads(data)["id"] for event, data in events
                                  if event == "alert"} for events in seen.values())

        _wait(everywhere)
    finally:
        stop.set()
        for client, response in streams:
            response.close()
            client.close()
        for proc in (serve, judge):
            proc.terminate()
        assert serve.wait(timeout=60) == 0
        assert judge.wait(timeout=60) == 0


def _stored(db, code: str) -> dict[str, list[str]]:
    """id → the facts it was concluded from, of the outcome set the judge stored for
    ``code`` as of AS_OF (empty: none stored)."""
    with open_log(db, jurisdiction=code) as log, OutcomeStore(log) as store:
        if store.holding(AS_OF) != AS_OF:
            return {}
        return {o.id: o.payload["facts"] for o in store.current(AS_OF)}


def test_one_process_judges_every_jurisdiction(log_backend):
    """``JudgeAll`` (``kehoach judge --all-jurisdictions``): a Judge per jurisdiction, each
    on its own facts; a jurisdiction whose first facts come later is picked up; a second
    such process leaves them to the first (``judge_running``)."""
    from service.judge import JudgeAll
    from tests.kg.test_log_jurisdiction import dong_nai_facts

    db = log_backend.target("all")
    with open_log(db, jurisdiction="lang-son") as log:
        load_into(log, MINI)
    with open_log(db, jurisdiction="dong-nai") as log:
        log.append(dong_nai_facts())
    home, other_home = open_log(db), open_log(db)
    judging = JudgeAll(home, lambda: AS_OF, poll=0.05, rescan=0.2)
    assert judging.add_new() == ["dong-nai", "lang-son"]
    stop = threading.Event()
    thread = threading.Thread(target=judging.run, args=(stop,), daemon=True)
    thread.start()
    second = JudgeAll(other_home, lambda: AS_OF, poll=0.05)
    try:
        assert second.add_new() == [] and set(second.skipped) == {"dong-nai", "lang-son"}
        assert "judge" in second.skipped["lang-son"]
        dong_nai, lang_son = _stored(db, "dong-nai"), _stored(db, "lang-son")
        assert set(dong_nai) == {"off_track:budget_revenue@2024:9T/2024",
                                 "budget_revenue@2024|pace|2024-09-30|off_track"}
        assert lang_son and "off_track:budget_revenue@2024:9T/2024" not in lang_son
        with open_log(db, jurisdiction="cao-bang") as log:  # arrives while it runs
            load_into(log, MINI)
        _wait(lambda: _stored(db, "cao-bang") == lang_son, 60)
        with open_log(db, jurisdiction="dong-nai") as log:  # a new figure: judged there only
            log.append([_figure()])
        _wait(lambda: _stored(db, "dong-nai") != dong_nai, 60)
        assert _stored(db, "lang-son") == lang_son
    finally:
        stop.set()
        thread.join(timeout=30)
        second.close()
        judging.close()
        home.close()
        other_home.close()
    assert not thread.is_alive()


def test_all_jurisdictions_or_one_not_both(tmp_path):
    done = subprocess.run([KEHOACH, "judge", "--db", str(tmp_path / "k.db"),
                           "--all-jurisdictions", "--jurisdiction", "lang-son"],
                          capture_output=True, text=True, timeout=120,
                          env={k: v for k, v in os.environ.items()
                               if k != "KEHOACH_JURISDICTION"})
    assert done.returncode == 2
    words = " ".join(done.stderr.replace("│", " ").split())  # the usage box wraps lines
    assert "chọn --jurisdiction hoặc --all-jurisdictions, không cả hai" in words
    assert not (tmp_path / "k.db").exists()
