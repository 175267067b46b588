"""A real PostgreSQL server for the tests (no mocks): Debian's ``postgresql`` package's own
binaries (``/usr/lib/postgresql/<version>/bin``: initdb, pg_ctl), a cluster in a temporary
directory, reached only through a unix socket in that directory on a random port, stopped at
the end of the session.

As root (CI and this machine run as root) the server runs as the ``postgres`` user the
package creates: PostgreSQL refuses to run as root. Each test gets a schema of its own in one
database (``url(schema)``: ``search_path`` set in the URL), far cheaper than a database each —
or, where a test needs a copy of a loaded database, a database made from it as a template
(``new_database(name, template)``: a file copy inside the server, no reload).

Where the binaries are missing the PostgreSQL half of the tests is skipped with the reason —
except in CI (``CI=true``), where it fails: ``.ci/run`` installs ``postgresql``.
"""

from __future__ import annotations

import glob
import os
import pwd
import random
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote, urlsplit

import psycopg

SUPERUSER = "kehoach"
DATABASE = "kehoach_test"


def binaries() -> Path | None:
    """The newest ``/usr/lib/postgresql/*/bin`` that has initdb, pg_ctl and postgres."""
    found = [Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin")
             if all((Path(p) / tool).exists() for tool in ("initdb", "pg_ctl", "postgres"))]
    found.sort(key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    return found[-1] if found else None


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


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


class LogBackend:
    """One backend of the fact log as the parametrized tests see it: ``target()`` a new,
    empty database (a SQLite file, or a PostgreSQL schema's URL) to pass to ``open_log``;
    ``raw(target)`` the driver's own connection to it, to try what the log never does;
    ``error`` what that driver raises when the database refuses."""

    def __init__(self, name: str, root: Path, server: PostgresServer | None = None) -> None:
        self.name, self.root, self.server = name, root, server
        self._made = 0

    def target(self, name: str = "kh") -> Path | str:
        self._made += 1
        if self.server is None:
            return self.root / f"{name}-{self._made}.db"
        return self.server.new_schema(_unique(name))

    def database(self, name: str = "kh") -> Path | str:
        """A new, empty database of its own (a SQLite file; a PostgreSQL database), for what
        ``copy`` copies or what several processes open by URL."""
        self._made += 1
        if self.server is None:
            return self.root / f"{name}-{self._made}.db"
        return self.server.new_database(_unique(name))

    def copy(self, source: Path | str, name: str = "copy") -> Path | str:
        """A new database holding what ``source`` (from ``database`` or ``copy``, closed by
        everyone) holds: a file copy; ``CREATE DATABASE … TEMPLATE``."""
        if self.server is None:
            self._made += 1
            target = self.root / f"{name}-{self._made}.db"
            shutil.copy(source, target)
            return target
        return self.server.new_database(_unique(name), template=database_name(str(source)))

    def drop(self, target: Path | str) -> None:
        """Remove a database ``database`` or ``copy`` made (a PostgreSQL one takes disk in
        the session's cluster until dropped; a SQLite file goes with the temporary dir)."""
        if self.server is not None:
            self.server.drop_database(database_name(str(target)))

    @property
    def error(self) -> type[Exception]:
        import sqlite3

        return sqlite3.DatabaseError if self.server is None else psycopg.Error

    def raw(self, target: Path | str):  # noqa: ANN201 - sqlite3 or psycopg connection
        if self.server is None:
            import sqlite3

            return sqlite3.connect(target, isolation_level=None)
        return psycopg.connect(str(target), autocommit=True)

    def hold_writes(self, conn, jurisdiction: str = "") -> None:  # noqa: ANN001
        """Take, on ``conn`` (from ``raw``), the lock a writer of ``jurisdiction`` takes."""
        if self.server is None:
            conn.execute("BEGIN IMMEDIATE")
        else:
            conn.execute("BEGIN")
            conn.execute("SELECT pg_advisory_xact_lock(27496, hashtext(%s))", [jurisdiction])

    def __repr__(self) -> str:
        return self.name


_SCHEMAS = 0


def _unique(name: str) -> str:
    """A schema or database name not used before in this process (PostgreSQL identifiers:
    lower case, no dash)."""
    global _SCHEMAS
    _SCHEMAS += 1
    return f"t{_SCHEMAS}_{name.replace('-', '_').lower()}"


def database_name(url: str) -> str:
    """The database a ``postgresql://`` URL of ``PostgresServer.url`` names."""
    return urlsplit(url).path.lstrip("/")
