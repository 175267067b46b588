"""Locate quantities and periods inside running text (định vị số liệu, kỳ trong câu).

Locating is separate from reading: a span found here is read with ``kg.notation``
(``parse_quantity``, ``parse_number``, ``parse_period``); a span the parsers refuse is dropped.
A located number is a *value* unless it is a percentage, a year, part of a date ("31 tháng
10 năm 2025", "ngày 20/11/2025"), of a document number ("57-NQ/TW", "Nghị quyết 57"), a list
or row marker ("(1)", "02 Liên hiệp ..." at the head of a row), a period length ("9 tháng")
or an attribute ("3 sao").

A period is found as written ("lũy kế 11 tháng", "quý III/2023") or as a figure's span to a
day ("từ đầu năm đến hết ngày 20/11/2025" → LK20/11/2025, "đến hết 30/11/2023" → 11T/2023);
"đến nay" is to the document's issue date. A span that starts elsewhere than 1 January ("từ
khởi công đến nay", "từ ngày 15/12/2022 đến ngày 14/12/2023") is not a period of the year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kg.errors import ParseError
from kg.extract.header import TO_DATE_PATTERN, to_date_phrase
from kg.notation import Period, parse_number, parse_period, parse_quantity
from kg.notation.numbers import SCALE_WORDS

STOP_WORDS: frozenset[str] = frozenset({
    "đạt", "tăng", "giảm", "bằng", "so", "với", "trong", "và", "ước", "chiếm", "là", "của",
    "tại", "cho", "từ", "đến", "được", "khoảng", "trên", "dưới", "vượt", "lũy", "luỹ",
    "hơn", "gồm", "như", "theo", "thì", "nhưng", "còn", "đã", "có", "thực", "hiện",
    "đó", "kế", "hoạch", "dự", "toán", "các", "những", "mới", "năm",
})
"""Words that end a unit written after a number."""

TIME_WORDS: frozenset[str] = frozenset({"tháng", "năm", "ngày", "quý", "giờ", "tuần", "kỳ"})
"""A number followed by these is a length of time, not a reported value."""

ATTRIBUTE_WORDS: frozenset[str] = frozenset({"sao", "tầng", "cấp", "tuổi"})
"""A number followed by these qualifies a noun ("sản phẩm 3 sao"), it is not a value."""

ORDINAL_BEFORE: tuple[str, ...] = (
    "tháng", "năm", "quý", "ngày", "lần thứ", "thứ", "khóa", "khoá", "số", "đoạn", "lớp",
    "mốc", "km", "kỳ", "giai đoạn", "điều", "khoản", "mục", "phần", "nghị quyết", "quyết định",
    "chỉ thị", "nghị định", "thông tư", "công văn", "công điện", "thông báo", "kết luận",
    "đề án", "luật", "phụ lục", "biểu", "bảng", "stt",
)
"""A number after these is an ordinal, a date part or a name ("Nghị quyết 57", "Đề án 06"),
not a value."""

_DAY = (r"[0-9]{1,2}\s*[/.-]\s*[0-9]{1,2}\s*[/.-]\s*[0-9]{4}"
        r"|[0-9]{1,2}\s+tháng\s+[0-9]{1,2}\s+năm\s+[0-9]{4}")
_NOT_VALUES = re.compile(
    rf"(?:ngày\s+)?(?:{_DAY})"
    r"|ngày\s+[0-9]{1,2}\s*(?:/\s*[0-9]{1,2}|tháng\s+[0-9]{1,2})"
    r"|(?:đến|từ)\s+(?:hết\s+)?[0-9]{1,2}\s*/\s*[0-9]{1,2}(?![0-9/])"
    r"|\([0-9]{1,2}/[0-9]{1,2}\)"
    r"|[0-9]+(?:/[0-9]{4})?(?:/|-)[A-ZĐ][A-ZĐa-z0-9&]*(?:[/-][A-ZĐ0-9][\wĐđ&]*)*"
    r"|(?<![\w,.])\(\s*[0-9]{1,2}\s*\)"
    r"|^[\s*#|>+•–-]*\(?[0-9]{1,2}[.)]\s"
    r"|(?<=[;:]\s)\(?[0-9]{1,2}\)\s",
)
_ROW_MARKER = re.compile(r"^[\s*#|>+•–-]*[0-9]{1,3}[.)]?(?:\s*\|\s*|\s+)(?=\S)")
_ROW_CELL = re.compile(r"^[\s*#|>+•–-]*\|\s*[0-9]{1,3}[.)]?\s*\|")
"""A row's first cell holding only a number (STT): "| 02 | Liên hiệp ... |"."""
"""Spans whose numbers are never values: dates, document numbers ("18590/BTC-PTHT",
"57-NQ/TW", "111/2024/QH15"), list and row markers ("(1)", "**(4)**", "02 Liên hiệp ..." at
the head of a row)."""

_NUMBER = re.compile(
    r"(?<![\w.,/])([+\-−]?(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,[0-9]+)?)"
    r"(?![0-9]|[.,][0-9])"
)
_UNIT_WORD = re.compile(r"\s*([^\W\d_][\w³²/]*|%)", re.UNICODE)
_PERIOD = re.compile(
    rf"(?P<to_date>{TO_DATE_PATTERN}"
    r"|(?<!trước\s)đến\s+(?:hết\s+)?(?:(?:ngày\s+)?[0-9]{1,2}\s*/\s*[0-9]{1,2}"
    r"(?:\s*/\s*[0-9]{4})?|ngày\s+[0-9]{1,2}\s+tháng\s+[0-9]{1,2}(?:\s+năm\s+[0-9]{4})?)"
    r"(?![0-9/]))"
    r"|(?P<now>(?:(?:lũy|luỹ)\s*kế\s+|tính\s+)?đến\s+"
    r"(?:nay|thời\s+điểm\s+(?:hiện\s+tại|báo\s+cáo|này)))"
    r"|(?:lũy|luỹ)\s*kế\s+(?:đến\s+(?:hết\s+)?)?tháng\s*[0-9]{1,2}(?:\s*/\s*[0-9]{4})?"
    r"|(?:lũy|luỹ)\s*kế\s+[0-9]{1,2}\s+tháng(?:\s+đầu\s+năm)?(?:\s+(?:năm\s+)?[0-9]{4})?"
    r"|(?:đến\s+hết|đến\s+cuối|tính\s+đến\s+hết|hết)\s+tháng\s*[0-9]{1,2}(?:\s*/\s*[0-9]{4})?"
    r"|(?<![\w,.])[0-9]{1,2}\s+tháng(?:\s+đầu\s+năm|\s+cuối\s+năm)?(?:\s+(?:năm\s+)?[0-9]{4})?"
    r"|trong\s+tháng(?:\s+[0-9]{1,2}(?:\s*/\s*[0-9]{4})?)?"
    r"|(?<!\w)tháng\s+[0-9]{1,2}(?:\s*/\s*[0-9]{4})?"
    r"|(?<!\w)quý\s+(?:iv|iii|ii|i|[1-4])\b(?:\s*/\s*[0-9]{4}|\s+năm\s+[0-9]{4})?"
    r"|(?:ước\s+(?:thực\s+hiện\s+)?)?cả\s+năm(?:\s+[0-9]{4})?"
    r"|(?:ước\s+)?(?:đến\s+)?hết\s+năm(?:\s+[0-9]{4})?"
    r"|(?:giai\s+đoạn\s+|thời\s+kỳ\s+|[0-9]{1,2}\s+năm\s+|(?<![\w/.-]))"
    r"(?:19|20)[0-9]{2}\s*[-–]\s*(?:19|20)[0-9]{2}(?![\w/-])"
    r"|ước\s+(?:thực\s+hiện\s+|tính\s+)?năm\s+(?:19|20)[0-9]{2}"
    r"|(?P<bare_year>(?<![\wÀ-ỹ])năm\s+(?:19|20)[0-9]{2})(?![0-9/\-–])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class QuantitySpan:
    """A number found in text with what follows it. ``progress_of`` is y in "x/y"."""

    start: int
    end: int
    number: str
    unit: str | None
    value: Decimal
    is_percent: bool
    is_value: bool
    progress_of: str | None = None


@dataclass(frozen=True)
class PeriodSpan:
    start: int
    end: int
    period: Period


MULTIWORD_UNITS: frozenset[str] = frozenset({
    "doanh nghiệp", "hợp tác xã", "lao động", "sản phẩm", "tài khoản", "trường hợp",
    "học sinh", "công trình", "dự án", "hộ gia đình", "lượt khách", "giường bệnh", "bác sỹ",
    "học viên", "thí sinh", "vận động viên", "lượt người", "lượt xe", "nhà ở",
})
"""Units of more than one word ("hợp tác xã"); other units are one word after the scale."""


def _unit_length(words: list[str]) -> int:
    lowered = [w.lower() for w in words]
    skip = 1 if lowered and lowered[0] in SCALE_WORDS else 0
    for size in (3, 2):
        if len(lowered) >= skip + size and " ".join(lowered[skip:skip + size]) in MULTIWORD_UNITS:
            return skip + size
    return min(len(words), skip + 1)


def _unit_after(text: str, position: int) -> tuple[str | None, int]:
    """The unit after ``position``: a scale word ("triệu", "nghìn") and one word, or a
    known several-word unit; stops at a stop word or punctuation."""
    words: list[str] = []
    ends: list[int] = []
    end = position
    while len(words) < 4:
        match = _UNIT_WORD.match(text, end)
        if not match:
            break
        word = match[1]
        if word == "%":
            return ("%", match.end()) if not words else (" ".join(words), end)
        if word.lower() in STOP_WORDS:
            break
        words.append(word)
        end = match.end()
        ends.append(end)
    if not words:
        return None, position
    size = _unit_length(words)
    return " ".join(words[:size]), ends[size - 1]


def _is_ordinal(text: str, start: int, number: str) -> bool:
    """Whether the integer ``number`` at ``start`` names a month, year, ordinal or code.

    Numbers with a thousands dot or decimals are never ordinals, and a number after a
    duration ("lũy kế 11 tháng 31.573,7", "6 tháng đầu năm 1.351,3") is a value."""
    if "." in number or "," in number:
        return False
    before = text[max(0, start - 14):start].lower().rstrip()
    if re.search(r"[0-9]\s+(?:tháng|năm)$", before):
        return False
    return any(before.endswith(word) and (len(before) == len(word)
               or not before[-len(word) - 1].isalpha()) for word in ORDINAL_BEFORE)


def _is_year(number: str, text: str, end: int) -> bool:
    return (len(number) == 4 and number.isdigit() and number[:2] in ("19", "20")
            and not text[end:end + 4].strip().startswith(("tỷ", "triệu", "nghìn", "ha")))


def _classify(text: str, match: re.Match[str], unit: str | None, progress: str | None) -> bool:
    number = match[1]
    first = (unit or "").split(" ")[0].lower()
    if unit == "%" or first in TIME_WORDS or first in ATTRIBUTE_WORDS:
        return False
    if _is_ordinal(text, match.start(), number) or _is_year(number, text, match.end()):
        return False
    if re.search(r"(?:tăng|giảm|tăng\s+thêm|giảm\s+bớt)\s+$", text[max(0, match.start() - 12):
                                                                  match.start()], re.I):
        return False
    after = text[match.end():match.end() + 1]
    return not (after == "/" and progress is None)


def _not_values(text: str) -> list[tuple[int, int]]:
    """Spans of dates, document numbers and list or row markers (see ``_NOT_VALUES``); a
    number heading a row is a marker when a capitalised name follows it ("02 Liên hiệp")."""
    spans = [(m.start(), m.end()) for m in _NOT_VALUES.finditer(text)]
    row = _ROW_MARKER.match(text)
    if row and text[row.end():row.end() + 1].isupper():
        spans.append((row.start(), row.end()))
    cell = _ROW_CELL.match(text)
    if cell:
        spans.append((cell.start(), cell.end()))
    return spans


def find_quantities(text: str) -> list[QuantitySpan]:
    """Every number in ``text`` that the notation parsers accept, with its unit."""
    spans: list[QuantitySpan] = []
    blocked = _not_values(text)
    for match in _NUMBER.finditer(text):
        try:
            value = parse_number(match[1])
        except ParseError:
            continue
        end, progress = match.end(), None
        slash = re.match(r"/([0-9][0-9.,]*)(?![0-9/])", text[end:])
        if slash:
            progress, end = slash[1], end + slash.end()
        unit, unit_end = _unit_after(text, end)
        if unit and unit != "%":
            try:
                parse_quantity(f"{match[1]} {unit}")
            except ParseError:
                unit = None
        is_value = (_classify(text, match, unit, progress)
                    and not any(s <= match.start() < e for s, e in blocked))
        spans.append(QuantitySpan(match.start(), unit_end if unit else end, match[1], unit,
                                  value, unit == "%", is_value, progress))
    return spans


_OTHER_START = re.compile(r"(?<![\wÀ-ỹ])từ\s+(?!đầu\s+năm)[^;.]{0,40}$", re.IGNORECASE)


def _to_day(match: re.Match[str], text: str, year: int | None,
            today: date | None) -> Period | None:
    """The period of a figure to a day, or None when its span starts elsewhere than 1
    January ("từ khởi công đến nay") or "đến nay" has no issue date to stand for."""
    if _OTHER_START.search(text, max(0, match.start() - 40), match.start()):
        return None
    if match["now"]:
        if today is None:
            return None
        phrase = f"đến ngày {today.day}/{today.month}/{today.year}"
    else:
        phrase = to_date_phrase(match[0])
    try:
        return parse_period(phrase, default_year=year)
    except ParseError:
        return None


_DOCUMENT_BEFORE = re.compile(r"(?:/[A-ZĐ][\wĐđ&-]*|(?:luật|bộ\s+luật)[\w\sÀ-ỹ]{0,40})\s*$",
                              re.IGNORECASE)


def _own_year(match: re.Match[str], text: str, default: Period | None) -> bool:
    """Whether a bare "năm 2025" is a figure's own period: in a document without a period of
    its own (a plan, a notice, a resolution: "Năm 2025, thu ngân sách ... đạt 104% dự
    toán") or another year than a year report's (in a 9-month report "năm 2024" names the
    plan year or a comparison), and never the year of a document ("Công văn 18590/BTC-PTHT
    năm 2025", "Luật Đầu tư công 2024")."""
    own = default is None or (default.kind == "year"
                              and int(match[0].split()[-1]) != default.year)
    return own and not _DOCUMENT_BEFORE.search(text[max(0, match.start() - 40):match.start()])


def find_periods(text: str, default: Period | None, year: int | None = None,
                 today: date | None = None) -> list[PeriodSpan]:
    """Every period expression in ``text``, read with ``parse_period``.

    "trong tháng" is the month of ``default``; "đến hết tháng 11/2023" is cumulative; a
    figure to a day is "LK20/11/2025" ("đến nay": to ``today``, the issue date). ``year``
    (else ``default``'s) fills a period written without one."""
    found: list[PeriodSpan] = []
    year = default.year if default else year
    for match in _PERIOD.finditer(text):
        if match["to_date"] or match["now"]:
            day = _to_day(match, text, year, today)
            if day is not None:
                found.append(PeriodSpan(match.start(), match.end(), day))
            continue
        if match["bare_year"] and not _own_year(match, text, default):
            continue
        phrase = " ".join(match[0].lower().split())
        phrase = re.sub(r"^(?:ước\s+)?(?:thực\s+hiện\s+|tính\s+)?", "", phrase)
        if phrase.startswith("trong tháng") and phrase == "trong tháng":
            if default is None or default.month is None:
                continue
            phrase = f"tháng {default.month}"
        phrase = re.sub(r"^(?:trong\s+)", "", phrase)
        phrase = re.sub(r"^(?:thời\s+kỳ|[0-9]{1,2}\s+năm)\s+(?=[0-9]{4})", "", phrase)
        phrase = re.sub(r"^(?:đến hết|đến cuối|tính đến hết|hết)\s+tháng", "lũy kế đến tháng",
                        phrase)
        phrase = phrase.replace("lũy kế đến hết", "lũy kế đến")
        phrase = re.sub(r"^(?:đến\s+)?hết\s+năm", "năm", phrase)
        try:
            period = parse_period(phrase, default_year=year)
        except ParseError:
            continue
        found.append(PeriodSpan(match.start(), match.end(), period))
    return found
