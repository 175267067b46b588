"""Measures (số đo): pure functions the rules engine judges.

Nothing here reads the log or the engine: numbers in, numbers out. Thresholds are *not* here;
they live in the rule files (``rules/definitions/*.yaml``).

- ``verdict``: Vượt / Đạt / Không đạt of an actual against a target, with the indicator's
  direction (tăng / giảm / trong khoảng / duy trì) and whole-interval semantics.
- ``pace_ratio``: tiến độ lũy kế — actual share ÷ expected share (m/12 or the same period of
  last year, the seasonal profile).
- ``straight_path_ratio``: chỉ tiêu mức — progress on the straight path baseline → target.
- ``cagr_ratio``: Open SDG / Statistics Canada progress measure (tăng trưởng kép).
- ``task_timing``: days late, overdue, to due (the age buckets are tasks.yaml's:
  ``rules.duties.TaskScale``).
- ``pct_discrepancy``: reported "đạt X% kế hoạch" against value ÷ plan, in points.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeVar

from kg.notation.expressions import TargetExpression

VERDICTS: tuple[str, ...] = ("exceeded", "achieved", "not_achieved")
"""Verdict codes, best first (Vượt, Đạt, Không đạt)."""

OFFICIAL_VERDICTS: dict[str, str] = {
    "vượt": "exceeded",
    "đạt": "achieved",
    "không đạt": "not_achieved",
}
"""Official table words (cột Đánh giá) → verdict codes."""

T = TypeVar("T")


def official_verdict(text: str | None) -> str | None:
    """The verdict code of an official "Đánh giá" cell, or None when blank/unknown."""
    if not text:
        return None
    return OFFICIAL_VERDICTS.get(" ".join(text.lower().split()))


def _above(target: TargetExpression, actual: TargetExpression) -> bool:
    """The whole actual lies above the target's set."""
    if target.high is None or actual.low is None:
        return False
    if actual.low > target.high:
        return True
    return actual.low == target.high and not (target.high_inclusive and actual.low_inclusive)


def _below(target: TargetExpression, actual: TargetExpression) -> bool:
    """The whole actual lies below the target's set."""
    if target.low is None or actual.high is None:
        return False
    if actual.high < target.low:
        return True
    return actual.high == target.low and not (target.low_inclusive and actual.high_inclusive)


def verdict(target: TargetExpression, actual: TargetExpression, direction: str) -> str:
    """Verdict of ``actual`` against ``target`` (MISSION "Verdicts").

    increase: above → exceeded, inside → achieved, below → not_achieved; decrease mirrors it;
    band / maintain: inside → achieved, outside → not_achieved. Inequality targets: satisfied →
    achieved. An interval actual counts only if the whole interval satisfies.
    """
    if target.kind in ("ge", "gt", "le", "lt"):
        return "achieved" if target.is_satisfied_by(actual) else "not_achieved"
    if target.is_satisfied_by(actual):
        return "achieved"
    if direction == "increase" and _above(target, actual):
        return "exceeded"
    if direction == "decrease" and _below(target, actual):
        return "exceeded"
    return "not_achieved"


def worst_verdict(verdicts: list[str]) -> str | None:
    """A group row takes its worst member (nhóm chỉ tiêu lấy kết quả thấp nhất)."""
    known = [v for v in verdicts if v in VERDICTS]
    return max(known, key=VERDICTS.index) if known else None


def official_scopes(members: list[T], has_cell: Callable[[T], bool]) -> list[tuple[T, list[T]]]:
    """For each member carrying an official "Đánh giá" cell, the members that cell judges: the
    whole row when the table gives one cell for a shared row (it takes its worst member), the
    member alone when the table gives a cell per member (2021-2025 III.1)."""
    with_cell = [m for m in members if has_cell(m)]
    return [(m, [m] if len(with_cell) > 1 else members) for m in with_cell]


def expected_share(months: int, seasonal_pct: Decimal | None = None) -> Decimal:
    """Expected share of the annual plan after ``months`` months: the seasonal profile (same
    period last year, % of plan) when known, else m/12."""
    if seasonal_pct is not None and seasonal_pct > 0:
        return seasonal_pct / 100
    return Decimal(months) / 12


def year_elapsed(day: date) -> Decimal:
    """The share of the year passed by the end of ``day`` (27/11/2025 → 331/365)."""
    start, end = date(day.year, 1, 1), date(day.year, 12, 31)
    return Decimal((day - start).days + 1) / Decimal((end - start).days + 1)


def pace_ratio(achieved_share: Decimal, months: int,
               seasonal_pct: Decimal | None = None) -> Decimal:
    """Tiến độ: achieved share of the annual plan ÷ expected share."""
    return achieved_share / expected_share(months, seasonal_pct)


def share_of_plan(value: Decimal, plan: Decimal) -> Decimal:
    """value ÷ plan (a share, 1 = 100 %)."""
    return value / plan


def straight_path_ratio(baseline: Decimal, target: Decimal, actual: Decimal,
                        fraction: Decimal) -> Decimal | None:
    """Progress on the straight path from ``baseline`` to ``target`` after ``fraction`` of
    the period: (actual − baseline) ÷ (expected − baseline); None when no change is expected."""
    expected = baseline + (target - baseline) * fraction
    if expected == baseline:
        return None
    return (actual - baseline) / (expected - baseline)


def cagr_ratio(baseline: Decimal, target: Decimal, actual: Decimal,
               years_elapsed: Decimal, years_total: Decimal) -> Decimal | None:
    """Open SDG progress measure: observed CAGR ÷ required CAGR (None when undefined)."""
    if baseline <= 0 or target <= 0 or actual <= 0 or years_elapsed <= 0 or years_total <= 0:
        return None
    observed = (float(actual) / float(baseline)) ** (1 / float(years_elapsed)) - 1
    required = (float(target) / float(baseline)) ** (1 / float(years_total)) - 1
    if required == 0:
        return None
    return Decimal(str(round(observed / required, 6)))


def pct_discrepancy(value: Decimal, plan: Decimal, reported_pct: Decimal) -> Decimal:
    """|reported % − 100·value ÷ plan| in percentage points."""
    return abs(reported_pct - value / plan * 100)


@dataclass(frozen=True)
class TaskTiming:
    """Calendar facts of one task on one date (thời hạn nhiệm vụ)."""

    completed: bool
    has_due: bool
    conditional: bool
    days_late: int
    days_overdue: int
    days_to_due: int


def task_timing(due: date | None, conditional: bool, completed_on: date | None,
                as_of: date) -> TaskTiming:
    """Days late (completed after due), days overdue (open past due), days to due.
    A conditional deadline is never overdue by the calendar (has_due = False)."""
    has_due = due is not None and not conditional
    completed = completed_on is not None and completed_on <= as_of
    late = (completed_on - due).days if completed and has_due and due else 0
    overdue = (as_of - due).days if has_due and due and not completed else 0
    to_due = (due - as_of).days if has_due and due and not completed else 0
    return TaskTiming(completed, has_due, conditional, max(late, 0), max(overdue, 0),
                      max(to_due, 0) if overdue <= 0 else 0)


def lagging_streak(statuses: list[str], lagging: tuple[str, ...]) -> int:
    """How many of the most recent consecutive periods were lagging (chậm tiến độ liên tiếp)."""
    streak = 0
    for status in reversed(statuses):
        if status not in lagging:
            break
        streak += 1
    return streak
