"""Test data builders shared by the rules tests (case-file rows → facts)."""

from __future__ import annotations

from datetime import date
from typing import Any

from kg.log import Fact, Source


def to_fact(row: dict[str, Any]) -> Fact:
    """A case-file fact row → a ``kg.log.Fact``."""
    src = row.get("source")
    as_of = row.get("as_of")
    return Fact(
        kind=row["kind"], key=row["key"], payload=row["payload"],
        source=Source(str(src["doc"]), src.get("line"), src.get("quote")) if src else None,
        as_of=as_of if isinstance(as_of, date) or as_of is None else date.fromisoformat(as_of),
    )
