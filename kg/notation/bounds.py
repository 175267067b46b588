"""Plausibility bounds (giới hạn hợp lý) checked where figures and dates enter.

A figure can be well written and still be nonsense: a report dated 9999-12-31, a period
"2999", a plan achieved at -500 %. The plan tracker deals with five-year plans of the 2020s,
so dates and period years must fall in ``plan_years()`` — 2000–2100 unless the environment
variable ``KEHOACH_PLAN_YEARS`` says otherwise (e.g. ``1990-2150``) — and the percentage of
plan achieved must lie in ``PCT_OF_PLAN_RANGE`` (0–1000 %: the highest in the Lạng Sơn
reports is 206,2 %).
"""

from __future__ import annotations

import os
import re
from datetime import date
from decimal import Decimal

from kg.errors import ParseError, Place

PLAN_YEARS_DEFAULT = (2000, 2100)
PLAN_YEARS_ENV = "KEHOACH_PLAN_YEARS"
PCT_OF_PLAN_RANGE = (Decimal(0), Decimal(1000))
"""Percent of plan achieved, inclusive: 0 (nothing done) to 1000 (ten times the plan)."""

_SPAN = re.compile(r"\s*([0-9]{4})\s*-\s*([0-9]{4})\s*")


def plan_years() -> tuple[int, int]:
    """The first and last plausible year, inclusive (read at each call, so a change of
    ``KEHOACH_PLAN_YEARS`` applies without a restart of the library)."""
    text = os.environ.get(PLAN_YEARS_ENV)
    match = _SPAN.fullmatch(text) if text else None
    if text and (match is None or int(match[1]) > int(match[2])):
        raise ParseError(
            f"Biến môi trường {PLAN_YEARS_ENV}='{text}' không hợp lệ, cần dạng 2000-2100",
            f"Environment variable {PLAN_YEARS_ENV}='{text}' is invalid, expected 2000-2100",
            code="plan_years_setting", text=text)
    return (int(match[1]), int(match[2])) if match else PLAN_YEARS_DEFAULT


def check_year(year: int, text: str, field: str | None = None) -> int:
    """``year`` if within ``plan_years()``; else ``ParseError`` ``implausible_year``."""
    first, last = plan_years()
    if first <= year <= last:
        return year
    raise ParseError(
        f"Năm {year} ngoài khoảng hợp lý {first}–{last} của kế hoạch: '{text}'",
        f"Year {year} is outside the plausible plan span {first}–{last}: '{text}'",
        code="implausible_year", text=text, place=Place(field=field))


def check_date(value: date, field: str | None = None) -> date:
    check_year(value.year, value.isoformat(), field)
    return value


def check_pct_of_plan(value: Decimal, text: str, field: str | None = None) -> Decimal:
    """A percentage of plan achieved within ``PCT_OF_PLAN_RANGE``."""
    low, high = PCT_OF_PLAN_RANGE
    if low <= value <= high:
        return value
    raise ParseError(
        f"Tỷ lệ đạt kế hoạch '{text}' ngoài khoảng hợp lý {low}–{high}%",
        f"Percent of plan '{text}' is outside the plausible range {low}–{high}%",
        code="implausible_pct_of_plan", text=text, place=Place(field=field))
