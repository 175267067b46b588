"""Rule outcomes in the fact log (kết quả luật trong sổ): what the rules conclude is appended as
facts of kinds ``alert`` / ``status_change``; what they no longer conclude is withdrawn.

The log is append-only, so a withdrawal is a new version of the outcome's key: its last content
marked ``withdrawn: true``, with ``withdrawn_as_of`` (the evaluation date) and ``withdrawn_by``
(the asserted facts whose re-judgement dropped it, at most ``MAX_CAUSES`` of them,
``withdrawn_by_count`` in all; empty when a full replay no longer concluded it). So the log's
current, non-withdrawn outcomes are what a clean replay of its facts concludes, and the plan
graph leaves withdrawn ones out (``kg.project``). An outcome concluded again is appended again:
a new, live version.

``persist_changes`` records what one write's re-judgement changed (only the ids it re-judged,
one ``get`` per withdrawal); ``reconcile`` compares a whole replay with the log's current
outcomes (start-up, ``replay(persist=True)``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from kg.log import Fact, StoredFact
from kg.project import WITHDRAWN, is_withdrawn
from rules.outcomes import Alert, StatusChange
from rules.snapshot import RULE_OUTPUT_KINDS

if TYPE_CHECKING:
    from rules.session import Changes

MAX_CAUSES = 20
"""How many fact ids a withdrawal names (an import can re-judge units with thousands)."""


def kind_of(outcome: Alert | StatusChange) -> str:
    """The log kind of an outcome (an alert's own ``kind`` is what it warns about)."""
    return "status_change" if isinstance(outcome, StatusChange) else "alert"


def outcome_fact(outcome: Alert | StatusChange) -> Fact:
    return Fact(kind=kind_of(outcome), key=outcome.id, payload=outcome.to_dict(),
                as_of=date.fromisoformat(outcome.as_of))


def withdrawal_fact(current: StoredFact, as_of: date, causes: list[str]) -> Fact:
    """The next version of ``current``: the same content, marked withdrawn."""
    payload = {**current.payload, WITHDRAWN: True, "withdrawn_as_of": as_of.isoformat(),
               "withdrawn_by": causes[:MAX_CAUSES], "withdrawn_by_count": len(causes)}
    return Fact(current.kind, current.key, payload, current.source, current.as_of)


def _append(log: Any, facts: list[Fact]) -> int:
    if not facts:
        return 0
    return sum(1 for r in log.append(facts, submitted_by="rules") if r.status != "duplicate")


def persist_changes(log: Any, changes: Changes, as_of: date) -> int:
    """Append a session's added and revised outcomes and withdraw the ones it dropped (those
    the log holds live; a dropped outcome never persisted needs nothing); how many facts
    were written."""
    facts = [outcome_fact(o) for o in (*changes.added, *changes.revised)]
    for outcome in changes.withdrawn:
        current = log.get(kind_of(outcome), outcome.id)
        if current is not None and not is_withdrawn(current):
            facts.append(withdrawal_fact(current, as_of, changes.causes.get(outcome.id, [])))
    return _append(log, facts)


def reconcile(log: Any, outcomes: Iterable[Alert | StatusChange], as_of: date,
              upto_seq: int | None = None) -> int:
    """Make the log's current outcomes those of a replay: append ``outcomes`` (duplicates
    write nothing) and withdraw every live outcome it no longer concludes — of those recorded
    up to ``upto_seq`` (the log position the replay read: a newer one was concluded from
    facts the replay has not seen); how many facts were written."""
    facts = [outcome_fact(o) for o in outcomes]
    concluded = {(f.kind, f.key) for f in facts}
    for kind in RULE_OUTPUT_KINDS:
        for current in log.current(kind):
            if ((kind, current.key) not in concluded and not is_withdrawn(current)
                    and (upto_seq is None or current.seq <= upto_seq)):
                facts.append(withdrawal_fact(current, as_of, []))
    return _append(log, facts)
