"""Targets as written and interval actuals (kg.notation.expressions)."""

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import ParseError
from kg.notation import TargetExpression, format_expression, parse_expression

D = Decimal


@pytest.mark.parametrize(
    ("text", "kind", "low", "high", "low_inc", "high_inc", "unit"),
    [
        ("7 - 7,5", "range", D(7), D("7.5"), True, True, None),
        ("7-7,5%", "range", D(7), D("7.5"), True, True, "%"),
        ("7 – 7,5", "range", D(7), D("7.5"), True, True, None),
        ("2.900 - 3.000", "range", D(2900), D(3000), True, True, None),
        ("23 - 24", "range", D(23), D(24), True, True, None),
        ("từ 7 đến 7,5%", "range", D(7), D("7.5"), True, True, "%"),
        ("7% - 7,5%", "range", D(7), D("7.5"), True, True, "%"),
        ("(-4,33)", "point", D("-4.33"), D("-4.33"), True, True, None),
        ("4.060", "point", D(4060), D(4060), True, True, None),
        ("64,6", "point", D("64.6"), D("64.6"), True, True, None),
        ("-0,31", "point", D("-0.31"), D("-0.31"), True, True, None),
        ("47.063,06 ha", "point", D("47063.06"), D("47063.06"), True, True, "ha"),
        ("≥5", "ge", D(5), None, True, False, None),
        (">=5", "ge", D(5), None, True, False, None),
        ("≥ 5", "ge", D(5), None, True, False, None),
        ("từ 5% trở lên", "ge", D(5), None, True, False, "%"),
        ("tối thiểu 95%", "ge", D(95), None, True, False, "%"),
        ("ít nhất 95%", "ge", D(95), None, True, False, "%"),
        (">3", "gt", D(3), None, False, False, None),
        ("trên 90%", "gt", D(90), None, False, False, "%"),
        ("trên 95%", "gt", D(95), None, False, False, "%"),
        ("hơn 3", "gt", D(3), None, False, False, None),
        ("<3", "lt", None, D(3), False, False, None),
        ("dưới 3", "lt", None, D(3), False, False, None),
        ("≤3", "le", None, D(3), False, True, None),
        ("<=3", "le", None, D(3), False, True, None),
        ("tối đa 3", "le", None, D(3), False, True, None),
        ("không quá 3", "le", None, D(3), False, True, None),
        ("từ 3 trở xuống", "le", None, D(3), False, True, None),
    ],
)
def test_parse_expression_reads_targets_as_written(
    text: str, kind: str, low: Decimal | None, high: Decimal | None,
    low_inc: bool, high_inc: bool, unit: str | None,
) -> None:
    assert parse_expression(text) == TargetExpression(
        kind, low, high, low_inc, high_inc, unit, text
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "expression_empty"),
        ("abc", "quantity_no_number"),
        ("7,5 - 7", "expression_bounds"),
        ("7% - 7,5 ha", "expression_unit_mismatch"),
        ("từ 5%", "expression_from"),
        ("≥5 trở lên", "expression_operator"),
        ("7 7,5", "quantity_unit"),
        ("4.59", "number_thousands_group"),
        ("≥", "quantity_no_number"),
        ("7 -", "quantity_unit"),
    ],
)
def test_parse_expression_rejects_malformed(text: str, code: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_expression(text)
    error = caught.value
    assert error.code == code
    assert error.vi and error.en and error.text is not None


@pytest.mark.parametrize(
    ("target", "value", "expected"),
    [
        ("7 - 7,5", "7", True), ("7 - 7,5", "7.5", True), ("7 - 7,5", "7.6", False),
        ("7 - 7,5", "6.9", False), ("≥5", "5", True), ("≥5", "4.99", False),
        (">3", "3", False), (">3", "3.01", True), ("<3", "3", False), ("<3", "2", True),
        ("≤3", "3", True), ("≤3", "3.1", False), ("4.060", "4060", True),
        ("4.060", "4061", False),
    ],
)
def test_contains_respects_bounds(target: str, value: str, expected: bool) -> None:
    assert parse_expression(target).contains(Decimal(value)) is expected


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        ("≥5", "<5", False),
        ("≥3", "≥3", True),
        ("≥3", ">3", True),
        (">3", "≥3", False),
        ("≥3", "≥4", True),
        ("≥3", "≤4", False),
        ("<5", "<5", True),
        ("<5", "≤5", False),
        ("≤5", "<5", True),
        ("7 - 7,5", "7,2", True),
        ("7 - 7,5", "7,6", False),
        ("7 - 7,5", "7 - 7,5", True),
        ("7 - 7,5", "7 - 8", False),
        ("7 - 7,5", "≥7", False),
        ("≥5", "5 - 6", True),
        ("<3", "2", True),
    ],
)
def test_is_satisfied_by_needs_whole_actual_interval(
    target: str, actual: str, expected: bool
) -> None:
    assert parse_expression(target).is_satisfied_by(parse_expression(actual)) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("7 - 7,5", "7.25"), ("4.060", "4060"), ("≥5", "5"), ("<3", "3"), ("(-4,33)", "-4.33")],
)
def test_representative_is_point_midpoint_or_bound(text: str, expected: str) -> None:
    expr = parse_expression(text)
    assert expr.representative == Decimal(expected)
    assert expr.midpoint == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("7-7,5%", "7 - 7,5%"), ("tối thiểu 95%", "≥95%"), ("(-4,33)", "-4,33"),
     ("dưới 3", "<3"), ("47.063,06 ha", "47.063,06 ha"), ("không quá 3", "≤3")],
)
def test_format_expression_writes_canonical_form(text: str, expected: str) -> None:
    assert format_expression(parse_expression(text)) == expected


VALUES = st.decimals(allow_nan=False, allow_infinity=False, places=4,
                     min_value=Decimal("-1e9"), max_value=Decimal("1e9"))
UNITS = st.sampled_from([None, "%", "tỷ đồng", "nghìn lượt", "ha", "xã", "bác sỹ/vạn dân"])


@st.composite
def expressions(draw: st.DrawFn) -> TargetExpression:
    kind = draw(st.sampled_from(["point", "range", "ge", "gt", "le", "lt"]))
    a, b, unit = draw(VALUES), draw(VALUES), draw(UNITS)
    if kind == "point":
        return TargetExpression(kind, a, a, True, True, unit, "")
    if kind == "range":
        return TargetExpression(kind, min(a, b), max(a, b), True, True, unit, "")
    if kind in ("ge", "gt"):
        return TargetExpression(kind, a, None, kind == "ge", False, unit, "")
    return TargetExpression(kind, None, a, False, kind == "le", unit, "")


@settings(max_examples=200, deadline=None)
@given(expressions())
def test_format_then_parse_expression_round_trips(expr: TargetExpression) -> None:
    written = format_expression(expr)
    assert parse_expression(written) == replace(expr, text=written)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet="0123456789.,-–+()%<>=≥≤ từtrênđếnlê", max_size=16)))
def test_parse_expression_raises_only_parse_error(text: str) -> None:
    try:
        parse_expression(text)
    except ParseError:
        pass


def test_parse_expression_approximate_target_keeps_its_figure():
    expr = parse_expression("khoảng 40 - 41")
    assert (expr.kind, expr.low, expr.high) == ("range", Decimal("40"), Decimal("41"))
    assert expr.text == "khoảng 40 - 41"
    assert parse_expression("khoảng 18.500").representative == Decimal("18500")


@pytest.mark.parametrize(("text", "kind", "bound", "unit"), [
    ("8% trở lên", "ge", "8", "%"), ("95 trở lên", "ge", "95", None),
    ("3% trở xuống", "le", "3", "%"), ("1,5 % trở xuống", "le", "1.5", "%")])
def test_tro_len_without_tu_is_the_same_inequality(text, kind, bound, unit):
    # resolutions write "GRDP tăng 8% trở lên" without "từ" (issue 16)
    expr = parse_expression(text)
    assert (expr.kind, expr.unit) == (kind, unit)
    assert (expr.low if kind == "ge" else expr.high) == Decimal(bound)
    assert parse_expression("từ " + text).kind == kind
