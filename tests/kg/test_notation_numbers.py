"""Vietnamese-format numbers and quantities (kg.notation.numbers)."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import ParseError
from kg.notation import Quantity, format_number, parse_number, parse_quantity


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4.595,5", "4595.5"),
        ("4.060", "4060"),
        ("8.302,2", "8302.2"),
        ("117,4", "117.4"),
        ("(-4,33)", "-4.33"),
        ("-0,31", "-0.31"),
        ("7,5%", "7.5"),
        ("117,4 %", "117.4"),
        ("+3,2", "3.2"),
        ("−4,33", "-4.33"),
        ("1.234.567,891", "1234567.891"),
        ("0", "0"),
    ],
)
def test_parse_number_reads_vietnamese_format(text: str, expected: str) -> None:
    value = parse_number(text)
    assert isinstance(value, Decimal)
    assert value == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "code", "vi_fragment"),
    [
        ("4,5,5", "number_decimal_comma", "xuất hiện hai lần"),
        ("4.59", "number_thousands_group", "đúng 3 chữ số"),
        ("1..2", "number_thousands_group", "đúng 3 chữ số"),
        ("4595.500", "number_thousands_group", "đúng 3 chữ số"),
        ("", "number_empty", "rỗng"),
        ("   ", "number_empty", "rỗng"),
        ("abc", "number_character", "'a'"),
        ("4,5.3", "number_dot_after_comma", "sau dấu thập phân"),
        ("(4,5", "number_parenthesis", "ngoặc"),
        ("4,", "number_no_digits", "sau dấu thập phân"),
        ("-", "number_no_digits", "phần nguyên"),
        ("4 595", "number_space", "khoảng trắng"),
    ],
)
def test_parse_number_rejects_malformed(text: str, code: str, vi_fragment: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_number(text)
    error = caught.value
    assert error.code == code
    assert vi_fragment in error.vi
    assert error.en.startswith("Invalid number")
    assert error.text == text


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier", "scale"),
    [
        ("5,2 triệu cây", "5.2", "triệu cây", None, 10**6),
        ("3.764,82 nghìn lượt", "3764.82", "nghìn lượt", None, 1000),
        ("8.302,2 tỷ đồng", "8302.2", "tỷ đồng", None, 1),
        ("khoảng 2.970 nghìn lượt khách", "2970", "nghìn lượt khách", "khoảng", 1000),
        ("trên 18.600 tỷ đồng", "18600", "tỷ đồng", "trên", 1),
        ("dưới 3%", "3", "%", "dưới", 1),
        ("47.063,06 ha", "47063.06", "ha", None, 1),
        ("7,5%", "7.5", "%", None, 1),
        ("12 triệu USD", "12", "triệu USD", None, 1),
        ("4.060", "4060", None, None, 1),
    ],
)
def test_parse_quantity_splits_qualifier_value_unit(
    text: str, value: str, unit: str | None, qualifier: str | None, scale: int
) -> None:
    assert parse_quantity(text) == Quantity(
        Decimal(value), unit, qualifier, Decimal(scale), text
    )


def test_quantity_base_value_applies_scale() -> None:
    assert parse_quantity("5,2 triệu cây").base_value == Decimal(5_200_000)
    assert parse_quantity("8.302,2 tỷ đồng").base_value == Decimal("8302.2")


@pytest.mark.parametrize(
    ("text", "code"),
    [("khoảng", "quantity_no_number"), ("ha 5", "quantity_no_number"),
     ("5 7,5", "quantity_unit"), ("4,5,5 ha", "number_decimal_comma"), ("", "number_empty")],
)
def test_parse_quantity_rejects_malformed(text: str, code: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_quantity(text)
    assert caught.value.code == code
    assert caught.value.vi and caught.value.en and caught.value.text is not None


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (Decimal("4595.5"), None, "4.595,5"),
        (Decimal("4060"), None, "4.060"),
        (Decimal("-4.33"), None, "-4,33"),
        (Decimal("1234567.891"), None, "1.234.567,891"),
        (Decimal("117.45"), 1, "117,5"),
        (Decimal("7"), 2, "7,00"),
        (Decimal("4E+3"), None, "4.000"),
        (Decimal("999"), None, "999"),
    ],
)
def test_format_number_writes_vietnamese_format(
    value: Decimal, decimals: int | None, expected: str
) -> None:
    assert format_number(value, decimals) == expected


def test_format_number_rejects_non_finite() -> None:
    with pytest.raises(ParseError) as caught:
        format_number(Decimal("NaN"))
    assert caught.value.code == "number_not_finite"


@settings(max_examples=200, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False, places=6,
                   min_value=Decimal("-1e12"), max_value=Decimal("1e12")))
def test_format_then_parse_number_round_trips(value: Decimal) -> None:
    assert parse_number(format_number(value)) == value


NUMBERISH = st.one_of(st.text(), st.text(alphabet="0123456789.,-−+()% ", max_size=12))
"""Arbitrary text, and text made of the characters numbers are written with."""


@settings(max_examples=200, deadline=None)
@given(NUMBERISH)
def test_parse_number_raises_only_parse_error(text: str) -> None:
    try:
        parse_number(text)
    except ParseError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.one_of(NUMBERISH, st.text(alphabet="0123456789.,% khoảngtrêntỷđồng", max_size=20)))
def test_parse_quantity_raises_only_parse_error(text: str) -> None:
    try:
        parse_quantity(text)
    except ParseError:
        pass
