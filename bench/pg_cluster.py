"""A throw-away PostgreSQL cluster for the benchmarks (and the tests): Debian's ``postgresql``
package's own binaries (``/usr/lib/postgresql/<version>/bin``: initdb, pg_ctl), a cluster in a
temporary directory, reached only through a unix socket in that directory on a random port.

As root the server runs as the ``postgres`` user the package creates: PostgreSQL refuses to
run as root. ``PostgresServer(durable=True)`` keeps PostgreSQL's own defaults (fsync,
synchronous commit, full page writes) — what a benchmark measures; without it they are off
(a crash of a throw-away test cluster loses nothing).

``throwaway()`` is the benchmarks' way in: a durable cluster for the length of a ``with``
block, its folder removed after.
"""

from __future__ import annotations

import glob
import os
import pwd
import random
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import psycopg

__all__ = ["DATABASE", "SUPERUSER", "NoPostgres", "PostgresServer", "binaries", "new_schema",
           "throwaway"]

SUPERUSER = "kehoach"
DATABASE = "kehoach_test"


def binaries() -> Path | None:
    """The newest ``/usr/lib/postgresql/*/bin`` that has initdb, pg_ctl and postgres."""
    found = [Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin")
             if all((Path(p) / tool).exists() for tool in ("initdb", "pg_ctl", "postgres"))]
    found.sort(key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    return found[-1] if found else None


class PostgresServer:
    """One throw-away PostgreSQL cluster (``start`` / ``stop``)."""

    def __init__(self, root: Path, bin_dir: Path, durable: bool = False) -> None:
        """``durable``: PostgreSQL's own defaults (fsync, synchronous commit), for
        benchmarks; the tests turn them off (a crash of a throw-away cluster loses nothing)."""
        self.root, self.bin, self.durable = root, bin_dir, durable
        self.data, self.socket = root / "data", root
        self.port = random.randint(20_000, 60_000)
        self._user = self._run_as()

    @staticmethod
    def _run_as() -> list[str]:
        """The command prefix that runs the server as a user it accepts (not root)."""
        if os.geteuid() != 0:
            return []
        try:
            pwd.getpwnam("postgres")
        except KeyError as err:
            raise RuntimeError("running as root and no 'postgres' user to run PostgreSQL as "
                               "(install Debian's postgresql package)") from err
        runner = shutil.which("runuser") or shutil.which("su")
        if runner is None or not runner.endswith("runuser"):
            raise RuntimeError("running as root without runuser to start PostgreSQL")
        return [runner, "-u", "postgres", "--"]

    def _call(self, *args: str) -> None:
        subprocess.run([*self._user, *args], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        if self._user:
            shutil.chown(self.root, "postgres")
        self._call(str(self.bin / "initdb"), "-D", str(self.data), "-U", SUPERUSER,
                   "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        for attempt in range(5):  # a random port may be taken: try another
            try:
                self._call(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l",
                           str(self.root / "server.log"), "-w", "-t", "60", "-o",
                           f"-k {self.socket} -p {self.port} -c listen_addresses='' "
                           "-c max_connections=200" + ("" if self.durable else
                           " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"),
                           "start")
                break
            except subprocess.CalledProcessError:
                if attempt == 4:
                    raise RuntimeError("PostgreSQL did not start: "
                                       + self.log_tail()) from None
                self.port = random.randint(20_000, 60_000)
        with self.admin("postgres") as conn:
            conn.execute(f"CREATE DATABASE {DATABASE}")

    def log_tail(self) -> str:
        log = self.root / "server.log"
        return log.read_text(errors="replace")[-2000:] if log.exists() else "(no server log)"

    def url(self, database: str = DATABASE, schema: str | None = None,
            user: str = SUPERUSER) -> str:
        """A ``postgresql://`` URL through the unix socket (``search_path`` = ``schema``)."""
        url = (f"postgresql://{user}@/{database}?host={quote(str(self.socket), safe='')}"
               f"&port={self.port}")
        if schema:
            url += "&options=" + quote(f"-csearch_path={schema}", safe="")
        return url

    def admin(self, database: str = DATABASE) -> psycopg.Connection:
        """A superuser connection in autocommit mode."""
        return psycopg.connect(self.url(database), autocommit=True)

    def new_schema(self, name: str) -> str:
        """A fresh, empty schema ``name`` (dropped first if a previous run left it)."""
        with self.admin() as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
            conn.execute(f"CREATE SCHEMA {name}")
        return self.url(schema=name)

    def new_database(self, name: str, template: str | None = None) -> str:
        """A fresh database ``name`` — a copy of the database ``template`` when given (which
        nobody may be connected to: PostgreSQL copies it only then) — and its URL."""
        with self.admin("postgres") as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name}"
                         + (f" TEMPLATE {template}" if template else ""))
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop ``name``, ending its sessions (a test's server may still hold some)."""
        with self.admin("postgres") as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        try:
            self._call(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                       "stop")
        except subprocess.CalledProcessError:
            pass  # already gone: nothing to stop


class NoPostgres(RuntimeError):
    """No PostgreSQL binaries on this machine to start a throw-away cluster with."""


@contextmanager
def throwaway(durable: bool = True) -> Iterator[PostgresServer]:
    """A started cluster in a new folder under /tmp (the ``postgres`` user must reach it),
    stopped and removed when the block ends; a clear error where PostgreSQL is missing."""
    bin_dir = binaries()
    if bin_dir is None:
        raise NoPostgres("Không thấy PostgreSQL (/usr/lib/postgresql/*/bin): cài gói "
                           "postgresql hoặc cho --db postgresql://… / no PostgreSQL under "
                           "/usr/lib/postgresql/*/bin (apt-get install postgresql) and no --db")
    server = PostgresServer(Path(tempfile.mkdtemp(prefix="kehoach-pg-")), bin_dir, durable)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.root, ignore_errors=True)


def new_schema(base_url: str, schema: str) -> str:
    """Create the empty schema ``schema`` in the database at ``base_url`` (a server of one's
    own, or a ``throwaway`` one) and return a URL whose ``search_path`` is it, so every store
    kehoach opens with that URL makes its tables there and a run never meets an earlier one's."""
    if not schema.replace("_", "").isalnum():  # an identifier made by the bench, never input
        raise ValueError(f"bad schema name {schema!r}")
    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base_url else "?"
    return f"{base_url}{sep}options=" + quote(f"-csearch_path={schema}", safe="")
