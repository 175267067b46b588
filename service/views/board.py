"""The board (bảng theo dõi), the alerts feed, an indicator's series and an agency's
portfolio — each a dict the API returns as JSON and the pages render."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from typing import Any

from kg.errors import KehoachError
from kg.notation import parse_expression, parse_number, parse_period, parse_quantity
from rules.duties import bucket_labels, task_scale
from rules.filters import alert_concerns, resolve_alert_filters
from rules.measures import expected_share
from rules.portfolio import agency_alerts, overdue_ageing
from rules.replay import ReplayResult, closed_alerts
from rules.vocabulary import ALERT_KINDS, SEVERITIES, STATUSES
from service.errors import not_found
from service.runtime import Runtime
from service.views import catalog

GROUPS = {"economic": ("Kinh tế", "Economy"), "social": ("Xã hội", "Society"),
          "environment": ("Môi trường", "Environment")}
SEVERITY_ORDER = {"critical": 0, "high": 1, "warning": 2, "info": 3}


def labels() -> dict[str, Any]:
    """Vietnamese and English names of statuses, alert kinds, severities and groups."""
    status_labels = {k: {"vi": v.vi, "en": v.en} for dim in STATUSES.values()
                     for k, v in dim.items()}
    return {"status": status_labels,
            "alert_kind": {k: {"vi": v.vi, "en": v.en} for k, v in ALERT_KINDS.items()},
            "severity": {k: {"vi": v.vi, "en": v.en} for k, v in SEVERITIES.items()},
            "group": {k: {"vi": v[0], "en": v[1]} for k, v in GROUPS.items()}}


def sorted_alerts(result: ReplayResult) -> list[dict[str, Any]]:
    """Every alert of an evaluation as a dict, most severe, then most recent, then by id."""
    rows = [a.to_dict() for a in closed_alerts(result)]
    rows.sort(key=lambda a: a["id"])
    rows.sort(key=lambda a: a["as_of"], reverse=True)
    rows.sort(key=lambda a: SEVERITY_ORDER.get(a["severity"], 9))
    return rows


def alerts(rt: Runtime, as_of: date | None = None, *, agency: str | None = None,
           kind: str | None = None, severity: str | None = None, period: str | None = None,
           subject: str | None = None, state: str | None = None) -> list[dict[str, Any]]:
    """Alerts the rules raised up to ``as_of``, most severe and most recent first;
    ``state="open"`` keeps those not closed (superseded), as the board counts them. The dicts
    are built and sorted once per (log position, as-of date) and shared: read-only."""
    wanted = resolve_alert_filters(rt.log, agency, kind, severity)
    rows = rt.derived("alerts", as_of, sorted_alerts, judged_only=True)
    return [a for a in rows if (not wanted.agency or alert_concerns(a, wanted.agency))
            and (not wanted.kind or a["kind"] == wanted.kind)
            and (not wanted.severity or a["severity"] == wanted.severity)
            and (not period or a["period"] == period)
            and (not subject or a["subject"]["id"] == subject)
            and (state != "open" or not a.get("superseded_by"))]


def alert(rt: Runtime, alert_id: str, as_of: date | None = None) -> dict[str, Any]:
    """One alert as shown (closed when superseded). Not found while an external judge has
    not judged the latest facts: the 404 says how far it had judged — the alert may come."""
    for item in closed_alerts(rt.evaluation(as_of)):
        if item.id == alert_id:
            return item.to_dict()
    missing = not_found("alert", alert_id)
    upto, last = rt.position(as_of)
    if upto < last:
        missing.vi += f" (luật mới xét sổ dữ kiện đến vị trí {upto}/{last})"
        missing.en += f" (the rules have judged the log up to position {upto} of {last})"
    raise missing


def _last_report(rt: Runtime, when: date) -> dict[str, Any] | None:
    reports = [f.payload for f in rt.log.current("document")
               if f.payload.get("class") == "Report" and f.payload.get("date")
               and str(f.payload["date"]) <= when.isoformat()]
    return max(reports, key=lambda d: str(d["date"])) if reports else None


# the order of the board's tiles: what needs action first, then no data, then the rest
STATUS_ORDER = {"not_achieved": 0, "off_track": 1, "overdue": 1, "at_risk": 2, "due_soon": 3,
                "no_data": 4, "in_progress": 5, "on_track": 6, "achieved": 7,
                "achieved_early": 8, "exceeded": 8}


def _latest_figure(observations: list[dict[str, Any]], target: dict[str, Any],
                   when: date) -> dict[str, Any] | None:
    """The most recent figure of the target's indicator inside its period, up to ``when``:
    value as written, its period, its end and its % of plan (None when it cannot be said)."""
    try:
        span = parse_period(str(target["period"]))
        plan = parse_expression(str(target["expression"])).representative
    except (KehoachError, KeyError):
        return None
    best: tuple[str, dict[str, Any]] | None = None
    for obs in observations:
        if obs.get("indicator") != target.get("indicator"):
            continue
        try:
            period = parse_period(str(obs["period"]))
        except KehoachError:
            continue
        if not (span.start <= period.end <= span.end) or str(obs.get("as_of") or "") > \
                when.isoformat():
            continue
        key = period.end.isoformat() + str(obs.get("as_of") or "")
        if best is None or key > best[0]:
            best = (key, obs)
    if best is None:
        return None
    obs = best[1]
    unit = obs.get("unit") or target.get("unit")
    # % of plan as the report gives it; computed (value ÷ plan) only for an amount in the
    # plan's own unit — never for a rate or a change ("giảm ≥ 5 %"), where it means nothing
    comparable = unit == target.get("unit") and unit not in (None, "%") and \
        parse_expression(str(target["expression"])).kind == "point"
    pct = _share_pct(obs, plan if comparable else None)
    return {"observation": obs["id"], "value": obs.get("value"), "unit": unit,
            "period": obs["period"], "kind": obs.get("kind"), "pct_of_plan": pct}


def _in_period(code: Any, target: dict[str, Any]) -> bool:
    try:
        span, period = parse_period(str(target["period"])), parse_period(str(code))
    except (KehoachError, KeyError):
        return False
    return span.start <= period.end <= span.end


def _next_step(target: dict[str, Any], open_alerts: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Who must report or act, by when — only when the data says it: an open missing-report
    alert on the target's indicator, for a period inside the target's, names the agency, the
    period and the due date."""
    for a in open_alerts:
        if a["kind"] == "missing_report" and a["subject"]["id"] == target.get("indicator") \
                and (a.get("details") or {}).get("due") and _in_period(a.get("period"), target):
            return {"kind": "report", "agency": (a.get("details") or {}).get("lead_agency")
                    or a.get("agency"), "period": a.get("period"),
                    "due": a["details"]["due"], "alert": a["id"]}
    return None


def board(rt: Runtime, as_of: date | None = None, *, period: str | None = None,
          agency: str | None = None, group: str | None = None,
          status: str | None = None) -> dict[str, Any]:
    """The plan year's board (the as-of's year unless ``period`` names another): targets by
    group, ``tiles`` sorted by severity then agency then indicator, each with its agency,
    latest figure (period, % of plan), status and next step; counts; what changed since the
    last report. ``agency``, ``group`` and ``status`` filter the tiles."""
    when = rt.as_of(as_of)
    every = catalog.targets(rt, when)
    periods = sorted({str(t["period"]) for t in every if t.get("period")},
                     key=lambda p: (len(p) != 4, p))
    chosen = period or str(when.year)
    targets = [t for t in every if str(t.get("period")) == chosen]
    open_alerts = alerts(rt, when, state="open")
    observations = catalog.list_kind(rt, "observation")
    tiles = []
    for t in targets:
        key = t["status"] or t["verdict"] or "no_data"
        tiles.append({**t, "status_key": key, "latest": _latest_figure(observations, t, when),
                      "next_step": _next_step(t, open_alerts)})
    tiles.sort(key=lambda t: (STATUS_ORDER.get(t["status_key"], 9), t.get("agency") or "~",
                              t.get("name") or t.get("indicator") or ""))
    shown = [t for t in tiles if (not agency or t.get("agency") == agency)
             and (not group or (t.get("group") or "other") == group)
             and (not status or t["status_key"] == status)]
    groups: dict[str, dict[str, Any]] = {}
    for name in [*GROUPS, None]:
        members = [t for t in targets if t.get("group") == name]
        if members:
            groups[name or "other"] = {
                "targets": members,
                "counts": dict(Counter(t["status"] or t["verdict"] or "no_data"
                                       for t in members))}
    tasks = task_rows(rt, when)
    report = _last_report(rt, when)
    since = str(report["date"]) if report else "0000"
    changes = [c.to_dict() for c in rt.evaluation(when).changes if c.as_of >= since]
    return {"as_of": when.isoformat(), "period": chosen, "periods": periods,
            "filters": {"agency": agency, "group": group, "status": status},
            "tiles": shown, "groups": groups,
            "counts": {"targets": _ordered(Counter(t["status_key"] for t in tiles),
                                           STATUS_ORDER),
                       "tasks": _ordered(Counter(t["status"] for t in tasks), STATUS_ORDER),
                       # open alerts only: one whose status was superseded is closed
                       "alerts": _ordered(Counter(a["severity"] for a in open_alerts),
                                          SEVERITY_ORDER)},
            "tasks_by_agency": tasks_by_agency(tasks), "ageing_labels": ageing_labels(),
            "last_report": report, "changes": changes[-200:],
            "changes_count": len(changes)}


def _ordered(counts: Counter[str], order: dict[str, int]) -> dict[str, int]:
    """Counts in the order the board reads them (most severe first, then by code)."""
    return dict(sorted(counts.items(), key=lambda kv: (order.get(kv[0], 9), kv[0])))


def ageing_labels() -> dict[str, dict[str, str]]:
    """Overdue ageing buckets (tuổi quá hạn) in the scale's order → their headings in both
    languages ("≤ 30 ngày", "31–90 ngày", ..., "> 120 ngày"), from tasks.yaml."""
    out = {}
    for name, first, last in task_scale().buckets:
        if name == "not_overdue":
            continue
        if first <= 1 and last:
            out[name] = {"vi": f"≤ {last} ngày", "en": f"≤ {last} days"}
        elif last:
            out[name] = {"vi": f"{first}–{last} ngày", "en": f"{first}–{last} days"}
        else:
            out[name] = {"vi": f"> {first - 1} ngày", "en": f"> {first - 1} days"}
    return out


def _overdue_of(rt: Runtime, when: date) -> dict[str, dict[str, Any]]:
    """task id → its age: the bucket its one open overdue alert is in (the rules move the
    alert along the buckets as the task ages, as ``rules.portfolio.overdue_ageing`` counts
    them) and the days past the deadline on ``when`` — a task counts once."""
    ages: dict[str, dict[str, Any]] = {}
    for a in alerts(rt, when, kind="overdue", state="open"):
        details = a.get("details") or {}
        if a["subject"]["id"] in ages or not details.get("deadline"):
            continue
        days = max((when - date.fromisoformat(str(details["deadline"]))).days, 0)
        ages[a["subject"]["id"]] = {"days_overdue": days, "bucket": details.get("bucket"),
                                    "alert": a["id"]}
    return ages


def task_rows(rt: Runtime, as_of: date | None = None, *, agency: str | None = None,
              status: str | None = None, bucket: str | None = None) -> list[dict[str, Any]]:
    """Tasks (nhiệm vụ) as of a date with their status and, when overdue, their age and
    ageing bucket; ``agency`` keeps those it leads (chủ trì) — each task under one agency —,
    ``status`` and ``bucket`` keep one status or one age bucket. Most overdue first."""
    when = rt.as_of(as_of)
    ages = _overdue_of(rt, when)
    rows = []
    for task in catalog.tasks(rt, when):
        age = ages.get(task["id"]) if task["status"] == "overdue" else None
        row = {**task, "status": task["status"] or "no_data",
               "days_overdue": age and age["days_overdue"], "bucket": age and age["bucket"]}
        if (not agency or row.get("lead_agency") == agency) and \
                (not status or row["status"] == status) and (not bucket or row["bucket"] == bucket):
            rows.append(row)
    rows.sort(key=lambda r: (-(r["days_overdue"] or -1), r.get("lead_agency") or "~", r["id"]))
    return rows


def tasks_by_agency(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per lead agency: its tasks, how many are overdue, and those by age bucket (every bucket
    of the scale, zeros included); most overdue agencies first."""
    buckets = list(ageing_labels())
    table: dict[str, dict[str, Any]] = {}
    for row in rows:
        key = row.get("lead_agency") or ""
        entry = table.setdefault(key, {"agency": key or None, "tasks": 0, "overdue": 0,
                                       "ageing": dict.fromkeys(buckets, 0)})
        entry["tasks"] += 1
        if row["status"] == "overdue":
            entry["overdue"] += 1
            if row["bucket"] in entry["ageing"]:
                entry["ageing"][row["bucket"]] += 1
    return sorted(table.values(), key=lambda e: (-e["overdue"], -e["tasks"], e["agency"] or "~"))


def _num(text: Any) -> Decimal | None:
    try:
        return parse_quantity(str(text)).value if text not in (None, "") else None
    except (KehoachError, AttributeError):
        try:
            return parse_number(str(text))
        except KehoachError:
            return None


def _share_pct(obs: dict[str, Any], plan: Decimal | None) -> float | None:
    try:
        pct = parse_number(str(obs["pct_of_plan"])) if obs.get("pct_of_plan") else None
    except KehoachError:
        pct = None
    if pct is None and plan:
        value = _num(obs.get("value"))
        pct = value / plan * 100 if value is not None else None
    return None if pct is None else float(round(pct, 2))


SERIES_OF_KIND = {"cumulative": "cumulative", "to_date": "cumulative", "month": "single",
                  "quarter": "single",
                  "year": "whole", "multi_year": "whole"}


def _series_point(obs: dict[str, Any], plan: Decimal | None,
                  span: Any = None) -> dict[str, Any] | None:
    """One chart point of a figure: its series (``cumulative`` from the year's start,
    ``single`` month or quarter, ``whole`` year or plan period), % of plan and, for a
    cumulative figure, the expected path. The figure's own % of plan is used only when its
    plan is the target's (same year, or the target's own period); else value ÷ plan."""
    try:
        period = parse_period(str(obs["period"]))
    except KehoachError:
        return None
    series = SERIES_OF_KIND.get(period.kind, "single")
    own_plan = span is None or period.code == span.code or (
        span.kind == "year" and period.start.year == span.start.year)
    pct = _share_pct(obs if own_plan else {**obs, "pct_of_plan": None}, plan)
    expected = None
    if series == "cumulative":
        months = period.end.month if period.end.year == period.start.year else 12
        seasonal = _num(obs.get("same_period_last_year_pct"))
        expected = float(round(expected_share(months, seasonal) * 100, 2))
    return {"period": period.code, "end": period.end.isoformat(), "observation": obs["id"],
            "value": obs.get("value"), "kind": obs.get("kind"), "series": series,
            "as_of": obs.get("as_of"), "actual_pct": pct, "expected_pct": expected,
            "target_pct": 100.0}


def _one_per_period(points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One point per period — the latest report of it, an actual before an estimate of the
    same date — in period order (by end, then code)."""
    best: dict[str, dict[str, Any]] = {}
    for p in points:
        key = (str(p.get("as_of") or ""), p.get("kind") == "actual", p["observation"])
        old = best.get(p["period"])
        if old is None or key > (str(old.get("as_of") or ""), old.get("kind") == "actual",
                                 old["observation"]):
            best[p["period"]] = p
    return sorted(best.values(), key=lambda p: (p["end"], p["period"]))


def indicator(rt: Runtime, indicator_id: str, as_of: date | None = None) -> dict[str, Any]:
    """An indicator, its targets, its observations and, per target, the chart series: one
    point per period inside the target's period, each marked ``cumulative``, ``single``
    (one month or quarter) or ``whole`` (year or plan period), with % of plan, the expected
    path for cumulative points, and the target line at 100 % — or a band for a range."""
    info = catalog.get_record(rt, "indicator", indicator_id)
    targets = catalog.targets(rt, as_of, indicator=indicator_id)
    observations = catalog.list_kind(rt, "observation", indicator=indicator_id)
    series = []
    for target in targets:
        try:
            expression = parse_expression(str(target["expression"]))
            plan = expression.representative
            period = parse_period(str(target["period"]))
        except KehoachError:
            continue
        points = [p for o in observations
                  if (p := _series_point(o, plan, period)) and period.start.isoformat()
                  <= p["end"] <= period.end.isoformat() and p["actual_pct"] is not None
                  and (period.kind != "multi_year" or p["series"] == "whole")]
        low, high = getattr(expression, "low", None), getattr(expression, "high", None)
        band = ({"low_pct": float(round(low / plan * 100, 2)),
                 "high_pct": float(round(high / plan * 100, 2))}
                if getattr(expression, "kind", None) == "range" and low is not None
                and high is not None and plan else None)
        series.append({"target": target["id"], "period": target["period"],
                       "expression": target["expression"], "unit": target.get("unit"),
                       "band": band, "points": _one_per_period(points)})
    return {"indicator": info, "targets": targets, "observations": observations,
            "series": series,
            "alerts": [a for a in alerts(rt, as_of)
                       if str(a["subject"]["id"]).split("@")[0] == indicator_id]}


def agency(rt: Runtime, agency_id: str, as_of: date | None = None) -> dict[str, Any]:
    """An agency's page: its tasks and targets, and — from ``rules.portfolio``, as the CLI —
    its open alerts (as lead or supervisor) and the overdue ageing of the tasks it leads."""
    info = catalog.get_record(rt, "agency", agency_id)
    evaluation = rt.evaluation(as_of)
    tasks = catalog.tasks(rt, as_of, agency=agency_id)
    targets = catalog.targets(rt, as_of, agency=agency_id)
    open_ids = {a.id for a in agency_alerts(evaluation, agency_id)}
    open_alerts = [a for a in rt.derived("alerts", as_of, sorted_alerts, judged_only=True)
                   if a["id"] in open_ids]
    return {"agency": info, "tasks": tasks, "targets": targets, "alerts": open_alerts,
            "overdue_ageing": overdue_ageing(evaluation, agency_id),
            "ageing_labels": bucket_labels(), "ageing": ageing_labels(),
            "task_counts": dict(Counter(t["status"] or "no_data" for t in tasks))}
