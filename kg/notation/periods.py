"""Dates (ngày), reporting periods (kỳ báo cáo) and deadlines (thời hạn) written the Vietnamese way.

A period has a normal form ``code``: month "T11/2023", cumulative from January (lũy kế)
"11T/2023", cumulative from January to a day (lũy kế đến ngày) "LK27/11/2025", quarter (quý)
"Q3/2023", second half-year (6 tháng cuối năm) "H2/2023", year "2024", several years (giai
đoạn) "2021-2025". "6 tháng đầu năm" is cumulative "6T/..."; a figure "to a date" that is a
month's last day ("đến hết ngày 31/10/2025") is the cumulative "10T/2025".
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from kg.errors import ParseError
from kg.notation.text import nfc

PERIOD_KINDS: tuple[str, ...] = ("month", "cumulative", "to_date", "quarter", "half", "year",
                                 "multi_year")
"""Kinds of period: tháng, lũy kế từ đầu năm (đến hết tháng), lũy kế từ đầu năm đến một ngày,
quý, nửa năm, năm, giai đoạn nhiều năm. ``cumulative`` and ``to_date`` both start on 1
January (a cumulative flow is paced by the day they end)."""

CUMULATIVE_KINDS: frozenset[str] = frozenset({"cumulative", "to_date"})
"""Kinds that run from 1 January of their year (lũy kế từ đầu năm)."""

TO_DATE_PREFIXES: tuple[str, ...] = (
    "lũy kế từ đầu năm đến", "luỹ kế từ đầu năm đến", "lũy kế đến", "luỹ kế đến",
    "từ đầu năm đến", "tính từ đầu năm đến", "tính đến", "đến",
)
"""Words before the day a to-date figure runs to ("từ đầu năm đến hết ngày 20/11/2025")."""

DEADLINE_KINDS: tuple[str, ...] = ("date", "period_end", "condition", "event")
"""Kinds of deadline: a calendar date, the end of a period, a condition, an event."""

ROMAN_QUARTERS: dict[str, int] = {"i": 1, "ii": 2, "iii": 3, "iv": 4}

CONDITION_PREFIXES: tuple[str, ...] = ("ngay sau khi", "sau khi", "ngay khi", "khi")
"""A deadline opening with these waits for a condition ("sau khi Thủ tướng phê duyệt")."""

EVENT_WORDS: tuple[str, ...] = ("kỳ họp", "phiên họp", "hội nghị", "đại hội")
"""A deadline naming these waits for an event ("kỳ họp cuối năm của HĐND tỉnh")."""

DEADLINE_PREFIXES: tuple[str, ...] = (
    "chậm nhất là", "chậm nhất", "đến hết", "trước", "trong", "hết", "đến", "cuối", "vào",
)
"""Words before a date or period in a deadline; "trước" + period means before it starts."""

_Y = r"(?P<year>[0-9]{4})"
_TAIL = rf"(?:(?:\s*/\s*|\s+năm\s+){_Y})?"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        ("multi_year", r"(?:giai đoạn\s+)?(?P<year>[0-9]{4})\s*(?:-|–|—|đến)\s*(?P<end>[0-9]{4})"),
        ("year", rf"(?:(?:cả\s+)?năm\s*)?{_Y}|(?:cả\s+)?năm"),
        ("month", rf"(?:tháng\s*|t)(?P<m>[0-9]{{1,2}}){_TAIL}"),
        ("cumulative", rf"(?P<m>[0-9]{{1,2}})t(?:\s*/\s*{_Y})?"),
        ("cumulative", rf"(?:(?:lũy|luỹ)\s*kế\s+)?(?P<m>[0-9]{{1,2}})\s+tháng"
                       rf"(?:\s+đầu\s+năm|\s+năm)?(?:(?:\s+|\s*/\s*){_Y})?"),
        ("cumulative", rf"(?:lũy|luỹ)\s*kế\s+(?:đến\s+)?tháng\s*(?P<m>[0-9]{{1,2}}){_TAIL}"),
        ("half", rf"6\s+tháng\s+cuối\s+năm(?:(?:\s+|\s*/\s*){_Y})?"),
        ("half", rf"h(?P<h>[12])(?:\s*/\s*{_Y})?"),
        ("quarter", rf"(?:quý\s*|q)(?P<q>iv|iii|ii|i|[1-4]){_TAIL}"),
    )
)
_TO_DATE_CODE = re.compile(r"lk\s*(?P<d>[0-9]{1,2})/(?P<m>[0-9]{1,2})/(?P<year>[0-9]{4})")
_TO_DATE_DAY = re.compile(
    r"(?:thời\s+điểm\s+)?(?:hết\s+)?(?:ngày\s+)?(?P<d>[0-9]{1,2})\s*(?:/|-|\.|\s+tháng\s+)\s*(?P<m>[0-9]{1,2})"
    r"(?:\s*(?:/|-|\.|\s+năm\s+)\s*(?P<year>[0-9]{4}))?"
)
_DATE_DMY = re.compile(r"(?:ngày\s+)?([0-9]{1,2})\s*([/.-])\s*([0-9]{1,2})\s*\2\s*([0-9]{4})")
_DATE_WORDS = re.compile(r"(?:ngày\s+)?([0-9]{1,2})\s+tháng\s+([0-9]{1,2})\s+năm\s+([0-9]{4})")
_DATE_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DATE_LIKE = re.compile(r"ngày\b|[0-9]{1,4}\s*[/.-]\s*[0-9]{1,2}\s*[/.-]")


def _normal(text: str) -> str:
    if not isinstance(text, str):
        return ""
    return " ".join(nfc(text).split()).strip(" .,;:").lower()


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_date(text: str) -> date:
    """Read a date: "10/12/2022", "ngày 05/7/2023", "ngày 10 tháng 12 năm 2022", "2023-07-05"."""
    norm = _normal(text)
    iso, dmy, words = _DATE_ISO.fullmatch(norm), _DATE_DMY.fullmatch(norm), None
    if iso:
        year, month, day = (int(g) for g in iso.groups())
    elif dmy:
        day, month, year = int(dmy[1]), int(dmy[3]), int(dmy[4])
    elif words := _DATE_WORDS.fullmatch(norm):
        day, month, year = (int(g) for g in words.groups())
    else:
        raise ParseError(
            f"Ngày không hợp lệ: '{text}' — cần dạng 'ngày/tháng/năm', "
            "'ngày D tháng M năm YYYY' hoặc 'YYYY-MM-DD'",
            f"Invalid date: '{text}' — expected 'day/month/year', "
            "'ngày D tháng M năm YYYY' or 'YYYY-MM-DD'",
            code="date_format",
            text=str(text),
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise ParseError(
            f"Ngày không tồn tại: '{text}' (ngày {day}, tháng {month}, năm {year})",
            f"No such date: '{text}' (day {day}, month {month}, year {year})",
            code="date_invalid",
            text=str(text),
        ) from None


@dataclass(frozen=True)
class Period:
    """A reporting period (kỳ báo cáo) with its first and last day.

    ``month`` is the calendar month a month, cumulative or to-date period ends in; ``months``
    is the period's length in whole months (None for a to-date period, which ends on a day
    inside its month); ``quarter`` is set for quarters; ``end_year`` for multi-year.
    """

    kind: str
    year: int
    end_year: int | None
    month: int | None
    months: int | None
    quarter: int | None
    start: date
    end: date
    text: str

    @property
    def code(self) -> str:
        """The normal form: "T11/2023", "11T/2023", "LK27/11/2025", "Q3/2023", "H2/2023",
        "2024", "2021-2025"."""
        if self.kind == "month":
            return f"T{self.month}/{self.year}"
        if self.kind == "cumulative":
            return f"{self.month}T/{self.year}"
        if self.kind == "to_date":
            return f"LK{self.end.day}/{self.end.month}/{self.year}"
        if self.kind == "quarter":
            return f"Q{self.quarter}/{self.year}"
        if self.kind == "half":
            return f"H{1 if self.start.month == 1 else 2}/{self.year}"
        if self.kind == "multi_year":
            return f"{self.year}-{self.end_year}"
        return str(self.year)

    @classmethod
    def from_code(cls, code: str) -> Period:
        """Read a period written in its normal form (see ``code``); anything else is refused."""
        period = parse_period(code)
        if not isinstance(code, str) or period.code != code.strip():
            raise ParseError(
                f"Không phải mã kỳ chuẩn: '{code}' (dạng chuẩn là '{period.code}')",
                f"Not a normal period code: '{code}' (the normal form is '{period.code}')",
                code="period_code",
                text=str(code),
            )
        return period


def _period_error(code: str, text: str, vi: str, en: str) -> ParseError:
    return ParseError(f"Kỳ không hợp lệ: '{text}' — {vi}", f"Invalid period: '{text}' — {en}",
                      code=code, text=str(text))


def _year(match: re.Match[str], default_year: int | None, text: str) -> int:
    written = match.groupdict().get("year")
    year = int(written) if written else default_year
    if year is None:
        raise _period_error("period_year_missing", text, "thiếu năm (và không có năm mặc định)",
                            "the year is missing (and no default year was given)")
    if not 1000 <= year <= 9999:
        raise _period_error("period_year_range", text, f"năm {year} ngoài khoảng 1000-9999",
                            f"year {year} is outside 1000-9999")
    return year


def _month(match: re.Match[str], text: str) -> int:
    month = int(match["m"])
    if not 1 <= month <= 12:
        raise _period_error("period_month_range", text, f"tháng {month} không nằm trong 1-12",
                            f"month {month} is not within 1-12")
    return month


def _build(kind: str, match: re.Match[str], year: int, text: str) -> Period:
    if kind == "month":
        m = _month(match, text)
        return Period(kind, year, None, m, 1, None, date(year, m, 1), _last_day(year, m), text)
    if kind == "cumulative":
        m = _month(match, text)
        return Period(kind, year, None, m, m, None, date(year, 1, 1), _last_day(year, m), text)
    if kind == "quarter":
        q = ROMAN_QUARTERS.get(match["q"]) or int(match["q"])
        return Period(kind, year, None, None, 3, q, date(year, 3 * q - 2, 1),
                      _last_day(year, 3 * q), text)
    if kind == "half":
        first = match.groupdict().get("h") == "1"
        start, end = (date(year, 1, 1), date(year, 6, 30)) if first else (
            date(year, 7, 1), date(year, 12, 31))
        return Period(kind, year, None, None, 6, None, start, end, text)
    if kind == "multi_year":
        end_year = int(match["end"])
        if end_year <= year:
            raise _period_error("period_year_order", text, "năm cuối phải sau năm đầu",
                                "the last year must come after the first")
        return Period(kind, year, end_year, None, 12 * (end_year - year + 1), None,
                      date(year, 1, 1), date(end_year, 12, 31), text)
    return Period("year", year, None, None, 12, None, date(year, 1, 1), date(year, 12, 31), text)


def _to_date_match(norm: str) -> re.Match[str] | None:
    code = _TO_DATE_CODE.fullmatch(norm)
    if code:
        return code
    for prefix in TO_DATE_PREFIXES:
        if norm.startswith(prefix + " "):
            return _TO_DATE_DAY.fullmatch(norm[len(prefix):].strip())
    return None


def _to_date(norm: str, default_year: int | None, text: str) -> Period | None:
    """A period from 1 January to a day ("lũy kế đến hết ngày 27/11/2025", "LK27/11/2025");
    a month's last day gives the cumulative period of that month ("đến 31/10/2025" → 10T)."""
    match = _to_date_match(norm)
    if match is None:
        return None
    year, month = _year(match, default_year, text), _month(match, text)
    try:
        day = date(year, month, int(match["d"]))
    except ValueError:
        raise _period_error("period_day_invalid", text,
                            f"không có ngày {match['d']} tháng {month} năm {year}",
                            f"there is no day {match['d']} in month {month} of {year}") from None
    if day == _last_day(year, month):
        return Period("cumulative", year, None, month, month, None, date(year, 1, 1), day, text)
    return Period("to_date", year, None, month, None, None, date(year, 1, 1), day, text)


def parse_period(text: str, default_year: int | None = None) -> Period:
    """Read a period: "tháng 6/2023", "T11/2023", "quý III/2023", "Q3/2023", "9 tháng",
    "6 tháng đầu năm 2024", "lũy kế 11 tháng", "11T/2023", "6 tháng cuối năm 2023",
    "năm 2024", "2024", "giai đoạn 2021-2025", to a day "từ đầu năm đến hết ngày 20/11/2025",
    "lũy kế đến ngày 27/11/2025", "LK27/11/2025". ``default_year`` fills a missing year."""
    norm = _normal(text)
    if not norm:
        raise _period_error("period_empty", str(text), "chuỗi rỗng", "the text is empty")
    to_date = _to_date(norm, default_year, text)
    if to_date is not None:
        return to_date
    for kind, pattern in _PATTERNS:
        match = pattern.fullmatch(norm)
        if match:
            return _build(kind, match, _year(match, default_year, text), text)
    raise _period_error(
        "period_unrecognised", text,
        "không nhận ra kỳ (ví dụ hợp lệ: 'tháng 6/2023', 'quý III/2023', '9 tháng đầu năm "
        "2024', 'năm 2024', '2021-2025')",
        "unrecognised period (valid examples: 'tháng 6/2023', 'quý III/2023', "
        "'9 tháng đầu năm 2024', 'năm 2024', '2021-2025')",
    )


@dataclass(frozen=True)
class Deadline:
    """A task deadline (thời hạn). ``due`` is None for a condition or an event: such a
    deadline is never overdue by the calendar. ``condition`` holds the awaited condition or
    event as written."""

    text: str
    due: date | None
    condition: str | None
    kind: str


def _strip_prefix(norm: str) -> tuple[str | None, str]:
    for prefix in DEADLINE_PREFIXES:
        if norm.startswith(prefix + " "):
            return prefix, norm[len(prefix):].strip()
    return None, norm


def _period_deadline(text: str, prefix: str | None, rest: str,
                     default_year: int | None) -> Deadline:
    try:
        period = parse_period(rest, default_year)
    except ParseError as error:
        if error.code != "period_unrecognised":
            raise
        raise ParseError(
            f"Thời hạn không hợp lệ: '{text}' — không nhận ra ngày, kỳ, điều kiện hay sự kiện",
            f"Invalid deadline: '{text}' — not a date, period, condition or event",
            code="deadline_unrecognised",
            text=str(text),
        ) from None
    due = period.start - timedelta(days=1) if prefix == "trước" else period.end
    return Deadline(text, due, None, "period_end")


def parse_deadline(text: str, default_year: int | None = None) -> Deadline:
    """Read a deadline: "trước ngày 05/7/2023" (date), "hết năm 2023", "trong Quý IV",
    "tháng 12/2023" (end of the period), "sau khi Thủ tướng phê duyệt" (condition),
    "kỳ họp cuối năm của HĐND tỉnh" (event)."""
    norm = _normal(text)
    if not norm:
        raise ParseError("Thời hạn rỗng", "The deadline is empty", code="deadline_empty",
                         text=str(text))
    if any(norm.startswith(p + " ") for p in CONDITION_PREFIXES):
        return Deadline(text, None, " ".join(text.split()), "condition")
    if any(word in norm for word in EVENT_WORDS):
        return Deadline(text, None, " ".join(text.split()), "event")
    prefix, rest = _strip_prefix(norm)
    if _DATE_LIKE.match(rest):
        return Deadline(text, parse_date(rest), None, "date")
    return _period_deadline(text, prefix, rest, default_year)
