"""Fixtures shared by every test package."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.dataset import DEFAULT_DATASET, load_into
from kg.log import open_log
from tests import pg
from tests.pg import LogBackend, PostgresServer


@pytest.fixture(scope="session")
def langson_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """data/langson loaded once per test session into a fact log. Treat it as read-only: a
    test that writes works on a copy."""
    path = tmp_path_factory.mktemp("langson") / "kehoach.db"
    with open_log(path) as log:
        load_into(log, DEFAULT_DATASET)
    return path


# -- the fact log's backends: SQLite and a real PostgreSQL (tests/pg.py; issue 19) -------------

@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server of Debian's package for the session; skipped where the binaries are
    missing — failed instead in CI (``CI=true``), which installs them (.ci/run)."""
    bin_dir = pg.binaries()
    if bin_dir is None:
        reason = ("PostgreSQL introuvable: không có /usr/lib/postgresql/*/bin (apt-get install "
                  "postgresql) / no PostgreSQL binaries under /usr/lib/postgresql/*/bin")
        if pg.in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    root = Path(tempfile.mkdtemp(prefix="kehoach-pg-"))  # the postgres user must reach it
    server = PostgresServer(root, bin_dir)
    try:
        server.start()
    except (RuntimeError, subprocess.CalledProcessError) as err:
        shutil.rmtree(root, ignore_errors=True)
        detail = getattr(err, "stderr", b"") or b""
        reason = f"PostgreSQL did not start: {err} {detail.decode(errors='replace')[-500:]}"
        if pg.in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def log_backend(request: pytest.FixtureRequest, tmp_path: Path) -> LogBackend:
    """Each fact log test once per backend: the embedded SQLite file and PostgreSQL."""
    if request.param == "sqlite":
        return LogBackend("sqlite", tmp_path)
    return LogBackend("postgresql", tmp_path, request.getfixturevalue("postgres_server"))
