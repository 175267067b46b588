"""Rows of the fact log, on every backend: the columns read, a row as a ``StoredFact``, the
checks of a fact before it is written, and a handle's scope (``Scope``: which jurisdiction's
rows it sees)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from kg.errors import LogError
from kg.log.model import FACT_KINDS, RULE_OUTPUT_KINDS, Fact, Source, StoredFact
from kg.log.scope import LEGACY

COLUMNS = (
    "seq, kind, key, version, payload, source_doc, source_line, source_quote, "
    "submitted_by, submitted_at, as_of, content_hash, batch, jurisdiction"
)


@dataclass(frozen=True)
class Scope:
    """What a handle sees: its jurisdiction ``code`` and the codes of the rows that are that
    jurisdiction's (``code``, plus ``''`` — rows written before jurisdictions — when ``code``
    is the database's default); ``settled`` once the database has a default (it never
    changes after), so the scope need not be read again."""

    code: str
    rows: tuple[str, ...]
    settled: bool

    def where(self, alias: str = "") -> tuple[str, list[object]]:
        column = f"{alias}jurisdiction"
        if len(self.rows) == 1:
            return f"{column} = ?", list(self.rows)
        return f"{column} IN ({','.join('?' * len(self.rows))})", list(self.rows)


def scope_of(code: str, default: str | None) -> Scope:
    """The scope of jurisdiction ``code`` in a database whose default is ``default``."""
    rows = (code, LEGACY) if code == default else (code,)
    return Scope(code, rows, settled=default is not None)


def check_fact(fact: Fact) -> None:
    if fact.kind in RULE_OUTPUT_KINDS:
        raise LogError(
            "Cảnh báo và thay đổi trạng thái là kết luận của luật, không ghi vào sổ dữ kiện "
            f"(kho kết quả luật: rules.store): '{fact.kind}'",
            "Alerts and status changes are the rules' conclusions, not facts; they live in "
            f"the outcome store (rules.store): '{fact.kind}'",
            code="rule_output_kind",
            text=fact.kind,
        )
    if fact.kind not in FACT_KINDS:
        raise LogError(
            f"Loại dữ kiện không hợp lệ '{fact.kind}'",
            f"Unknown fact kind '{fact.kind}'",
            code="unknown_fact_kind",
            text=fact.kind,
        )
    if not fact.key or not isinstance(fact.key, str):
        raise LogError(
            "Dữ kiện thiếu khóa định danh", "Fact has no key", code="missing_key", text=str(fact)
        )
    if not isinstance(fact.payload, dict):
        raise LogError(
            "Nội dung dữ kiện phải là một đối tượng",
            "Fact payload must be an object",
            code="bad_payload",
            text=repr(fact.payload)[:200],
        )


def row_to_fact(row: tuple, scope: str) -> StoredFact:
    """A stored row as a fact of the ``scope`` it was read in (a legacy '' row read in the
    default jurisdiction is that jurisdiction's)."""
    (seq, kind, key, version, payload, doc, line, quote, by, at, as_of, digest, batch,
     _stamped) = row
    return StoredFact(
        seq=seq,
        kind=kind,
        key=key,
        version=version,
        payload=json.loads(payload),
        source=Source(doc, line, quote) if doc is not None else None,
        submitted_by=by,
        submitted_at=at if isinstance(at, datetime) else datetime.fromisoformat(at),
        as_of=_day(as_of),
        content_hash=digest,
        batch=batch,
        jurisdiction=scope,
    )


def _day(value: date | str | None) -> date | None:
    """``as_of`` as stored: ISO text (SQLite) or a date (PostgreSQL's DATE)."""
    if value is None or value == "":
        return None
    return value if isinstance(value, date) else date.fromisoformat(value)
