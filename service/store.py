"""The service's own tables in the fact log's database (the SQLite file, or PostgreSQL):
users (người dùng), the audit log (nhật ký kiểm toán, append-only), idempotency records (khóa
ghi lặp) and failed log-ins (đăng nhập sai, for throttling).

Schema changes are named, ordered, transactional migrations, recorded in
``_service_migrations`` the way ``kg/log/migrations.py`` records the log's own. The SQL is the
same on both backends (``?`` placeholders, ``ON CONFLICT``, ``RETURNING``, through
``kg.log.db.Database``); the few DDL words that differ are chosen by ``_ddl``.
"""

from __future__ import annotations

import json
import os
import platform
import secrets
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kg.errors import KehoachError
from kg.log import Database, open_log
from kg.log.migrations import Migration
from kg.log.migrations import migrate as migrate_tables

ROLES: dict[str, tuple[str, str]] = {
    "admin": ("Văn phòng kế hoạch (quản trị)", "planning office (admin)"),
    "reporter": ("Cán bộ báo cáo của cơ quan", "agency reporter"),
    "auditor": ("Kiểm tra, thanh tra", "auditor"),
    "viewer": ("Người xem", "viewer"),
}


PENDING = 0  # an idempotency key claimed by a write still running (never an HTTP status)
CLAIM_STALE_SECONDS = 600.0


class StoreError(KehoachError):
    code = "store_error"


def _ddl(conn: Any, sql: str) -> str:
    """``sql`` (SQLite's words) for ``conn``'s backend: on PostgreSQL an identity column for
    AUTOINCREMENT and DOUBLE PRECISION for REAL (a 4-byte REAL would round a Unix time to
    minutes)."""
    if isinstance(conn, sqlite3.Connection):
        return sql
    return (sql.replace("INTEGER PRIMARY KEY AUTOINCREMENT",
                        "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")
            .replace(" REAL ", " DOUBLE PRECISION "))


def _refuse(conn: Any, table: str, op: str, why: str) -> None:
    """A trigger refusing ``op`` on ``table`` (PostgreSQL: the log's ``kehoach_refuse``)."""
    name = f"{table}_no_{op.lower()}"
    if isinstance(conn, sqlite3.Connection):
        conn.execute(f"CREATE TRIGGER {name} BEFORE {op} ON {table} "
                     f"BEGIN SELECT RAISE(ABORT, '{why}'); END")
    else:
        conn.execute(f"CREATE TRIGGER {name} BEFORE {op} ON {table} FOR EACH ROW "
                     f"EXECUTE FUNCTION kehoach_refuse('{why}')")


def _users(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE service_users (
            username TEXT PRIMARY KEY,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL,
            agency TEXT,
            disabled INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL)"""
    )


def _audit(conn: sqlite3.Connection) -> None:
    conn.execute(_ddl(conn,
        """CREATE TABLE service_audit (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            username TEXT,
            role TEXT,
            action TEXT NOT NULL,
            target TEXT,
            outcome TEXT NOT NULL,
            status INTEGER NOT NULL,
            client TEXT,
            idempotency_key TEXT,
            detail TEXT NOT NULL)"""
    ))
    conn.execute("CREATE INDEX service_audit_user ON service_audit (username, seq)")
    for op in ("UPDATE", "DELETE"):
        _refuse(conn, "service_audit", op, "audit log is append-only")


def _idempotency(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE service_idempotency (
            username TEXT NOT NULL,
            key TEXT NOT NULL,
            request_hash TEXT NOT NULL,
            status INTEGER NOT NULL,
            response TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (username, key))"""
    )


def _idempotency_owner(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE service_idempotency ADD COLUMN owner TEXT")


def _login_failures(conn: sqlite3.Connection) -> None:
    # One row per failed (or still running) log-in; ``username`` is cleared when the account
    # later logs in, so the row still counts against its address. Unlike the audit, mutable.
    conn.execute(_ddl(conn,
        """CREATE TABLE service_login_failures (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            username TEXT,
            client TEXT,
            at REAL NOT NULL)"""
    ))
    for column in ("username", "client"):
        conn.execute(f"CREATE INDEX service_login_failures_{column} "
                     f"ON service_login_failures ({column}, at)")
    conn.execute("CREATE INDEX service_login_failures_at ON service_login_failures (at)")


def _user_jurisdiction(conn: sqlite3.Connection) -> None:
    # '' = a user made before jurisdictions: the database's default jurisdiction's
    conn.execute("ALTER TABLE service_users ADD COLUMN jurisdiction TEXT NOT NULL DEFAULT ''")


MIGRATIONS: list[Migration] = [
    ("service_0001_users", _users),
    ("service_0002_audit_append_only", _audit),
    ("service_0003_idempotency", _idempotency),
    ("service_0004_idempotency_owner", _idempotency_owner),
    ("service_0005_login_failures", _login_failures),
    ("service_0006_user_jurisdiction", _user_jurisdiction),
]


def migrate(conn: sqlite3.Connection | Database,
            migrations: list[Migration] = MIGRATIONS) -> list[str]:
    """Apply pending service migrations, one transaction each, ledger ``_service_migrations``."""
    return migrate_tables(conn, migrations, ledger="_service_migrations")


@dataclass(frozen=True)
class User:
    username: str
    role: str
    agency: str | None
    disabled: bool
    password_hash: str = ""
    jurisdiction: str = ""

    def public(self) -> dict[str, Any]:
        return {"username": self.username, "role": self.role, "agency": self.agency,
                "disabled": self.disabled}


@dataclass(frozen=True)
class Stored:
    """An idempotency record: the request it answered and the response given (``status``
    ``PENDING`` and no response while the write runs)."""

    request_hash: str
    status: int
    response: dict[str, Any]


@dataclass(frozen=True)
class LoginClaim:
    """A log-in attempt let through (``attempt``: its row, a failure until it succeeds) or
    refused while locked (``retry_after``: seconds until the lock lifts)."""

    attempt: int | None
    retry_after: float = 0.0


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# Who holds a pending idempotency claim: this process (pid), told apart from an earlier process
# that had the same pid (a random token). A claim of another host (PostgreSQL) is not checked
# by pid: it is abandoned only when stale.
_TOKEN = secrets.token_hex(6)
_HOST = platform.node()


def _owner() -> str:
    return f"{os.getpid()}:{_TOKEN}:{_HOST}"


def _abandoned(owner: str | None, created_at: str, stale_seconds: float) -> bool:
    """A pending claim nobody will finish: its process is gone, or it is too old."""
    cutoff = (datetime.now(UTC) - timedelta(seconds=stale_seconds)).isoformat(
        timespec="seconds")
    if created_at < cutoff or not owner or owner == _owner():
        return created_at < cutoff
    pid_text, _token, *host = owner.split(":", 2)
    if host and host[0] != _HOST:
        return False  # another machine's process: only staleness tells
    pid = int(pid_text)
    if pid == os.getpid():
        return True  # this pid's earlier process, which is gone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class ServiceStore:
    """Users, audit and idempotency tables, on their own connections to the log's database."""

    def __init__(self, path: Path | str, jurisdiction: str | None = None) -> None:
        """The service tables beside the fact log at ``path``, for one jurisdiction (địa bàn):
        its users only — an account made for another jurisdiction does not exist here, so
        its agency key (``so-tai-chinh`` is a key in every province) never lets it write
        another province's figures. ``None``: the jurisdiction the fact log resolves to
        (``--jurisdiction``, ``$KEHOACH_JURISDICTION``, the database's default)."""
        with open_log(path, jurisdiction=jurisdiction) as log:
            self.jurisdiction: str = log.jurisdiction or ""
            self._home: str = log.default_jurisdiction() or ""
            self._db: Database = log.database.connect()
        migrate(self._db)
        # Every request looks its user up (from the event loop): on a connection of its own,
        # so it never waits behind an audit or idempotency commit (WAL readers do not block).
        self._reader: Database = self._db.connect()

    # -- users -------------------------------------------------------------------------------

    def add_user(self, username: str, password_hash: str, role: str,
                 agency: str | None = None) -> User:
        if role not in ROLES:
            raise StoreError(f"vai trò không hợp lệ '{role}' (có: {', '.join(ROLES)})",
                             f"unknown role '{role}' (known: {', '.join(ROLES)})",
                             code="unknown_role", text=role)
        if (role == "reporter") != bool(agency):
            raise StoreError("cán bộ báo cáo (và chỉ họ) phải gắn với một cơ quan (--agency)",
                             "a reporter (and only a reporter) is bound to one agency "
                             "(--agency)", code="reporter_agency")
        added = self._db.execute(
            "INSERT INTO service_users (username, password_hash, role, agency, "
            "disabled, created_at, jurisdiction) VALUES (?,?,?,?,0,?,?) "
            "ON CONFLICT (username) DO NOTHING RETURNING username",
            (username, password_hash, role, agency, _now(), self.jurisdiction))
        if not added:
            raise StoreError(f"người dùng '{username}' đã có",
                             f"user '{username}' already exists",
                             code="user_exists", text=username)
        return User(username, role, agency, False, password_hash, self.jurisdiction)

    def _mine(self) -> tuple[str, list[Any]]:
        """SQL condition: a user of this jurisdiction (legacy '' users are the default's)."""
        return ("(jurisdiction = ? OR (jurisdiction = '' AND ? = ?))",
                [self.jurisdiction, self.jurisdiction, self._home])

    def get_user(self, username: str) -> User | None:
        mine, args = self._mine()
        rows = self._reader.execute(
            "SELECT username, role, agency, disabled, password_hash, jurisdiction "
            f"FROM service_users WHERE username=? AND {mine}", (username, *args))
        row = rows[0] if rows else None
        return User(row[0], row[1], row[2], bool(row[3]), row[4], row[5]) if row else None

    def users(self) -> list[User]:
        mine, args = self._mine()
        rows = self._rows("SELECT username, role, agency, disabled, password_hash, jurisdiction "
                          f"FROM service_users WHERE {mine} ORDER BY username", args)
        return [User(r[0], r[1], r[2], bool(r[3]), r[4], r[5]) for r in rows]

    def set_disabled(self, username: str, disabled: bool = True) -> User:
        mine, args = self._mine()
        changed = self._db.execute(
            f"UPDATE service_users SET disabled=? WHERE username=? AND {mine} "
            "RETURNING username", (int(disabled), username, *args))
        if not changed:
            raise StoreError(f"không có người dùng '{username}'", f"no user '{username}'",
                             code="user_not_found", text=username)
        user = self.get_user(username)
        assert user is not None
        return user

    def set_password(self, username: str, password_hash: str) -> None:
        mine, args = self._mine()
        self._db.execute(
            f"UPDATE service_users SET password_hash=? WHERE username=? AND {mine}",
            (password_hash, username, *args))

    # -- audit -------------------------------------------------------------------------------

    def audit(self, *, username: str | None, role: str | None, action: str,
              target: str | None, outcome: str, status: int, client: str | None,
              idempotency_key: str | None = None, detail: dict[str, Any] | None = None) -> int:
        """Append one audit record (who, when, what, from where, outcome)."""
        return self._db.insert(
            "INSERT INTO service_audit (at, username, role, action, target, outcome, "
            "status, client, idempotency_key, detail) VALUES (?,?,?,?,?,?,?,?,?,?) "
            "RETURNING seq",
            (_now(), username, role, action, target, outcome, status, client,
             idempotency_key, json.dumps(detail or {}, ensure_ascii=False, default=str)))

    def audit_records(self, *, username: str | None = None, outcome: str | None = None,
                      after: int = 0, limit: int = 100) -> list[dict[str, Any]]:
        sql = ("SELECT seq, at, username, role, action, target, outcome, status, client, "
               "idempotency_key, detail FROM service_audit WHERE seq > ?")
        args: list[Any] = [after]
        if username:
            sql += " AND username = ?"
            args.append(username)
        if outcome:
            sql += " AND outcome = ?"
            args.append(outcome)
        rows = self._rows(sql + " ORDER BY seq LIMIT ?", [*args, limit])
        keys = ("seq", "at", "username", "role", "action", "target", "outcome", "status",
                "client", "idempotency_key", "detail")
        out = [dict(zip(keys, row, strict=True)) for row in rows]
        for record in out:
            record["detail"] = json.loads(record["detail"])
        return out

    # -- idempotency -------------------------------------------------------------------------

    def recall(self, username: str, key: str) -> Stored | None:
        """The record of ``key`` (``status`` is ``PENDING`` while its write is running)."""
        rows = self._rows(
            "SELECT request_hash, status, response FROM service_idempotency "
            "WHERE username=? AND key=?", (username, key))
        row = rows[0] if rows else None
        return Stored(row[0], row[1], json.loads(row[2]) if row[2] else {}) if row else None

    def claim(self, username: str, key: str, request_hash: str,
              stale_seconds: float = CLAIM_STALE_SECONDS) -> bool:
        """Reserve ``key`` for one write, atomically across threads and processes: True for
        the one caller that inserted the pending record. A pending record whose process is
        gone (killed mid-write) or older than ``stale_seconds`` is taken over."""
        with self._db.write([f"idempotency:{username}:{key}"]):
            found = self._db.execute(
                "SELECT status, owner, created_at FROM service_idempotency "
                "WHERE username=? AND key=?", (username, key))
            row = found[0] if found else None
            if row and row[0] == PENDING and _abandoned(row[1], row[2], stale_seconds):
                self._db.execute("DELETE FROM service_idempotency WHERE username=? AND "
                                 "key=?", (username, key))
            claimed = self._db.execute(
                "INSERT INTO service_idempotency (username, key, request_hash, "
                "status, response, created_at, owner) VALUES (?,?,?,?,?,?,?) "
                "ON CONFLICT (username, key) DO NOTHING RETURNING key",
                (username, key, request_hash, PENDING, "", _now(), _owner()))
        return bool(claimed)

    def remember(self, username: str, key: str, request_hash: str, status: int,
                 response: dict[str, Any]) -> None:
        """Store the response of a claimed key (or of an unclaimed one)."""
        text = json.dumps(response, ensure_ascii=False, default=str)
        self._db.execute(
            "INSERT INTO service_idempotency (username, key, request_hash, status, "
            "response, created_at) VALUES (?,?,?,?,?,?) "
            "ON CONFLICT (username, key) DO UPDATE SET status=excluded.status, "
            "response=excluded.response, owner=NULL WHERE service_idempotency.status=?",
            (username, key, request_hash, status, text, _now(), PENDING))

    def release(self, username: str, key: str) -> None:
        """Give up a claimed key whose write failed, so a retry may run it."""
        self._db.execute("DELETE FROM service_idempotency WHERE username=? AND key=? "
                         "AND status=?", (username, key, PENDING))

    # -- log-in throttling -------------------------------------------------------------------

    def claim_login(self, username: str, client: str | None, *, window_seconds: float,
                    max_account: int, max_address: int,
                    now: float | None = None) -> LoginClaim:
        """Let a log-in attempt through unless ``username`` or ``client`` already has its
        maximum of failures within the last ``window_seconds``. Atomic across threads and
        processes; the attempt is recorded as a failure *before* the password is checked
        (``login_succeeded`` clears it), so concurrent guesses cannot all pass the count."""
        now = time.time() if now is None else now
        since = now - window_seconds
        with self._db.write(["login-failures"]):
            self._db.execute("DELETE FROM service_login_failures WHERE at <= ?", (since,))
            unlock = max(self._unlock_at("username", username, max_account),
                         self._unlock_at("client", client, max_address))
            attempt = None if unlock else self._db.insert(
                "INSERT INTO service_login_failures (username, client, at) VALUES (?,?,?) "
                "RETURNING id", (username, client, now))
        if attempt is None:
            return LoginClaim(None, unlock + window_seconds - now)
        return LoginClaim(attempt)

    def _unlock_at(self, column: str, value: str | None, limit: int) -> float:
        """The time of the ``limit``-th latest failure of ``value`` (the lock lifts when it
        leaves the window), or 0 when there are fewer (not locked)."""
        if value is None:
            return 0.0
        rows = self._db.execute(
            f"SELECT at FROM service_login_failures WHERE {column}=? ORDER BY at DESC "
            "LIMIT 1 OFFSET ?", (value, limit - 1))
        return float(rows[0][0]) if rows else 0.0

    def login_succeeded(self, attempt: int, username: str) -> None:
        """The attempt was no failure, and the account's earlier failures no longer count
        against the account (they still count against their addresses)."""
        with self._db.write(["login-failures"]):
            self._db.execute("DELETE FROM service_login_failures WHERE id=?", (attempt,))
            self._db.execute("UPDATE service_login_failures SET username=NULL "
                             "WHERE username=?", (username,))

    def _rows(self, sql: str, args: Any = ()) -> list[tuple]:
        return self._db.execute(sql, args)

    def close(self) -> None:
        self._reader.close()
        self._db.close()
