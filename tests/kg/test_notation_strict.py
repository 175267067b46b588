"""Strict reading at the boundary (issue 13): no number of another notation read as a number
with a unit, plausibility bounds, and the one Unicode form (kg.notation.bounds, .text)."""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.errors import ParseError
from kg.notation import (
    PCT_OF_PLAN_RANGE,
    check_date,
    check_pct_of_plan,
    nfc,
    nfc_all,
    parse_expression,
    parse_quantity,
    plan_years,
)

SIGNS = st.sampled_from(["", "+", "-"])


@given(st.integers(min_value=0, max_value=10**6), st.sampled_from("eE"), SIGNS,
       st.integers(min_value=0, max_value=10**4), st.sampled_from(["", " ha", " %"]))
def test_exponent_notation_is_refused_never_read_as_a_unit(mantissa, e, sign, exponent, tail):
    text = f"{mantissa}{e}{sign}{exponent}{tail}"
    for parse in (parse_quantity, parse_expression):
        with pytest.raises(ParseError) as caught:
            parse(text)
        assert caught.value.code == "number_notation", text


@given(st.integers(min_value=0, max_value=2**64), st.sampled_from(["x", "X"]))
def test_hexadecimal_is_refused(number, x):
    text = f"0{x}{number:X}"
    with pytest.raises(ParseError) as caught:
        parse_quantity(text)
    assert caught.value.code == "number_notation"


@pytest.mark.parametrize(("text", "unit"), [
    ("5,2 triệu cây", "triệu cây"), ("47.063,06 ha", "ha"), ("3 bar", "bar"),
    ("1.000 lít xăng E5", "lít xăng E5"), ("12 m3", "m3"), ("7,5%", "%"),
])
def test_units_that_start_with_a_word_still_read(text, unit):
    assert parse_quantity(text).unit == unit


def test_the_issue_cases():
    for text in ("1e309", "0x1F"):
        with pytest.raises(ParseError, match="1e5"):
            parse_quantity(text)


@given(st.decimals(min_value=-10**6, max_value=10**6, allow_nan=False, places=2))
def test_pct_of_plan_range(value: Decimal):
    low, high = PCT_OF_PLAN_RANGE
    if low <= value <= high:
        assert check_pct_of_plan(value, str(value)) == value
    else:
        with pytest.raises(ParseError) as caught:
            check_pct_of_plan(value, str(value), "pct_of_plan")
        assert caught.value.code == "implausible_pct_of_plan"
        assert caught.value.place.field == "pct_of_plan"


@given(st.dates())
def test_dates_within_the_plan_span(day: date):
    first, last = plan_years()
    if first <= day.year <= last:
        assert check_date(day) == day
    else:
        with pytest.raises(ParseError) as caught:
            check_date(day)
        assert caught.value.code == "implausible_year"
        assert str(first) in caught.value.vi and str(day.year) in caught.value.en


def test_plan_span_from_the_environment(monkeypatch):
    assert plan_years() == (2000, 2100)
    monkeypatch.setenv("KEHOACH_PLAN_YEARS", "1990 - 2150")
    assert plan_years() == (1990, 2150)
    assert check_date(date(1995, 1, 1)) == date(1995, 1, 1)
    for bad in ("2100-2000", "sớm", "1990"):
        monkeypatch.setenv("KEHOACH_PLAN_YEARS", bad)
        with pytest.raises(ParseError) as caught:
            plan_years()
        assert caught.value.code == "plan_years_setting"


VIETNAMESE = st.text(alphabet="aăâđeêioôơuưyAĂÂĐ áàảãạấầẩẫậếềểễệốồổỗộớờởỡợứừửữựởỷỹ",
                     max_size=30)


@given(VIETNAMESE)
def test_nfc_makes_nfd_and_nfc_one_text(text):
    decomposed = unicodedata.normalize("NFD", text)
    assert nfc(decomposed) == nfc(text) == unicodedata.normalize("NFC", text)
    assert nfc(nfc(text)) == nfc(text)


@given(st.recursive(VIETNAMESE | st.integers() | st.none(),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(VIETNAMESE, inner, max_size=3), max_leaves=10))
def test_nfc_all_reaches_every_string_and_keeps_the_shape(value):
    def decompose(v):
        if isinstance(v, str):
            return unicodedata.normalize("NFD", v)
        if isinstance(v, list):
            return [decompose(x) for x in v]
        if isinstance(v, dict):
            return {decompose(k): decompose(x) for k, x in v.items()}
        return v

    assert nfc_all(decompose(value)) == nfc_all(value)
    assert nfc_all(value) == nfc_all(nfc_all(value))
