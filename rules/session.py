"""The engine's working state for one log (phiên luật): judge only what a new fact touches.

``RuleSession.start`` replays the log up to a clock date (``rules.replay.replay`` is exactly
that), judging each unit (``rules.units``: an indicator with its targets, reports and official
rows; a task with its updates) on its own change points (below), and keeps the facts, the
engine state and the units. Agencies and documents are read by every unit: a change to them
re-runs the whole session.

``assert_facts`` files the new versions under their units and re-judges only those units, on
a restricted snapshot (their facts + agencies + documents) with the same measure functions,
engine and ``_apply`` as the replay. A unit is judged on its *change points*: the dates its
facts become visible, its tasks' deadline thresholds, and — when it holds an indicator with a
lead agency — the report due dates and the dates reporting years open; between them its
judgement cannot change. Before a unit is first judged on a date its state is kept as a
checkpoint, so a fact arriving on the clock date replaces that date's judgement.

Backdated facts: when a new fact becomes visible before one of the unit's change points that
is earlier than the clock, the unit's state (statuses, pace history, alerts, status changes)
is dropped and the unit re-judged on all its change points up to the clock — also every
reporting indicator when a report opens, moves or closes a reporting year (its report dates
move). A unit re-judged from a date after its last change point continues from its state
before the clock; its clock checkpoint is then taken again. A re-judged unit's alerts
carry the dates a full replay gives them; alerts a unit raised on the incomplete log and no
longer raises leave the session's alert list. ``judge_facts`` says what changed —
outcomes added, revised (same id, other content) and withdrawn (no longer concluded) — so
the outcome store can follow (``rules.store``).
So the session's statuses and outcomes (alerts and status changes, content included) equal
those of a full replay of the same log.
A fact visible after the clock is filed but judged only when ``advance`` reaches its date.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from kg.log import StoredFact
from rules.duties import (
    TaskScale,
    lagging_measures,
    opens_reporting_year,
    report_deadlines,
    task_scale,
)
from rules.engine import Engine, get_engine
from rules.judge import EngineState, judge
from rules.loader import load_calendar
from rules.memo import Memo
from rules.outcomes import Alert, StatusChange
from rules.results import ReplayResult, closed_alerts, filter_alerts, status_rows
from rules.snapshot import (
    Snapshot,
    document_dates,
    take_snapshot,
    visible_from,
)
from rules.steps import build_measures, evaluation_dates, parents, task_dates
from rules.subjects import Measure, PctCheck, _period
from rules.units import FactKey, Units, unit_ids
from rules.vocabulary import FACTS

SHARED_KINDS = ("agency", "document")
FIRST_DAY = date.min + timedelta(days=1)  # always-visible facts count from date.min
Outcome = Alert | StatusChange
PCT_MEMO_LIMIT = 100_000
DIMENSIONS = tuple(sorted({spec.dimension for spec in FACTS.values() if spec.dimension}))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a pass judges (then as it was: a process
    that turned it off keeps it off). A pass's snapshots, measures and firings live through
    the whole pass, so the collector's young collections saw them survive and promoted them,
    and the promotions counted toward full collections of the whole process heap (a
    service's: the plan graph, the log — bench/RESULTS.md, "Judging cheaper"). They hold no
    reference cycles: reference counting frees them the moment the pass drops them, and
    whatever cyclic garbage a pass does make is collected once the collector runs again."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@dataclass
class Changes:
    """What one ``judge_facts`` / ``advance`` changed in the session's outcomes: ``added``
    (new ids, in judging order), ``revised`` (same id, other content: e.g. an alert now
    citing the new version of a report) and ``withdrawn`` (a re-judgement no longer concludes
    them; ``causes`` gives, per withdrawn id, the ids of the asserted facts of its unit)."""

    added: list[Outcome] = field(default_factory=list)
    revised: list[Outcome] = field(default_factory=list)
    withdrawn: list[Outcome] = field(default_factory=list)
    causes: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class _Checkpoint:
    """One unit's part of the engine state before its first judgement on ``when``."""

    when: date
    current: dict[tuple[str, str], str] = field(default_factory=dict)
    pace_history: dict[str, dict[str, str]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    agency_of: dict[str, str | None] = field(default_factory=dict)
    statuses: dict[str, dict[str, Any]] = field(default_factory=dict)
    outcomes: dict[str, Outcome] = field(default_factory=dict)


class RuleSession:
    """Current statuses and alerts of one log, kept up to date fact by fact (one writer)."""

    def __init__(self, engine: Engine, calendar: dict[str, Any], clock: date) -> None:
        self.engine, self.calendar, self.clock = engine, calendar, clock
        # the task thresholds of the engine's rule set (pinned with it, never the files')
        self.scale: TaskScale = task_scale(engine.book)
        # the session's own memo of % of plan checks (content-keyed: kept across a reset)
        self.pct_memo: Memo[PctCheck] = Memo(PCT_MEMO_LIMIT)
        # and of per-fact readings its snapshots share (``Snapshot.memo``; content-keyed too)
        self.readings: Memo[Any] = Memo(PCT_MEMO_LIMIT)
        self._reset()

    def _reset(self) -> None:
        """Forget every fact and judgement (engine, calendar, clock and memo stay)."""
        self.state = EngineState()
        self.state.result.rules = self.engine.book
        self.replay_result = self.state.result
        self._versions: dict[FactKey, list[StoredFact]] = {}
        # per (kind, key): the date each version becomes visible (None: always), as
        # ``visible_from`` says with the current document dates (dropped when they move)
        self._seen: dict[FactKey, list[date | None]] = {}
        self._shared: dict[str, dict[str, StoredFact]] = {k: {} for k in SHARED_KINDS}
        self._doc_dates: dict[str, date] = {}
        self.units = Units()
        self._subject_unit: dict[str, str] = {}
        self._outcomes: dict[str, Outcome] = {}
        self._checkpoints: dict[str, _Checkpoint] = {}
        self._years_cache: dict[date, list[int]] = {}
        self._opening: dict[int, date] = {}
        self._year_keys: dict[int, set[str]] = {}
        self._subject_outcomes: dict[str, set[str]] = {}
        self._own_points: dict[str, tuple[frozenset[date], bool]] = {}
        # outcome id → its outcome before the running ``judge_facts``/``advance`` touched it
        # (None: it did not exist); only the ids re-judged, so a write costs per unit
        self._before: dict[str, Outcome | None] = {}

    # -- building --------------------------------------------------------------------------

    @classmethod
    def start(cls, log: Any, as_of: date | None = None, engine: Engine | None = None,
              progress: Callable[[date, int, int], None] | None = None,
              sweep: bool = False, calendar: dict[str, Any] | None = None) -> RuleSession:
        """A full replay of ``log`` up to ``as_of`` (default today), kept as a session: every
        unit judged on its own change points. ``sweep=True`` judges every unit on every
        evaluation date of the log instead — the slow reference the per-unit replay must equal
        (tests check it on the Lạng Sơn data and on random logs). ``engine`` and ``calendar``
        default to the rule files as they are now; a live session passes its pinned ones."""
        session = cls(engine or get_engine(), calendar or load_calendar(), as_of or date.today())
        facts = list(log.read())
        session._file(facts)
        if sweep:
            session._sweep(facts, progress)
        else:
            session._replay_units(progress)
        session._before = {}
        return session

    def _replay_units(self, progress: Callable[[date, int, int], None] | None = None) -> None:
        reports = self._report_dates(self._opening_dates())
        plan = {root: sorted(d for d in self._change_points(root, reports)
                             if FIRST_DAY <= d < self.clock) + [self.clock]
                for root in self.units.roots()}
        self._run(plan, progress)
        self.units.merged.clear()

    def _sweep(self, facts: list[StoredFact],
               progress: Callable[[date, int, int], None] | None = None) -> None:
        dates = evaluation_dates(facts, self.clock, self.calendar, self.scale)
        for step, when in enumerate(dates, 1):
            if when == self.clock:
                self._checkpoints = {r: self._capture(r, when) for r in self.units.roots()}
            snap = take_snapshot(facts, when, self._doc_dates)
            self._judge(build_measures(snap, self.calendar, memo=self.pct_memo,
                                       scale=self.scale), when)
            self._judge(lagging_measures(snap, self.state.pace_history, parents(snap),
                                         self.state.names, self.state.agency_of), when)
            if progress:
                progress(when, step, len(dates))
        self.units.merged.clear()

    def _file(self, facts: Iterable[StoredFact]) -> dict[str, date]:
        """Index new fact versions; returns unit root → earliest date they are visible."""
        touched: dict[str, date] = {}
        for fact in facts:
            self._versions.setdefault((fact.kind, fact.key), []).append(fact)
            if fact.kind in SHARED_KINDS:
                self._shared[fact.kind][fact.key] = fact
                if fact.kind == "document":
                    self._own_points.clear()  # undated facts are dated by their document
                    self._seen.clear()
                    self._doc_dates = document_dates(
                        [v for vs in self._versions.values() for v in vs
                         if v.kind == "document"])
                    self._index_years(v for (k, _), vs in self._versions.items()
                                      if k == "observation" for v in vs)
                continue
            merges = self.units.unions
            root = self._union(unit_ids(fact))
            self.units.keys.setdefault(root, set()).add((fact.kind, fact.key))
            when = visible_from(fact, self._doc_dates) or date.min
            self._add_points(root, fact, when)
            if self.units.unions != merges:  # a union may have re-rooted a touched unit
                touched = self.units.rerooted(touched)
            touched[root] = min(when, touched.get(root, date.max))
            if fact.kind == "observation":
                self._index_years([fact], keep=True)
        return self.units.rerooted(touched)

    def _index_years(self, observations: Iterable[StoredFact], keep: bool = False) -> None:
        """File observation versions under their reporting year (năm báo cáo): the first date
        one of the year's observations is visible, and the keys with a version in that year
        (``keep=False`` rebuilds both, e.g. when document dates moved)."""
        if not keep:
            self._opening, self._year_keys = {}, {}
        self._years_cache.clear()
        for fact in observations:
            period = _period(fact.payload.get("period"))
            if period is None or not opens_reporting_year(fact, period.year, self._doc_dates):
                continue
            when = visible_from(fact, self._doc_dates) or date.min
            if when < self._opening.get(period.year, date.max):
                self._opening[period.year] = when
            self._year_keys.setdefault(period.year, set()).add(fact.key)

    def _union(self, units: list[str]) -> str:
        root, absorbed = self.units.union(units)
        for other in absorbed:
            self._checkpoints.pop(other, None)
            self._own_points.pop(other, None)
        if absorbed:
            self._own_points.pop(root, None)
        return root

    # -- judging ---------------------------------------------------------------------------

    def _judge(self, measures: list[Measure], when: date) -> None:
        for measure in measures:
            if measure.facts:
                subject = measure.event["subject_id"]
                root = self.units.find(unit_ids(measure.facts[0])[0])
                self._subject_unit[subject] = root
                self.units.subjects.setdefault(root, set()).add(subject)
        seen = len(self.state.result.outcomes)
        judge(self.engine, self.state, measures, when)
        for outcome in self.state.result.outcomes[seen:]:
            self._before.setdefault(outcome.id, self._outcomes.get(outcome.id))
            self._keep(outcome)

    def _keep(self, outcome: Outcome) -> None:
        self._outcomes[outcome.id] = outcome
        self._subject_outcomes.setdefault(outcome.subject.id, set()).add(outcome.id)

    def _snapshot(self, roots: Iterable[str], when: date) -> Snapshot:
        """The facts of ``roots`` (+ agencies and documents) visible on ``when``."""
        # agencies and documents are shared read-only (units add only their own kinds)
        snap = Snapshot(when, dict(self._shared), memo=self.readings)
        for root in roots:
            for kind, key in self.units.keys.get(root, ()):
                fact = self._visible(kind, key, when)
                if fact is not None:
                    snap.by_kind.setdefault(kind, {})[key] = fact
        return snap

    def _visible(self, kind: str, key: str, when: date) -> StoredFact | None:
        versions = self._versions[(kind, key)]
        dates = self._seen.get((kind, key))
        if dates is None or len(dates) != len(versions):  # a version filed since: read again
            dates = self._seen[(kind, key)] = [visible_from(f, self._doc_dates)
                                               for f in versions]
        for n in range(len(versions) - 1, -1, -1):
            seen = dates[n]
            if seen is None or seen <= when:
                return versions[n]
        return None

    def _years(self, when: date) -> list[int]:
        """Reporting years open on ``when``: years of the observations visible then (the
        latest visible version of each). Only years opened by ``when`` can count, and a year
        counts as soon as one of its keys shows a version of that year."""
        if when not in self._years_cache:
            self._years_cache[when] = [
                year for year, opened in sorted(self._opening.items())
                if opened <= when and any(self._year_of(key, when) == year
                                          for key in self._year_keys.get(year, ()))]
        return self._years_cache[when]

    def _year_of(self, key: str, when: date) -> int | None:
        fact = self._visible("observation", key, when)
        period = _period(fact.payload.get("period")) if fact else None
        return period.year if period else None

    def _judge_units(self, roots: set[str], when: date) -> None:
        if not roots:
            return
        if when == self.clock:  # only the clock date's checkpoint is ever restored
            for root in roots:
                if self._checkpoints.get(root, _Checkpoint(date.min)).when != when:
                    self._checkpoints[root] = self._capture(root, when)
        snap = self._snapshot(roots, when)
        self._judge(build_measures(snap, self.calendar, self._years(when), self.pct_memo,
                                   self.scale), when)
        history = {s: self.state.pace_history[s] for r in roots
                   for s in self.units.subjects.get(r, ()) if s in self.state.pace_history}
        self._judge(lagging_measures(snap, history, parents(snap), self.state.names,
                                     self.state.agency_of), when)

    # -- change points ---------------------------------------------------------------------

    def _opening_dates(self) -> dict[int, date]:
        """Reporting year → the first date one of its observations is visible (a copy of
        the index ``_file`` keeps)."""
        return dict(self._opening)

    def _report_dates(self, opening: dict[int, date]) -> set[date]:
        dates = set(opening.values())
        for _r, _code, _m, due in report_deadlines(self.calendar, sorted(opening)):
            dates.add(due + timedelta(days=1))
        return dates

    def _change_points(self, root: str, report_dates: set[date]) -> frozenset[date]:
        """Dates on which the judgement of ``root`` can change."""
        own = self._own_points.get(root)
        if own is None:
            own = self._own_points[root] = self._fact_points(root)
        dates, reports = own
        return dates | report_dates if reports else dates

    def _fact_points(self, root: str) -> tuple[frozenset[date], bool]:
        """The unit's own change points (its facts' dates, task thresholds) and whether it
        reports (an indicator with a lead agency) — kept until the unit or a document changes."""
        dates: set[date] = set()
        reports = False
        for kind, key in self.units.keys.get(root, ()):
            for fact in self._versions[(kind, key)]:
                dates.add(visible_from(fact, self._doc_dates) or date.min)
                dates.update(task_dates(fact, self.scale))
                reports = reports or (kind == "indicator" and bool(fact.payload.get("lead_agency")))
        return frozenset(dates), reports

    def _add_points(self, root: str, fact: StoredFact, when: date) -> None:
        """A new version filed under ``root``: its dates join the unit's kept change points
        (what ``_fact_points`` would find again, without re-reading every version)."""
        own = self._own_points.get(root)
        if own is None:
            return
        dates, reports = own
        new = {when, *task_dates(fact, self.scale)}
        self._own_points[root] = (
            dates if new <= dates else dates | new,
            reports or (fact.kind == "indicator" and bool(fact.payload.get("lead_agency"))))

    def _reporting_roots(self) -> set[str]:
        return {self.units.find(unit_ids(v[-1])[0]) for (kind, _k), v in self._versions.items()
                if kind == "indicator" and any(f.payload.get("lead_agency") for f in v)}

    # -- state of one unit -----------------------------------------------------------------

    def _capture(self, root: str, when: date) -> _Checkpoint:
        """The unit's part of the state (its subjects only: cost per unit, not per log)."""
        st, subjects = self.state, self.units.subjects.get(root, set())
        return _Checkpoint(
            when, {(s, d): st.current[(s, d)] for s in subjects for d in DIMENSIONS
                   if (s, d) in st.current},
            {s: dict(st.pace_history[s]) for s in subjects if s in st.pace_history},
            {s: st.names[s] for s in subjects if s in st.names},
            {s: st.agency_of[s] for s in subjects if s in st.agency_of},
            {s: dict(st.result.statuses[s]) for s in subjects if s in st.result.statuses},
            {i: self._outcomes[i] for s in subjects
             for i in self._subject_outcomes.get(s, ())})

    def _restore(self, root: str, point: _Checkpoint) -> None:
        st, subjects = self.state, self.units.subjects.get(root, set())
        for subject in subjects:
            for dimension in DIMENSIONS:
                st.current.pop((subject, dimension), None)
            for table in (st.pace_history, st.names, st.agency_of, st.result.statuses):
                table.pop(subject, None)
            for outcome_id in self._subject_outcomes.pop(subject, ()):
                self._before.setdefault(outcome_id, self._outcomes.pop(outcome_id))
                st.alert_ids.discard(outcome_id)
        st.current.update(point.current)
        st.pace_history.update({s: dict(h) for s, h in point.pace_history.items()})
        st.names.update(point.names)
        st.agency_of.update(point.agency_of)
        st.result.statuses.update({s: dict(e) for s, e in point.statuses.items()})
        for outcome in point.outcomes.values():
            self._keep(outcome)
        st.alert_ids.update(i for i, o in point.outcomes.items() if isinstance(o, Alert))

    # -- the public doors ------------------------------------------------------------------

    def assert_facts(self, facts: list[StoredFact]) -> list[Outcome]:
        """File new fact versions and re-judge the units they touch; the new outcomes."""
        return self.judge_facts(facts).added

    def judge_facts(self, facts: list[StoredFact]) -> Changes:
        """``assert_facts``, saying also which outcomes the re-judgement revised or withdrew."""
        if not facts:
            return Changes()
        self._before = {}
        if any(f.kind in SHARED_KINDS for f in facts):
            self._file(facts)
            return self._rerun_all(facts)
        opening = self._opening_dates()
        old_reports = self._report_dates(opening)
        old_points = {self.units.find(u): self._change_points(self.units.find(u), old_reports)
                      for f in facts for u in unit_ids(f) if self.units.find(u) in self.units.keys}
        touched = self._file(facts)
        new_opening = self._opening_dates()
        old_by_root: dict[str, set[date]] = {}
        for unit, dates in old_points.items():  # units may have merged while filing
            old_by_root.setdefault(self.units.find(unit), set()).update(dates)
        if new_opening != opening:  # a reporting year opened, moved or closed
            moved = [d for y, d in new_opening.items() if opening.get(y) != d] + [
                d for y, d in opening.items() if y not in new_opening]
            for root in self._reporting_roots():
                touched[root] = min([touched.get(root, date.max), *moved])
                # judged on its old points from there on: re-judged from scratch, not on top
                # of its later state (which made A → B → A status histories)
                old_by_root.setdefault(root, set()).update(
                    self._change_points(root, old_reports))
        new_reports = self._report_dates(new_opening)
        plan: dict[str, list[date]] = {}
        for root, since in touched.items():
            if since > self.clock:
                continue
            points = self._change_points(root, new_reports)
            old = old_by_root.get(root, set())
            if root in self.units.merged or any(since <= d < self.clock for d in old):
                self.units.merged.discard(root)
                self._restore(root, _Checkpoint(date.min))
                self._checkpoints.pop(root, None)
                since = date.min
            elif (point := self._checkpoints.get(root)) and point.when == self.clock:
                self._restore(root, point)
                if since < self.clock:  # judged before the clock now: the checkpoint is
                    del self._checkpoints[root]  # taken again when the clock's turn comes
            first = max(since, FIRST_DAY)
            plan[root] = sorted(d for d in points if first <= d < self.clock) + [self.clock]
        self._run(plan)
        return self._changes(facts)

    def _changes(self, facts: list[StoredFact]) -> Changes:
        """Compare the re-judged ids with what they were before (``_before``)."""
        changes = Changes()
        for outcome_id, old in self._before.items():
            new = self._outcomes.get(outcome_id)
            if old is None:
                if new is not None:
                    changes.added.append(new)
            elif new is None:
                changes.withdrawn.append(old)
                changes.causes[outcome_id] = self._causes(old, facts)
            elif new is not old and new != old:
                changes.revised.append(new)
        self._before = {}
        return changes

    def _causes(self, outcome: Outcome, facts: list[StoredFact]) -> list[str]:
        """The asserted facts of the outcome's unit (all of them when none is: a shared fact
        or a reporting year that opened re-judged it)."""
        unit = self._subject_unit.get(outcome.subject.id)
        root = self.units.find(unit) if unit else None
        own = [f.id for f in facts
               if root and any(self.units.find(u) == root for u in unit_ids(f))]
        return own or [f.id for f in facts]

    def _run(self, plan: dict[str, list[date]],
             progress: Callable[[date, int, int], None] | None = None) -> None:
        by_date: dict[date, set[str]] = {}
        for root, dates in plan.items():
            for when in dates:
                by_date.setdefault(when, set()).add(root)
        with _collector_paused():
            for step, when in enumerate(sorted(by_date), 1):
                self._judge_units(by_date[when], when)
                if progress:
                    progress(when, step, len(by_date))

    def _rerun_all(self, asserted: list[StoredFact]) -> Changes:
        """Agencies or documents changed: every unit may depend on them; replay afresh."""
        old = self._outcomes
        facts = sorted((v for vs in self._versions.values() for v in vs), key=lambda f: f.seq)
        self._reset()
        self._file(facts)
        self._replay_units()
        self._before = {i: old.get(i) for i in self._outcomes}
        self._before.update((i, o) for i, o in old.items() if i not in self._outcomes)
        return self._changes(asserted)

    def advance(self, to_date: date) -> list[Outcome]:
        """Move the clock to ``to_date``, judging the units whose change points fall between
        (facts becoming visible, deadline thresholds, report due dates), then every task on
        ``to_date`` (its days overdue / to due); the new outcomes."""
        return self.advance_changes(to_date).added

    def advance_changes(self, to_date: date) -> Changes:
        """``advance``, as ``Changes`` (judging later dates only adds; the type is shared)."""
        if to_date <= self.clock:
            return Changes()
        self._before = {}
        reports = self._report_dates(self._opening_dates())
        plan: dict[str, list[date]] = {}
        for root in self.units.roots():
            dates = [d for d in self._change_points(root, reports) if self.clock < d <= to_date]
            if root.startswith("t:"):
                dates.append(to_date)
            if dates:
                plan[root] = sorted(set(dates))
        self.clock = to_date
        self._run(plan)
        return self._changes([])

    def result(self) -> ReplayResult:
        """What a replay of the log up to the clock gives: outcomes by date, statuses."""
        outcomes = sorted(self._outcomes.values(), key=lambda o: o.as_of)
        return ReplayResult(outcomes=outcomes,
                            statuses={s: dict(e) for s, e in self.state.result.statuses.items()},
                            rules=self.engine.book)

    def statuses(self) -> dict[str, dict[str, Any]]:
        """Status entries per subject and dimension (as ``ReplayResult.statuses``)."""
        return self.result().statuses

    def current_statuses(self) -> list[dict[str, Any]]:
        """One row per target and task (as ``rules.replay.current_statuses``)."""
        return status_rows(self.state.result.statuses)

    def alerts(self, agency: str | None = None, kind: str | None = None) -> list[dict[str, Any]]:
        """Alerts up to the clock, optionally for one agency (lead or supervisor) or kind; a
        superseded one marked ``superseded_by`` (``rules.replay.closed_alerts``)."""
        return filter_alerts([a.to_dict() for a in closed_alerts(self.result())], agency, kind)

