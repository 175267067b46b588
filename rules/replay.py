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
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from kg.log import Fact, StoredFact
from rules.duties import (
    report_deadlines,
    report_measures,
    reported_verdict_checks,
    task_measures,
    task_scale,
)
from rules.engine import Engine, Firing
from rules.filters import alert_concerns
from rules.outcomes import Alert, StatusChange, Subject
from rules.snapshot import (
    Snapshot,
    as_date,
    document_dates,
    source_of,
    visible_from,
)
from rules.subjects import (
    Measure,
    level_measures,
    pace_measures,
    pct_checks,
    progress_measures,
    verdict_checks,
    verdict_measures,
)
from rules.vocabulary import FACTS, STATUSES, explain


@dataclass
class ReplayResult:
    """What a replay produced: outcomes in time order and the final status per subject."""

    outcomes: list[Alert | StatusChange] = field(default_factory=list)
    statuses: dict[str, dict[str, Any]] = field(default_factory=dict)
    appended: int = 0

    @property
    def alerts(self) -> list[Alert]:
        """The alerts as raised (and persisted); ``closed_alerts`` marks the superseded ones."""
        return [o for o in self.outcomes if isinstance(o, Alert)]

    @property
    def changes(self) -> list[StatusChange]:
        return [o for o in self.outcomes if isinstance(o, StatusChange)]


@dataclass
class EngineState:
    """The engine's working state: current statuses, alert ids, pace history, names."""

    current: dict[tuple[str, str], str] = field(default_factory=dict)
    alert_ids: set[str] = field(default_factory=set)
    pace_history: dict[str, dict[str, str]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    agency_of: dict[str, str | None] = field(default_factory=dict)
    result: ReplayResult = field(default_factory=ReplayResult)


def task_dates(fact: StoredFact) -> list[date]:
    """The deadline threshold dates of a task fact (none without a deadline): the days around
    its deadline on which its judgement can change (``TaskScale.offsets``, from tasks.yaml)."""
    deadline = as_date(fact.payload.get("deadline")) if fact.kind == "task" else None
    return [deadline + timedelta(days=d) for d in task_scale().offsets] if deadline else []


def evaluation_dates(facts: list[StoredFact], as_of: date, calendar: dict[str, Any]) -> list[date]:
    """Every date on which the answer can change, up to ``as_of``."""
    doc_dates = document_dates(facts)
    dates = {as_of}
    for fact in facts:
        when = visible_from(fact, doc_dates)
        if when:
            dates.add(when)
        dates.update(task_dates(fact))
    years = sorted({d.year for d in dates})
    dates.update(due + timedelta(days=1) for _r, _c, _m, due in report_deadlines(calendar, years))
    return sorted(d for d in dates if d <= as_of)


def build_measures(snap: Snapshot, calendar: dict[str, Any],
                   years: list[int] | None = None) -> list[Measure]:
    """Every measure of a snapshot (``years``: the reporting cycles, see ``report_measures``)."""
    return (verdict_measures(snap) + verdict_checks(snap) + pace_measures(snap)
            + level_measures(snap) + progress_measures(snap) + pct_checks(snap)
            + task_measures(snap) + report_measures(snap, calendar, years)
            + reported_verdict_checks(snap))


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


STATUS_PRECEDENCE = ("verdict", "task", "level", "pace", "progress")
"""Which dimension's status is a subject's one current status (thứ tự ưu tiên trạng thái): the
verdict on a whole-period figure or estimate (latest evidence: the period's end) replaces the
level or pace of a part of the period; a level and a pace never meet on one target (a target is
judged by its measure kind); the multi-year progress comes last. The others stay in the entry
marked ``superseded_by`` (and in the history of status changes)."""


def current_dimension(entry: dict[str, Any]) -> str | None:
    """The dimension holding the subject's current status (``STATUS_PRECEDENCE``)."""
    return next((d for d in STATUS_PRECEDENCE if isinstance(entry.get(d), dict)
                 and entry[d].get("status")), None)


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


def parents(snap: Snapshot) -> dict[str, str | None]:
    """Agency → its parent agency (the supervisor an escalation names)."""
    return {a.key: a.payload.get("parent") for a in snap.all("agency")}


def persist_outcomes(log: Any, outcomes: list[Alert | StatusChange]) -> int:
    """Append outcomes to the log (kinds ``alert`` / ``status_change``); returns how many were
    new (a replayed outcome is a duplicate: same key, same content)."""
    facts = [Fact(kind=o.kind if isinstance(o, StatusChange) else "alert", key=o.id,
                  payload=o.to_dict(), as_of=date.fromisoformat(o.as_of)) for o in outcomes]
    if not facts:
        return 0
    return sum(1 for r in log.append(facts, submitted_by="rules") if r.status != "duplicate")


def latest_versions(outcomes: list[Alert | StatusChange]) -> list[Alert | StatusChange]:
    """One outcome per id, its latest version, where that version was produced (an overdue
    alert is renewed when its task moves to the next age bucket)."""
    last = {o.id: i for i, o in enumerate(outcomes)}
    return [o for i, o in enumerate(outcomes) if last[o.id] == i]


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


def _status_label(dimension: str | None, status: str | None) -> dict[str, str] | None:
    """The status as its own dimension names it ("Mức hiện tại chưa đạt mục tiêu" for a level
    at risk, "Có nguy cơ chậm" for a pace): one code, several dimensions."""
    label = STATUSES.get(dimension or "", {}).get(status or "")
    return {"vi": label.vi, "en": label.en} if label else None


def status_rows(statuses: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per target and task from a result's statuses (see ``current_statuses``): ONE
    current status (``status``, of ``dimension``, by ``STATUS_PRECEDENCE``), its explanation,
    the verdict when there is one, and the statuses it superseded."""
    rows = []
    for subject_id, entry in sorted(statuses.items()):
        dimension = current_dimension(entry)
        main = entry[dimension] if dimension else {}
        verdict = entry.get("verdict") or {}
        rows.append({
            "id": subject_id, "kind": entry["kind"], "name": entry["name"],
            "period": main.get("period") or verdict.get("period"),
            "status": main.get("status"), "dimension": dimension,
            "status_label": _status_label(dimension, main.get("status")),
            "verdict": verdict.get("status"),
            "expected": verdict.get("expected"), "agency": entry["agency"],
            "explanation": main.get("explanation_vi"),
            "explanation_en": main.get("explanation_en"),
            "superseded": [{"dimension": d, "status": entry[d]["status"],
                            "period": entry[d].get("period")}
                           for d in STATUS_PRECEDENCE if d != dimension
                           and isinstance(entry.get(d), dict) and entry[d].get("status")],
        })
    return rows


def superseding(alert: Alert, statuses: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """What closed an alert: an alert that set a status is open only while that status (same
    rule, period and status) is its subject's current one; otherwise the current status that
    superseded it. Alerts without a status (missing reports, discrepancies, data quality,
    escalations) stay open (None)."""
    if not alert.status:
        return None
    entry = statuses.get(alert.subject.id) or {}
    dimension = current_dimension(entry)
    now = entry.get(dimension) if dimension else None
    if now is None or (now["status"] == alert.status and now["rule"] == alert.rule["id"]
                       and (now.get("period") or None) == alert.period):
        return None
    return {"dimension": dimension, "status": now["status"], "period": now.get("period"),
            "rule": now["rule"]}


def _closed(alert: Alert, statuses: dict[str, dict[str, Any]]) -> Alert:
    by = superseding(alert, statuses)
    return alert if by == alert.superseded_by else replace(alert, superseded_by=by)


def closed_alerts(result: ReplayResult) -> list[Alert]:
    """A result's alerts as shown to people: each marked ``superseded_by`` (closed, no longer
    an open alert) when the status it set is no longer its subject's current status. The log
    keeps them as raised."""
    return [_closed(a, result.statuses) for a in result.alerts]


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


def filter_alerts(rows: list[dict[str, Any]], agency: str | None = None,
                  kind: str | None = None) -> list[dict[str, Any]]:
    return [a for a in rows if (agency is None or alert_concerns(a, agency))
            and (kind is None or a["kind"] == kind)]


def summarize(outcomes: list[Alert | StatusChange]) -> dict[str, dict[str, int]]:
    """Counts of alerts by kind and by agency (for the demo's summary)."""
    by_kind: dict[str, int] = {}
    by_agency: dict[str, int] = {}
    for alert in (o for o in outcomes if isinstance(o, Alert)):
        by_kind[alert.kind] = by_kind.get(alert.kind, 0) + 1
        by_agency[alert.agency or "—"] = by_agency.get(alert.agency or "—", 0) + 1
    return {"by_kind": dict(sorted(by_kind.items())),
            "by_agency": dict(sorted(by_agency.items(), key=lambda kv: (-kv[1], kv[0])))}
