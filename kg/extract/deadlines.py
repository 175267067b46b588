"""Deadlines written in a task (thời hạn): located here, read by ``kg.notation.parse_deadline``.

In running text a deadline is a date or a period after a word that makes it one: "trước ngày
16 tháng 12 năm 2025", "trước 16/12/2025", "chậm nhất ngày 20/12/2025", "hoàn thành trong
tháng 12 năm 2025", "trong quý I năm 2026", "trong năm 2026", "đến hết năm 2025", "trong giai
đoạn 2026 - 2027". A bare date or year is not one ("Thông báo số 07-TB ngày 15/10/2025", "Kế
hoạch năm 2025" name documents and periods). A condition stays a condition, never a date:
"sau khi Thủ tướng phê duyệt", "khi được cấp có thẩm quyền phê duyệt". A standing directive
("thường xuyên", "liên tục", "hằng năm", "nhiệm vụ thường xuyên") is *continuing*: nothing to
fall due. In a table's deadline column the cell itself is the deadline: "31/10/2025", "Quý
I/2026", "Năm 2026", "2026 - 2030", "Giai đoạn 2026 - 2027", "Thường xuyên".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.errors import ParseError
from kg.notation import parse_deadline

_DATE = (r"(?:ngày\s+)?[0-9]{1,2}\s*(?:/|-|\.)\s*[0-9]{1,2}(?:\s*(?:/|-|\.)\s*[0-9]{4})?"
         r"|(?:ngày\s+)?[0-9]{1,2}\s+tháng\s+[0-9]{1,2}(?:\s+năm\s+[0-9]{4})?")
_YEAR_TAIL = r"(?:\s*/\s*[0-9]{4}|\s+năm\s+[0-9]{4})?"
_PERIOD = (rf"quý\s+(?:IV|III|II|I|[1-4])\b{_YEAR_TAIL}"
           rf"|tháng\s+[0-9]{{1,2}}(?![0-9/]){_YEAR_TAIL}"
           r"|6\s+tháng\s+(?:đầu|cuối)\s+năm(?:\s+[0-9]{4})?"
           r"|giai\s+đoạn\s+[0-9]{4}\s*(?:-|–|—|đến)\s*[0-9]{4}"
           r"|năm\s+[0-9]{4}")
_PREFIX = (r"(?:(?:hoàn\s+thành|xong|ban\s+hành|thực\s+hiện|triển\s+khai)\s+)?(?:ngay\s+)?"
           r"(?P<prefix>trước|chậm\s+nhất(?:\s+là)?(?:\s+vào)?|trong|đến\s+hết|hết|"
           r"vào|cuối)\s+")
_WRITTEN = re.compile(rf"(?<![\w/]){_PREFIX}(?P<body>{_DATE}|{_PERIOD})(?![\w/])",
                      re.IGNORECASE)
_CONDITION = re.compile(
    r"(?<!\w)(?:ngay\s+)?sau\s+khi\s+[^,;.:()]{3,80}"
    r"|(?<!\w)(?:ngay\s+)?khi\s+(?:có|được)\s+[^,;.:()]{3,80}",
    re.IGNORECASE,
)
_CONTINUING = re.compile(
    r"(?<!\w)(?:nhiệm\s+vụ\s+)?thường\s+xuyên(?:\s*,?\s*liên\s+tục)?|(?<!\w)hằng\s+năm"
    r"|(?<!\w)hàng\s+năm|(?<!\w)định\s+kỳ|(?<!\w)liên\s+tục(?!\s+\w+\s+năm)",
    re.IGNORECASE,
)
_CONTINUE_START = re.compile(r"^[^;:]{0,200}?(?<![\wà-ỹđ])tiếp\s+tục(?![\wà-ỹđ])", re.IGNORECASE)
_DEADLINE_ONLY = re.compile(
    rf"^\W*(?:và\s+)?(?:(?:phải\s+)?hoàn\s+thành|xong|thời\s+hạn(?:\s+hoàn\s+thành)?:?|"
    rf"thực\s+hiện|báo\s+cáo)?\s*(?:{_PREFIX})?(?:{_DATE}|{_PERIOD})\W*$"
    r"|^\W*(?:nhiệm\s+vụ\s+|thực\s+hiện\s+)?thường\s+xuyên(?:\s*,?\s*liên\s+tục)?\W*$",
    re.IGNORECASE,
)
_CELL_RANGE = re.compile(r"^(?:giai\s+đoạn\s+|từ\s+năm\s+|năm\s+)?([0-9]{4})\s*(?:-|–|—|đến)\s*"
                         r"(?:năm\s+)?([0-9]{4})$", re.IGNORECASE)
_CELL_PIECE = re.compile(rf"(?<![\w/])(?:{_PREFIX})?(?P<body>{_DATE}|{_PERIOD}|[0-9]{{4}})"
                         r"(?![\w/])", re.IGNORECASE)


@dataclass(frozen=True)
class DeadlineFound:
    """A deadline as written and as read: ``due`` ISO or None; ``condition`` the awaited
    condition or event; ``continuing`` for a standing directive; ``start``/``end`` its place
    in the text it was found in."""

    text: str | None
    due: str | None
    condition: str | None
    continuing: bool
    start: int = 0
    end: int = 0


def _read(phrase: str, year: int | None) -> tuple[str | None, str | None] | None:
    """(due, condition) of a located phrase, or None when the notation refuses it."""
    try:
        deadline = parse_deadline(phrase, default_year=year)
    except ParseError:
        return None
    return (deadline.due.isoformat() if deadline.due else None), deadline.condition


def _phrase(match: re.Match[str], year: int | None = None) -> str:
    """The part ``parse_deadline`` reads: its prefix word and the date or period; a day
    written without its year ("chậm nhất ngày 17 tháng 12") takes ``year``."""
    prefix = " ".join(match["prefix"].split()) if match["prefix"] else ""
    prefix = re.sub(r"\s+vào$", "", prefix)
    body = " ".join(match["body"].split())
    if year and re.fullmatch(r"(?:ngày\s+)?[0-9]{1,2}\s+tháng\s+[0-9]{1,2}", body):
        body = f"{body} năm {year}"
    elif year and re.fullmatch(r"(?:ngày\s+)?[0-9]{1,2}\s*[/.-]\s*[0-9]{1,2}", body):
        body = f"{body}/{year}"
    return f"{prefix} {body}".strip()


def deadline_in(text: str, year: int | None = None) -> DeadlineFound | None:
    """The first deadline written in ``text`` (a sentence or clause of a task), a condition,
    or a continuing marker; None when it names none. ``year`` fills a date without one."""
    text = text.replace("*", " ")  # emphasis inside a deadline: "chậm nhất *ngày 17 tháng 12.*"
    found: list[DeadlineFound] = []
    for match in _WRITTEN.finditer(text):
        read = _read(_phrase(match, year), year)
        if read and (read[0] or read[1]):
            found.append(DeadlineFound(" ".join(match[0].split()), read[0], read[1], False,
                                       match.start(), match.end()))
            break
    for match in _CONDITION.finditer(text):
        phrase = " ".join(match[0].split())
        found.append(DeadlineFound(phrase, None, phrase, False, match.start(), match.end()))
        break
    if found:
        return min(found, key=lambda f: f.start)
    match = _CONTINUING.search(text)
    if match:
        return DeadlineFound(" ".join(match[0].split()), None, None, True,
                             match.start(), match.end())
    if _CONTINUE_START.match(text):
        return DeadlineFound(None, None, None, True, 0, 0)
    return None


def is_deadline_only(clause: str) -> bool:
    """Whether ``clause`` says nothing but a deadline ("hoàn thành trước ngày 25 tháng 11
    năm 2025", "nhiệm vụ thường xuyên"): it belongs to the clause before it."""
    return bool(_DEADLINE_ONLY.match(" ".join(clause.split())))


def deadline_cell(text: str, year: int | None = None) -> DeadlineFound | None:
    """The deadline of a table's deadline column (Thời hạn hoàn thành, Thời gian thực hiện):
    the cell itself ("31/10/2025", "Quý I/2026", "Năm 2026", "2026 - 2030", "Giai đoạn
    2026 - 2027. Thực hiện rà soát ...", "Trước năm 2030", "Thường xuyên, liên tục")."""
    cell = " ".join(text.split())
    if not cell:
        return None
    first = re.split(r"(?<=[0-9a-zà-ỹ])\.\s+|;\s*|\n", cell, maxsplit=1)[0].strip(" .;")
    ranged = _CELL_RANGE.match(first)
    if ranged:
        read = _read(f"{ranged[1]}-{ranged[2]}", year)
        if read:
            return DeadlineFound(first, read[0], None, False, 0, len(first))
    if re.fullmatch(r"[0-9]{4}", first):
        read = _read(f"năm {first}", year)
        return DeadlineFound(first, read[0], None, False, 0, len(first)) if read else None
    written = deadline_in(first, year)
    if written is not None and (written.due or written.condition):
        return written
    match = next((m for m in _CELL_PIECE.finditer(first)
                  if not re.search(r"(?:từ|sau)\s*$", first[:m.start()], re.IGNORECASE)), None)
    if match:
        body = " ".join(match["body"].split())
        body = f"năm {body}" if re.fullmatch(r"[0-9]{4}", body) else body
        read = _read(f"{match['prefix'] or ''} {body}".strip(), year)
        if read and read[0]:
            return DeadlineFound(" ".join(match[0].split()), read[0], None, False,
                                 match.start(), match.end())
    if _CONTINUING.search(first):
        return DeadlineFound(first, None, None, True, 0, len(first))
    return None
