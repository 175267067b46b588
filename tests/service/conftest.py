"""Fixtures of the service tests: a seeded database (the ``mini`` dataset + one user per
role) built once and copied per test, an app and client on it, bearer headers per role, and
one real uvicorn server on a free port shared by the SSE and browser tests."""

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


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seed") / "kehoach.db"
    log = open_log(path)
    load_into(log, MINI)
    log.close()
    store = ServiceStore(path)
    for username, (role, agency) in USERS.items():
        store.add_user(username, hash_password(PASSWORD), role, agency)
    store.close()
    return path


def make_settings(db: Path) -> Settings:
    return Settings(db=db, secret_key=SECRET, as_of=AS_OF, sse_keepalive_seconds=0.5)


@pytest.fixture
def db(seeded_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "kehoach.db"
    shutil.copy(seeded_db, copy)
    return copy


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


@pytest.fixture(scope="module")
def shared_client(seeded_db: Path, tmp_path_factory: pytest.TempPathFactory
                  ) -> Iterator[TestClient]:
    """One service per module on a copy of the seeded database, for cases that change nothing
    (reads, refused requests): starting a service per case costs ≈ 0.4 s of CPU. A case that
    writes takes ``client`` (its own copy)."""
    path = tmp_path_factory.mktemp("shared") / "kehoach.db"
    shutil.copy(seeded_db, path)
    application = create_app(make_settings(path))
    with TestClient(application) as c:
        yield c
    application.state.runtime.close()


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


@pytest.fixture(scope="session")
def live_server(seeded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real uvicorn server (one per session) on a copy of the seeded database."""
    path = tmp_path_factory.mktemp("live") / "kehoach.db"
    shutil.copy(seeded_db, path)
    server, thread, url = start_uvicorn(create_app(make_settings(path)))
    yield url
    server.should_exit = True
    thread.join(timeout=10)


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
