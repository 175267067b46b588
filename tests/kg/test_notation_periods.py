"""Dates, reporting periods and deadlines (kg.notation.periods)."""

import calendar
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import ParseError
from kg.notation import Period, parse_date, parse_deadline, parse_period
from kg.notation.periods import CUMULATIVE_KINDS, PERIOD_KINDS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10/12/2022", date(2022, 12, 10)),
        ("ngày 05/7/2023", date(2023, 7, 5)),
        ("Ngày 05/7/2023", date(2023, 7, 5)),
        ("5/7/2023", date(2023, 7, 5)),
        ("ngày 10 tháng 12 năm 2022", date(2022, 12, 10)),
        ("2023-07-05", date(2023, 7, 5)),
        ("29/02/2024", date(2024, 2, 29)),
    ],
)
def test_parse_date_reads_vietnamese_forms(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [("31/02/2023", "date_invalid"), ("29/02/2023", "date_invalid"), ("0/1/2023", "date_invalid"),
     ("5/13/2023", "date_invalid"), ("05.7-2023", "date_format"), ("hôm qua", "date_format"),
     ("", "date_format"), ("2023-7-5", "date_format")],
)
def test_parse_date_rejects_invalid(text: str, code: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_date(text)
    assert caught.value.code == code
    assert caught.value.vi and caught.value.en
    assert caught.value.text == text


@pytest.mark.parametrize(
    ("text", "default_year", "code", "kind", "start", "end"),
    [
        ("tháng 6/2023", None, "T6/2023", "month", date(2023, 6, 1), date(2023, 6, 30)),
        ("tháng 11", 2023, "T11/2023", "month", date(2023, 11, 1), date(2023, 11, 30)),
        ("T11/2023", None, "T11/2023", "month", date(2023, 11, 1), date(2023, 11, 30)),
        ("tháng 2 năm 2024", None, "T2/2024", "month", date(2024, 2, 1), date(2024, 2, 29)),
        ("quý III/2023", None, "Q3/2023", "quarter", date(2023, 7, 1), date(2023, 9, 30)),
        ("Quý IV", 2023, "Q4/2023", "quarter", date(2023, 10, 1), date(2023, 12, 31)),
        ("Q3/2023", None, "Q3/2023", "quarter", date(2023, 7, 1), date(2023, 9, 30)),
        ("quý 1 năm 2024", None, "Q1/2024", "quarter", date(2024, 1, 1), date(2024, 3, 31)),
        ("6 tháng đầu năm 2024", None, "6T/2024", "cumulative", date(2024, 1, 1),
         date(2024, 6, 30)),
        ("9 tháng", 2024, "9T/2024", "cumulative", date(2024, 1, 1), date(2024, 9, 30)),
        ("9 tháng đầu năm", 2024, "9T/2024", "cumulative", date(2024, 1, 1), date(2024, 9, 30)),
        ("lũy kế 11 tháng", 2023, "11T/2023", "cumulative", date(2023, 1, 1),
         date(2023, 11, 30)),
        ("luỹ kế 11 tháng năm 2023", None, "11T/2023", "cumulative", date(2023, 1, 1),
         date(2023, 11, 30)),
        ("11 tháng năm 2023", None, "11T/2023", "cumulative", date(2023, 1, 1),
         date(2023, 11, 30)),
        ("9T/2024", None, "9T/2024", "cumulative", date(2024, 1, 1), date(2024, 9, 30)),
        ("11T/2023", None, "11T/2023", "cumulative", date(2023, 1, 1), date(2023, 11, 30)),
        ("6 tháng cuối năm 2023", None, "H2/2023", "half", date(2023, 7, 1),
         date(2023, 12, 31)),
        ("H1/2024", None, "H1/2024", "half", date(2024, 1, 1), date(2024, 6, 30)),
        ("năm 2024", None, "2024", "year", date(2024, 1, 1), date(2024, 12, 31)),
        ("2024", None, "2024", "year", date(2024, 1, 1), date(2024, 12, 31)),
        ("cả năm 2024", None, "2024", "year", date(2024, 1, 1), date(2024, 12, 31)),
        ("2021 - 2025", None, "2021-2025", "multi_year", date(2021, 1, 1), date(2025, 12, 31)),
        ("giai đoạn 2021-2025", None, "2021-2025", "multi_year", date(2021, 1, 1),
         date(2025, 12, 31)),
        # Bộ Tài chính, CV 18590/BTC-PTHT: "Số giải ngân thực tế từ đầu năm đến hết ngày
        # 20/11/2025 là 516.793,3 tỷ đồng"
        ("từ đầu năm đến hết ngày 20/11/2025", None, "LK20/11/2025", "to_date",
         date(2025, 1, 1), date(2025, 11, 20)),
        ("lũy kế đến hết ngày 27/11/2025", None, "LK27/11/2025", "to_date", date(2025, 1, 1),
         date(2025, 11, 27)),
        ("Tính đến hết 27/11/2025", None, "LK27/11/2025", "to_date", date(2025, 1, 1),
         date(2025, 11, 27)),
        ("đến ngày 15 tháng 10 năm 2025", None, "LK15/10/2025", "to_date", date(2025, 1, 1),
         date(2025, 10, 15)),
        ("đến ngày 20/11", 2025, "LK20/11/2025", "to_date", date(2025, 1, 1),
         date(2025, 11, 20)),
        ("LK27/11/2025", None, "LK27/11/2025", "to_date", date(2025, 1, 1),
         date(2025, 11, 27)),
        ("tính đến thời điểm 15/11/2025", None, "LK15/11/2025", "to_date", date(2025, 1, 1),
         date(2025, 11, 15)),
        # a month's last day is the cumulative period of the month
        ("đến ngày 31 tháng 10 năm 2025", None, "10T/2025", "cumulative", date(2025, 1, 1),
         date(2025, 10, 31)),
        ("lũy kế đến hết ngày 29/02/2024", None, "2T/2024", "cumulative", date(2024, 1, 1),
         date(2024, 2, 29)),
    ],
)
def test_parse_period_reads_vietnamese_forms(
    text: str, default_year: int | None, code: str, kind: str, start: date, end: date
) -> None:
    period = parse_period(text, default_year)
    assert (period.code, period.kind, period.start, period.end, period.text) == (
        code, kind, start, end, text)


def test_parse_period_fills_fields_per_kind() -> None:
    cumulative = parse_period("6 tháng đầu năm 2024")
    assert (cumulative.months, cumulative.month, cumulative.year) == (6, 6, 2024)
    quarter = parse_period("quý III/2023")
    assert (quarter.quarter, quarter.months, quarter.month) == (3, 3, None)
    multi = parse_period("2021 - 2025")
    assert (multi.year, multi.end_year, multi.months) == (2021, 2025, 60)


def test_to_date_period_runs_from_january_and_has_no_whole_months() -> None:
    period = parse_period("từ đầu năm đến hết ngày 27/11/2025")
    assert (period.kind, period.month, period.months, period.year) == ("to_date", 11, None, 2025)
    assert period.kind in CUMULATIVE_KINDS and "to_date" in PERIOD_KINDS


@pytest.mark.parametrize(("text", "code"), [("đến hết ngày 31/11/2025", "period_day_invalid"),
                                            ("LK30/2/2025", "period_day_invalid"),
                                            ("đến ngày 5/13/2025", "period_month_range"),
                                            ("đến hết ngày 27/11", "period_year_missing")])
def test_to_date_period_rejects_impossible_days(text: str, code: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_period(text)
    assert caught.value.code == code
    assert caught.value.vi and caught.value.en


def test_parse_period_prefers_written_year_over_default() -> None:
    assert parse_period("tháng 6/2023", default_year=2030).year == 2023


@pytest.mark.parametrize("text", ["tháng 11", "Quý IV", "9 tháng", "lũy kế 11 tháng"])
def test_parse_period_without_year_says_year_missing(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_period(text)
    error = caught.value
    assert error.code == "period_year_missing"
    assert "thiếu năm" in error.vi and "year is missing" in error.en
    assert error.text == text


@pytest.mark.parametrize(
    ("text", "code"),
    [("tháng 13/2023", "period_month_range"), ("2025 - 2021", "period_year_order"),
     ("quý V/2023", "period_unrecognised"), ("hôm nay", "period_unrecognised"),
     ("", "period_empty"), ("0999", "period_year_range")],
)
def test_parse_period_rejects_malformed(text: str, code: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_period(text)
    assert caught.value.code == code
    assert caught.value.vi and caught.value.en


@pytest.mark.parametrize("code", ["T11/2023", "11T/2023", "LK27/11/2025", "Q3/2023", "H2/2023",
                                  "2024", "2021-2025"])
def test_period_from_code_reads_normal_form(code: str) -> None:
    assert Period.from_code(code).code == code


@pytest.mark.parametrize("text", ["tháng 11/2023", "T06/2023", "quý III/2023", "LK05/7/2025",
                                  "LK31/10/2025"])
def test_period_from_code_refuses_other_forms(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        Period.from_code(text)
    assert caught.value.code == "period_code"


@st.composite
def periods(draw: st.DrawFn) -> Period:
    year = draw(st.integers(1900, 2100))
    kind = draw(st.sampled_from(["month", "cumulative", "to_date", "quarter", "half", "year",
                                 "multi"]))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, calendar.monthrange(year, month)[1] - 1))
    code = {
        "month": lambda: f"T{draw(st.integers(1, 12))}/{year}",
        "cumulative": lambda: f"{draw(st.integers(1, 12))}T/{year}",
        "to_date": lambda: f"LK{day}/{month}/{year}",
        "quarter": lambda: f"Q{draw(st.integers(1, 4))}/{year}",
        "half": lambda: f"H{draw(st.integers(1, 2))}/{year}",
        "year": lambda: str(year),
        "multi": lambda: f"{year}-{year + draw(st.integers(1, 10))}",
    }[kind]()
    return Period.from_code(code)


@settings(max_examples=200, deadline=None)
@given(periods())
def test_period_code_round_trips(period: Period) -> None:
    again = Period.from_code(period.code)
    assert again == period
    assert period.start <= period.end
    if period.kind in CUMULATIVE_KINDS:
        assert period.start == date(period.year, 1, 1)


@settings(max_examples=200, deadline=None)
@given(st.dates(date(1900, 1, 1), date(2100, 12, 31)),
       st.sampled_from(["từ đầu năm đến hết ngày {d}/{m}/{y}", "lũy kế đến ngày {d}/{m}/{y}",
                        "tính đến hết ngày {d} tháng {m} năm {y}", "đến {d}/{m}/{y}"]))
def test_to_date_phrases_end_on_their_day(day: date, form: str) -> None:
    period = parse_period(form.format(d=day.day, m=day.month, y=day.year))
    assert (period.start, period.end) == (date(day.year, 1, 1), day)
    last = day.day == calendar.monthrange(day.year, day.month)[1]
    assert period.kind == ("cumulative" if last else "to_date")
    assert Period.from_code(period.code) == parse_period(period.code)


@pytest.mark.parametrize(
    ("text", "default_year", "kind", "due"),
    [
        ("trước ngày 05/7/2023", None, "date", date(2023, 7, 5)),
        ("ngày 05/7/2023", None, "date", date(2023, 7, 5)),
        ("hết năm 2023", None, "period_end", date(2023, 12, 31)),
        ("trong năm 2023", None, "period_end", date(2023, 12, 31)),
        ("năm 2023", None, "period_end", date(2023, 12, 31)),
        ("trong Quý IV", 2023, "period_end", date(2023, 12, 31)),
        ("quý III/2024", None, "period_end", date(2024, 9, 30)),
        ("tháng 12/2023", None, "period_end", date(2023, 12, 31)),
        ("6 tháng cuối năm 2024", None, "period_end", date(2024, 12, 31)),
        ("đến hết tháng 6/2024", None, "period_end", date(2024, 6, 30)),
        ("trước quý IV/2023", None, "period_end", date(2023, 9, 30)),
    ],
)
def test_parse_deadline_reads_dates_and_period_ends(
    text: str, default_year: int | None, kind: str, due: date
) -> None:
    deadline = parse_deadline(text, default_year)
    assert (deadline.kind, deadline.due, deadline.condition, deadline.text) == (
        kind, due, None, text)


def test_parse_deadline_conditional_has_no_due_date() -> None:
    deadline = parse_deadline("sau khi Thủ tướng phê duyệt")
    assert deadline.kind == "condition"
    assert deadline.due is None
    assert deadline.condition == "sau khi Thủ tướng phê duyệt"


def test_parse_deadline_event_has_no_due_date() -> None:
    deadline = parse_deadline("kỳ họp cuối năm của HĐND tỉnh")
    assert (deadline.kind, deadline.due) == ("event", None)


@pytest.mark.parametrize(
    ("text", "code"),
    [("hôm nào đó", "deadline_unrecognised"), ("", "deadline_empty"),
     ("trong Quý IV", "period_year_missing"), ("trước ngày 31/02/2023", "date_invalid"),
     ("sớm", "deadline_unrecognised")],
)
def test_parse_deadline_rejects_unrecognised(text: str, code: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_deadline(text)
    assert caught.value.code == code
    assert caught.value.vi and caught.value.en


TEXTISH = st.one_of(
    st.text(), st.text(alphabet="0123456789/-TQHtháng quýnămIVđầucuối", max_size=20)
)


@settings(max_examples=200, deadline=None)
@given(TEXTISH)
def test_parse_date_raises_only_parse_error(text: str) -> None:
    try:
        parse_date(text)
    except ParseError:
        pass


@settings(max_examples=200, deadline=None)
@given(TEXTISH, st.one_of(st.none(), st.integers(1900, 2100)))
def test_parse_period_raises_only_parse_error(text: str, default_year: int | None) -> None:
    try:
        parse_period(text, default_year)
    except ParseError:
        pass


@settings(max_examples=200, deadline=None)
@given(TEXTISH, st.one_of(st.none(), st.integers(1900, 2100)))
def test_parse_deadline_raises_only_parse_error(text: str, default_year: int | None) -> None:
    try:
        parse_deadline(text, default_year)
    except ParseError:
        pass
