"""The judge's announcements (thông báo của tiến trình xét luật): how one judging process tells
every API worker what the rules just concluded, through the database they share.

``kehoach judge`` (``service.judge``) is the one process that runs the rules on a deployment's
fact log. What a new fact makes it conclude — a new alert, a status change, a withdrawal — it
appends to the table ``judge_announcements`` (beside the log, in the same database: a SQLite
file or PostgreSQL) together with how far in the log that pass judged (``judge_positions``), in
one transaction per pass. API workers started with ``KEHOACH_JUDGE=external`` do not judge:
they read new announcements after the last one they saw and hand them to their live-stream
listeners, and a write waits until the judge has judged past its facts to answer with what
they caused.

Waking up: on PostgreSQL the judge's transaction also sends ``NOTIFY kehoach_judge`` (the
jurisdiction code as payload), and listeners wait on ``LISTEN`` instead of polling; on SQLite a
listener reads the table every ``poll`` seconds (one indexed query). The table is the truth
either way — a NOTIFY missed while a worker reconnects loses nothing, the next read finds the
rows — and it is trimmed to the last ``KEEP`` announcements of a jurisdiction.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from kg.errors import KehoachError
from kg.log import postgres
from kg.log.db import Database
from kg.log.migrations import Migration, migrate

CHANNEL = "kehoach_judge"
"""The PostgreSQL channel the judge notifies after each announcement (payload: jurisdiction)."""

LOG_CHANNEL = postgres.LOG_CHANNEL
"""The PostgreSQL channel the fact log notifies on each committed append (the judge waits on
it; on SQLite the judge polls ``last_seq``)."""

KEEP = 10_000
"""Announcements kept per jurisdiction (a worker further behind than that only misses live
events; statuses and alerts are read from the outcome store, never from here)."""

EVENTS = ("alert", "status_change", "withdrawn")

JUDGE_LOCK_SPACE = 27497
"""First key of the PostgreSQL advisory lock the one judge of a jurisdiction holds."""


def _announcements(conn: Any) -> None:
    ident = ("INTEGER PRIMARY KEY" if isinstance(conn, sqlite3.Connection)
             else "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")
    conn.execute(f"""CREATE TABLE judge_announcements (
            seq {ident},
            jurisdiction TEXT NOT NULL,
            event TEXT NOT NULL,
            payload TEXT NOT NULL,
            announced_at TEXT NOT NULL)""")
    conn.execute("CREATE INDEX judge_announcements_jurisdiction "
                 "ON judge_announcements (jurisdiction, seq)")


def _positions(conn: Any) -> None:
    conn.execute("""CREATE TABLE judge_positions (
            jurisdiction TEXT PRIMARY KEY,
            upto_seq INTEGER NOT NULL,
            announced INTEGER NOT NULL,
            judge TEXT NOT NULL,
            judged_at TEXT NOT NULL)""")


MIGRATIONS: list[Migration] = [
    ("judge_0001_announcements", _announcements),
    ("judge_0002_positions", _positions),
]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Announcements:
    """The announcements of one jurisdiction in the database of ``log`` (own connection)."""

    def __init__(self, log: Any, poll: float = 0.2, channel: str = CHANNEL) -> None:
        """``channel``: what ``wait`` wakes on — ``CHANNEL`` (a worker: the judge's
        announcements) or ``LOG_CHANNEL`` (the judge: the log's appends)."""
        self.jurisdiction: str = log.jurisdiction or ""
        self.poll = poll
        self.channel = channel
        self._db: Database = log.database.connect()
        migrate(self._db, MIGRATIONS, ledger="_judge_migrations")
        self._waiting = threading.Lock()
        self._claim: IO[str] | None = None
        self._db.listen(channel, 0)  # listening from now on: nothing sent after is missed

    # -- the judge's side -------------------------------------------------------------------

    def claim_judge(self) -> None:
        """Be the one judge of this jurisdiction while this object lives — two would announce
        every alert twice. PostgreSQL: a session advisory lock (released when the process or
        its connection dies); SQLite: an exclusive lock on a file beside the database (one
        host). Another judge running: ``KehoachError`` ``judge_running``."""
        if self._db.dialect == "postgresql":
            held = self._db.execute("SELECT pg_try_advisory_lock(?, hashtext(?))",
                                    (JUDGE_LOCK_SPACE, self.jurisdiction))[0][0]
        else:
            import fcntl

            self._claim = open(Path(f"{self._db.target}.judge-{self.jurisdiction or 'default'}"
                                    ".lock"), "a", encoding="utf-8")
            try:
                fcntl.flock(self._claim, fcntl.LOCK_EX | fcntl.LOCK_NB)
                held = True
            except BlockingIOError:
                held = False
        if not held:
            raise KehoachError(
                f"Đã có một tiến trình 'kehoach judge' xét luật cho địa bàn "
                f"'{self.jurisdiction or '-'}' trên cơ sở dữ liệu này; chỉ chạy một",
                f"Another 'kehoach judge' already judges jurisdiction "
                f"'{self.jurisdiction or '-'}' on this database; run exactly one",
                code="judge_running", text=self.jurisdiction)

    def judged(self, upto_seq: int, events: list[tuple[str, dict[str, Any]]]) -> None:
        """Record one pass of the judge in one transaction: its announcements (``events``:
        (event, data), oldest first) and that it has judged the log up to ``upto_seq``;
        trims announcements beyond the last ``KEEP``. PostgreSQL listeners are woken when it
        commits."""
        with self._db.write([f"judge:{self.jurisdiction}"]):
            for event, data in events:
                self._db.execute("INSERT INTO judge_announcements (jurisdiction, event, "
                                 "payload, announced_at) VALUES (?,?,?,?)",
                                 (self.jurisdiction, event,
                                  json.dumps(data, ensure_ascii=False, default=str), _now()))
            last = self.last()
            self._db.execute("DELETE FROM judge_positions WHERE jurisdiction=?",
                             (self.jurisdiction,))
            self._db.execute("INSERT INTO judge_positions (jurisdiction, upto_seq, announced, "
                             "judge, judged_at) VALUES (?,?,?,?,?)",
                             (self.jurisdiction, upto_seq, last, f"pid {os.getpid()}", _now()))
            if last > KEEP:
                self._db.execute("DELETE FROM judge_announcements WHERE jurisdiction=? AND "
                                 "seq<=?", (self.jurisdiction, last - KEEP))
            self._notify()

    def _notify(self) -> None:
        self._db.notify(CHANNEL, self.jurisdiction)  # PostgreSQL: delivered at commit

    # -- the workers' side ------------------------------------------------------------------

    def last(self) -> int:
        """The position of the latest announcement of this jurisdiction (0: none)."""
        rows = self._db.execute("SELECT MAX(seq) FROM judge_announcements WHERE "
                                "jurisdiction=?", (self.jurisdiction,))
        return int(rows[0][0] or 0)

    def position(self) -> int:
        """How far in the log the judge has judged (0: no judge has run)."""
        rows = self._db.execute("SELECT upto_seq FROM judge_positions WHERE jurisdiction=?",
                                (self.jurisdiction,))
        return int(rows[0][0]) if rows else 0

    def since(self, after: int) -> list[tuple[int, str, dict[str, Any]]]:
        """The announcements after position ``after``: (position, event, data), oldest first."""
        return [(int(seq), event, json.loads(payload)) for seq, event, payload in
                self._db.execute("SELECT seq, event, payload FROM judge_announcements WHERE "
                                 "jurisdiction=? AND seq>? ORDER BY seq",
                                 (self.jurisdiction, after))]

    def wait(self, timeout: float | None = None) -> None:
        """Return when something may have happened on ``channel`` (PostgreSQL: a NOTIFY, or
        ``timeout``), or after ``timeout`` (default ``poll``) on SQLite. Callers re-read the
        tables after it: a wake-up is a hint, never the data."""
        with self._waiting:
            self._db.listen(self.channel, self.poll if timeout is None else timeout)

    def close(self) -> None:
        if self._claim is not None:
            self._claim.close()  # releases the file lock
        self._db.close()
