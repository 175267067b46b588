"""Measures for duties (nghĩa vụ): tasks and their deadlines, reports due by the calendar,
and consecutive lagging periods (for escalation)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from kg.agencies import AGENCY_KINDS
from kg.extract.progress import continuing_directive
from kg.log import StoredFact
from rules import measures as ms
from rules.loader import Rule, RuleBook, load_rules
from rules.reporting import basis_text
from rules.snapshot import Snapshot, as_date, document_dates
from rules.subjects import (
    Measure,
    _base,
    _choose,
    _period,
    _row_verdict,
    agency_words,
    day_words,
    indicator_info,
    pace_groups,
    responsible_agency,
    verdict_check_fields,
)
from rules.vocabulary import STATUSES, count_en

COMPLETED_WORDS = ("completed", "done", "hoàn thành")


@dataclass(frozen=True)
class TaskScale:
    """The task thresholds the rule file declares (``rules/definitions/tasks.yaml``): the
    warning window before a deadline and the overdue age buckets (name, first day, last day).
    Read from the rules themselves, so Python holds no task threshold."""

    due_soon_days: int
    buckets: tuple[tuple[str, int, int | None], ...]

    def bucket(self, days_overdue: int) -> str | None:
        """The age bucket of ``days_overdue`` (None when not overdue)."""
        for name, first, last in self.buckets:
            if days_overdue >= first and (last is None or days_overdue <= last):
                return name
        return None

    @property
    def offsets(self) -> tuple[int, ...]:
        """Days around a deadline on which a task's judgement can change: the warning window
        opens, the deadline, and the first day of each age bucket."""
        return tuple(sorted({-self.due_soon_days, 0, *(first for _n, first, _l in self.buckets)}))


def _bounds(rule: Rule, name: str) -> tuple[int | None, int | None]:
    low = high = None
    for cond in rule.when:
        if cond.field != name:
            continue
        value = int(cond.value)
        if cond.op in ("gte", "gt"):
            low = value + (cond.op == "gt")
        elif cond.op in ("lte", "lt"):
            high = value - (cond.op == "lt")
    return low, high


def task_scale(book: RuleBook | None = None) -> TaskScale:
    """The task thresholds of ``book`` (default: the rule files in force)."""
    if book is None:
        return _default_scale()
    rules = [r for r in book.rules if r.fact == "task"]
    buckets = []
    for rule in rules:
        if rule.then.get("bucket"):
            first, last = _bounds(rule, "days_overdue")
            buckets.append((rule.then["bucket"], first or 1, last))
    window = [_bounds(r, "days_to_due")[1] for r in rules if r.then.get("status") == "due_soon"]
    return TaskScale(int(window[0]) if window and window[0] is not None else 0,
                     tuple(sorted(buckets, key=lambda b: b[1])))


def bucket_labels() -> dict[str, str]:
    """Overdue ageing buckets (tuổi quá hạn) → their Vietnamese heading ("Quá hạn 31–90
    ngày"), from the scale in tasks.yaml."""
    labels = {}
    for name, first, last in task_scale().buckets:
        if name == "not_overdue":
            continue
        labels[name] = f"Quá hạn {first}–{last} ngày" if last else f"Quá hạn > {first - 1} ngày"
    return labels


@cache
def _default_scale() -> TaskScale:
    return task_scale(load_rules())


@dataclass(frozen=True)
class Completion:
    """What the latest visible update says: done or not, the date it counts as done (the date
    the source states, else the date of the report recording it), whether that date is stated."""

    done: date | None
    date_known: bool
    reported: date | None
    update: StoredFact | None


def _update_date(update: StoredFact) -> date | None:
    return as_date(update.payload.get("as_of")) or update.as_of


def completion(snap: Snapshot, task_id: str) -> Completion:
    """The task's completion according to its latest visible update (by its date)."""
    updates = [u for u in snap.with_field("task_update", "task", task_id)
               + snap.with_field("task_update", "task_id", task_id)
               if (u.payload.get("task") or u.payload.get("task_id")) == task_id]
    if not updates:
        return Completion(None, False, None, None)
    update = max(updates, key=lambda u: (_update_date(u) or date.min, u.seq))
    up, reported = update.payload, _update_date(update)
    if str(up.get("status") or "").lower() not in COMPLETED_WORDS:
        return Completion(None, False, reported, update)
    stated = as_date(up.get("completed_on") or up.get("completed_at"))
    return Completion(stated or reported, stated is not None, reported or stated, update)


def completion_date(snap: Snapshot, task_id: str) -> tuple[date | None, StoredFact | None]:
    """When the latest visible update says the task was completed (None: still open)."""
    done = completion(snap, task_id)
    return done.done, done.update


def is_continuing(task: dict[str, Any]) -> bool:
    """A continuing directive (nhiệm vụ thường xuyên): the task's ``continuing`` field when the
    data says, else inferred from its wording (``kg.extract.progress.continuing_directive``)."""
    if isinstance(task.get("continuing"), bool):
        return bool(task["continuing"])
    if task.get("condition"):
        return False
    return continuing_directive(str(task.get("summary") or ""), task.get("target"))


def task_measures(snap: Snapshot, scale: TaskScale | None = None) -> list[Measure]:
    scale = scale or task_scale()
    out = []
    for task in snap.all("task"):
        tp = task.payload
        due = as_date(tp.get("deadline"))
        done = completion(snap, task.key)
        continuing = is_continuing(tp)
        timing = ms.task_timing(due, bool(tp.get("condition")), done.done, snap.as_of)
        if continuing and not timing.completed:  # a standing directive has no date to miss
            timing = ms.task_timing(None, False, None, snap.as_of)
        event = _base(snap, "task", task.key, str(tp.get("summary") or task.key), "task",
                      due.isoformat() if due else None, tp.get("lead_agency"))
        since = (due + timedelta(days=1)).isoformat() if due and timing.days_overdue else "—"
        event.update(completed=timing.completed, has_due=timing.has_due,
                     conditional=bool(tp.get("condition")), days_late=timing.days_late,
                     days_overdue=timing.days_overdue, days_to_due=timing.days_to_due,
                     days_late_en=count_en(timing.days_late, "day"),
                     days_overdue_en=count_en(timing.days_overdue, "day"),
                     **_days_left(timing),
                     deadline=str(tp.get("deadline_text") or day_words(tp.get("deadline"))),
                     continuing=continuing, completed_date_known=done.date_known,
                     completed_reported=day_words(done.reported),
                     overdue_since=day_words(since))
        used = [task] + ([done.update] if done.update else [])
        details = {"bucket": scale.bucket(timing.days_overdue),
                   "days_overdue": timing.days_overdue, "overdue_since": since,
                   "deadline": tp.get("deadline"), "deadline_text": tp.get("deadline_text"),
                   "deadline_source": _deadline_source(task),
                   "continuing": continuing, "lead_implied": bool(tp.get("lead_implied"))}
        out.append(Measure(event, used, [], details))
    return out


def _days_left(timing: ms.TaskTiming) -> dict[str, str]:
    """Time left to an open task's deadline in words: "còn 14 ngày" / "14 days left", or on
    the deadline itself "đến hạn hôm nay" / "due today"."""
    if timing.has_due and not timing.completed and timing.days_to_due == 0 \
            and timing.days_overdue == 0:
        return {"days_left_vi": "đến hạn hôm nay", "days_left_en": "due today"}
    return {"days_left_vi": f"còn {timing.days_to_due} ngày",
            "days_left_en": f"{count_en(timing.days_to_due, 'day')} left"}


def _deadline_source(task: StoredFact) -> dict[str, Any] | None:
    """Where the deadline is written: the task's ``deadline_source`` (a section heading such
    as "Nhiệm vụ trọng tâm quý IV") when the data gives one, else the task's own source."""
    src = task.payload.get("deadline_source")
    if isinstance(src, dict) and src.get("quote"):
        return {"fact": task.id, "doc": str(src.get("doc")), "line": src.get("line"),
                "quote": src["quote"], "role": "deadline"}
    if task.source is None:
        return None
    return {"fact": task.id, "doc": task.source.doc, "line": task.source.line,
            "quote": task.source.quote, "role": "deadline"}


def _due_date(report: dict[str, Any], year: int, month: int) -> date:
    due = report["due"]
    if "day_of_next_month" in due:
        first_next = date(year + month // 12, month % 12 + 1, 1)
        return first_next + timedelta(days=int(due["day_of_next_month"]) - 1)
    return date(year + int(due.get("year_offset", 0)), int(due["month"]), int(due["day"]))


def report_deadlines(calendar: dict[str, Any], years: list[int]
                     ) -> list[tuple[dict[str, Any], str, int, date]]:
    """(report, period code, report month, due date) for every enabled report of ``years``."""
    out = []
    for report in calendar.get("reports", []):
        if not report.get("applies_to"):
            continue
        for year in years:
            for month in report["months"]:
                code = report["period"].format(m=month, y=year)
                out.append((report, code, month, _due_date(report, year, month)))
    return out


def _reported(snap: Snapshot, indicator: str, year: int, month: int) -> bool:
    for obs in snap.with_field("observation", "indicator", indicator):
        period = _period(obs.payload.get("period"))
        if period and period.year == year and period.end.month >= month:
            return True
    return month == 12 and any(str(v.payload.get("table")) == str(year)
                               for v in snap.with_field("verdict", "indicator", indicator))


def _in_force(snap: Snapshot, indicator: str, year: int) -> StoredFact | None:
    for target in snap.with_field("target", "indicator", indicator):
        period = _period(target.payload.get("period"))
        if period and period.year <= year <= (period.end_year or period.year):
            return target
    return None


def opens_reporting_year(fact: StoredFact, year: int, doc_dates: dict[str, date]) -> bool:
    """Whether an observation of ``year`` is a report of that year's cycle. A figure quoted by
    a document of a later year (the same period last year, cùng kỳ) belongs to that later
    report: it says nothing about whether the earlier cycle was reported, so it opens none."""
    issued = doc_dates.get(fact.source.doc) if fact.source is not None else None
    return issued is None or issued.year <= year


def active_years(snap: Snapshot) -> list[int]:
    """Years in which the log holds a report of that year's cycle: only those reporting cycles
    are checked (``opens_reporting_year``)."""
    doc_dates = document_dates(snap.all("document"))
    years = {p.year for o in snap.all("observation")
             if (p := _period(o.payload.get("period"))) and opens_reporting_year(o, p.year,
                                                                                doc_dates)}
    return sorted(years)


def _addressee(snap: Snapshot, lead: str, due: date) -> str | None:
    """Who a missing report is addressed to: the agency that owed it on its due date, or — if
    that agency has since been merged — its successor on the day the report is judged."""
    owed = responsible_agency(snap, lead, due)
    if owed is None:
        return None
    return responsible_agency(snap, owed, snap.as_of) or owed


def report_measures(snap: Snapshot, calendar: dict[str, Any],
                    years: list[int] | None = None) -> list[Measure]:
    """Reports due and past due per indicator; ``years`` are the reporting cycles to check
    (default: the snapshot's ``active_years`` — a restricted snapshot passes the log's own).
    Each carries the calendar entry's basis (căn cứ) and goes to the agency existing on the
    due date (``succeeded_by`` followed), never to one not yet created."""
    out = []
    # what a deadline says is the same for every indicator: worked out once per snapshot
    deadlines = [(report, code, month, due, _period(code).year, {
        "days_past_due": (snap.as_of - due).days, "due": day_words(due),
        "days_past_due_en": count_en((snap.as_of - due).days, "day"),
        "basis_vi": basis_text(report, "vi"), "basis_en": basis_text(report, "en")})
        for report, code, month, due in report_deadlines(
            calendar, active_years(snap) if years is None else years) if due < snap.as_of]
    for ind in snap.all("indicator"):
        lead = ind.payload.get("lead_agency")
        if not lead:
            continue
        name = indicator_info(snap, ind.key)[0]
        for report, code, month, due, year, words in deadlines:
            if ind.payload.get("measure") not in report["applies_to"]:
                continue
            target = _in_force(snap, ind.key, year)
            agency = _addressee(snap, lead, due)
            if target is None or agency is None:
                continue
            event = _base(snap, "report_due", ind.key, name, "indicator", code, agency)
            event["reported"] = _reported(snap, ind.key, year, month)
            event.update(words)
            details = {"report": report["id"], "due": due.isoformat(),
                       "basis": dict(report["basis"]), "lead_agency": lead}
            out.append(Measure(event, [ind, target], [], details))
    return out


DEFAULT_SUPERVISOR = "ubnd-tinh"
"""Whom lagging is escalated to when the log describes no provincial People's Committee."""


def default_supervisor(snap: Snapshot) -> str:
    """Whom an agency without a parent escalates to (cấp trên mặc định): the provincial
    People's Committee the log describes (kind ``provincial_committee``, no parent), else
    ``DEFAULT_SUPERVISOR``."""
    return next((a.key for a in snap.all("agency")
                 if a.payload.get("kind") == "provincial_committee"
                 and not a.payload.get("parent")), DEFAULT_SUPERVISOR)


def _supervisor_words(snap: Snapshot, supervisor: str, lang: str = "vi") -> str:
    """The supervisor's name; the default one the log does not describe by its kind's label
    ("UBND tỉnh"), never its id."""
    if supervisor == DEFAULT_SUPERVISOR and snap.get("agency", supervisor) is None:
        return AGENCY_KINDS["provincial_committee"][0]
    return agency_words(snap, supervisor, lang)


def lagging_measures(snap: Snapshot, history: dict[str, dict[str, str]],
                     agencies_parent: dict[str, str | None], names: dict[str, str],
                     agency_of: dict[str, str | None]) -> list[Measure]:
    """One period-history measure (``lagging``) per subject with pace statuses seen so far:
    whom an escalation goes to, the latest period and its status, and the report of every
    period (``details``: ``history`` oldest first, ``reports`` by period). Whether the periods
    lag, and how many in a row, is for the rules to say (the sequence of ``period_status``
    facts, rules/definitions/escalation.yaml); nothing here counts them."""
    out = []
    groups = pace_groups(snap) if history else {}
    top = default_supervisor(snap) if history else DEFAULT_SUPERVISOR
    for subject, by_period in sorted(history.items()):
        codes = sorted(by_period, key=lambda c: _period(c).end)
        reports = PeriodReports(groups, subject)
        agency = agency_of.get(subject)
        event = _base(snap, "lagging", subject, names.get(subject, subject), "target",
                      codes[-1], agency)
        supervisor = agencies_parent.get(agency or "") or top
        last = STATUSES["pace"].get(by_period[codes[-1]])
        event.update(periods=0, periods_en=count_en(0, "period"),
                     last_status=by_period[codes[-1]],
                     last_status_vi=last.vi.lower() if last else by_period[codes[-1]],
                     last_status_en=last.en if last else by_period[codes[-1]],
                     supervisor=supervisor,
                     supervisor_name=_supervisor_words(snap, supervisor),
                     supervisor_name_en=_supervisor_words(snap, supervisor, "en"))
        latest = [reports[codes[-1]]] if codes[-1] in reports else []
        out.append(Measure(event, latest, [], {
            "supervisor": supervisor, "reports": reports,
            "history": [(c, by_period[c]) for c in codes]}))
    return out


class PeriodReports(Mapping[str, StoredFact]):
    """The report of each period of a subject (the observation ``_choose`` picks), chosen
    only when asked: an alert cites the periods its rule bound, not the whole history."""

    def __init__(self, groups: dict[tuple[str, str], list[StoredFact]], subject: str) -> None:
        self._groups, self._subject = groups, subject

    def __getitem__(self, code: str) -> StoredFact:
        return _choose(self._groups[(self._subject, code)])

    def __contains__(self, code: object) -> bool:
        return (self._subject, code) in self._groups

    def __iter__(self) -> Iterator[str]:
        return (c for s, c in self._groups if s == self._subject)

    def __len__(self) -> int:
        return sum(1 for _c in self)


# --- official verdicts reported with a figure (template "Đánh giá" column, API) ----------

def _figure(snap: Snapshot, indicator: str, period: str) -> StoredFact | None:
    """The figure for a whole period that a verdict judges: the latest observation carrying a
    reported verdict, else the latest with a value."""
    found = [o for o in snap.with_field("observation", "indicator", indicator)
             if o.payload.get("period") == period and o.payload.get("value")]
    if not found:
        return None
    return max(found, key=lambda o: (bool(o.payload.get("reported_verdict")),
                                     str(o.payload.get("as_of")), o.key))


def _as_row(obs: StoredFact, target: StoredFact) -> dict[str, Any]:
    """An observation read as a row of an official table (the shape ``verdict_checks`` reads):
    its target's plan and row, its own figure and Đánh giá."""
    op, tp = obs.payload, target.payload
    return {"table": tp.get("period"), "row": tp.get("row"), "indicator": op.get("indicator"),
            "plan": tp.get("expression"), "estimate": op.get("value"),
            "verdict": op.get("reported_verdict")}


def _curated_cell(snap: Snapshot, row: dict[str, Any]) -> bool:
    """The same cell is already in the curated official table (checked there)."""
    return any(str(v.payload.get("table")) == str(row["table"])
               and ms.official_verdict(v.payload.get("verdict"))
               == ms.official_verdict(row["verdict"])
               for v in snap.with_field("verdict", "indicator", row["indicator"]))


def reported_verdict_checks(snap: Snapshot) -> list[Measure]:
    """Đánh giá reported with a whole-period figure (template column, API field
    ``reported_verdict``) vs the computed verdict of what it judges — the same rule as the
    curated tables (``discrepancies.official_verdict``): the members sharing the target's table
    row (same row, period and setting document) when the row has one cell (its worst member),
    the member alone when each has one."""
    groups: dict[tuple[str, str], list[tuple[StoredFact, dict[str, Any]]]] = {}
    for obs in snap.all("observation"):
        op = obs.payload
        period = _period(op.get("period"))
        if not op.get("reported_verdict") or period is None or period.kind not in (
                "year", "multi_year"):
            continue
        target = snap.get("target", f"{op.get('indicator')}@{period.code}")
        if target is None or _figure(snap, op["indicator"], period.code) is not obs:
            continue
        row, set_by = target.payload.get("row"), target.payload.get("set_by")
        key = (period.code, f"row:{set_by}|{row}" if row else f"target:{target.key}")
        if key in groups:
            continue
        members = [t for t in snap.with_field("target", "period", period.code)
                   if t.key == target.key or (row and t.payload.get("row") == row
                                              and t.payload.get("set_by") == set_by)]
        groups[key] = [(fig, _as_row(fig, t)) for t in members
                       if (fig := _figure(snap, t.payload.get("indicator"), period.code))]
    out = []
    for members in groups.values():
        scopes = ms.official_scopes(members, lambda m: ms.official_verdict(m[1]["verdict"])
                                    is not None)
        for (obs, row), scope in scopes:
            computed = ms.worst_verdict([v for _o, r in scope if (v := _row_verdict(snap, r))])
            if computed is None or _curated_cell(snap, row):
                continue
            name, _d, agency = indicator_info(snap, row["indicator"])
            event = _base(snap, "verdict_check", obs.key, name, "observation",
                          str(row["table"]), agency)
            event.update(verdict_check_fields(row, computed))
            target = snap.get("target", f"{row['indicator']}@{row['table']}")
            out.append(Measure(event, [o for o, _r in scope] + ([target] if target else []), [],
                               {"row": row["row"], "reported_with": "observation"}))
    return out
