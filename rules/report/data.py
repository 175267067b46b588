"""The report of the planning office as data (báo cáo của cơ quan kế hoạch).

``build_report(log, "2024")`` returns one JSON-able dict that every front door renders: the
xlsx/docx/Markdown/HTML writers of this package and the web board's "Báo cáo" page.

- ``indicators``: the table of main indicators (bảng chỉ tiêu chủ yếu) grouped as the
  documents group it (I kinh tế, II xã hội, III môi trường; a/b/c in the 2025 list), numbered
  like the official table; indicators sharing a row stay together. Each figure is a cell
  (as written, Vietnamese display, number when it is a point) with its footnotes.
- computed verdicts (Vượt / Đạt / Không đạt) are the rules engine's statuses from
  ``rules.replay``. Against the official "Đánh giá" column (``official_check``): where the
  table gives one cell for a shared row, the row takes its worst member
  (``rules.measures.worst_verdict``); where it gives a cell per member (2024 II.2, 2021-2025
  III.1 and III.3), each member is compared with its own cell.
- ``lagging``, ``tasks``: see ``rules.report.sections``; ``footnotes``: ``rules.report.sources``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from kg.errors import KehoachError
from kg.log import StoredFact
from kg.notation.expressions import APPROXIMATE_WORDS, format_expression, parse_expression
from kg.notation.periods import Period
from rules.errors import RuleError
from rules.measures import official_scopes, official_verdict, worst_verdict
from rules.replay import ReplayResult, replay
from rules.report.sections import lagging_section, task_section
from rules.report.sources import Footnotes
from rules.snapshot import Snapshot, take_snapshot
from rules.subjects import Measure, verdict_measures
from rules.vocabulary import STATUSES

REPORT_SCHEMA_VERSION = 1
DISAGREE_MARK = "⚠"
"""Printed beside an official verdict the figures contradict."""

GROUP_TITLES: dict[str, str] = {
    "economic": "Các chỉ tiêu kinh tế",
    "social": "Các chỉ tiêu xã hội",
    "environment": "Các chỉ tiêu môi trường",
}
"""Group headings of the official tables (004:75, 004:142, 004:217)."""

_ROMAN = {"I": 1, "V": 5, "X": 10}


class ReportError(RuleError):
    """A report cannot be built (lỗi lập báo cáo), e.g. a period without any target."""

    code = "report_error"


@dataclass
class ReportInputs:
    """What a report reads, gathered once for any number of periods: the facts visible on
    ``as_of`` and the rules' replay up to that date."""

    as_of: date
    snapshot: Snapshot
    replay: ReplayResult
    as_of_basis: str = "given"  # given | latest_report | today (no report in the log)


def latest_report_date(log: Any) -> date | None:
    """The date of the latest report (a document of class Report) in the log, if any."""
    dates = [str(f.payload["date"])[:10] for f in log.current("document")
             if f.payload.get("class") == "Report" and f.payload.get("date")]
    return date.fromisoformat(max(dates)) if dates else None


AS_OF_BASIS = {"given": ("", ""),
               "latest_report": ("ngày của báo cáo gần nhất trong sổ dữ kiện",
                                 "the date of the latest report in the log"),
               "today": ("ngày lập; sổ dữ kiện chưa có báo cáo nào",
                         "the day it was made; the log holds no report")}


def as_of_words(report: dict[str, Any]) -> str:
    """The cover's date line: "số liệu tính đến ngày 31/12/2024 (ngày của báo cáo gần nhất
    trong sổ dữ kiện)" — the date dd/mm/yyyy and, when not given, where it came from."""
    year, month, day = str(report["as_of"])[:10].split("-")
    why = AS_OF_BASIS.get(report.get("as_of_basis") or "given", ("", ""))[0]
    return f"số liệu tính đến ngày {day}/{month}/{year}" + (f" ({why})" if why else "")


def gather(log: Any, as_of: date | None = None,
           periods: tuple[str, ...] = ()) -> ReportInputs:
    """Snapshot the log and replay the rules (without persisting) as of ``as_of`` — by default
    the date of the latest report in the log (today only when it holds none); the
    ``periods`` to report are checked first, before the (slow) replay."""
    basis = "given"
    if as_of is None:
        as_of, basis = latest_report_date(log), "latest_report"
        if as_of is None:
            as_of, basis = date.today(), "today"
    facts = list(log.read())
    snap = take_snapshot(facts, as_of)
    for period in periods:
        _check_period(snap, period)
    return ReportInputs(as_of, snap, replay(log, as_of, persist=False), basis)


def build_report(log: Any, period: str, as_of: date | None = None) -> dict[str, Any]:
    """The report of ``period`` ("2024", "2025", "2021-2025") as of a date, as a dict."""
    return assemble(gather(log, as_of, (period,)), period)


def _check_period(snap: Snapshot, period: str) -> str:
    """The period's normal code; raises when it is malformed or has no main indicator."""
    code = Period.from_code(str(period).strip()).code
    if not _members(snap, code):
        raise ReportError(
            f"Không có chỉ tiêu chủ yếu nào cho kỳ '{code}' (mục tiêu có 'row' hoặc bảng "
            "đánh giá chính thức)",
            f"No main indicator for period '{code}' (a target with a 'row' or an official "
            "table)", text=code)
    return code


def assemble(inputs: ReportInputs, period: str) -> dict[str, Any]:
    """The report of one period from gathered inputs (see ``build_report``)."""
    code = _check_period(inputs.snapshot, period)
    notes = Footnotes(inputs.snapshot)
    groups = _indicator_groups(inputs, code, notes)
    members = [m for g in groups for r in g["rows"] for m in r["members"]]
    kind = "evaluation" if any(m["estimate"] for m in members) else "plan"
    period_obj = Period.from_code(code)
    return {
        "schema": REPORT_SCHEMA_VERSION,
        "period": code,
        "period_label": _period_label(period_obj),
        "kind": kind,
        "title": _title(kind, period_obj),
        "as_of": inputs.as_of.isoformat(),
        "as_of_basis": inputs.as_of_basis,
        "columns": _columns(kind, period_obj, members),
        "indicators": groups,
        "summary": _summary(members),
        "lagging": lagging_section(inputs.snapshot, inputs.replay, period_obj, notes),
        "tasks": task_section(inputs.snapshot, inputs.replay, period_obj, notes),
        "footnotes": notes.items,
    }


# --- the main-indicator table ------------------------------------------------------------

def _period_label(period: Period) -> str:
    if period.kind == "multi_year":
        return f"giai đoạn {period.year} - {period.end_year}"
    return f"năm {period.year}" if period.kind == "year" else period.code


def _title(kind: str, period: Period) -> str:
    label = _period_label(period)
    if kind == "plan":
        return f"Các chỉ tiêu chủ yếu kế hoạch phát triển kinh tế - xã hội {label}"
    return f"Đánh giá thực hiện các chỉ tiêu chủ yếu kế hoạch phát triển kinh tế - xã hội {label}"


def _columns(kind: str, period: Period, members: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The table's columns (key, Vietnamese and English heading), read by every writer."""
    label = period.code.replace("-", " - ")
    cols = [{"key": "tt", "vi": "TT", "en": "No."},
            {"key": "name", "vi": "Chỉ tiêu", "en": "Indicator"},
            {"key": "plan", "vi": f"Kế hoạch {label}", "en": f"Plan {label}"}]
    bases = {m["previous"]["basis"] for m in members if m["previous"]}
    if bases == {"baseline"}:
        cols.append({"key": "previous", "vi": "Cơ sở (như bảng kế hoạch ghi)",
                     "en": "Baseline (as the plan table writes it)"})
    elif len(bases) == 1:
        year = bases.pop()
        cols.append({"key": "previous", "vi": f"Ước TH năm {year}", "en": f"Estimate {year}"})
    elif bases:
        cols.append({"key": "previous", "vi": "Kỳ trước / cơ sở", "en": "Previous / baseline"})
    if kind == "evaluation":
        cols += [{"key": "estimate", "vi": f"Ước TH {label}", "en": f"Estimate {label}"},
                 {"key": "verdict", "vi": "Đánh giá (tính toán)", "en": "Computed verdict"},
                 {"key": "official", "vi": "Đánh giá (văn bản)", "en": "Official verdict"}]
    return cols


def _row_key(row: str) -> tuple[int, int, str]:
    """"II.3" → (2, 3); "a.1" → (1, 1): group rank, number, as written."""
    group, _, number = row.partition(".")
    return _rank(group), int(number) if number.isdigit() else 0, row


def _rank(label: str) -> int:
    if len(label) == 1 and label.islower():
        return ord(label) - ord("a") + 1
    total, previous = 0, 0
    for char in reversed(label.upper()):
        value = _ROMAN.get(char, 0)
        total += -value if value < previous else value
        previous = max(previous, value)
    return total


def _members(snap: Snapshot, code: str) -> list[tuple[str, StoredFact | None,
                                                      StoredFact | None]]:
    """(row, target, official row) per indicator of the period's table, in table order."""
    targets = {t.payload["indicator"]: t for t in snap.all("target")
               if str(t.payload.get("period")) == code and t.payload.get("row")}
    official = {v.payload["indicator"]: v for v in snap.all("verdict")
                if str(v.payload.get("table")) == code}
    found = []
    for indicator in set(targets) | set(official):
        target, row = targets.get(indicator), official.get(indicator)
        where = str((row or target).payload["row"])  # type: ignore[union-attr]
        order = (row.seq if row else 10**9, target.seq if target else 10**9)
        found.append((_row_key(where), order, where, target, row))
    found.sort(key=lambda f: (f[0], f[1]))
    return [(where, target, row) for _k, _o, where, target, row in found]


def _indicator_groups(inputs: ReportInputs, code: str, notes: Footnotes) -> list[dict[str, Any]]:
    snap = inputs.snapshot
    actuals = {m.event["subject_id"]: m for m in verdict_measures(snap)}
    groups: list[dict[str, Any]] = []
    for where, target, row in _members(snap, code):
        member = _member(inputs, where, target, row, actuals, notes)
        label, _, number = where.partition(".")
        if not groups or groups[-1]["label"] != label:
            groups.append({"label": label, "title": GROUP_TITLES.get(member["group"], ""),
                           "rows": []})
        rows = groups[-1]["rows"]
        if not rows or rows[-1]["row"] != where:
            rows.append({"row": where, "number": number, "members": []})
        rows[-1]["members"].append(member)
    for group in groups:
        for row in group["rows"]:
            official_check(row["members"])
            for member in row["members"]:
                member["remark"] = remark(member)
    return groups


def remark(member: dict[str, Any]) -> str:
    """The visible note of a member: a disagreeing official verdict, a differing estimate."""
    parts = []
    if member.get("agrees") is False:
        scope = "chỉ tiêu này" if member["compared_scope"] == "member" else (
            f"cả hàng {member['row']}, lấy chỉ tiêu thấp nhất")
        parts.append(f"{DISAGREE_MARK} Văn bản ghi «{member['official']}», số liệu cho "
                     f"«{member['compared_vi']}» ({scope})")
    if member.get("estimate_official"):
        parts.append(f"Bảng chính thức ghi ước {member['estimate_official']['display']}")
    return "; ".join(parts)


def official_check(members: list[dict[str, Any]]) -> None:
    """Set ``agrees`` / ``compared`` on the members of one table row that carry an official
    verdict: a cell given once for the row is compared with the row's worst computed member
    verdict; cells given per member each with their own member's verdict."""
    for member, scope in official_scopes(members, lambda m: bool(official_verdict(m["official"]))):
        computed = worst_verdict([m["verdict"] for m in scope if m["verdict"]])
        if computed is None or any(m["verdict"] is None for m in scope):
            continue
        member["compared"] = computed
        member["compared_vi"] = STATUSES["verdict"][computed].vi
        member["compared_scope"] = "member" if len(scope) == 1 else "row"
        member["agrees"] = official_verdict(member["official"]) == computed


def _member(inputs: ReportInputs, where: str, target: StoredFact | None,
            row: StoredFact | None, actuals: dict[str, Measure], notes: Footnotes
            ) -> dict[str, Any]:
    snap = inputs.snapshot
    indicator = (target or row).payload["indicator"]  # type: ignore[union-attr]
    ind = snap.payload("indicator", indicator)
    unit = (target.payload.get("unit") if target else None) or ind.get("unit")
    plan_text = target.payload.get("expression") if target else row.payload.get("plan")  # type: ignore[union-attr]
    status = inputs.replay.statuses.get(target.key, {}).get("verdict") if target else None
    estimate = _estimate(target, row, actuals, notes)
    official = row.payload.get("verdict") if row else None
    return {
        "row": where, "target": target.key if target else None, "indicator": indicator,
        "name": ind.get("name") or indicator, "unit": unit, "group": ind.get("group"),
        "label": f"{ind.get('name') or indicator} ({unit})" if unit else indicator,
        "agency": ind.get("lead_agency"),
        "plan": cell(plan_text, notes.cite(target or row, "kế hoạch")),
        "previous": _previous(inputs, target, actuals, notes),
        "estimate": estimate,
        "estimate_official": _official_estimate(row, estimate, notes),
        "verdict": status["status"] if status else None,
        "verdict_vi": STATUSES["verdict"][status["status"]].vi if status else None,
        "verdict_rule": status["rule"] if status else None,
        "explanation": status["explanation_vi"] if status else None,
        "official": official,
        "official_notes": notes.cite(row, "đánh giá") if official else [],
        "official_row": row.key if row else None,
        "compared": None, "compared_vi": None, "compared_scope": None, "agrees": None,
    }


def _estimate(target: StoredFact | None, row: StoredFact | None,
              actuals: dict[str, Measure], notes: Footnotes) -> dict[str, Any] | None:
    """The figure the computed verdict is judged on (the rules' choice), else the table's."""
    measure = actuals.get(target.key) if target else None
    if measure is not None:
        fact = measure.facts[1]
        field = "ước thực hiện" if measure.event["expected"] else "thực hiện"
        return {**cell(measure.event["actual"], notes.cite(fact, field)),
                "expected": bool(measure.event["expected"])}
    if row is not None and row.payload.get("estimate"):
        return {**cell(row.payload["estimate"], notes.cite(row, "ước thực hiện")),
                "expected": True}
    return None


def _official_estimate(row: StoredFact | None, estimate: dict[str, Any] | None,
                       notes: Footnotes) -> dict[str, Any] | None:
    """The official table's estimate when it differs from the figure judged (else None)."""
    if row is None or not row.payload.get("estimate") or estimate is None:
        return None
    written = cell(row.payload["estimate"], [])
    if written["display"] == estimate["display"]:
        for n in notes.cite(row, "ước thực hiện"):
            if n not in estimate["notes"]:
                estimate["notes"].append(n)
        return None
    return {**written, "notes": notes.cite(row, "ước thực hiện")}


def _previous(inputs: ReportInputs, target: StoredFact | None, actuals: dict[str, Measure],
              notes: Footnotes) -> dict[str, Any] | None:
    """The baseline as written on the target, else (a year plan) last year's judged figure."""
    if target is None:
        return None
    if target.payload.get("baseline"):
        return {**cell(target.payload["baseline"], notes.cite(target, "cơ sở")),
                "basis": "baseline"}
    period = Period.from_code(str(target.payload["period"]))
    if period.kind != "year":
        return None
    measure = actuals.get(f"{target.payload['indicator']}@{period.year - 1}")
    if measure is None:
        return None
    field = f"ước thực hiện {period.year - 1}"
    return {**cell(measure.event["actual"], notes.cite(measure.facts[1], field)),
            "basis": f"{period.year - 1}"}


def cell(text: Any, note_numbers: list[int]) -> dict[str, Any]:
    """A figure as written plus its Vietnamese display form ("7 - 7,5", "4.160", "≥5") and,
    for a point, the number and its decimals (for spreadsheets)."""
    written = "" if text is None else str(text)
    display, number, decimals = written, None, None
    try:
        expr = parse_expression(written)
    except KehoachError:
        expr = None
    if expr is not None:
        display = format_expression(dataclasses.replace(expr, unit=None))
        word = next((w for w in APPROXIMATE_WORDS if written.lower().startswith(w + " ")), None)
        display = f"{word} {display}" if word else display
        if expr.kind == "point" and expr.low is not None and word is None:
            number = float(expr.low)
            decimals = max(0, -int(Decimal(expr.low).as_tuple().exponent))
    return {"text": written, "display": display, "number": number, "decimals": decimals,
            "notes": note_numbers}


def _summary(members: list[dict[str, Any]]) -> dict[str, Any]:
    computed: dict[str, int] = {}
    for m in members:
        if m["verdict"]:
            computed[m["verdict"]] = computed.get(m["verdict"], 0) + 1
    return {
        "indicators": len(members),
        "rows": len({m["row"] for m in members}),
        "with_estimate": sum(1 for m in members if m["estimate"]),
        "computed": computed,
        "official_given": sum(1 for m in members if m["official"]),
        "disagreements": [m["row"] + " " + m["indicator"] for m in members
                          if m["agrees"] is False],
    }
