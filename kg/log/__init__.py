"""The fact log: the system of record (sổ dữ kiện), append-only.

Everything the graph, the rules engine and the service know is derived from it and can be
rebuilt by replay. The embedded default is one SQLite file; callers only see ``FactLog``, so
a PostgreSQL backend can be added behind ``open_log`` without touching them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from kg.errors import LogError
from kg.log.model import FACT_KINDS, AppendOutcome, Fact, Source, StoredFact
from kg.log.sqlite import SqliteFactLog

ENV_VAR = "KEHOACH_DB"

__all__ = [
    "FACT_KINDS",
    "AppendOutcome",
    "Fact",
    "FactLog",
    "Source",
    "StoredFact",
    "SqliteFactLog",
    "default_db_path",
    "open_existing_log",
    "open_log",
]


class FactLog(Protocol):
    def append(self, facts, submitted_by: str = "system", batch=None, submitted_at=None): ...
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


def open_log(path: str | Path | None = None) -> SqliteFactLog:
    """Open (creating and migrating if needed) the fact log at ``path`` or the default place."""
    return SqliteFactLog(Path(path).expanduser() if path else default_db_path())


def open_existing_log(path: str | Path | None = None) -> SqliteFactLog:
    """Open the fact log at ``path`` (or the default place) for a command that only reads:
    a missing file is an error (``no_database``) and nothing is created."""
    where = Path(path).expanduser() if path else default_db_path()
    if not where.is_file():
        raise LogError(f"Không có cơ sở dữ liệu '{where}'; hãy chạy 'kehoach init' và "
                       "'kehoach load' trước",
                       f"No database at '{where}'; run 'kehoach init' and 'kehoach load' first",
                       code="no_database", text=str(where))
    return SqliteFactLog(where)
