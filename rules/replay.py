"""Replay the fact log through the rules (phát lại sổ dữ kiện).

Facts are replayed in date order up to an as-of date: at every date on which something
becomes known (a report, a task, an official table), a deadline passes or a report falls due,
the measures are rebuilt from the snapshot and judged by the engine — each unit (an indicator
with its targets and reports, a task) only on its own such dates (``rules.session``), which
gives what judging every unit on every date gives (``RuleSession.start(sweep=True)``, the
reference the tests compare against). Alerts are emitted once
(deterministic ids) and status changes only when a status changes; with ``persist`` both go
to the outcome store (``rules.store``, never the fact log), so a second replay writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from rules.engine import Engine
from rules.outcomes import Alert, StatusChange
from rules.results import (
    ReplayResult,
    closed_alerts,
    current_dimension,
    filter_alerts,
    latest_versions,
    status_rows,
)
from rules.session import RuleSession
from rules.store import OutcomeStore, reconcile

__all__ = [  # the views callers import from here (defined in rules.results)
    "ReplayResult", "alerts", "closed_alerts", "current_dimension", "current_statuses",
    "filter_alerts", "replay", "status_rows", "summarize",
]


def replay(log: Any, as_of: date | None = None, persist: bool = True,
           engine: Engine | None = None,
           progress: Callable[[date, int, int], None] | None = None,
           calendar: dict[str, Any] | None = None) -> ReplayResult:
    """Replay ``log`` in date order up to ``as_of`` (default today); deterministic: start a
    ``RuleSession`` on the log and return what it produced. ``engine`` / ``calendar``: the
    rule set to judge by (default: the rule files as they are now; ``rules.live`` passes the
    one it pinned at start).
    ``progress(date, step, total)`` is called after each evaluation date (for a progress bar)."""
    read_upto = log.last_seq()
    session = RuleSession.start(log, as_of, engine=engine, progress=progress, calendar=calendar)
    result = session.replay_result
    result.outcomes = latest_versions(result.outcomes)
    if persist:  # and withdraw what the store holds that this replay no longer concludes
        store = log if engine is None else OutcomeStore(log, ruleset=session.engine.book.digest)
        result.appended = reconcile(store, result.outcomes, session.clock, read_upto)
    return result


def _result_of(source: Any, as_of: date | None) -> ReplayResult:
    """A ``ReplayResult`` as given, a session's current result, or a fresh replay of a log."""
    if isinstance(source, ReplayResult):
        return source
    if isinstance(source, RuleSession):
        return source.result()
    return replay(source, as_of, persist=False)


def current_statuses(source: Any, as_of: date | None = None) -> list[dict[str, Any]]:
    """One row per target and task: status, verdict, agency, explanation, as of a date.
    ``source``: a fact log (replayed), a ``ReplayResult`` or a ``RuleSession`` (as they are)."""
    return status_rows(_result_of(source, as_of).statuses)


def alerts(source: Any, as_of: date | None = None, agency: str | None = None,
           kind: str | None = None) -> list[dict[str, Any]]:
    """Alerts as of a date, optionally for one agency (lead or supervisor) or one kind.
    ``source``: a fact log (replayed), a ``ReplayResult`` or a ``RuleSession``."""
    rows = [a.to_dict() for a in closed_alerts(_result_of(source, as_of))]
    return filter_alerts(rows, agency, kind)


def summarize(outcomes: list[Alert | StatusChange]) -> dict[str, dict[str, int]]:
    """Counts of alerts by kind and by agency (for the demo's summary)."""
    by_kind: dict[str, int] = {}
    by_agency: dict[str, int] = {}
    for alert in (o for o in outcomes if isinstance(o, Alert)):
        by_kind[alert.kind] = by_kind.get(alert.kind, 0) + 1
        by_agency[alert.agency or "—"] = by_agency.get(alert.agency or "—", 0) + 1
    return {"by_kind": dict(sorted(by_kind.items())),
            "by_agency": dict(sorted(by_agency.items(), key=lambda kv: (-kv[1], kv[0])))}
