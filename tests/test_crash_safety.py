"""Crash safety (an toàn khi sập): SIGKILL the server, the judge, API workers and the CLI
import at random moments — on both backends of the fact log: a SQLite file and a real
PostgreSQL database (tests/pg.py; one cluster for the session, a database per test).

- ``kehoach serve`` (judging its own writes) on a temporary database and a free loopback port;
  four clients post observation batches (3 rows each) with an Idempotency-Key, as admin,
  retrying the same key after a connection error; the server is SIGKILLed at seeded random
  moments and restarted. Afterwards every acknowledged row is in the log exactly once, no
  batch is half-present, the alerts equal those of a clean single run over the same facts, and
  every alert of that clean run was persisted to the outcome store.
- ``kehoach judge`` + ``kehoach serve --workers 2 --judge external`` (one judge, many
  readers): the same clients; at seeded random moments the judge is SIGKILLed and restarted,
  and an API worker is SIGKILLed (uvicorn's supervisor starts another). Afterwards the rows as
  above, and once the last judge has caught up, the outcome store's current set equals the one
  a clean replay of the same facts stores at the same date.
- ``kehoach import`` of a large CSV, SIGKILLed at random moments: the log is exactly as before
  or exactly as after a complete import.

PostgreSQL runs fewer kill cycles than SQLite (``CYCLES``, ``JUDGE_CYCLES``): each cycle
restarts a process that replays the rules over a server connection, with the cluster on the
same two cores; the scenarios and checks are the same. The judge scenario runs fewer cycles
than the others on both: each cycle kills two processes and restarts a judge and a worker.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest

from kg.dataset import load_into
from kg.log import Fact, open_log
from rules.replay import alerts, replay
from rules.store import store_for
from service.notify import LOG_CHANNEL, Announcements
from tests.pg import LogBackend

pytestmark = pytest.mark.slow

MINI = Path(__file__).parent / "service" / "data" / "mini"
KEHOACH = str(Path(sys.executable).parent / "kehoach")
AS_OF = date(2024, 10, 15)
PASSWORD = "mat-khau-crash-1"
SECRET = "crash-secret-" + "y" * 32
INDICATORS = ("budget_revenue", "tourists", "forest_cover")
CLIENTS = 4
CYCLES = {"sqlite": 10, "postgresql": 4}  # kills per test and backend (see the docstring)
JUDGE_CYCLES = {"sqlite": 3, "postgresql": 2}  # each kills the judge and a worker


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(db: Path | str, **extra: str) -> dict[str, str]:
    return {**os.environ, "KEHOACH_DB": str(db), "KEHOACH_SECRET_KEY": SECRET,
            "KEHOACH_NEW_PASSWORD": PASSWORD, **extra}


def _seed(db: Path | str) -> None:
    with open_log(db) as log:
        load_into(log, MINI)
    subprocess.run([KEHOACH, "user", "add", "admin", "--role", "admin", "--db", str(db)],
                   env=_env(db), check=True, capture_output=True)


def _wait(ready: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not ready():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {seconds} s")
        time.sleep(0.05)


class Server:
    """``kehoach serve`` as a subprocess; ``kill`` is SIGKILL, ``start`` waits until ready.
    ``args``: more options (``--workers 2 --judge external``)."""

    def __init__(self, db: Path | str, errors: Path, args: tuple[str, ...] = (),
                 env: dict[str, str] | None = None) -> None:
        self.db, self.errors, self.args = db, errors, args
        self.env = env or _env(db)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [KEHOACH, "serve", "--db", str(self.db), "--port", str(self.port),
             "--as-of", AS_OF.isoformat(), *self.args], env=self.env,
            stdout=subprocess.DEVNULL, stderr=self.errors.open("a"))
        _wait(self._answers, f"server did not start (see {self.errors})")

    def _answers(self) -> bool:
        try:
            return httpx.post(f"{self.url}/api/v1/auth/token", timeout=2, data={
                "username": "admin", "password": PASSWORD}).status_code == 200
        except httpx.TransportError:
            return False

    def token(self) -> str:
        return httpx.post(f"{self.url}/api/v1/auth/token",
                          data={"username": "admin", "password": PASSWORD}).json()["access_token"]

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        """SIGTERM (uvicorn's supervisor stops its workers), SIGKILL if it hangs."""
        assert self.proc is not None
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()


def _batch(client: int, n: int) -> list[dict[str, str]]:
    items = []
    for i, indicator in enumerate(INDICATORS):
        month = (n + i) % 9 + 1
        as_of = date(2024, month + 1, 1) - timedelta(days=1)
        items.append({"id": f"obs-crash-{client}-{n}-{i}", "indicator": indicator,
                      "period": f"{month}T/2024", "value": f"{1000 + client * 97 + n},5",
                      "pct_of_plan": f"{(n * 7 + i * 13) % 90 + 10}", "as_of": as_of.isoformat()})
    return items


class Client(threading.Thread):
    """Posts batches in order; a batch is retried with the same key until acknowledged.
    ``workers``: the pids that answered (``X-Kehoach-Worker``)."""

    def __init__(self, number: int, server: Server, token: str, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.number, self.server, self.token, self.stop = number, server, token, stop
        self.acked: list[str] = []
        self.errors: list[str] = []
        self.workers: set[int] = set()

    def run(self) -> None:
        n = 0
        with httpx.Client(base_url=self.server.url, timeout=30) as http:
            while not self.stop.is_set():
                self._until_acked(http, n)
                n += 1

    def _until_acked(self, http: httpx.Client, n: int) -> None:
        headers = {"Authorization": f"Bearer {self.token}",
                   "Idempotency-Key": f"crash-{self.number}-{n}"}
        body = {"items": _batch(self.number, n)}
        while True:
            try:
                response = http.post("/api/v1/observations/batch", json=body, headers=headers)
            except httpx.TransportError:
                time.sleep(0.05)
                continue
            if "x-kehoach-worker" in response.headers:
                self.workers.add(int(response.headers["x-kehoach-worker"]))
            if response.status_code in (200, 201):
                self.acked += [item["id"] for item in body["items"]]
                return
            self.errors.append(f"{response.status_code} {response.text[:300]}")
            if response.status_code < 500:
                self.stop.set()
                return
            time.sleep(0.05)


def _clients(server: Server, stop: threading.Event) -> list[Client]:
    clients = [Client(c, server, server.token(), stop) for c in range(CLIENTS)]
    for client in clients:
        client.start()
    return clients


def _stopped(clients: list[Client], stop: threading.Event) -> list[str]:
    """Stop the clients; every row they had acknowledged (after the errors check)."""
    stop.set()
    for client in clients:
        client.join(timeout=90)
        assert not client.is_alive()
    assert [e for client in clients for e in client.errors] == []
    acked = [key for client in clients for key in client.acked]
    return acked


def _rows_once(db: Path | str, acked: list[str], cycles: int) -> dict:
    """The stored crash rows, after checking them against the acknowledged ones: each
    acknowledged row stored exactly once (one version), nothing unacknowledged stored (a half
    batch would be: the server acknowledges a batch only after its one transaction)."""
    assert len(acked) >= 3 * cycles
    with open_log(db) as log:
        stored = {f.key: f for f in log.current("observation") if f.key.startswith("obs-crash-")}
        versions = {key: len(log.history("observation", key)) for key in stored}
    assert set(stored) == set(acked), "unacknowledged rows stored or acknowledged rows lost"
    assert all(n == 1 for n in versions.values()), "a retried write was stored twice"
    return stored


def _clean_replay(stored: dict, path: Path) -> list[dict]:
    """The outcome set a clean single run over the mini dataset + ``stored`` rows stores at
    ``AS_OF`` (a SQLite file: the clean run's backend does not matter)."""
    with open_log(path) as log:
        load_into(log, MINI)
        log.append([_as_fact(f) for f in stored.values()], submitted_by="admin")
        replay(log, AS_OF, persist=True)
        with store_for(log) as store:
            return [o.to_dict() for o in store.current(AS_OF)]


def _as_fact(stored) -> Fact:  # noqa: ANN001 - a StoredFact
    return Fact(stored.kind, stored.key, stored.payload, stored.source, stored.as_of)


def _stored_outcomes(db: Path | str, kind: str | None = None) -> list[dict]:
    with open_log(db) as log, store_for(log) as store:
        return [o.to_dict() for o in store.current(AS_OF, kind=kind)]


@pytest.fixture
def backend(log_backend: LogBackend) -> LogBackend:
    return log_backend


@pytest.fixture
def started() -> Iterator[list]:
    """The servers and judges a test starts: any still running at its end (a failed
    assertion midway) is stopped, not left serving (a server by SIGTERM, so that uvicorn's
    supervisor stops its workers too)."""
    running: list = []
    yield running
    for process in running:
        if process.proc is not None and process.proc.poll() is None:
            process.stop() if isinstance(process, Server) else process.kill()


def test_killed_server_keeps_acknowledged_writes_once_and_same_alerts(
        backend: LogBackend, tmp_path: Path, started: list) -> None:
    cycles = CYCLES[backend.name]
    db = backend.database("crash")
    _seed(db)
    server = Server(db, tmp_path / "serve.log")
    started.append(server)
    server.start()
    stop = threading.Event()
    clients = _clients(server, stop)
    rng = random.Random(20241015)
    for _cycle in range(cycles):
        time.sleep(rng.uniform(0.1, 0.8))
        server.kill()
        server.start()
    acked = _stopped(clients, stop)
    server.kill()

    stored = _rows_once(db, acked, cycles)
    persisted = {o["id"] for o in _stored_outcomes(db, kind="alert")}
    expected = {o["id"] for o in _clean_replay(stored, tmp_path / "clean.db")
                if o["kind"] == "alert"}
    with open_log(db) as log:
        assert {a["id"] for a in alerts(log, AS_OF)} == expected
    assert expected <= persisted, f"alerts never persisted: {sorted(expected - persisted)[:5]}"
    backend.drop(db)


# --- one judge, many readers ------------------------------------------------------------

class JudgeProcess:
    """``kehoach judge`` as a subprocess; ``start`` waits until it has judged the log."""

    def __init__(self, db: Path | str, errors: Path) -> None:
        self.db, self.errors = db, errors
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        """Start it; a judge SIGKILLed a moment ago may still hold its PostgreSQL lock until
        the server notices the closed connection: the new one is then refused
        (``judge_running``) and started again."""
        for _attempt in range(50):
            self.proc = subprocess.Popen(
                [KEHOACH, "judge", "--db", str(self.db), "--as-of", AS_OF.isoformat(),
                 "--poll", "0.05"], env=_env(self.db), stdout=subprocess.PIPE,
                stderr=self.errors.open("a"), text=True)
            assert self.proc.stdout is not None
            if "judging" in self.proc.stdout.readline():
                return
            self.proc.wait()
            time.sleep(0.1)
        raise AssertionError(f"the judge did not start (see {self.errors})")

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> int:
        assert self.proc is not None
        self.proc.terminate()
        return self.proc.wait(timeout=30)


def _judged_up_to(db: Path | str) -> int:
    """How far the judge has judged the log, and where the log ends."""
    with open_log(db) as log:
        feed = Announcements(log, channel=LOG_CHANNEL)
        try:
            return feed.position() - log.last_seq()
        finally:
            feed.close()


def _kill_a_worker(clients: list[Client], rng: random.Random) -> None:
    """SIGKILL one API worker that answered (a pid still alive), if any."""
    pids = sorted({pid for client in clients for pid in client.workers})
    rng.shuffle(pids)
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
            return
        except ProcessLookupError:
            continue  # killed before: uvicorn started another


def test_killed_judge_and_workers_keep_writes_once_and_outcomes_of_a_clean_replay(
        backend: LogBackend, tmp_path: Path, started: list) -> None:
    cycles = JUDGE_CYCLES[backend.name]
    db = backend.database("judged")
    _seed(db)
    judge = JudgeProcess(db, tmp_path / "judge.log")
    started.append(judge)
    judge.start()
    # a write waits for the judge at most a second: while it is dead, writes still answer
    # (judged: false) and the clients keep writing
    server = Server(db, tmp_path / "serve.log", ("--workers", "2", "--judge", "external"),
                    _env(db, KEHOACH_JUDGE_WAIT_SECONDS="1"))
    started.append(server)
    server.start()
    stop = threading.Event()
    clients = _clients(server, stop)
    rng = random.Random(19)
    for _cycle in range(cycles):
        time.sleep(rng.uniform(0.1, 0.8))
        judge.kill()
        time.sleep(rng.uniform(0.0, 0.5))  # writes land while no judge runs
        judge.start()
        time.sleep(rng.uniform(0.1, 0.8))
        _kill_a_worker(clients, rng)
    time.sleep(0.5)  # the last judge judges some writes as they come, not only at its start
    acked = _stopped(clients, stop)
    _wait(lambda: _judged_up_to(db) >= 0, "the judge did not catch up with the log")
    server.stop()
    assert judge.stop() == 0

    stored = _rows_once(db, acked, cycles)
    assert _stored_outcomes(db) == _clean_replay(stored, tmp_path / "clean.db")
    backend.drop(db)


# --- the CLI import ---------------------------------------------------------------------

def _big_csv(path: Path, rows: int = 4000) -> None:
    lines = ["Chỉ tiêu,Kỳ báo cáo,Giá trị,Loại số liệu,Tính đến ngày,Đạt % kế hoạch"]
    start = date(2010, 1, 1)
    for n in range(rows):
        day = start + timedelta(days=n)
        lines.append(f"{INDICATORS[n % 3]},{day.year},\"{n + 1},5\",thực hiện,"
                     f"{day:%d/%m/%Y},\"{n % 120},3\"")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _state(db: Path | str) -> set[tuple]:
    with open_log(db) as log:
        return {(f.kind, f.key, f.version, f.content_hash) for f in log.read()}


def _import(db: Path | str, csv: Path) -> subprocess.Popen:
    return subprocess.Popen([KEHOACH, "import", str(csv), "--db", str(db), "--kind",
                             "observations"], env=_env(db), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


def test_killed_import_leaves_log_as_before_or_after(backend: LogBackend,
                                                     tmp_path: Path) -> None:
    base, csv = backend.database("base"), tmp_path / "so-lieu.csv"
    with open_log(base) as log:
        load_into(log, MINI)
    _big_csv(csv)
    before = _state(base)
    reference = backend.copy(base, "after")
    t0 = time.monotonic()
    done = _import(reference, csv)
    assert done.wait(120) == 0, done.stderr.read().decode() if done.stderr else ""
    full = time.monotonic() - t0
    after = _state(reference)
    assert len(after) > len(before) + 3000
    rng = random.Random(7)
    outcomes = []
    for run in range(CYCLES[backend.name]):
        db = backend.copy(base, f"killed-{run}")
        proc = _import(db, csv)
        time.sleep(rng.uniform(0.3, full * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        state = _state(db)
        assert state in (before, after), f"run {run}: partial import ({len(state)} facts)"
        outcomes.append(state == after)
        backend.drop(db)
    assert not all(outcomes), "no kill landed before the commit: the test proves nothing"
    backend.drop(reference)
    backend.drop(base)
