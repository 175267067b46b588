"""The fact log: the system of record (sổ dữ kiện), append-only.

Everything the graph, the rules engine and the service know is derived from it and can be
rebuilt by replay. The embedded default is one SQLite file (one office); a ``postgresql://``
URL instead of a path — ``--db``, ``$KEHOACH_DB`` — puts it on a PostgreSQL server (a
ministry, the nation). Callers only see ``FactLog``: both backends share the log's code
(``kg.log.base``) and pass the same test suite; only connecting, locking and the schema
differ (``kg.log.sqlite``, ``kg.log.postgres``).

One database holds several jurisdictions (provinces, ministries, the nation); a handle is
confined to one of them (``kg.log.scope`` says which): a fact's identity is (jurisdiction,
kind, key), and reads, writes, idempotency and versions are per jurisdiction.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from kg.errors import LogError
from kg.log.backends import PostgresFactLog, SqliteFactLog, connect
from kg.log.base import BaseFactLog
from kg.log.db import Database, is_url, redacted
from kg.log.model import FACT_KINDS, RULE_OUTPUT_KINDS, AppendOutcome, Fact, Source, StoredFact
from kg.log.scope import (
    ENV_JURISDICTION,
    check_code,
    chosen_jurisdiction,
    jurisdiction_chosen,
    jurisdiction_rows,
    known_code,
    use_jurisdiction,
)

ENV_VAR = "KEHOACH_DB"

__all__ = [
    "ENV_JURISDICTION",
    "FACT_KINDS",
    "AppendOutcome",
    "BaseFactLog",
    "Database",
    "Fact",
    "FactLog",
    "PostgresFactLog",
    "RULE_OUTPUT_KINDS",
    "Source",
    "StoredFact",
    "SqliteFactLog",
    "check_code",
    "connect",
    "chosen_jurisdiction",
    "database_at",
    "default_db_path",
    "is_url",
    "jurisdiction_chosen",
    "jurisdiction_rows",
    "known_code",
    "open_existing_log",
    "open_log",
    "use_jurisdiction",
]


class FactLog(Protocol):
    """A fact log handle confined to one jurisdiction (``jurisdiction``): every method below
    reads or writes that jurisdiction's facts only, except ``jurisdictions`` (all of them)."""

    @property
    def jurisdiction(self) -> str: ...
    @property
    def asked_jurisdiction(self) -> str | None: ...
    def within(self, jurisdiction: str) -> FactLog: ...
    def jurisdictions(self) -> dict[str, dict[str, int]]: ...
    def default_jurisdiction(self) -> str | None: ...
    def set_default_jurisdiction(self, code: str) -> None: ...
    def append(self, facts, submitted_by: str = "system", batch=None, submitted_at=None): ...
    def append_routed(self, groups, submitted_by: str = "system", batch=None,
                      submitted_at=None) -> dict[str, list[AppendOutcome]]: ...
    def read(self, kinds=None, after_seq: int = 0, upto_seq: int | None = None,
             skip_kinds=()): ...
    def current(self, kind: str) -> list[StoredFact]: ...
    def get(self, kind: str, key: str) -> StoredFact | None: ...
    def history(self, kind: str, key: str) -> list[StoredFact]: ...
    def counts(self) -> dict[str, int]: ...
    def last_seq(self) -> int: ...
    @property
    def database(self) -> Database: ...
    def close(self) -> None: ...


def default_db_path() -> Path | str:
    """``$KEHOACH_DB`` — a file path, or a ``postgresql://`` URL returned as it is — else
    ``$XDG_DATA_HOME/kehoach/kehoach.db`` (~/.local/share/...)."""
    chosen = os.environ.get(ENV_VAR, "").strip()
    if chosen:
        return chosen if is_url(chosen) else Path(chosen).expanduser()
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "kehoach" / "kehoach.db"


def database_at(target: str | Path | None) -> Path | str:
    """The database ``target`` names — a ``postgresql://`` URL, kept as text, else a file
    path; None: the default (``default_db_path``). The CLI's ``--db`` parses with it, so a
    URL never goes through ``Path`` (which would fold its ``//``)."""
    if not target:
        return default_db_path()
    if is_url(target):
        return str(target).strip()
    text = str(target)
    if text.lower().startswith(("postgresql:/", "postgres:/")):
        # a URL that went through Path() lost a slash: refuse it rather than make a file
        raise LogError(f"Địa chỉ cơ sở dữ liệu '{text}' bị hỏng; hãy viết đủ "
                       "'postgresql://người-dùng@máy/tên-csdl'",
                       f"The database URL '{text}' is malformed; write it in full, "
                       "'postgresql://user@host/dbname'",
                       code="bad_database_url", text=text)
    return Path(target).expanduser()


def open_log(path: str | Path | None = None, jurisdiction: str | None = None) -> BaseFactLog:
    """Open (creating and migrating if needed) the fact log at ``path`` — a SQLite file, or a
    ``postgresql://`` URL — or the default place (``default_db_path``), confined to
    ``jurisdiction`` (None: the command's choice, ``$KEHOACH_JURISDICTION``, the database's
    default, in that order)."""
    where = database_at(path)
    if isinstance(where, str):
        return PostgresFactLog(where, jurisdiction=jurisdiction)
    return SqliteFactLog(where, jurisdiction=jurisdiction)


def open_existing_log(path: str | Path | None = None,
                      jurisdiction: str | None = None) -> BaseFactLog:
    """Open the fact log at ``path`` (or the default place) for a command that only reads,
    confined like ``open_log``: a missing file — or a PostgreSQL database without a fact log —
    is an error (``no_database``) and nothing is created; a jurisdiction chosen explicitly that
    the database neither holds nor has as default is an error too (``unknown_jurisdiction``,
    naming the ones it holds)."""
    where = database_at(path)
    shown = redacted(where) if isinstance(where, str) else str(where)
    if not _log_exists(where):
        raise LogError(f"Không có cơ sở dữ liệu '{shown}'; hãy chạy 'kehoach init' và "
                       "'kehoach load' trước",
                       f"No database at '{shown}'; run 'kehoach init' and 'kehoach load' first",
                       code="no_database", text=shown)
    log = open_log(where, jurisdiction=jurisdiction)
    asked = log.asked_jurisdiction
    if asked and asked != log.default_jurisdiction():
        present = log.jurisdictions()
        if asked not in present:
            log.close()
            known = ", ".join(code or "''" for code in present) or "-"
            raise LogError(
                f"Cơ sở dữ liệu '{shown}' không có dữ kiện nào của địa bàn '{asked}' "
                f"(có: {known})",
                f"The database '{shown}' holds no facts of jurisdiction '{asked}' "
                f"(it holds: {known})",
                code="unknown_jurisdiction", text=asked)
    return log


def _log_exists(where: Path | str) -> bool:
    """Whether a fact log is there, looked at without creating anything."""
    if isinstance(where, Path):
        return where.is_file()
    with connect(where) as db:
        return db.has_table("facts")
