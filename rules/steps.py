"""The steps a replay takes (bước phát lại): the dates on which a judgement can change (facts
becoming visible, task deadline thresholds, report due dates) and the measures of a snapshot.

Shared by the full replay and the live session (``rules.session``); below both of them.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from kg.log import StoredFact
from rules.duties import (
    TaskScale,
    report_deadlines,
    report_measures,
    reported_verdict_checks,
    task_measures,
    task_scale,
)
from rules.memo import Memo
from rules.snapshot import Snapshot, as_date, document_dates, visible_from
from rules.subjects import (
    Measure,
    PctCheck,
    level_measures,
    pace_measures,
    pct_checks,
    progress_measures,
    verdict_checks,
    verdict_measures,
)


def task_dates(fact: StoredFact, scale: TaskScale | None = None) -> list[date]:
    """The deadline threshold dates of a task fact (none without a deadline): the days around
    its deadline on which its judgement can change (``TaskScale.offsets`` of ``scale``: the
    judging rule set's tasks.yaml; default the rule files in force)."""
    deadline = as_date(fact.payload.get("deadline")) if fact.kind == "task" else None
    if deadline is None:
        return []
    return [deadline + timedelta(days=d) for d in (scale or task_scale()).offsets]


def evaluation_dates(facts: list[StoredFact], as_of: date, calendar: dict[str, Any],
                     scale: TaskScale | None = None) -> list[date]:
    """Every date on which the answer can change, up to ``as_of``."""
    doc_dates = document_dates(facts)
    dates = {as_of}
    for fact in facts:
        when = visible_from(fact, doc_dates)
        if when:
            dates.add(when)
        dates.update(task_dates(fact, scale))
    years = sorted({d.year for d in dates})
    dates.update(due + timedelta(days=1) for _r, _c, _m, due in report_deadlines(calendar, years))
    return sorted(d for d in dates if d <= as_of)


def build_measures(snap: Snapshot, calendar: dict[str, Any], years: list[int] | None = None,
                   memo: Memo[PctCheck] | None = None,
                   scale: TaskScale | None = None) -> list[Measure]:
    """Every measure of a snapshot (``years``: the reporting cycles, see ``report_measures``;
    ``memo``: the caller's memo of % of plan checks, see ``pct_checks``; ``scale``: the task
    thresholds of the judging rule set, see ``task_measures``)."""
    return (verdict_measures(snap) + verdict_checks(snap) + pace_measures(snap)
            + level_measures(snap) + progress_measures(snap) + pct_checks(snap, memo)
            + task_measures(snap, scale) + report_measures(snap, calendar, years)
            + reported_verdict_checks(snap))


def parents(snap: Snapshot) -> dict[str, str | None]:
    """Agency → its parent agency (the supervisor an escalation names)."""
    return {a.key: a.payload.get("parent") for a in snap.all("agency")}
