"""Parsers for values written the Vietnamese way — one parser per notation, used by every importer.

Every malformed input raises ``kg.errors.ParseError`` (stable ``code``, ``vi``/``en`` message,
offending ``text``); values are ``Decimal``.

- ``parse_number``: "." thousands, "," decimals — "4.595,5", "4.060", "(-4,33)", "-0,31",
  "+3,2", "7,5%" / "117,4 %" (trailing % dropped), Unicode minus "−". Rejects "4,5,5", "4.59",
  "1..2"; a figure in another notation ("1e309", "0x1F") is refused, never read as 1 with
  unit "e309". ``format_number`` writes the same form back ("-4,33").
- ``parse_quantity``: [qualifier] number [unit] — "khoảng 2.970 nghìn lượt khách",
  "trên 18.600 tỷ đồng", "5,2 triệu cây" (scale 10^6), "47.063,06 ha", "7,5%". The scale is the
  scale word (nghìn/ngàn, triệu, tỷ/tỉ) opening a unit that is not money; "tỷ đồng" and
  "triệu USD" are currency units with scale 1.
- ``parse_expression``: targets and interval actuals — point "4.060", "(-4,33)"; range
  "7 - 7,5%", "7–7,5", "2.900 - 3.000", "từ 7 đến 7,5"; ≥ "≥5", ">=5", "từ 5% trở lên",
  "tối thiểu 95%", "ít nhất 95%", "không dưới"; > ">3", "trên 90%", "hơn 3"; < "<3", "dưới 3";
  ≤ "≤3", "tối đa 3", "không quá 3"; "khoảng 18.500" / "khoảng 40 - 41" (approximate, judged on
  its figure). ``is_satisfied_by`` needs the whole actual interval inside
  the target; ``representative`` is the point, range midpoint or bound. ``format_expression``
  writes "7 - 7,5%", "≥5", "-4,33".
- ``parse_date``: "10/12/2022", "ngày 05/7/2023", "ngày 10 tháng 12 năm 2022", "2023-07-05".
- ``parse_period`` (``default_year`` fills a missing year): month "tháng 6/2023", "tháng 11",
  "T11/2023"; cumulative "9 tháng", "6 tháng đầu năm 2024", "lũy kế 11 tháng", "11 tháng năm
  2023", "9T/2024"; to a day (from 1 January) "từ đầu năm đến hết ngày 20/11/2025", "lũy kế
  đến ngày 27/11/2025", "LK27/11/2025" (a month's last day gives the cumulative period: "đến
  31/10/2025" → 10T/2025); half "6 tháng cuối năm 2023", "H2/2023"; quarter "quý III/2023",
  "Quý IV", "Q3/2023"; year "năm 2024", "2024", "cả năm 2024"; multi-year "2021 - 2025", "giai
  đoạn 2021-2025". ``Period.code`` is the normal form (T11/2023, 11T/2023, LK27/11/2025,
  Q3/2023, H2/2023, 2024, 2021-2025), read back by ``Period.from_code``.
- ``parse_deadline``: date "trước ngày 05/7/2023", "ngày 05/7/2023"; period end "hết năm
  2023", "trong năm 2023", "trong Quý IV", "quý III/2024", "tháng 12/2023", "6 tháng cuối năm
  2024" ("trước" + a period = the day before it starts); condition "sau khi Thủ tướng phê
  duyệt" and event "kỳ họp cuối năm của HĐND tỉnh" (no due date: never overdue by calendar).
- ``parse_document_number``: state "29/NQ-HĐND", "1966/QĐ-UBND", "4456/BKHĐT-TH" (issuer-unit,
  no type), "111/2024/QH15", "30/2020/NĐ-CP"; party "49-NQ/TU", "71-CTr/TU", "06-ĐA/TU";
  a leading "số" and trailing punctuation are ignored. ``DocumentNumber.format`` is canonical;
  ``DOCUMENT_TYPES`` is the registry of type codes.
"""

from kg.notation.bounds import (
    PCT_OF_PLAN_RANGE,
    check_date,
    check_pct_of_plan,
    check_year,
    plan_years,
)
from kg.notation.docnumbers import DOCUMENT_TYPES, DocumentNumber, parse_document_number
from kg.notation.expressions import TargetExpression, format_expression, parse_expression
from kg.notation.numbers import Quantity, format_number, parse_number, parse_quantity
from kg.notation.periods import Deadline, Period, parse_date, parse_deadline, parse_period
from kg.notation.text import nfc, nfc_all

__all__ = [
    "DOCUMENT_TYPES",
    "PCT_OF_PLAN_RANGE",
    "Deadline",
    "DocumentNumber",
    "Period",
    "Quantity",
    "TargetExpression",
    "check_date",
    "check_pct_of_plan",
    "check_year",
    "format_expression",
    "format_number",
    "nfc",
    "nfc_all",
    "parse_date",
    "parse_deadline",
    "parse_document_number",
    "parse_expression",
    "parse_number",
    "parse_period",
    "parse_quantity",
    "plan_years",
]
