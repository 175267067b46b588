"""Replay the fact log through the rules (phát lại sổ dữ kiện).

Facts are replayed in date order up to an as-of date: at every date on which something
becomes known (a report, a task, an official table), a deadline passes or a report falls due,
the measures are rebuilt from the snapshot and judged by the engine — each unit (an indicator
with its targets and reports, a task) only on its own such dates (``rules.session``), which
gives what judging every unit on every date gives (``RuleSession.start(sweep=True)``, the
reference the tests compare against). Alerts are emitted once
(deterministic ids) and status changes only when a status changes; with ``persist`` both go
back to the log (kinds ``alert`` / ``status_change``), so a second replay adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kg.log import Fact
from rules.engine import Engine, Firing
from rules.outcomes import Alert, StatusChange, Subject
from rules.results import (
    STATUS_PRECEDENCE,
    ReplayResult,
    closed_alerts,
    current_dimension,
    filter_alerts,
    latest_versions,
    status_rows,
)
from rules.snapshot import source_of
from rules.subjects import Measure
from rules.vocabulary import FACTS, explain

__all__ = [  # the views callers import from here (defined in rules.results)
    "ReplayResult", "alerts", "closed_alerts", "current_dimension", "current_statuses",
    "filter_alerts", "replay", "status_rows", "summarize",
]


@dataclass
class EngineState:
    """The engine's working state: current statuses, alert ids, pace history, names."""

    current: dict[tuple[str, str], str] = field(default_factory=dict)
    alert_ids: set[str] = field(default_factory=set)
    pace_history: dict[str, dict[str, str]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    agency_of: dict[str, str | None] = field(default_factory=dict)
    result: ReplayResult = field(default_factory=ReplayResult)


def _explain(template: str, event: dict[str, Any]) -> str:
    """A rule's explanation for one measure (``rules.vocabulary.explain``: names, dates
    dd/mm/yyyy and Vietnamese numbers come from the measure's own fields)."""
    return explain(template, event)


def _subject(event: dict[str, Any]) -> Subject:
    return Subject(event["subject_id"], event["subject_name"], event["subject_kind"])


def _sources(measure: Measure) -> list[dict[str, Any]]:
    """The quotes of the facts used, and — for a task — where its deadline is written when
    that is another place (the section heading "NHIỆM VỤ … QUÝ IV NĂM 2024")."""
    out = [s for f in measure.facts for s in source_of(f)]
    extra = measure.details.get("deadline_source")
    if extra and not any((s["doc"], s["line"], s["quote"]) ==
                         (extra["doc"], extra["line"], extra["quote"]) for s in out):
        out.append(extra)
    return out


def _alert(firing: Firing, measure: Measure, when: date) -> Alert:
    rule, event = firing.rule, measure.event
    bucket = rule.then.get("bucket")  # an attribute: one overdue task has one alert
    parts = [rule.then["alert"], event["subject_id"], event["period"] or "-"]
    return Alert(
        id=":".join(parts), kind=rule.then["alert"], severity=rule.severity,
        subject=_subject(event), agency=event["agency"] or None,
        period=event["period"] or None, as_of=when.isoformat(),
        rule={"id": rule.id, "version": rule.version},
        facts=[f.id for f in measure.facts], thresholds=rule.thresholds,
        explanation_vi=_explain(rule.explanation["vi"], event),
        explanation_en=_explain(rule.explanation["en"], event),
        sources=_sources(measure), chain=measure.chain,
        status=rule.then.get("status"), details={**measure.details, "bucket": bucket},
    )


def _supersede(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """Mark every dimension but the current one ``superseded_by`` it (new dicts: checkpoints
    share the old ones); returns what the current one supersedes."""
    current = current_dimension(entry)
    by = None if current is None else {
        "dimension": current, "status": entry[current]["status"],
        "period": entry[current]["period"], "rule": entry[current]["rule"]}
    superseded = []
    for dimension in STATUS_PRECEDENCE:
        value = entry.get(dimension)
        if not isinstance(value, dict):
            continue
        want = None if dimension == current else by
        if want is not None:
            superseded.append({"dimension": dimension, "status": value.get("status"),
                               "period": value.get("period")})
        if value.get("superseded_by") != want:
            entry[dimension] = {**value, "superseded_by": want}
    return superseded


def _apply(state: EngineState, firing: Firing, measure: Measure, when: date) -> None:
    rule, event = firing.rule, measure.event
    subject_id = event["subject_id"]
    state.names[subject_id] = event["subject_name"]
    state.agency_of[subject_id] = event["agency"] or None
    status = rule.then.get("status")
    dimension = FACTS[rule.fact].dimension
    earlier = (state.result.statuses.get(subject_id) or {}).get(dimension or "")
    earlier_rule = earlier.get("rule") if isinstance(earlier, dict) else None
    if status and dimension:
        if dimension == "pace":
            state.pace_history.setdefault(subject_id, {})[event["period"]] = status
        key = (subject_id, dimension)
        previous = state.current.get(key)
        state.result.statuses.setdefault(subject_id, {
            "id": subject_id, "kind": "task" if event["subject_kind"] == "task" else "target",
            "name": event["subject_name"], "agency": event["agency"] or None})
        state.result.statuses[subject_id][dimension] = {
            "status": status, "period": event["period"] or None, "rule": rule.id,
            "explanation_vi": _explain(rule.explanation["vi"], event),
            "explanation_en": _explain(rule.explanation["en"], event),
            "expected": measure.details.get("expected")}
        entry = state.result.statuses[subject_id]
        notes: dict[str, Any] = {}
        if supersedes := _supersede(entry):
            notes["supersedes"] = supersedes
        if entry[dimension].get("superseded_by"):
            notes["superseded_by"] = entry[dimension]["superseded_by"]
            if dimension == "pace":  # a superseded pace is no lagging period to escalate
                state.pace_history[subject_id][event["period"]] = "superseded"
        if previous != status:
            state.current[key] = status
            state.result.outcomes.append(StatusChange(
                id=f"{subject_id}|{dimension}|{when.isoformat()}|{status}",
                subject=_subject(event), dimension=dimension, status=status,
                previous=previous, agency=event["agency"] or None,
                period=event["period"] or None, as_of=when.isoformat(),
                rule={"id": rule.id, "version": rule.version},
                facts=[f.id for f in measure.facts], thresholds=rule.thresholds,
                explanation_vi=_explain(rule.explanation["vi"], event),
                explanation_en=_explain(rule.explanation["en"], event),
                details={**measure.details, **notes} if notes else measure.details))
    if rule.then["action"] == "raise_alert":
        alert = _alert(firing, measure, when)
        if alert.id not in state.alert_ids:
            state.alert_ids.add(alert.id)
            state.result.outcomes.append(alert)
        elif rule.then.get("bucket") and earlier_rule != rule.id:
            # the task's one alert follows its age into the next bucket (a new version)
            state.result.outcomes.append(alert)


def judge(engine: Engine, state: EngineState, measures: list[Measure], when: date) -> None:
    """Judge ``measures`` on ``when`` and apply the firings to ``state``."""
    firings = engine.evaluate([m.event for m in measures])
    for firing in firings:
        _apply(state, firing, measures[int(firing.measure["id"][1:])], when)


def persist_outcomes(log: Any, outcomes: list[Alert | StatusChange]) -> int:
    """Append outcomes to the log (kinds ``alert`` / ``status_change``); returns how many were
    new (a replayed outcome is a duplicate: same key, same content)."""
    facts = [Fact(kind=o.kind if isinstance(o, StatusChange) else "alert", key=o.id,
                  payload=o.to_dict(), as_of=date.fromisoformat(o.as_of)) for o in outcomes]
    if not facts:
        return 0
    return sum(1 for r in log.append(facts, submitted_by="rules") if r.status != "duplicate")


def replay(log: Any, as_of: date | None = None, persist: bool = True,
           engine: Engine | None = None,
           progress: Callable[[date, int, int], None] | None = None) -> ReplayResult:
    """Replay ``log`` in date order up to ``as_of`` (default today); deterministic: start a
    ``RuleSession`` on the log and return what it produced.
    ``progress(date, step, total)`` is called after each evaluation date (for a progress bar)."""
    from rules.persist import reconcile
    from rules.session import RuleSession  # the session builds on this module's steps

    read_upto = log.last_seq()
    session = RuleSession.start(log, as_of, engine=engine, progress=progress)
    result = session.replay_result
    result.outcomes = latest_versions(result.outcomes)
    if persist:  # and withdraw what the log holds that this replay no longer concludes
        result.appended = reconcile(log, result.outcomes, session.clock, read_upto)
    return result


def _result_of(source: Any, as_of: date | None) -> ReplayResult:
    """A ``ReplayResult`` as given, a session's current result, or a fresh replay of a log."""
    if isinstance(source, ReplayResult):
        return source
    from rules.session import RuleSession

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
