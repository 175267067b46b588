"""Documents cited in report text (văn bản được dẫn chiếu).

"Nghị quyết số 111/2024/QH15 ngày 18/01/2024 của Quốc hội về ...", "Quyết định 165/QĐ-TTg
của Thủ tướng Chính phủ" (no "số"), "Chương trình hành động số 91-\\nCTr/TU" (split across
lines), "Nghị quyết số 20-NQ/TW, ngày 16/6/2022" (a comma before the date). State numbers
("29/NQ-HĐND") and Party numbers ("49-NQ/TU") are read by ``parse_document_number``; dates by
``parse_date``. A number alone is not an identity (numbers restart every year): each citation
keeps its own date, so "20-NQ/TW" of 2012 and of 2022 stay two documents. Laws cited by
title only ("Luật Đất đai") are kept with no number.
"""

from __future__ import annotations

import re

from kg.errors import ParseError
from kg.extract.model import Citation
from kg.extract.text import LogicalLine
from kg.notation import DOCUMENT_TYPES, parse_date, parse_document_number

CITATION_KINDS: tuple[str, ...] = (
    "Chương trình hành động", "Nghị quyết liên tịch", "Thông tư liên tịch", "Nghị quyết",
    "Quyết định", "Chỉ thị", "Công văn", "Công điện", "Kế hoạch", "Chương trình", "Đề án",
    "Luật", "Nghị định", "Thông tư", "Kết luận", "Thông báo", "Hướng dẫn", "Quy định",
    "Thông tri", "Quy chế", "Văn bản", "Báo cáo", "Tờ trình",
)
"""Kinds of document as written before a number, longest first."""

LOOKBACK = 48
"""How far before a number its kind word may stand ("Nghị quyết số", "Quyết\\nđịnh")."""

_UPPER = "A-ZĐÂĂÊÔƠƯ"
_NUMBER = re.compile(
    rf"(?<![\w/.,-])[0-9]{{1,5}}(?:/[0-9]{{4}})?(?:/|-\s?)[{_UPPER}][\w&]*"
    rf"(?:(?:/|-\s?)[{_UPPER}0-9][\w&]*)*"
)
_KIND = re.compile(
    r"(?P<kind>" + "|".join(k.replace(" ", r"\s+") for k in CITATION_KINDS) + r")"
    r"(?:\s+(?:của\s+[^,;.]{1,40}?\s+)?số)?\s*:?\s*$",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"^\s*,?\s*(?:ban\s+hành\s+)?(?:ngày\s+)?(?P<date>[0-9]{1,2}\s*/\s*[0-9]{1,2}\s*/\s*[0-9]{4}"
    r"|[0-9]{1,2}\s+tháng\s+[0-9]{1,2}\s+năm\s+[0-9]{4})",
    re.IGNORECASE,
)
_ISSUER = re.compile(
    r"^\s*,?\s*(?:của|do)\s+(?P<issuer>.+?)"
    r"(?=\s+(?:về|phê\s+duyệt|quy\s+định|ban\s+hành|thực\s+hiện|hướng\s+dẫn|triển\s+khai|"
    r"và|khóa|khoá|nhiệm\s+kỳ|tại|đã|là)\b|[,;.(“\"]|$)",
)
_SUBJECT = re.compile(r"^\s*,?\s*(?P<subject>(?:về|phê\s+duyệt|quy\s+định)\s+[^;.]+)")
_LAW = re.compile(r"(?<![\w])Luật\s+(?P<name>[A-ZĐ][\wÀ-ỹ]*(?:\s+[a-zđà-ỹ][\wÀ-ỹ]*){0,3})")
SUBJECT_MAX = 160


def _kind_before(text: str, start: int) -> tuple[str | None, int]:
    before = text[max(0, start - LOOKBACK):start]
    match = _KIND.search(before)
    if not match:
        return None, start
    kind = " ".join(match["kind"].split())
    return kind[:1].upper() + kind[1:].lower(), start - len(before) + match.start()


def _kind_from_type(doc_type: str | None) -> str | None:
    if doc_type is None or doc_type not in DOCUMENT_TYPES:
        return None
    name = DOCUMENT_TYPES[doc_type][0]
    return name[:1].upper() + name[1:]


def _after(text: str, end: int) -> tuple[str | None, str | None, str | None, int]:
    """Date, issuer and subject written after a number ending at ``end``."""
    date_iso, issuer, subject = None, None, None
    rest = text[end:]
    consumed = 0
    match = _DATE.match(rest)
    if match:
        try:
            date_iso = parse_date(match["date"]).isoformat()
            consumed = match.end()
        except ParseError:
            pass
    match = _ISSUER.match(rest[consumed:])
    if match:
        issuer = " ".join(match["issuer"].split())
        consumed += match.end()
    match = _SUBJECT.match(rest[consumed:])
    if match:
        subject = " ".join(match["subject"].split())[:SUBJECT_MAX]
        consumed += match.end()
    return date_iso, issuer, subject, end + consumed


def _numbered(line: LogicalLine) -> list[Citation]:
    text = line.clean.text
    found: list[Citation] = []
    for match in _NUMBER.finditer(text):
        try:
            number = parse_document_number(match[0])
        except ParseError:
            continue
        kind, start = _kind_before(text, match.start())
        date_iso, issuer, subject, end = _after(text, match.end())
        quote, line_no = line.quote(start, end)
        found.append(Citation(
            kind=kind or _kind_from_type(number.doc_type),
            number=number.format(),
            date=date_iso,
            issuer=issuer or number.issuer,
            subject=subject,
            line=line_no,
            quote=quote,
        ))
    return found


def _laws(line: LogicalLine) -> list[Citation]:
    text = line.clean.text
    found = []
    for match in _LAW.finditer(text):
        quote, line_no = line.quote(match.start(), match.end())
        found.append(Citation("Luật", None, None, None, match["name"], line_no, quote))
    return found


def citations_in(line: LogicalLine) -> list[Citation]:
    """Citations of one logical line, in reading order."""
    found = _numbered(line) + _laws(line)
    return sorted(found, key=lambda c: (c.line, text_position(line, c)))


def text_position(line: LogicalLine, citation: Citation) -> int:
    position = line.text.find(citation.quote)
    return position if position >= 0 else 0
