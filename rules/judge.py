"""Judging measures (xét đánh giá): the engine's firings applied to the working state — a
status set per subject and dimension (the current one by ``STATUS_PRECEDENCE``), status changes
recorded when a status changes, alerts raised once (deterministic ids).

Used by the live session (``rules.session``) and so by every replay.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rules.engine import Engine, Firing
from rules.outcomes import Alert, StatusChange, Subject
from rules.results import STATUS_PRECEDENCE, ReplayResult, current_dimension
from rules.snapshot import source_of
from rules.subjects import Measure
from rules.vocabulary import FACTS, explain


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
