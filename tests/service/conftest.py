"""Fixtures of the service tests: a seeded database (the ``mini`` dataset + one user per
role) built once and copied per test, an app and client on it, bearer headers per role, and
one real uvicorn server on a free port shared by the SSE and browser tests.

Both backends (issue 19). A test module that sets ``STORAGE = BACKENDS`` runs each of its tests
that reach the database (through ``db``, ``app``, ``client``, ``shared_client`` or
``live_server``) twice: on the SQLite file and on a real PostgreSQL database (tests/pg.py:
one cluster for the session; the seeded database is built once per backend, and each test
gets a copy — a file copy; ``CREATE DATABASE … TEMPLATE`` on PostgreSQL). Other modules run on
SQLite only. The modules on both are those whose tests go through the storage paths — writes
and batches, idempotency, the audit, users and log-in throttling, permissions and ownership
checks on writes, version checks (If-Match), the live stream, withdrawals, the outcome store
against a replay: test_writes, test_reads, test_permissions, test_auth, test_security_auth,
test_security_edits, test_security_ownership, test_sse, test_withdrawn_everywhere,
test_outcomes_consistency (and test_judge, test_store_backends: their own backend fixture) —
less the cases each names in ``SQLITE_ONLY`` (CSRF, cookies, body parsing, field checks:
refused or answered before the storage). Left on SQLite: rendering, wording, OpenAPI,
extraction and CLI-output tests, the jurisdiction tests on data/langson (``both``) and the
onboarding run (they read through the same runtime and would double their time without
reaching another storage path). Measured cost: see the Makefile's comment above ``test``.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient

from kg.dataset import load_into
from kg.log import open_log
from service.app import create_app
from service.security import hash_password, issue_token
from service.settings import Settings
from service.store import ServiceStore
from tests.kg.test_log_jurisdiction import dong_nai_facts
from tests.pg import LogBackend, PostgresServer

MINI = Path(__file__).parent / "data" / "mini"
AS_OF = date(2024, 10, 15)
SECRET = "test-secret-" + "x" * 32
PASSWORD = "mat-khau-123"
# username → (role, agency)
USERS: dict[str, tuple[str, str | None]] = {
    "admin": ("admin", None),
    "tc": ("reporter", "so-tai-chinh"),
    "yte": ("reporter", "so-y-te"),
    "auditor": ("auditor", None),
    "viewer": ("viewer", None),
}


BACKENDS = ("sqlite", "postgresql")
"""``STORAGE = BACKENDS`` in a test module: its tests that reach the database run on both,
except those it names in ``SQLITE_ONLY`` (their work ends before the storage)."""


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    backends = getattr(metafunc.module, "STORAGE", None)
    if not backends or "service_backend" not in metafunc.fixturenames:
        return
    sqlite_only = getattr(metafunc.module, "SQLITE_ONLY", set())
    unknown = {n for n in sqlite_only if not hasattr(metafunc.module, n)}
    assert not unknown, f"SQLITE_ONLY names no test: {sorted(unknown)}"
    if metafunc.function.__name__ not in sqlite_only:
        metafunc.parametrize("service_backend", backends, indirect=True)


@pytest.fixture
def service_backend(request: pytest.FixtureRequest, tmp_path: Path) -> LogBackend:
    """The backend of this test's database: SQLite unless its module asks for both."""
    name = getattr(request, "param", "sqlite")
    if name == "sqlite":
        return LogBackend("sqlite", tmp_path)
    return LogBackend("postgresql", tmp_path, request.getfixturevalue("postgres_server"))


def seed(target: Path | str) -> Path | str:
    """``target`` (a new SQLite file or PostgreSQL database) with the mini dataset and one
    user per role of ``USERS``; every connection to it closed (so it can be copied)."""
    log = open_log(target)
    load_into(log, MINI)
    log.close()
    store = ServiceStore(target)
    for username, (role, agency) in USERS.items():
        store.add_user(username, hash_password(PASSWORD), role, agency)
    store.close()
    return target


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeded SQLite file (read-only: copy it to write)."""
    return Path(seed(tmp_path_factory.mktemp("seed") / "kehoach.db"))


@pytest.fixture(scope="session")
def seeded_postgres(postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory
                    ) -> str:
    """The seeded PostgreSQL database's URL (read-only: copy it to write)."""
    backend = LogBackend("postgresql", tmp_path_factory.mktemp("pg"), postgres_server)
    return str(seed(backend.database("seed")))


@pytest.fixture
def seeded(service_backend: LogBackend, request: pytest.FixtureRequest) -> Path | str:
    """The seeded database of this test's backend (read-only: copy it to write)."""
    return request.getfixturevalue("seeded_db" if service_backend.server is None
                                   else "seeded_postgres")


def make_settings(db: Path | str) -> Settings:
    return Settings(db=db, secret_key=SECRET, as_of=AS_OF, sse_keepalive_seconds=0.5)


@pytest.fixture
def db(seeded: Path | str, service_backend: LogBackend, tmp_path: Path
       ) -> Iterator[Path | str]:
    """This test's own copy of the seeded database: a file ``kehoach.db`` in its temporary
    directory, or a PostgreSQL database (its URL), dropped afterwards."""
    if service_backend.server is None:
        copy = tmp_path / "kehoach.db"
        shutil.copy(seeded, copy)
        yield copy
        return
    url = service_backend.copy(seeded, "kehoach")
    yield url
    service_backend.drop(url)


@pytest.fixture
def both(tmp_path: Path, langson_db: Path) -> Path:
    """data/langson (lang-son, the default) with Đồng Nai's facts under the same keys: two
    jurisdictions in one database, for the tests that one never shows the other's."""
    path = tmp_path / "both.db"
    shutil.copy(langson_db, path)
    with open_log(path, jurisdiction="dong-nai") as log:
        log.append(dong_nai_facts())
    return path


@pytest.fixture
def app(db: Path) -> Iterator[Any]:
    application = create_app(make_settings(db))
    yield application
    application.state.runtime.close()


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def _copy(seeded: Path | str, backend: LogBackend, folder: Path) -> Path | str:
    """A copy of ``seeded`` for a module's or the session's service (``kehoach.db`` in
    ``folder``; a PostgreSQL database — left to the cluster's end, like the file)."""
    if backend.server is None:
        shutil.copy(seeded, folder / "kehoach.db")
        return folder / "kehoach.db"
    return backend.copy(seeded, folder.name)


def _shared(seeded: Path | str, backend: LogBackend, folder: Path) -> Iterator[TestClient]:
    application = create_app(make_settings(_copy(seeded, backend, folder)))
    with TestClient(application) as c:
        yield c
    application.state.runtime.close()


@pytest.fixture(scope="module")
def shared_client_sqlite(seeded_db: Path, tmp_path_factory: pytest.TempPathFactory
                         ) -> Iterator[TestClient]:
    yield from _shared(seeded_db, LogBackend("sqlite", Path()),
                       tmp_path_factory.mktemp("shared"))


@pytest.fixture(scope="module")
def shared_client_postgresql(seeded_postgres: str, postgres_server: PostgresServer,
                             tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("shared")
    yield from _shared(seeded_postgres, LogBackend("postgresql", folder, postgres_server),
                       folder)


@pytest.fixture
def shared_client(service_backend: LogBackend, request: pytest.FixtureRequest) -> TestClient:
    """One service per module (and backend) on a copy of the seeded database, for cases that
    change nothing (reads, refused requests): starting a service per case costs ≈ 0.4 s of
    CPU. A case that writes takes ``client`` (its own copy)."""
    return request.getfixturevalue(f"shared_client_{service_backend.name}")


def bearer(username: str) -> dict[str, str]:
    """A valid bearer header for one of ``USERS`` (signed with the test secret)."""
    role, agency = USERS[username]
    from service.store import User

    # a day: modules build their headers at import, and the suite runs longer than minutes
    token, _ = issue_token(User(username, role, agency, False), SECRET, 24 * 60)
    return {"Authorization": f"Bearer {token}"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _live(seeded: Path | str, backend: LogBackend, folder: Path) -> Iterator[str]:
    server, thread, url = start_uvicorn(create_app(make_settings(_copy(seeded, backend,
                                                                       folder))))
    yield url
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server_sqlite(seeded_db: Path, tmp_path_factory: pytest.TempPathFactory
                       ) -> Iterator[str]:
    yield from _live(seeded_db, LogBackend("sqlite", Path()), tmp_path_factory.mktemp("live"))


@pytest.fixture(scope="session")
def live_server_postgresql(seeded_postgres: str, postgres_server: PostgresServer,
                           tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("live")
    yield from _live(seeded_postgres, LogBackend("postgresql", folder, postgres_server), folder)


@pytest.fixture
def live_server(service_backend: LogBackend, request: pytest.FixtureRequest) -> str:
    """A real uvicorn server (one per session and backend) on a copy of the seeded database."""
    return request.getfixturevalue(f"live_server_{service_backend.name}")


def start_uvicorn(app: Any, timeout: float = 30) -> tuple[uvicorn.Server, threading.Thread, str]:
    """Serve ``app`` with a real uvicorn (lifespan on) on a free port in a daemon thread;
    returns once it accepts connections."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}"
