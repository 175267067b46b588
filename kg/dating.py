"""When things were written (ngày văn bản): the dates the fact log's documents carry, read the
same way by the rules (when a fact becomes known) and by extraction (which tasks existed
before a report)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any


def as_date(value: Any) -> date | None:
    """A date from a payload value (a date or ISO text); None when there is none."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def document_dates(facts: Iterable[Any]) -> dict[str, date]:
    """Source doc code ("002") and document id → its date, from the document facts."""
    dates: dict[str, date] = {}
    for fact in facts:
        if fact.kind != "document":
            continue
        # An undated document (an unsigned copy: "ngày  tháng 6 năm 2023") is known from the
        # earliest date its text allows, so its tasks do not exist before it was written.
        when = as_date(fact.payload.get("date")) or as_date(fact.payload.get("date_earliest"))
        if when:
            dates[fact.key] = when
            if fact.key.startswith("seed-"):
                dates[fact.key.removeprefix("seed-")] = when
    return dates
