"""A document's own date and reporting period, read from its header (ngày ban hành, kỳ báo cáo).

The period comes from the title: "TÌNH HÌNH KINH TẾ - XÃ HỘI 9 THÁNG ĐẦU NĂM 2024" → 9T/2024,
"Báo cáo tình hình ... tháng 11 và 11 tháng đầu năm ... 2023" → 11T/2023 (the cumulative
period wins), or from a figure "to a day" stated near the top ("Tính đến hết 27/11/2025 ...",
"báo cáo nhanh ... - lũy kế đến hết ngày 27/11/2025") → LK27/11/2025, else a report on a whole
year ("Báo cáo tình hình kinh tế - xã hội năm 2024") → 2024. Only title lines are read
for months and quarters: the first line, headings, bold or "#" lines, the line after a
document-type heading ("BÁO CÁO", "THÔNG BÁO") and a "V/v" subject; dates ("ngày 16 tháng 11
năm 2025") and deadlines in them are not periods. A directive, plan or notice whose title names
no period has none: its figures take the period their own sentence states.

The date is the issue date of the header ("Hà Nội, ngày 16 tháng 11 năm 2025", "Ngày ban hành:
16/11/2025", "Ngày 28/11/2025, Bộ Tài chính đã ban hành ..."): it dates "đến nay" and gives
the year of a period written without one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from kg.errors import ParseError
from kg.extract.text import LogicalLine
from kg.notation import Period, parse_date, parse_period

HEADER_LINES = 12
"""How many logical lines from the top may state the report's period."""

DATE_LINES = 40
"""How many logical lines from the top may hold the issue date (metadata blocks come first)."""

DOCUMENT_TYPES: tuple[str, ...] = (
    "báo cáo", "thông báo", "kế hoạch", "công văn", "công điện", "tờ trình", "quyết định",
    "nghị quyết", "chỉ thị", "chương trình", "hướng dẫn",
)
"""Type headings a title follows ("BÁO CÁO" / "Tình hình kinh tế - xã hội tháng 11 ...")."""

PREAMBLE_WORDS: tuple[str, ...] = ("căn cứ", "kính gửi", "thực hiện", "nơi nhận")
"""Lines opening with these are preamble or recipients, never a title."""

_MONTHS = re.compile(
    r"(?P<months>[0-9]{1,2})\s+tháng(?:\s+đầu\s+năm|(?P<last>\s+cuối\s+năm))?"
    r"|quý\s+(?P<q>IV|III|II|I)\b"
    r"|tháng\s+(?P<month>[0-9]{1,2})\b",
    re.IGNORECASE,
)
_YEAR_REPORT = re.compile(
    r"(?:tình\s+hình|kết\s+quả|báo\s+cáo|đánh\s+giá|ước\s+thực\s+hiện|cả\s+năm)"
    r"[^.;]{0,120}?năm\s+(?P<year>(?:19|20)[0-9]{2})(?![0-9])",
    re.IGNORECASE,
)
"""A report on a whole year ("Báo cáo tình hình kinh tế - xã hội năm 2024", "ước thực hiện cả
năm 2025"); a plan's title ("Kế hoạch phát triển ... năm 2025") names no report period."""
_SECTION = re.compile(r"^\s*(?:phần\s+[ivx0-9]+|[IVX]{1,5}\.|[0-9]{1,2}\.)(?:\s|$)", re.IGNORECASE)
_YEAR = re.compile(r"(?<![0-9.])(20[0-9]{2}|19[0-9]{2})(?![0-9/])")
_DAY = (r"[0-9]{1,2}\s*[/.-]\s*[0-9]{1,2}(?:\s*[/.-]\s*[0-9]{4})?"
        r"|[0-9]{1,2}\s+tháng\s+[0-9]{1,2}(?:\s+năm\s+[0-9]{4})?")
_DATES = re.compile(
    rf"ngày\s+(?:[0-9]{{1,2}}\s+)?tháng\s+[0-9]{{1,2}}(?:\s+năm\s+[0-9]{{4}})?"
    rf"|(?:ngày\s+)?[0-9]{{1,2}}\s*/\s*[0-9]{{1,2}}\s*/\s*[0-9]{{4}}|ngày\s+(?:{_DAY})",
    re.IGNORECASE,
)
TO_DATE_PATTERN = (
    r"(?:(?:lũy|luỹ|lűy)\s*kế\s+(?:từ\s+đầu\s+năm\s+)?|(?:tính\s+)?từ\s+đầu\s+năm\s+|tính\s+)"
    rf"đến\s+(?:thời\s+điểm\s+)?(?:hết\s+)?(?:ngày\s+)?(?:{_DAY})"
)
"""Regex of a figure's span "to a day": "từ đầu năm đến hết ngày 20/11/2025", "lũy kế đến
ngày 27/11/2025", "tính đến hết 27/11/2025" (the source's "lűy" misspelling included)."""
_TO_DATE = re.compile(TO_DATE_PATTERN, re.IGNORECASE)
_PLACE_DATE = re.compile(
    r",\s*ngày\s+(?P<d>[0-9]{1,2})\s+tháng\s+(?P<m>[0-9]{1,2})\s+năm\s+(?P<y>[0-9]{4})"
    r"|ngày\s+ban\s+hành\W*(?P<iso>[0-9]{1,2}/[0-9]{1,2}/[0-9]{4})"
    r"|,\s*ngày\s+(?P<slash>[0-9]{1,2}\s*/\s*[0-9]{1,2}\s*/\s*[0-9]{4})"
    r"|^\W*ngày\s+(?P<lead>[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}),[^.]{0,80}?\b(?:ban\s+hành|ra|ký)\b",
    re.IGNORECASE,
)
_PLACE_YEAR = re.compile(r",\s*ngày\s+(?:[.…]+\s*)?tháng\s+[0-9]{1,2}\s+năm\s+(?P<y>[0-9]{4})",
                         re.IGNORECASE)


@dataclass(frozen=True)
class DocumentHeader:
    """What the header says: the report's own period, the issue date, the document's year."""

    period: Period | None
    date: date | None
    year: int | None


def to_date_phrase(text: str) -> str:
    """A "to a day" phrase as ``parse_period`` reads it (the "lűy" misspelling mended)."""
    return re.sub(r"lűy", "lũy", " ".join(text.split()), flags=re.IGNORECASE)


def _flat(line: LogicalLine) -> str:
    """The line without footnote markers and emphasis, tone-mark slips mended."""
    return " ".join(line.clean.text.replace("*", " ").replace("#", " ").split())


def _is_preamble(text: str) -> bool:
    lowered = text.lower().lstrip(" -+•")
    return lowered.startswith(PREAMBLE_WORDS)


def title_lines(lines: list[LogicalLine]) -> list[LogicalLine]:
    """The header's title-like lines (see the module docstring)."""
    found: list[LogicalLine] = []
    after_type = False
    for index, line in enumerate(lines[:HEADER_LINES]):
        raw = line.text.strip()
        flat = _flat(line)
        if _is_preamble(flat):
            after_type = False
            continue
        titled = (index == 0 or line.heading or raw.startswith(("#", "**")) or raw.endswith("**")
                  or after_type or flat.lower().startswith("v/v"))
        if titled:
            found.append(line)
        lowered = flat.lower().strip(" .:")
        after_type = line.heading and lowered in DOCUMENT_TYPES
    return found


def _month_period(text: str, year: str) -> Period | None:
    """"9 tháng đầu năm" / "quý III" / "tháng 11" (a later "11 tháng" wins) in ``text``."""
    match = _MONTHS.search(text)
    if match is None:
        return None
    phrase = (f"{match['months']} tháng năm {year}" if match["months"]
              else f"quý {match['q']}/{year}" if match["q"]
              else f"tháng {match['month']}/{year}")
    if match["last"]:  # "6 tháng cuối năm" is the second half, "3 tháng cuối năm" Q4
        phrase = {"6": f"6 tháng cuối năm {year}", "3": f"quý IV/{year}"}.get(
            match["months"].lstrip("0"), "")
    if match["month"]:
        later = _MONTHS.search(text, match.end())
        if later and later["months"]:
            phrase = f"{later['months']} tháng năm {year}"
    try:
        return parse_period(phrase)
    except ParseError:
        return None


def _to_date(text: str, year: int | None) -> Period | None:
    for match in _TO_DATE.finditer(text):
        try:
            return parse_period(to_date_phrase(match[0]), default_year=year)
        except ParseError:
            continue
    return None


def document_date(lines: list[LogicalLine]) -> tuple[date | None, int | None]:
    """The issue date and year of the header ("Lạng Sơn, ngày tháng 6 năm 2023" has a year
    and no day)."""
    year = None
    for line in lines[:DATE_LINES]:
        text = _flat(line)
        match = _PLACE_DATE.search(text)
        if match:
            written = match["iso"] or match["lead"] or match["slash"]
            try:
                day = (parse_date(written) if written
                       else date(int(match["y"]), int(match["m"]), int(match["d"])))
            except (ParseError, ValueError):
                continue
            return day, day.year
        blank = _PLACE_YEAR.search(text)
        if blank and year is None:
            year = int(blank["y"])
    return None, year


def document_period(lines: list[LogicalLine]) -> Period | None:
    """The report's own period from its title or a "to a day" phrase in its header."""
    return read_header(lines).period


def read_header(lines: list[LogicalLine]) -> DocumentHeader:
    """The report's period, issue date and year (see the module docstring)."""
    issued, year = document_date(lines)
    titles = title_lines(lines)
    title_ids = {id(line) for line in titles}
    title_years = [y for line in titles for y in _YEAR.findall(_DATES.sub(" ", _flat(line)))]
    fallback = title_years[0] if title_years else (str(year) if year else None)
    for line in lines[:HEADER_LINES]:
        text = _flat(line)
        if _is_preamble(text):
            continue
        own_year = _YEAR.findall(_DATES.sub(" ", text))
        to_date = _to_date(text, int(own_year[0]) if own_year else year)
        if to_date is not None:
            return DocumentHeader(to_date, issued, year or to_date.year)
        if id(line) not in title_ids:
            continue
        undated = _DATES.sub(" ", text)
        chosen = own_year[0] if own_year else fallback
        period = _month_period(undated, chosen) if chosen else None
        if period is not None:
            return DocumentHeader(period, issued, year or period.year)
    for line in titles:
        if _SECTION.match(_flat(line)):
            break  # the body's first section: "I. ĐÁNH GIÁ TÌNH HÌNH ... NĂM 2023"
        report = _YEAR_REPORT.search(_DATES.sub(" ", _flat(line)))
        if report:
            period = parse_period(report["year"])
            return DocumentHeader(period, issued, year or period.year)
    return DocumentHeader(None, issued, year or (int(fallback) if fallback else None))
