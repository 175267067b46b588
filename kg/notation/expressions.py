"""Targets as written (chỉ tiêu kế hoạch) and interval-valued actuals (số thực hiện dạng khoảng).

A target is a point ("4.060"), a range ("7 - 7,5%") or an inequality ("≥5", "trên 90%",
"từ 5% trở lên", "tối đa 3"). Every expression is a set of reals: an interval whose ends may be
open, closed or missing. An actual written as an interval ("<5", "≥3") satisfies a target only
if the whole actual interval lies inside the target's set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from kg.errors import ParseError
from kg.notation.numbers import format_number, parse_number, parse_unit, split_number

KINDS: tuple[str, ...] = ("point", "range", "ge", "gt", "le", "lt")
"""Kinds of target expression: điểm, khoảng, ≥, >, ≤, <."""

OPERATORS: tuple[tuple[str, str], ...] = (
    (">=", "ge"),
    ("≥", "ge"),
    ("<=", "le"),
    ("≤", "le"),
    (">", "gt"),
    ("<", "lt"),
    ("không vượt quá", "le"),
    ("không quá", "le"),
    ("tối đa", "le"),
    ("không dưới", "ge"),
    ("tối thiểu", "ge"),
    ("ít nhất", "ge"),
    ("lớn hơn", "gt"),
    ("cao hơn", "gt"),
    ("trên", "gt"),
    ("hơn", "gt"),
    ("nhỏ hơn", "lt"),
    ("thấp hơn", "lt"),
    ("dưới", "lt"),
)
"""Operators written before the number, longest first within each family."""

SYMBOLS: dict[str, str] = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}
"""Canonical symbol written by ``format_expression`` for each inequality kind."""

_NUM = r"\(\s*[+\-−]?\s*[0-9][0-9.,]*\s*\)|[+\-−]?[0-9][0-9.,]*"
_RANGE = re.compile(
    rf"(?P<a>{_NUM})\s*(?P<ua>%?)\s*(?:-|–|—|đến|tới)\s*(?P<b>{_NUM})(?P<rest>.*)",
    re.S,
)
_FROM_SUFFIXES = (("trở lên", "ge"), ("trở xuống", "le"))


@dataclass(frozen=True)
class TargetExpression:
    """A target or an interval actual: the set {x : low ⋚ x ⋚ high} with its unit."""

    kind: str
    low: Decimal | None
    high: Decimal | None
    low_inclusive: bool
    high_inclusive: bool
    unit: str | None
    text: str

    def contains(self, x: Decimal) -> bool:
        """Whether the value ``x`` lies in the expression's set (đạt chỉ tiêu)."""
        if self.low is not None:
            if x < self.low or (x == self.low and not self.low_inclusive):
                return False
        if self.high is not None:
            if x > self.high or (x == self.high and not self.high_inclusive):
                return False
        return True

    def is_satisfied_by(self, actual: TargetExpression) -> bool:
        """Whether the WHOLE interval of ``actual`` lies within this target's set.

        "<5" does not satisfy "≥5"; "≥3" satisfies "≥3"; a point actual satisfies when
        ``contains`` holds. Units are the caller's concern (they are not compared).
        """
        return _low_within(self, actual) and _high_within(self, actual)

    @property
    def representative(self) -> Decimal:
        """The plan value used for percentages: the point, a range's midpoint, a bound."""
        if self.kind == "range" and self.low is not None and self.high is not None:
            return (self.low + self.high) / 2
        bound = self.low if self.low is not None else self.high
        if bound is None:
            raise _error("expression_kind", self.text, "biểu thức không có cận nào",
                         "the expression has no bound")
        return bound

    @property
    def midpoint(self) -> Decimal:
        """Alias of ``representative`` (điểm giữa khoảng; the bound of an inequality)."""
        return self.representative


def _low_within(target: TargetExpression, actual: TargetExpression) -> bool:
    if target.low is None:
        return True
    if actual.low is None or actual.low < target.low:
        return False
    return actual.low > target.low or target.low_inclusive or not actual.low_inclusive


def _high_within(target: TargetExpression, actual: TargetExpression) -> bool:
    if target.high is None:
        return True
    if actual.high is None or actual.high > target.high:
        return False
    return actual.high < target.high or target.high_inclusive or not actual.high_inclusive


def _error(code: str, text: str, vi: str, en: str) -> ParseError:
    return ParseError(
        f"Chỉ tiêu không hợp lệ: '{text}' — {vi}",
        f"Invalid target expression: '{text}' — {en}",
        code=code,
        text=text,
    )


def _inequality(kind: str, value: Decimal, unit: str | None, text: str) -> TargetExpression:
    if kind in ("ge", "gt"):
        return TargetExpression(kind, value, None, kind == "ge", False, unit, text)
    return TargetExpression(kind, None, value, False, kind == "le", unit, text)


def _point(body: str, text: str) -> tuple[Decimal, str | None]:
    token, rest = split_number(body)
    return parse_number(token), parse_unit(rest, text)


def _range(match: re.Match[str], text: str) -> TargetExpression:
    low, high = parse_number(match["a"]), parse_number(match["b"])
    unit = parse_unit(match["rest"], text)
    if match["ua"] and unit not in (None, match["ua"]):
        raise _error("expression_unit_mismatch", text, f"hai đầu khoảng khác đơn vị "
                     f"('{match['ua']}' và '{unit}')",
                     f"the two ends have different units ('{match['ua']}' and '{unit}')")
    if low > high:
        raise _error("expression_bounds", text, "cận dưới lớn hơn cận trên",
                     "the lower bound is greater than the upper bound")
    return TargetExpression("range", low, high, True, True, unit or match["ua"] or None, text)


def _from_form(body: str, text: str) -> TargetExpression:
    """"từ 5% trở lên" (≥), "từ 3 trở xuống" (≤), "từ 7 đến 7,5" (range)."""
    lowered = body.lower()
    for suffix, kind in _FROM_SUFFIXES:
        if lowered.endswith(suffix):
            value, unit = _point(body[: -len(suffix)].strip(), text)
            return _inequality(kind, value, unit, text)
    match = _RANGE.fullmatch(body)
    if match:
        return _range(match, text)
    raise _error("expression_from", text, "sau 'từ' cần 'trở lên', 'trở xuống' hoặc một khoảng",
                 "'từ' must be followed by 'trở lên', 'trở xuống' or a range")


def _operator(norm: str) -> tuple[str, str] | None:
    lowered = norm.lower()
    for written, kind in OPERATORS:
        if lowered.startswith(written):
            rest = norm[len(written):]
            if written[0].isalpha() and rest[:1] not in (" ", "("):
                continue
            return kind, rest.strip()
    return None


APPROXIMATE_WORDS = ("khoảng", "xấp xỉ", "gần")


def parse_expression(text: str) -> TargetExpression:
    """Read a target as written: "7 - 7,5%", "4.060", "≥5", "trên 90%", "từ 5% trở lên",
    "8% trở lên" (the "từ" left out)."""
    norm = " ".join(text.split()) if isinstance(text, str) else ""
    if not norm:
        raise _error("expression_empty", str(text), "chuỗi rỗng", "the text is empty")
    # "khoảng 18.500", "khoảng 40 - 41": an approximate target is still judged on its figure;
    # the word stays in ``text``.
    for word in APPROXIMATE_WORDS:
        if norm.lower().startswith(word + " "):
            norm = norm[len(word) + 1 :].strip()
            break
    if norm.lower().startswith("từ "):
        return _from_form(norm[3:].strip(), text)
    operator = _operator(norm)
    if operator:
        kind, body = operator
        for suffix, _ in _FROM_SUFFIXES:
            if body.lower().endswith(suffix):
                raise _error("expression_operator", text, f"'{suffix}' chỉ đi sau 'từ'",
                             f"'{suffix}' may only follow 'từ'")
        value, unit = _point(body, text)
        return _inequality(kind, value, unit, text)
    for suffix, kind in _FROM_SUFFIXES:
        # "8% trở lên", "95% trở lên" (resolutions often drop the "từ"): the same as with it
        if norm.lower().endswith(" " + suffix) or norm.lower().endswith("%" + suffix):
            value, unit = _point(norm[: -len(suffix)].strip(), text)
            return _inequality(kind, value, unit, text)
    match = _RANGE.fullmatch(norm)
    if match:
        return _range(match, text)
    value, unit = _point(norm, text)
    return TargetExpression("point", value, value, True, True, unit, text)


def _unit_suffix(unit: str | None) -> str:
    if unit is None:
        return ""
    return unit if unit == "%" else f" {unit}"


def format_expression(expr: TargetExpression) -> str:
    """Write an expression in canonical form: "7 - 7,5%", "≥5", "<3", "-4,33", "4.060 ha"."""
    unit = _unit_suffix(expr.unit)
    if expr.kind in ("point", "range"):
        if expr.low is None or expr.high is None:
            raise _error("expression_kind", expr.text, "điểm/khoảng thiếu cận",
                         "a point or range lacks a bound")
        if expr.kind == "point":
            return f"{format_number(expr.low)}{unit}"
        return f"{format_number(expr.low)} - {format_number(expr.high)}{unit}"
    if expr.kind not in SYMBOLS:
        raise _error("expression_kind", expr.text, f"loại không rõ '{expr.kind}'",
                     f"unknown kind '{expr.kind}'")
    bound = expr.low if expr.kind in ("ge", "gt") else expr.high
    if bound is None:
        raise _error("expression_kind", expr.text, "bất đẳng thức thiếu cận",
                     "an inequality lacks its bound")
    return f"{SYMBOLS[expr.kind]}{format_number(bound)}{unit}"
