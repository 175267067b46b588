"""The registered actions (hành động của luật): what a rule's ``then.action`` does.

A rule file names its action; the loader refuses a name not registered here (``ACTIONS``) or a
rule missing what the action needs (``action_needs``). durable_rules decides which rules fire on
which facts of a unit; these functions only carry out a firing's conclusion — set the status the
rule names, raise the alert it names, record a status change, escalate — on the working state.
They decide nothing the rule did not say: which alert, which status and when come from the rule
files (the status-change rule, the escalation's sequence of lagging periods included).

An action gets the judgement (``Judging``: the state, the date, the measures) and the firing.
``Judging.derive`` adds a fact to the unit's state and runs the rules it wakes (chaining): a
status set derives a ``status_set`` fact, on which ``status.changed`` (rules/definitions/
status.yaml) decides whether a status change is recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rules.engine import Firing
from rules.loader import Rule
from rules.measures import lagging_streak
from rules.outcomes import Alert, StatusChange, Subject
from rules.results import STATUS_PRECEDENCE, ReplayResult, current_dimension
from rules.snapshot import source_of
from rules.subjects import Measure
from rules.vocabulary import ACTIONS as ACTION_NAMES
from rules.vocabulary import FACTS, STATUSES, count_en, explain


@dataclass
class EngineState:
    """The engine's working state: current statuses, alert ids, pace history, names."""

    current: dict[tuple[str, str], str] = field(default_factory=dict)
    alert_ids: set[str] = field(default_factory=set)
    pace_history: dict[str, dict[str, str]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    agency_of: dict[str, str | None] = field(default_factory=dict)
    result: ReplayResult = field(default_factory=ReplayResult)
    # period histories as frozen facts, by content (shared by the subjects with that history;
    # a cache, never checkpointed: the same content always gives the same facts)
    frozen: dict[tuple[tuple[str, str], ...], list[dict[str, Any]]] = field(
        default_factory=dict)
    # the ``status`` facts (dimension, status) as frozen facts, shared likewise (a cache)
    held: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)


@dataclass
class Judging:
    """One judgement in progress: the state, the date, the measures judged (by index), and
    ``derive`` — add a fact to the unit's state and apply what the rules conclude on it."""

    state: EngineState
    when: date
    measures: list[Measure]
    derive: Callable[[Judging, dict[str, Any], dict[str, Any]], None]
    origin: dict[str, Any] = field(default_factory=dict)

    def measure(self, firing: Firing) -> Measure:
        """The measure a firing is about (its index among the judged measures)."""
        return self.measures[firing.measure["n"]]


Action = Callable[[Judging, Firing], None]


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


def alert_id(rule: Rule, event: dict[str, Any]) -> str:
    """An alert's id: the rule's alert kind, the subject and the period (deterministic)."""
    return ":".join([rule.then["alert"], event["subject_id"], event["period"] or "-"])


Texts = tuple[str, str]
"""A rule's explanation filled from one event: (vi, en)."""


def explained(rule: Rule, event: dict[str, Any]) -> Texts:
    return explain(rule.explanation["vi"], event), explain(rule.explanation["en"], event)


def make_alert(firing: Firing, measure: Measure, when: date, texts: Texts | None = None
               ) -> Alert:
    """The alert a firing raises: id from the rule's alert kind, the subject and the period
    (deterministic), explanation filled from the measure's fields (``texts``: already filled
    from them, by the status the same firing set)."""
    rule, event = firing.rule, measure.event
    bucket = rule.then.get("bucket")  # an attribute: one overdue task has one alert
    vi, en = texts or explained(rule, event)
    return Alert(
        id=alert_id(rule, event), kind=rule.then["alert"], severity=rule.severity,
        subject=_subject(event), agency=event["agency"] or None,
        period=event["period"] or None, as_of=when.isoformat(),
        rule={"id": rule.id, "version": rule.version},
        facts=[f.id for f in measure.facts], thresholds=rule.thresholds,
        explanation_vi=vi, explanation_en=en,
        sources=_sources(measure), chain=measure.chain,
        status=rule.then.get("status"), details={**measure.details, "bucket": bucket},
    )


def supersede(entry: dict[str, Any]) -> list[dict[str, Any]]:
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


def set_status(ctx: Judging, firing: Firing) -> None:
    """Set the status the rule names on its subject's dimension (one current status by
    ``STATUS_PRECEDENCE``; the period's status kept in the period history), then derive the
    ``status_set`` fact: the status-change rule decides whether a change is recorded."""
    _set_status(ctx, firing)


def _set_status(ctx: Judging, firing: Firing) -> Texts | None:
    """``set_status``; the explanation it filled (None: the rule's fact rates no dimension),
    which an alert or a status change of the same firing and measure repeats."""
    rule, measure = firing.rule, ctx.measure(firing)
    event, state = measure.event, ctx.state
    subject_id = event["subject_id"]
    state.names[subject_id] = event["subject_name"]
    state.agency_of[subject_id] = event["agency"] or None
    status, dimension = rule.then["status"], FACTS[rule.fact].dimension
    if dimension is None:
        return None
    if dimension == "pace":
        state.pace_history.setdefault(subject_id, {})[event["period"]] = status
    entry = state.result.statuses.setdefault(subject_id, {
        "id": subject_id, "kind": "task" if event["subject_kind"] == "task" else "target",
        "name": event["subject_name"], "agency": event["agency"] or None})
    texts = explained(rule, event)
    entry[dimension] = {
        "status": status, "period": event["period"] or None, "rule": rule.id,
        "explanation_vi": texts[0], "explanation_en": texts[1],
        "expected": measure.details.get("expected")}
    notes: dict[str, Any] = {}
    if supersedes := supersede(entry):
        notes["supersedes"] = supersedes
    if entry[dimension].get("superseded_by"):
        notes["superseded_by"] = entry[dimension]["superseded_by"]
        if dimension == "pace":  # a superseded pace is no lagging period to escalate
            state.pace_history[subject_id][event["period"]] = "superseded"
    ctx.derive(ctx, {"kind": "status_set", "subject_id": subject_id, "dimension": dimension,
                     "status": status},
               {"firing": firing, "measure": measure, "notes": notes, "texts": texts})
    return texts


def record_status_change(ctx: Judging, firing: Firing) -> None:
    """Record the change ``status.changed`` found (the status set differs from the one held
    before): dated, citing the rule that set the status and its measure."""
    origin, new = ctx.origin, firing.measure
    rule, measure, notes = origin["firing"].rule, origin["measure"], origin["notes"]
    event, dimension, status = measure.event, new["dimension"], new["status"]
    subject_id = event["subject_id"]
    previous = ctx.state.current.get((subject_id, dimension))
    ctx.state.current[(subject_id, dimension)] = status
    ctx.state.result.outcomes.append(StatusChange(
        id=f"{subject_id}|{dimension}|{ctx.when.isoformat()}|{status}",
        subject=_subject(event), dimension=dimension, status=status,
        previous=previous, agency=event["agency"] or None,
        period=event["period"] or None, as_of=ctx.when.isoformat(),
        rule={"id": rule.id, "version": rule.version},
        facts=[f.id for f in measure.facts], thresholds=rule.thresholds,
        explanation_vi=origin["texts"][0], explanation_en=origin["texts"][1],
        details={**measure.details, **notes} if notes else measure.details))


def _emits(ctx: Judging, rule: Rule, event: dict[str, Any], renew: bool) -> bool:
    """Whether the alert of ``rule`` on ``event`` would be appended (``_emit``): one raised
    already and not renewed is not built at all."""
    return renew or alert_id(rule, event) not in ctx.state.alert_ids


def _emit(ctx: Judging, alert: Alert, renew: bool) -> None:
    """An alert is raised once (its id); ``renew`` appends a new version of a raised one."""
    if alert.id not in ctx.state.alert_ids:
        ctx.state.alert_ids.add(alert.id)
        ctx.state.result.outcomes.append(alert)
    elif renew:
        ctx.state.result.outcomes.append(alert)


def _sequence_measure(firing: Firing, measure: Measure, periods: list[str]) -> Measure:
    """A period-history measure narrowed to ``periods`` (oldest first): the reports of those
    periods are the alert's evidence."""
    reports = measure.details["reports"]
    return Measure(measure.event, [reports[c] for c in periods if c in reports], [],
                   {"periods": periods, "supervisor": measure.details["supervisor"]})


def raise_alert(ctx: Judging, firing: Firing) -> None:
    """Raise the alert the rule names (setting its status first when it names one). An
    overdue task's one alert follows its age: a rule with a ``bucket`` renews it when the
    rule that set the task's status changes. A rule on a sequence of periods cites the reports
    of those periods."""
    rule, measure = firing.rule, ctx.measure(firing)
    dimension = FACTS[rule.fact].dimension
    earlier = (ctx.state.result.statuses.get(measure.event["subject_id"]) or {}).get(
        dimension or "")
    earlier_rule = earlier.get("rule") if isinstance(earlier, dict) else None
    texts = _set_status(ctx, firing) if rule.then.get("status") else None
    renew = bool(rule.then.get("bucket")) and earlier_rule != rule.id
    if not _emits(ctx, rule, measure.event, renew):
        return
    if rule.sequence is not None:  # the narrowed measure keeps the event (and its texts)
        bound = [firing.facts[f"{rule.sequence.name}{i}"]["period"]
                 for i in range(rule.sequence.length)]
        measure = _sequence_measure(firing, measure, bound[::-1])
    _emit(ctx, make_alert(firing, measure, ctx.when, texts), renew)


def escalate(ctx: Judging, firing: Firing) -> None:
    """Escalate to the supervising body: the rule's sequence found the latest periods lagging;
    the alert names how many periods in a row lag (the run the sequence starts, followed back
    through the history while the statuses stay those the sequence accepts) and cites their
    reports."""
    rule, measure = firing.rule, ctx.measure(firing)
    if not _emits(ctx, rule, measure.event, False):  # the narrowed event keeps its id
        return
    seq = rule.sequence
    accepted = next((c.value for c in seq.when if c.field == "status" and c.op == "in"), None) \
        if seq is not None else None
    history = measure.details["history"]  # (period, status), oldest first
    run = lagging_streak([s for _c, s in history], tuple(accepted or ()))
    periods = [c for c, _s in history[len(history) - run:]]
    event = {**measure.event, "periods": run, "periods_en": count_en(run, "period")}
    narrowed = _sequence_measure(firing, Measure(event, measure.facts, measure.chain,
                                                 measure.details), periods)
    _emit(ctx, make_alert(firing, narrowed, ctx.when), False)


ACTIONS: dict[str, Action] = {
    "set_status": set_status,
    "raise_alert": raise_alert,
    "record_status_change": record_status_change,
    "escalate": escalate,
}
"""The registered actions (labels in ``rules.vocabulary.ACTIONS``)."""

if set(ACTIONS) != set(ACTION_NAMES):  # the loader checks rule files against ACTION_NAMES
    raise RuntimeError(f"actions registered {sorted(ACTIONS)} ≠ declared {sorted(ACTION_NAMES)}")


def status_label(dimension: str, status: str) -> tuple[str, str]:
    """A status in words (vi lower-case, en) for an explanation; the code when unlabelled."""
    label = STATUSES.get(dimension, {}).get(status)
    return (label.vi.lower(), label.en) if label else (status, status)
