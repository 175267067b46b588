"""A real PostgreSQL server for the tests (no mocks; ``PostgresServer`` is bench/pg_cluster.py's,
shared with the benchmarks): Debian's ``postgresql`` package's own
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

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

# the cluster itself is bench/pg_cluster.py's: the benchmarks start one too (bench code does
# not import tests/)
from bench.pg_cluster import DATABASE, SUPERUSER, PostgresServer, binaries  # noqa: F401


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


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
