"""Pure measures: verdicts with directions and intervals, pace, CAGR, task timing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kg.notation.expressions import parse_expression as px
from rules import measures as ms


@pytest.mark.parametrize(("target", "actual", "direction", "expected"), [
    ("7 - 7,5", "6,33", "increase", "not_achieved"),
    ("7 - 7,5", "7,2", "increase", "achieved"),
    ("7 - 7,5", "8", "increase", "exceeded"),
    ("97,2", "96,7", "increase", "not_achieved"),
    ("97,2", "97,2", "increase", "achieved"),
    ("5", "3", "decrease", "exceeded"),
    ("40 - 42", "43", "band", "not_achieved"),
    ("40 - 42", "41", "band", "achieved"),
    ("≥5", "<5", "increase", "not_achieved"),
    ("≥3", "≥3", "increase", "achieved"),
    (">3", "2,0", "increase", "not_achieved"),
])
def test_verdict_directions_and_intervals(target: str, actual: str, direction: str,
                                          expected: str) -> None:
    assert ms.verdict(px(target), px(actual), direction) == expected


def test_worst_verdict_of_a_group() -> None:
    assert ms.worst_verdict(["exceeded", "not_achieved", "achieved"]) == "not_achieved"
    assert ms.worst_verdict(["exceeded", "achieved"]) == "achieved"
    assert ms.worst_verdict([]) is None


def test_official_verdict_words() -> None:
    assert ms.official_verdict("Không đạt") == "not_achieved"
    assert ms.official_verdict("Vượt") == "exceeded"
    assert ms.official_verdict(None) is None


def test_pace_ratio_month_share_and_seasonal() -> None:
    assert round(ms.pace_ratio(Decimal("0.766"), 11), 3) == Decimal("0.836")
    assert ms.pace_ratio(Decimal("0.30"), 6, Decimal("30")) == 1


def test_straight_path_and_cagr() -> None:
    assert ms.straight_path_ratio(Decimal(60), Decimal(64), Decimal(62), Decimal("0.5")) == 1
    assert ms.straight_path_ratio(Decimal(60), Decimal(60), Decimal(62), Decimal("0.5")) is None
    assert ms.cagr_ratio(Decimal(100), Decimal(121), Decimal(110), Decimal(1), Decimal(2)) == 1
    assert ms.cagr_ratio(Decimal(100), Decimal(121), Decimal(90), Decimal(1), Decimal(2)) < 0


def test_pct_discrepancy_in_points() -> None:
    assert ms.pct_discrepancy(Decimal(3800), Decimal(4000), Decimal("91.1")) == Decimal("3.9")


def test_task_timing() -> None:
    due = date(2023, 12, 31)
    open_late = ms.task_timing(due, False, None, date(2024, 2, 15))
    assert open_late.days_overdue == 46 and not open_late.completed
    conditional = ms.task_timing(due, True, None, date(2025, 1, 1))
    assert not conditional.has_due and conditional.days_overdue == 0
    late = ms.task_timing(due, False, date(2024, 1, 5), date(2024, 2, 1))
    assert late.completed and late.days_late == 5


def test_lagging_streak_counts_the_latest_run() -> None:
    lag = ("at_risk", "off_track")
    assert ms.lagging_streak(["at_risk", "on_track", "off_track", "at_risk"], lag) == 2
    assert ms.lagging_streak(["at_risk", "on_track"], lag) == 0


def test_official_scopes_one_cell_judges_the_row_cells_per_member_judge_themselves():
    shared = [("a", "Vượt"), ("b", None), ("c", None)]
    assert ms.official_scopes(shared, lambda m: m[1] is not None) == [(shared[0], shared)]
    per_member = [("a", "Vượt"), ("b", "Đạt")]
    assert ms.official_scopes(per_member, lambda m: m[1] is not None) == [
        (per_member[0], [per_member[0]]), (per_member[1], [per_member[1]])]


def test_a_figure_to_a_day_expects_the_year_elapsed_to_that_day() -> None:
    from datetime import date

    assert ms.year_elapsed(date(2025, 11, 27)) == Decimal(331) / Decimal(365)
    assert ms.year_elapsed(date(2024, 12, 31)) == 1  # a leap year's last day
    assert ms.year_elapsed(date(2025, 1, 1)) == Decimal(1) / Decimal(365)
