"""Forward-looking tasks (nhiệm vụ) of a report's task section.

The section opens at a heading naming tasks ("NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM QUÝ IV NĂM 2024",
"Phần II", "nhiệm vụ trọng tâm tháng 12"); each sentence of its paragraphs is a task. The
owner is *stated* when the sentence opens with an agency ("Sở Y tế chủ trì ...", "UBND các
huyện ...") and *implied* otherwise (the issuer, UBND tỉnh). Bodies a plan is submitted to
("trình HĐND tỉnh") or that approve ("Thủ tướng phê duyệt") are not owners. The deadline is
the one written in the sentence (read by ``parse_deadline``: a date, a period end, a
condition "sau khi ..." that never falls due), else the end of the section's period.
"""

from __future__ import annotations

import re

from kg.errors import ParseError
from kg.extract.model import Task
from kg.extract.text import LogicalLine
from kg.notation import Period, parse_deadline, parse_expression

IMPLIED_OWNER = "UBND tỉnh"
"""The issuer of a provincial report, owner of a task whose sentence names no subject."""

SUMMARY_MAX = 240

_SECTION = re.compile(r"nhiệm\s+vụ|phương\s+hướng", re.IGNORECASE)
_SECTION_END = re.compile(r"tổ\s+chức\s+thực\s+hiện|nơi\s+nhận|kiến\s+nghị", re.IGNORECASE)
_AGENCY = re.compile(
    r"^(?P<agency>(?:các\s+)?(?:Sở|Ban|UBND|Ủy\s+ban|Uỷ\s+ban|Công\s+an|Bộ\s+Chỉ\s+huy|Cục|"
    r"Kho\s+bạc|Ngân\s+hàng|Văn\s+phòng|Thanh\s+tra|Đài|Bảo\s+hiểm|Liên\s+minh|Hội|Trường|"
    r"Trung\s+tâm|cơ\s+quan|sở,\s+ban,\s+ngành|cấp,\s+các\s+ngành)\b[^,:;.]{0,80}?)"
    r"(?=\s+(?:chủ\s+trì|tập\s+trung|tiếp\s+tục|khẩn\s+trương|chỉ\s+đạo|thực\s+hiện|"
    r"phối\s+hợp|tham\s+mưu|rà\s+soát|đẩy\s+mạnh|triển\s+khai|hoàn\s+thành|có\s+trách\s+nhiệm)"
    r"\b|\s*:)",
)
_LEAD_AGENCY = re.compile(
    r"\(\s*(?P<agency>(?:Sở|Ban|UBND|Công\s+an|Cục|Văn\s+phòng|Thanh\s+tra)[^()]{0,80}?)"
    r"\s+chủ\s+trì",
)
_DEADLINE = re.compile(
    r"(?:trước|chậm\s+nhất(?:\s+là)?|trong|đến\s+hết|hết|xong\s+trước)\s+"
    r"(?:ngày\s+[0-9]{1,2}\s*/\s*[0-9]{1,2}(?:\s*/\s*[0-9]{4})?"
    r"|quý\s+(?:IV|III|II|I)\b(?:\s*/\s*[0-9]{4}|\s+năm\s+[0-9]{4})?"
    r"|tháng\s+[0-9]{1,2}(?:\s*/\s*[0-9]{4}|\s+năm\s+[0-9]{4})?"
    r"|6\s+tháng\s+cuối\s+năm(?:\s+[0-9]{4})?"
    r"|năm\s+[0-9]{4})"
    r"|(?:ngay\s+)?sau\s+khi\s+[^,;.]{3,80}",
    re.IGNORECASE,
)
_TARGET = re.compile(
    r"phấn\s+đấu[^;.]{0,80}?(?P<target>(?:trên|dưới|tối\s+thiểu|ít\s+nhất|từ|đạt|hơn)?"
    r"\s*[0-9][0-9.,]*\s?(?:-\s?[0-9][0-9.,]*\s?)?%)",
    re.IGNORECASE,
)
_ITEM = re.compile(r"^[0-9]{1,2}\.\s+[^\W\d_]")
_SENTENCE = re.compile(r"(?<=[.;!?])\s+(?=[A-ZĐÀ-Ỹ0-9])")


def _deadline(sentence: str, year: int | None) -> tuple[str | None, str | None, str | None]:
    for match in _DEADLINE.finditer(sentence):
        written = " ".join(match[0].split())
        phrase = re.sub(r"^xong\s+", "", written)
        if re.match(r"trước\s+ngày\s+[0-9]{1,2}\s*/\s*[0-9]{1,2}$", phrase) and year:
            phrase = f"{phrase}/{year}"
        try:
            deadline = parse_deadline(phrase, default_year=year)
        except ParseError:
            continue
        return written, deadline.due.isoformat() if deadline.due else None, deadline.condition
    return None, None, None


def _target(sentence: str) -> str | None:
    match = _TARGET.search(sentence)
    if not match:
        return None
    written = match["target"].strip()
    body = re.sub(r"^đạt\s+", "", written, flags=re.IGNORECASE)
    try:
        parse_expression(body)
    except ParseError:
        return None
    return body


def _owner(sentence: str) -> tuple[str, bool]:
    lead = _LEAD_AGENCY.search(sentence)
    if lead:
        return " ".join(lead["agency"].split()), True
    match = _AGENCY.match(sentence)
    if match:
        return " ".join(match["agency"].split()), True
    return IMPLIED_OWNER, False


class TaskReader:
    """Reads tasks from the logical lines of a report, in order."""

    def __init__(self, period: Period | None) -> None:
        self.active = False
        self.section_deadline: str | None = None
        self.year = period.year if period else None

    def heading(self, line: LogicalLine) -> list[Task]:
        """Open or close the task section at a heading; a numbered item inside the section
        that looks like a heading (no final stop) is still a task."""
        text = " ".join(line.text.split())
        if self.active and _ITEM.match(text):
            return self.read(line)
        if _SECTION.search(text) and not re.search(r"tình\s+hình", text, re.IGNORECASE):
            self.active = True
            self.section_deadline = _section_deadline(text)
        elif _SECTION_END.search(text):
            self.active = False
        return []

    def read(self, line: LogicalLine) -> list[Task]:
        if not self.active or line.footnote is not None:
            return []
        text = line.clean.text
        tasks: list[Task] = []
        position = 0
        for piece in _sentences(text):
            found = text.find(piece, position)
            start = found if found >= 0 else position
            position = start + len(piece)
            task = self._task(line, piece, start)
            if task:
                tasks.append(task)
        return tasks

    def _task(self, line: LogicalLine, sentence: str, start: int) -> Task | None:
        body = re.sub(r"^\s*(?:[0-9]{1,2}[.)]|[-+•*]|[a-zđ]\))\s*", "", sentence).strip()
        if len(body.split()) < 4:
            return None
        agency, stated = _owner(body)
        written, due, condition = _deadline(body, self.year)
        if written is None and self.section_deadline:
            written = self.section_deadline
            _, due, condition = _deadline(self.section_deadline, self.year)
        quote, line_no = line.quote(start, start + len(sentence))
        return Task(
            summary=body[:SUMMARY_MAX].rstrip(" ;."),
            agency=agency,
            agency_stated=stated,
            deadline_text=written,
            deadline=due,
            condition=condition,
            target=_target(body),
            line=line_no,
            quote=quote,
        )


def _sentences(text: str) -> list[str]:
    """Sentences of a paragraph; a list number ("6.") stays with its sentence."""
    pieces: list[str] = []
    for piece in _SENTENCE.split(text):
        if pieces and re.fullmatch(r"\s*[0-9]{1,2}[.)]", pieces[-1]):
            pieces[-1] = f"{pieces[-1]} {piece}"
        else:
            pieces.append(piece)
    return pieces


def _section_deadline(heading: str) -> str | None:
    match = re.search(
        r"(quý\s+(?:IV|III|II|I)\s+năm\s+[0-9]{4}|tháng\s+[0-9]{1,2}\s+năm\s+[0-9]{4}"
        r"|6\s+tháng\s+cuối\s+năm\s+[0-9]{4}|năm\s+[0-9]{4})",
        heading, re.IGNORECASE,
    )
    return f"trong {match[1]}" if match else None
