"""The fact log on a PostgreSQL server (psycopg 3): one database shared by every office, worker
and process of a national deployment. Chosen by URL (``--db postgresql://…`` or
``$KEHOACH_DB``); everything PostgreSQL-specific is in this module: the connection, how writers
take turns, the errors, and the schema (``MIGRATIONS``). The log itself is ``kg.log.base``, the
same code as the SQLite one (``kg.log.backends.PostgresFactLog``).

- Append-only by the database: triggers refuse UPDATE, DELETE and TRUNCATE of ``facts`` and
  ``log_meta`` (even for a superuser), and UPDATE/DELETE/TRUNCATE are revoked from the owner
  and PUBLIC, so a role that does not own the tables can only SELECT and INSERT them.
- Writers of one jurisdiction take turns (a transaction-scoped advisory lock per
  jurisdiction code), so two processes cannot both write version n+1 of a fact, and one
  jurisdiction's ``seq`` values commit in increasing order — a reader that follows the log by
  ``after_seq`` never skips a fact committed late. Writers of different jurisdictions do not
  wait for each other.
- Statements go with PostgreSQL's own ``$n`` placeholders (nothing parsed in Python), and a
  write transaction runs in pipeline mode: statements without rows are sent without waiting
  for each answer (an error raises at the next read or at COMMIT, and nothing is written).
- ``payload`` is TEXT, not JSONB: the exact JSON document whose SHA-256 is ``content_hash``
  (JSONB would reorder keys and drop ``\\u0000``), so both backends return the same payloads.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from functools import lru_cache
from typing import Any

import psycopg
from psycopg import sql

from kg.errors import LogError
from kg.log.db import Database, Migration, redacted

__all__ = ["LOG_CHANNEL", "MIGRATIONS", "PostgresDatabase"]

_LOCK_SPACE = 27496  # first key of the advisory locks kehoach takes ("kh")
_CACHED_LENGTH = 4096  # longer statements (multi-row INSERTs, lookups) are not kept in caches


class _Abandoned(Exception):
    """Given to the pipeline left on ROLLBACK: its own errors are logged, not raised."""


def _returns_rows(sql: str) -> bool:
    """Whether a statement gives rows back (a read, or a write ``… RETURNING``) — in pipeline
    mode the answer is not known before the server's, so it is read from the SQL."""
    return _returns_rows_cached(sql) if len(sql) <= _CACHED_LENGTH else _reads(sql)


@lru_cache(maxsize=512)
def _returns_rows_cached(sql: str) -> bool:
    return _reads(sql)


def _reads(sql: str) -> bool:
    words = sql.split(None, 1)
    head = words[0].upper() if words else ""
    return head in ("SELECT", "WITH", "VALUES", "SHOW", "TABLE") or "RETURNING" in sql.upper()


def _native(sql: str) -> str:
    """``?`` placeholders as PostgreSQL's own ``$1, $2, …``, sent as they are (psycopg's
    ``RawCursor``): psycopg parses a ``%s`` query in Python, ≈ 8 µs a placeholder — 0.5 s
    for one 4,285-row INSERT of facts, more than the database took to write them. Short
    statements (every one but the multi-row INSERTs and lookups) are converted once."""
    return _native_cached(sql) if len(sql) <= _CACHED_LENGTH else _numbered(sql)


@lru_cache(maxsize=512)
def _native_cached(sql: str) -> str:
    return _numbered(sql)


def _numbered(sql: str) -> str:
    parts = sql.split("?")  # kehoach's SQL has no "?" but its placeholders
    numbered = [parts[0]]
    for n, part in enumerate(parts[1:], 1):
        numbered += (f"${n}", part)
    return "".join(numbered)


class PostgresDatabase(Database):
    """A connection to a PostgreSQL database in autocommit mode (``BEGIN``/``COMMIT`` are
    ours). A write transaction takes an advisory lock per name it writes (jurisdiction codes,
    a migration ledger), waiting at most ``lock_timeout_ms``: past it, or on a lost
    connection or a deadlock, the write is ``log_busy`` and nothing was written."""

    dialect = "postgresql"
    max_params = 60_000  # the protocol's limit is 65,535
    busy_errors = (psycopg.OperationalError,)

    def __init__(self, url: str, lock_timeout_ms: int = 10_000) -> None:
        super().__init__(url)
        self.lock_timeout_ms = lock_timeout_ms
        self._pipeline: ExitStack | None = None  # pipeline mode of the open write transaction
        self._listener: psycopg.Connection | None = None
        self._channels: set[str] = set()
        try:
            # No server-side prepared statements (psycopg prepares a query run 5 times): a
            # plan cached on a long-lived connection (the judge's, a worker's) breaks with
            # "cached plan must not change result type" once another process migrates a
            # column it reads (e.g. INTEGER → BIGINT), for the connection's whole life.
            self._conn = psycopg.connect(url, autocommit=True, connect_timeout=10,
                                         prepare_threshold=None)
            self._conn.execute(f"SET TIME ZONE 'UTC'; SET lock_timeout = {int(lock_timeout_ms)}")
        except psycopg.Error as err:
            raise open_failed(url, err) from err

    @property
    def raw(self) -> psycopg.Connection:
        return self._conn

    def _run(self, sql: str, args: Sequence[object]) -> list[tuple]:
        if self._pipeline is not None and sql in ("COMMIT", "ROLLBACK"):
            self._end_pipeline(sql == "COMMIT")
        if not args:
            cursor = self._conn.execute(sql)
        else:
            cursor = psycopg.RawCursor(self._conn)
            cursor.execute(_native(sql), list(args))
        if self._pipeline is not None:
            # in a write: a statement without rows is not waited for (its error, if any,
            # comes at the next read or at COMMIT, which then rolls back); a read syncs
            return cursor.fetchall() if _returns_rows(sql) else []
        with cursor:
            return cursor.fetchall() if cursor.description is not None else []

    def _begin(self, locks: Sequence[str]) -> None:
        self._conn.execute("BEGIN")
        self.hold(locks)
        # Pipeline mode for the rest of the transaction: the outcome stores write thousands
        # of single-row statements per write, each a round trip to the server otherwise
        # (≈ 40 µs; far more on a loaded machine, where each one is two context switches).
        pipeline = ExitStack()
        pipeline.enter_context(self._conn.pipeline())
        self._pipeline = pipeline

    def _end_pipeline(self, commit: bool) -> None:
        """Leave pipeline mode before COMMIT / ROLLBACK: wait for every statement sent. On
        COMMIT a statement's error raises here, after the transaction is rolled back."""
        pipeline, self._pipeline = self._pipeline, None
        if pipeline is None:
            return
        if not commit:  # an error is on its way up already: leave quietly
            pipeline.__exit__(_Abandoned, _Abandoned(), None)
            return
        try:
            pipeline.close()
        except BaseException:
            try:
                self._conn.execute("ROLLBACK")
            except psycopg.Error:
                pass  # the connection is gone: nothing to undo; the first error is the one
            raise

    def hold(self, locks: Sequence[str]) -> None:
        for name in locks:
            # fetched: a lock timeout raises here, even in pipeline mode
            self._conn.execute(f"SELECT pg_advisory_xact_lock({_LOCK_SPACE}, hashtext(%s))",
                               [name]).fetchall()

    def connect(self) -> PostgresDatabase:
        return PostgresDatabase(str(self.target), self.lock_timeout_ms)

    def has_table(self, name: str) -> bool:
        return bool(self.execute("SELECT to_regclass(?) IS NOT NULL", (name,))[0][0])

    def listen(self, channel: str, timeout: float) -> list[str]:
        if self._listener is None:
            self._listener = psycopg.connect(str(self.target), autocommit=True,
                                             connect_timeout=10)
        if channel not in self._channels:
            self._listener.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
            self._channels.add(channel)
        got = [n for n in self._listener.notifies(timeout=timeout, stop_after=1)]
        got += self._listener.notifies(timeout=0.001)  # the others already there
        return [n.payload for n in got if n.channel == channel]

    def notify(self, channel: str, payload: str = "") -> None:
        self.execute("SELECT pg_notify(?, ?)", (channel, payload))

    def close(self) -> None:
        if self._listener is not None:
            self._listener.close()
        self._conn.close()


def open_failed(url: str, err: Exception) -> LogError:
    where = redacted(url)
    return LogError(f"Không mở được cơ sở dữ liệu {where}: {err}",
                    f"Cannot open database {where}: {err}", code="log_open_failed")


# -- the schema ---------------------------------------------------------------------------------

def _create_facts(conn: Any) -> None:
    # The identity of a fact is (jurisdiction, kind, key); versions count per identity.
    # seq: identity column (INSERT needs no grant on a sequence); submitted_at/as_of typed.
    conn.execute(
        """
        CREATE TABLE facts (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            jurisdiction TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            version INTEGER NOT NULL,
            payload TEXT NOT NULL,
            source_doc TEXT,
            source_line INTEGER,
            source_quote TEXT,
            submitted_by TEXT NOT NULL,
            submitted_at TIMESTAMPTZ NOT NULL,
            as_of DATE,
            content_hash TEXT NOT NULL,
            batch TEXT,
            UNIQUE (jurisdiction, kind, key, version)
        )
        """
    )
    conn.execute("CREATE INDEX facts_jurisdiction_seq ON facts (jurisdiction, seq)")
    conn.execute("CREATE INDEX facts_batch ON facts (batch)")
    # The database's own settings (its default jurisdiction), each written once.
    conn.execute("CREATE TABLE log_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")


def _append_only_triggers(conn: Any) -> None:
    # The log is the system of record: the database itself refuses edits, deletes and
    # truncation, whoever asks (a trigger binds a superuser too; grants do not).
    conn.execute(
        """
        CREATE FUNCTION kehoach_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION USING MESSAGE = TG_ARGV[0], ERRCODE = 'restrict_violation';
        END
        $$
        """
    )
    for table, why in (("facts", "fact log is append-only"),
                       ("log_meta", "log settings are written once")):
        conn.execute(f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                     f"FOR EACH ROW EXECUTE FUNCTION kehoach_refuse('{why}')")
        conn.execute(f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                     f"FOR EACH ROW EXECUTE FUNCTION kehoach_refuse('{why}')")
        conn.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                     f"FOR EACH STATEMENT EXECUTE FUNCTION kehoach_refuse('{why}')")


def _revoke_changes(conn: Any) -> None:
    # Grants as a second wall: nobody but a superuser or one who re-grants it on purpose may
    # even try to change a fact. Service roles get SELECT, INSERT (docs/deploy.md).
    conn.execute("REVOKE UPDATE, DELETE, TRUNCATE ON facts, log_meta FROM PUBLIC, CURRENT_USER")


def _notify_appends(conn: Any) -> None:
    # Whoever follows the log (the judge) wakes at once: each INSERT into facts notifies
    # channel kehoach_log with the jurisdiction written, delivered at commit (PostgreSQL folds
    # a transaction's identical notifications into one).
    conn.execute(
        """
        CREATE FUNCTION kehoach_notify_appends() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('kehoach_log', j)
            FROM (SELECT DISTINCT jurisdiction AS j FROM appended) AS written;
            RETURN NULL;
        END
        $$
        """
    )
    conn.execute("CREATE TRIGGER facts_notify AFTER INSERT ON facts REFERENCING NEW TABLE AS "
                 "appended FOR EACH STATEMENT EXECUTE FUNCTION kehoach_notify_appends()")


def _rule_outputs_out_of_facts(conn: Any) -> None:
    # Alerts and status changes leave the log for the outcome store (rules.store): old rows of
    # them are moved, whole, to legacy_rule_outputs (same columns, append-only too). The one
    # place facts are deleted: inside this migration's transaction the owner takes DELETE
    # back and the delete trigger is off, both restored before it commits.
    conn.execute("CREATE TABLE legacy_rule_outputs (LIKE facts)")
    conn.execute("INSERT INTO legacy_rule_outputs SELECT * FROM facts "
                 "WHERE kind IN ('alert', 'status_change') ORDER BY seq")
    conn.execute("GRANT DELETE ON facts TO CURRENT_USER")
    conn.execute("ALTER TABLE facts DISABLE TRIGGER facts_no_delete")
    conn.execute("DELETE FROM facts WHERE kind IN ('alert', 'status_change')")
    conn.execute("ALTER TABLE facts ENABLE TRIGGER facts_no_delete")
    conn.execute("REVOKE DELETE ON facts FROM CURRENT_USER")
    for op in ("UPDATE", "DELETE"):
        conn.execute(f"CREATE TRIGGER legacy_rule_outputs_no_{op.lower()} BEFORE {op} ON "
                     "legacy_rule_outputs FOR EACH ROW "
                     "EXECUTE FUNCTION kehoach_refuse('fact log is append-only')")
    conn.execute("REVOKE UPDATE, DELETE, TRUNCATE ON legacy_rule_outputs "
                 "FROM PUBLIC, CURRENT_USER")


LOG_CHANNEL = "kehoach_log"  # what _notify_appends notifies: the jurisdiction of new facts

MIGRATIONS: list[Migration] = [
    ("0001_create_facts_scoped", _create_facts),
    ("0002_append_only_triggers", _append_only_triggers),
    ("0003_revoke_update_delete", _revoke_changes),
    ("0004_notify_appends", _notify_appends),
    ("0005_rule_outputs_out_of_facts", _rule_outputs_out_of_facts),
]
