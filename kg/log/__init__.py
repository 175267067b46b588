"""The fact log: the system of record (sổ dữ kiện), append-only.

Everything the graph, the rules engine and the service know is derived from it and can be
rebuilt by replay. The embedded default is one SQLite file; callers only see ``FactLog``, so
a PostgreSQL backend can be added behind ``open_log`` without touching them.

One database holds several jurisdictions (provinces, ministries, the nation); a handle is
confined to one of them (``kg.log.scope`` says which): a fact's identity is (jurisdiction,
kind, key), and reads, writes, idempotency and versions are per jurisdiction.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from kg.errors import LogError
from kg.log.model import FACT_KINDS, AppendOutcome, Fact, Source, StoredFact
from kg.log.scope import (
    ENV_JURISDICTION,
    check_code,
    chosen_jurisdiction,
    jurisdiction_chosen,
    jurisdiction_rows,
    known_code,
    use_jurisdiction,
)
from kg.log.sqlite import SqliteFactLog

ENV_VAR = "KEHOACH_DB"

__all__ = [
    "ENV_JURISDICTION",
    "FACT_KINDS",
    "AppendOutcome",
    "Fact",
    "FactLog",
    "Source",
    "StoredFact",
    "SqliteFactLog",
    "check_code",
    "chosen_jurisdiction",
    "default_db_path",
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
    def close(self) -> None: ...


def default_db_path() -> Path:
    """``$KEHOACH_DB``, else ``$XDG_DATA_HOME/kehoach/kehoach.db`` (~/.local/share/...)."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "kehoach" / "kehoach.db"


def open_log(path: str | Path | None = None, jurisdiction: str | None = None) -> SqliteFactLog:
    """Open (creating and migrating if needed) the fact log at ``path`` or the default place,
    confined to ``jurisdiction`` (None: the command's choice, ``$KEHOACH_JURISDICTION``, the
    database's default, in that order)."""
    return SqliteFactLog(Path(path).expanduser() if path else default_db_path(),
                         jurisdiction=jurisdiction)


def open_existing_log(path: str | Path | None = None,
                      jurisdiction: str | None = None) -> SqliteFactLog:
    """Open the fact log at ``path`` (or the default place) for a command that only reads,
    confined like ``open_log``: a missing file is an error (``no_database``) and nothing is
    created; a jurisdiction chosen explicitly that the database neither holds nor has as
    default is an error too (``unknown_jurisdiction``, naming the ones it holds)."""
    where = Path(path).expanduser() if path else default_db_path()
    if not where.is_file():
        raise LogError(f"Không có cơ sở dữ liệu '{where}'; hãy chạy 'kehoach init' và "
                       "'kehoach load' trước",
                       f"No database at '{where}'; run 'kehoach init' and 'kehoach load' first",
                       code="no_database", text=str(where))
    log = SqliteFactLog(where, jurisdiction=jurisdiction)
    asked = log.asked_jurisdiction
    if asked and asked != log.default_jurisdiction():
        present = log.jurisdictions()
        if asked not in present:
            log.close()
            known = ", ".join(code or "''" for code in present) or "-"
            raise LogError(
                f"Cơ sở dữ liệu '{where}' không có dữ kiện nào của địa bàn '{asked}' "
                f"(có: {known})",
                f"The database '{where}' holds no facts of jurisdiction '{asked}' "
                f"(it holds: {known})",
                code="unknown_jurisdiction", text=asked)
    return log
