"""The judge's status snapshot (ảnh chụp trạng thái): every target's and task's status entry as
the judging process holds it, beside the outcome store, so API workers that do not judge read
statuses (and which alerts a later status closed) without re-running the rules.

Why not derive statuses from the stored status changes: a status change is recorded only when
a status *changes*, while the status entry is set again on every judgement (a new report with
the same status brings a new explanation, a new "expected" figure) — the latest change would
show a stale explanation. So the judge writes the entries themselves (``ReplayResult.statuses``,
one JSON row per subject).

A *status set* is one (jurisdiction, rule set ``RuleBook.digest``, as-of date): its rows, the
log position its judge had read (``upto_seq``: "judged up to"), a counter bumped by every write
that changed a row (``generation``) and the outcome set it agrees with (``outcomes``: the
outcome store's ``generation`` of that moment, ``"date:n"``). The judge writes its outcomes
first and this set after, so a reader that finds the two tags unequal caught the judge
between them and reads again (``rules.judged``). Only the date the judge judges is kept:
another date's statuses are a replay's (a worker replays off-date reads itself).

A subject whose status is gone (a backdated fact took it away) keeps a row whose entry is
``null`` with the generation that removed it, so a reader catching up by generation drops it.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from kg.log.db import Database
from kg.log.migrations import Migration, migrate

Entry = dict[str, Any]


def _sets(conn: Any) -> None:
    conn.execute(
        """CREATE TABLE status_sets (
            jurisdiction TEXT NOT NULL,
            ruleset TEXT NOT NULL,
            as_of TEXT NOT NULL,
            upto_seq INTEGER NOT NULL,
            generation INTEGER NOT NULL,
            outcomes TEXT NOT NULL,
            written_at TEXT NOT NULL,
            PRIMARY KEY (jurisdiction, ruleset, as_of))""")


def _rows(conn: Any) -> None:
    conn.execute(
        """CREATE TABLE rule_statuses (
            jurisdiction TEXT NOT NULL,
            ruleset TEXT NOT NULL,
            as_of TEXT NOT NULL,
            subject TEXT NOT NULL,
            entry TEXT NOT NULL,
            generation INTEGER NOT NULL,
            PRIMARY KEY (jurisdiction, ruleset, as_of, subject))""")
    # a reader catching up after a write asks for the rows written after a generation
    conn.execute("CREATE INDEX rule_statuses_generation "
                 "ON rule_statuses (jurisdiction, ruleset, as_of, generation)")


def _base(conn: Any) -> None:
    # Which making of a set a reader holds: a set dropped and made again (the judge restarted
    # on another date, then back) starts from a new base, so a reader holding the old one
    # re-reads it whole instead of keeping subjects the new one no longer has.
    conn.execute("ALTER TABLE status_sets ADD COLUMN base BIGINT NOT NULL DEFAULT 0")
    if not isinstance(conn, sqlite3.Connection):  # PostgreSQL's INTEGER is 32 bits; SQLite's 64
        for table in ("status_sets", "rule_statuses"):
            conn.execute(f"ALTER TABLE {table} ALTER COLUMN generation TYPE BIGINT")


MIGRATIONS: list[Migration] = [
    ("statuses_0001_sets", _sets),
    ("statuses_0002_rows", _rows),
    ("statuses_0003_set_base", _base),
]

WRITER = "rule_statuses"
"""The lock a status write takes, per jurisdiction (``rule_statuses:<code>``): the judges of a
national database's provinces write their snapshots in parallel."""


@dataclass(frozen=True)
class StatusSet:
    """What a status set says of itself: judged up to ``upto_seq``, at ``generation`` (one
    more per write that changed a row, from ``base``: the moment the set was made, in ms),
    agreeing with the outcome set tagged ``outcomes``."""

    upto_seq: int
    generation: int
    outcomes: str
    base: int = 0


def _text(entry: Entry) -> str:
    return json.dumps(entry, ensure_ascii=False, sort_keys=True, default=str)


def _copy(entry: Entry) -> Entry:
    """Two levels deep (subject → dimension → fields): what the writer compares the next
    judgement with, never shared with the session's own (mutable) entries."""
    return {k: dict(v) if isinstance(v, dict) else v for k, v in entry.items()}


class StatusStore:
    """The status sets of one jurisdiction and one rule set, in the log's database."""

    def __init__(self, log: Any, ruleset: str) -> None:
        self.jurisdiction: str = log.jurisdiction or ""
        self.ruleset = ruleset
        self._db: Database = log.database.connect()
        migrate(self._db, MIGRATIONS, ledger="_status_migrations")
        self._held: dict[str, Entry] = {}  # the writer's last written entries (one date)
        self._held_as_of: str | None = None

    def _key(self, as_of: date | str) -> tuple[str, str, str]:
        return (self.jurisdiction, self.ruleset, str(as_of))

    # -- the judge's side -------------------------------------------------------------------

    def write(self, as_of: date, statuses: Mapping[str, Entry], upto_seq: int,
              outcomes: str) -> int:
        """Make the set of ``as_of`` hold ``statuses`` (subject → entry), judged up to
        ``upto_seq``, agreeing with the outcome set tagged ``outcomes``. Only the entries
        that differ from the last write are written; the set of another date (an older one
        of this judge, another rule set's) is dropped. How many rows changed."""
        when = as_of.isoformat()
        with self._db.write([f"{WRITER}:{self.jurisdiction}"]):
            meta = self._meta(when)
            if self._held_as_of != when or meta is None:
                self._held = self._load(when) if meta is not None else {}
                self._held_as_of = when
            changed = {s: e for s, e in statuses.items() if self._held.get(s) != e}
            gone = [s for s in self._held if s not in statuses]
            if meta is None:
                self._drop_others(when)
            base = meta.base if meta else time.time_ns() // 1_000_000
            generation = (meta.generation if meta else base) + (1 if changed or gone else 0)
            self._put(when, [(s, _text(e)) for s, e in changed.items()]
                      + [(s, "null") for s in gone], generation)
            for subject, entry in changed.items():
                self._held[subject] = _copy(entry)
            for subject in gone:
                del self._held[subject]
            self._set_meta(when, meta, upto_seq, generation, outcomes, base)
        return len(changed) + len(gone)

    def _put(self, when: str, rows: list[tuple[str, str]], generation: int) -> None:
        """Replace the rows of these subjects: chunked multi-row statements (a start replay
        writes every subject at once — one statement per row cost seconds on PostgreSQL)."""
        per = max(1, (self._db.max_params - 3) // 6)
        for i in range(0, len(rows), per):
            chunk = rows[i:i + per]
            marks = ",".join("?" * len(chunk))
            self._db.execute(f"DELETE FROM rule_statuses WHERE jurisdiction=? AND ruleset=? AND "
                             f"as_of=? AND subject IN ({marks})",
                             (*self._key(when), *(s for s, _t in chunk)))
            values = ",".join(["(?,?,?,?,?,?)"] * len(chunk))
            self._db.execute("INSERT INTO rule_statuses (jurisdiction, ruleset, as_of, subject, "
                             f"entry, generation) VALUES {values}",
                             [v for s, t in chunk for v in (*self._key(when), s, t,
                                                            generation)])

    def _set_meta(self, when: str, meta: StatusSet | None, upto_seq: int, generation: int,
                  outcomes: str, base: int) -> None:
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        if meta is None:
            self._db.execute("INSERT INTO status_sets (jurisdiction, ruleset, as_of, upto_seq, "
                             "generation, outcomes, written_at, base) VALUES (?,?,?,?,?,?,?,?)",
                             (*self._key(when), upto_seq, generation, outcomes, stamp, base))
        elif (meta.upto_seq, meta.generation, meta.outcomes) != (upto_seq, generation,
                                                                  outcomes):
            self._db.execute("UPDATE status_sets SET upto_seq=?, generation=?, outcomes=?, "
                             "written_at=? WHERE jurisdiction=? AND ruleset=? AND as_of=?",
                             (upto_seq, generation, outcomes, stamp, *self._key(when)))

    def _drop_others(self, when: str) -> None:
        """A new set: the sets of other dates and rule sets of this jurisdiction go (only
        the judge's current date is read from here)."""
        for table in ("rule_statuses", "status_sets"):
            self._db.execute(f"DELETE FROM {table} WHERE jurisdiction=? AND NOT "
                             "(ruleset=? AND as_of=?)", self._key(when))

    def _load(self, when: str) -> dict[str, Entry]:
        return {s: json.loads(t) for s, t in self._db.execute(
            "SELECT subject, entry FROM rule_statuses WHERE jurisdiction=? AND ruleset=? AND "
            "as_of=? AND entry<>'null'", self._key(when))}

    # -- the readers' side ------------------------------------------------------------------

    def _meta(self, when: str) -> StatusSet | None:
        rows = self._db.execute("SELECT upto_seq, generation, outcomes, base FROM status_sets "
                                "WHERE jurisdiction=? AND ruleset=? AND as_of=?",
                                self._key(when))
        return (StatusSet(int(rows[0][0]), int(rows[0][1]), str(rows[0][2]), int(rows[0][3]))
                if rows else None)

    def meta(self, as_of: date) -> StatusSet | None:
        """The set of ``as_of`` (None: the judge has not judged that date)."""
        return self._meta(as_of.isoformat())

    def changed(self, as_of: date, since: int = -1) -> dict[str, Entry | None]:
        """subject → entry of the rows written after generation ``since`` (all: -1); None
        for a subject whose status is gone."""
        return {s: json.loads(t) for s, t in self._db.execute(
            "SELECT subject, entry FROM rule_statuses WHERE jurisdiction=? AND ruleset=? AND "
            "as_of=? AND generation>?", (*self._key(as_of.isoformat()), since))}

    def current(self, as_of: date) -> dict[str, Entry]:
        """Every subject's entry in the set of ``as_of`` (empty: no set)."""
        return {s: e for s, e in self.changed(as_of).items() if e is not None}

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> StatusStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
