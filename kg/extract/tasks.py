"""Forward-looking tasks (nhiệm vụ) of a document: its task sentences and its task tables.

``tasks_in(lines, period)`` reads the whole document. Two kinds of document:

- **A report** (báo cáo: "BÁO CÁO", "TÌNH HÌNH KINH TẾ - XÃ HỘI ..." in its title) reviews the
  period and ends with a task section: tasks are the sentences under a heading naming tasks
  ("NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM QUÝ IV NĂM 2024", "phương hướng"), until a heading that
  closes it ("Tổ chức thực hiện", "Kiến nghị"); the section's period is their deadline.
- **A directive** (kế hoạch, quyết định, thông báo kết luận, công điện, chỉ thị, công văn)
  assigns tasks throughout its body, except in sections that state purposes, targets or
  results (headings "Mục đích, yêu cầu", "Mục tiêu", "Kết quả đạt được", "Tồn tại, hạn chế",
  "Nguyên nhân" ...). There a clause is a task when it is written as one: it opens with what
  to do ("Rà soát ...", "Khẩn trương ban hành ...") or with an agency and what it must do
  ("Bộ Công an chủ trì ...", "Các bộ, ngành căn cứ hướng dẫn ... tổ chức rà soát"), or it
  assigns ("Giao Sở Tài chính ...", "Đề nghị Ủy ban Mặt trận ...").

A sentence holds several tasks when it lists them: its clauses split at ";" and at inline
numbers "(1)", "(2)", "(i)"; a clause that is only a deadline ("hoàn thành trước ngày 25 tháng
11 năm 2025", "nhiệm vụ thường xuyên") or does not open a new task (a list of documents after
"nhất là") belongs to the clause before it.

The lead (``kg.extract.leads``) is the one the clause names, else the one its sentence opened
with, else the addressee of the item or heading it sits under ("1. Bộ Tài chính: ...", "a)
Bộ Công an: (1) ...", "II. CÁC SỞ, BAN, NGÀNH", "(1) Bộ Tài chính chủ trì, phối hợp với ...,
trong đó:" and its bullets), else the issuer — then ``agency_stated`` is False. Support comes
with the lead. The deadline (``kg.extract.deadlines``) is the first the clause writes, else the
section's period (reports); a condition stays a condition; a standing directive is
``continuing``.

Never tasks: the preamble ("Căn cứ Luật ...", "Xét đề nghị", "Theo đề nghị"), headings,
introductions ("... kết luận như sau:"), recipient lists (Nơi nhận, "Lưu: VT", "Như trên",
"Như Điều 3"), signatures and signer names (TM., KT. CHỦ TỊCH, PHÓ CHỦ TỊCH, a name), copy
banners ("Bản dịch này thuộc quyền sở hữu của THƯ VIỆN PHÁP LUẬT"), what already happened
("đã ..."), and the closing articles: "Quyết định này có hiệu lực ..." and "Chánh Văn phòng
..., Giám đốc các sở ... chịu trách nhiệm thi hành Quyết định này" — the latter names agencies
but assigns nothing beyond carrying out the document itself (the formula of every decision,
khoản thi hành), so it is not a task; "... thông báo để các đồng chí biết, thực hiện" neither.

Task tables are read by ``kg.extract.task_tables`` (over ``kg.extract.tables``): one task per
row or per bullet of the task cell, lead, support and deadline from their columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.deadlines import deadline_in, is_deadline_only
from kg.extract.leads import addressee, lead_in, subject, support_in
from kg.extract.model import Task
from kg.extract.tables import Table, tables_in
from kg.extract.task_tables import (
    MIN_WORDS,
    SUMMARY_MAX,
    deadline_fields,
    table_tasks,
    task_target,
)
from kg.extract.text import LogicalLine
from kg.notation import Period

IMPLIED_OWNER = "UBND tỉnh"
"""The issuer of a provincial report, owner of a task whose sentence names no subject, when
the document's header names no issuer."""

INTRO_WORDS = 10
"""A clause ending in a colon and shorter than this introduces the items after it."""

REPORT_TITLE_LINES = 8
"""How many logical lines from the top may say that the document is a report."""

_REPORT = re.compile(r"^\W*BÁO\s+CÁO\b|TÌNH\s+HÌNH\s+KINH\s+TẾ\s*-\s*XÃ\s+HỘI", re.IGNORECASE)
_SECTION = re.compile(r"nhiệm\s+vụ|phương\s+hướng", re.IGNORECASE)
_SECTION_END = re.compile(r"tổ\s+chức\s+thực\s+hiện|nơi\s+nhận|kiến\s+nghị", re.IGNORECASE)
_TASK_HEADING = re.compile(
    r"nhiệm\s+vụ|giải\s+pháp|tổ\s+chức\s+thực\s+hiện|phân\s+công|trách\s+nhiệm|kiến\s+nghị|"
    r"phụ\s+lục|chỉ\s+đạo\s+như\s+sau|nguồn\s+lực|kinh\s+phí", re.IGNORECASE)
_PLAIN_HEADING = re.compile(
    r"mục\s+đích|yêu\s+cầu|mục\s+tiêu|quan\s+điểm|kết\s+quả|tình\s+hình|tồn\s+tại|hạn\s+chế|"
    r"nguyên\s+nhân|bối\s+cảnh|thực\s+trạng|sự\s+cần\s+thiết|phạm\s+vi|đối\s+tượng|tầm\s+nhìn|"
    r"đánh\s+giá|bài\s+học|căn\s+cứ|sửa\s+đổi,\s+hướng\s+dẫn", re.IGNORECASE)
_PREAMBLE = re.compile(
    r"^\W*(?:Căn\s+cứ\s+(?:Luật|Bộ\s+luật|Hiến|Nghị|Quyết|Thông|Chỉ|Kế\s+hoạch|Công|Pháp|"
    r"Văn\s+bản|Điều|khoản|Chương|Đề\s+án|các\s+(?:Luật|Nghị|Quyết|văn))|Xét\s+(?:đề\s+nghị|"
    r"Tờ\s+trình)|Theo\s+đề\s+nghị)")
_NEVER = re.compile(
    r"^\W*(?:Nơi\s+nhận|Lưu\s*:|Như\s+(?:trên|Điều|Mục|khoản)|"
    r"Kính\s+gửi|(?:TM|KT|TL|TUQ|Q)\.\s|PHÓ\s+CHỦ\s+TỊCH|CHỦ\s+TỊCH\b|Bản\s+dịch\s+này|"
    r"Số\s*:|V/v\b|Đang\s+tải|Xem\s+chi\s+tiết|Click|Quý\s+khách)"
    r"|THƯ\s+VIỆN\s+PHÁP\s+LUẬT|(?:Quyết\s+định|Kế\s+hoạch|Chỉ\s+thị|Nghị\s+quyết|Thông\s+tư|"
    r"Công\s+điện|Thông\s+báo|Quy\s+chế|văn\s+bản)\s+này\s+có\s+hiệu\s+lực|"
    r"chịu\s+trách\s+nhiệm\s+thi\s+hành|trân\s+trọng\s+thông\s+báo|như\s+sau\s*:?\s*$",
)
_ASSIGNS = re.compile(r"(?:^\W*|,\s+)(?:[Gg]iao|[Đđ]ề\s+nghị|[Yy]êu\s+cầu)\s+(?:cho\s+)?"
                      r"(?:các\s+|[A-ZĐỦ])")
_QUOTES = re.compile(
    r"^\W*(?:Theo|Căn\s+cứ|Tại)\s+(?:quy\s+định\s+tại\s+)?(?:Điều|khoản|Khoản|Mục|Chương)\s+"
    r"[0-9]+\b.{0,200}(?:như\s+sau|sau\s+đây)\s*:?\s*$")
"""A line that introduces another document's article ("Theo Điều 5 Luật Đầu tư công 2024 quy
định về đối tượng đầu tư công như sau:"): its quoted provisions are no tasks of this one."""
_BOLD_LINE = re.compile(r"^\s*\*\*[^*]+\*\*\s*$")
_TAIL_MARKER = re.compile(r"(?:^|\s)\*\*\s*((?:[0-9]{1,2}|[IVX]{1,5})\.)\s*$")
_CLOSING = re.compile(r"^\W*(?:Nơi\s+nhận|(?:TM|KT|TL|TUQ)\.\s)")
_APPENDIX = re.compile(r"^\W*PHỤ\s+LỤC\b")
_PAST = re.compile(r"^\W*(?:\S+\s+){0,6}?(?:đã|đang|vừa)\s+(?!được\s+(?:giao|phân\s+công))")
_ACTION = re.compile(
    r"^\W*(?:(?:đồng\s+thời|ngoài\s+ra|trước\s+mắt)\s*,?\s*)?"
    r"(?:(?:khẩn\s+trương|tiếp\s+tục|chủ\s+động|tập\s+trung|kịp\s+thời|quyết\s+liệt|sớm|"
    r"nghiêm\s+túc|thường\s+xuyên|ngay|tích\s+cực|kiên\s+quyết|triệt\s+để|nhanh\s+chóng)"
    r"\s*,?\s+)*"
    r"(?:rà\s+soát|xây\s+dựng|ban\s+hành|hoàn\s+thiện|hoàn\s+thành|nghiên\s+cứu|đẩy\s+mạnh|"
    r"đẩy\s+nhanh|tăng\s+cường|triển\s+khai|tổ\s+chức|thực\s+hiện|chỉ\s+đạo|phối\s+hợp|"
    r"chủ\s+trì|tham\s+mưu|hướng\s+dẫn|theo\s+dõi|kiểm\s+tra|đôn\s+đốc|bảo\s+đảm|đảm\s+bảo|"
    r"phân\s+bổ|bố\s+trí|nâng\s+cao|nâng\s+cấp|cập\s+nhật|thúc\s+đẩy|phát\s+triển|ứng\s+dụng|"
    r"hỗ\s+trợ|khuyến\s+khích|thí\s+điểm|thiết\s+lập|đầu\s+tư|lắp\s+đặt|số\s+hóa|số\s+hoá|"
    r"kết\s+nối|tích\s+hợp|chuyển\s+đổi|xử\s+lý|kiểm\s+soát|quản\s+lý|giám\s+sát|đánh\s+giá|"
    r"tuyên\s+truyền|phổ\s+biến|đào\s+tạo|bồi\s+dưỡng|thu\s+hút|huy\s+động|mở\s+rộng|"
    r"hình\s+thành|phấn\s+đấu|duy\s+trì|củng\s+cố|kiện\s+toàn|sắp\s+xếp|thành\s+lập|trình|"
    r"báo\s+cáo|gửi|tổng\s+hợp|công\s+bố|cung\s+cấp|đề\s+xuất|lập|chuẩn\s+bị|tận\s+dụng|"
    r"có\s+(?:giải\s+pháp|cơ\s+chế|chính\s+sách|kế\s+hoạch|phương\s+án|ý\s+kiến|cam\s+kết)|"
    r"giải\s+quyết|tháo\s+gỡ|cải\s+thiện|cải\s+cách|điều\s+hành|bám\s+sát|sử\s+dụng|"
    r"giữ\s+vững|ưu\s+tiên|nắm\s+chắc|thực\s+thi|khắc\s+phục|ngăn\s+chặn|phòng|chống|tạo|"
    r"đưa|phát\s+huy|chú\s+trọng|quan\s+tâm|đổi\s+mới|giải\s+ngân|vận\s+hành|áp\s+dụng|"
    r"khai\s+thác|tiết\s+kiệm|hạn\s+chế|rút\s+ngắn|đơn\s+giản\s+hóa|cắt\s+giảm|phát\s+động|"
    r"nhân\s+rộng|phục\s+hồi|ổn\s+định|bảo\s+vệ|xúc\s+tiến|thẩm\s+định|phê\s+duyệt|"
    r"đăng\s+ký|lựa\s+chọn|rà|thống\s+nhất|xác\s+định|điều\s+chỉnh|bổ\s+sung|sửa\s+đổi|"
    r"tăng|giảm|thu|chi|làm|dành|tiến\s+hành|vận\s+động|lồng\s+ghép|nâng)(?![\wà-ỹđ])",
    re.IGNORECASE,
)
_OPENER = re.compile(r"^\W*(?:Trên\s+cơ\s+sở|Căn\s+cứ|Đối\s+với|Về|Để|Trong\s+đó|"
                     r"Theo\s+đó)\b[^,;]{0,160},\s*")
_INLINE_NUMBER = re.compile(r"(?:(?<=[:;,])|(?<=^))\s*\(\s*(?:[0-9]{1,2}|[ivx]{1,4})\s*\)\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ(\[])")
_REPORT_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-ZĐÀ-Ỹ0-9])")
_MARKERS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (0, re.compile(r"^(?:phần\s+(?:[IVX]+|thứ\s+\w+)\b|điều\s+[0-9]+\.?|[A-ZĐ]\.)(?=\s|$)",
                   re.IGNORECASE)),
    (1, re.compile(r"^[IVXL]{1,5}\.(?=\s|$)")),
    (4, re.compile(r"^[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{1,2}\.?(?=\s|$)")),
    (3, re.compile(r"^[0-9]{1,2}\.[0-9]{1,2}\.?(?=\s|$)")),
    (2, re.compile(r"^[0-9]{1,2}\.(?=\s|$)")),
    (5, re.compile(r"^[a-zđ]\)(?=\s|$)")),
    (6, re.compile(r"^\(?[0-9]{1,2}\)(?=\s|$)")),
    (7, re.compile(r"^\([a-zđ]{1,4}\)(?=\s|$)")),
    (8, re.compile(r"^[-–•*](?=\s)")),
    (9, re.compile(r"^\+(?=\s)")),
)


@dataclass
class _Context:
    """One open item or heading: its level, whether its section holds tasks (None: as the
    enclosing one), and the agency it addresses with that agency's support."""

    level: int
    active: bool | None
    lead: str | None
    support: list[str]


@dataclass
class _Clause:
    start: int
    end: int
    numbered: bool


def _flat(text: str) -> str:
    return " ".join(text.replace("**", "").split())


def _marker(text: str) -> tuple[int | None, str]:
    """The list level of a line's marker and the text after it."""
    body = text.lstrip(" *")
    for level, pattern in _MARKERS:
        match = pattern.match(body)
        if match:
            return level, body[match.end():].lstrip(" *:")
    return None, body


def _is_report(lines: list[LogicalLine]) -> bool:
    return any(_REPORT.search(_flat(line.text)) for line in lines[:REPORT_TITLE_LINES])


def _issuer(tables: list[Table]) -> str | None:
    """The issuer as its header writes it ("ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI"): the first cell
    of the header table that holds the national motto (Quốc hiệu)."""
    for table in tables[:4]:
        rows = ([table.header] if table.header else []) + table.rows
        for row in rows[:2]:
            texts = row.texts()
            if len(texts) >= 2 and "CỘNG HÒA" in texts[1].upper():
                name = re.split(r"\s-{3,}", texts[0])[0].strip(" -")
                return name or None
    return None


WRAPPED_MIN = 60
"""A body line at least this long that ends without a stop goes on in the next line (a short
one may be a title)."""

CONTINUES: frozenset[str] = frozenset({
    "và", "của", "với", "các", "cho", "theo", "tại", "trong", "về", "để", "là", "được", "từ",
    "đến", "trên", "những", "hợp", "trì", "năm", "tháng", "ngày", "số", "Ban", "Bộ", "Sở",
    "Ủy", "Uỷ", "ban", "nhân", "dân", "Cục", "Văn", "phòng", "Chính", "phủ", "Thủ", "tướng",
    "Hội", "Ngân", "hàng", "Trung", "ương", "tỉnh", "thành", "phố", "cơ", "quan", "đơn", "vị",
    "hoặc", "nhằm", "bảo", "đảm", "thực", "hiện", "chỉ", "đạo", "phối", "chủ",
})
"""Words a wrapped line cannot end with: a logical line ending with one goes on in the next."""


def _paragraphs(lines: list[LogicalLine], items: bool = False) -> list[LogicalLine]:
    """Logical lines with the wraps ``logical_lines`` left open joined again: a line without
    a final stop whose text goes on in the next ("... phối hợp" / "Bộ Khoa học ...", "...
    tháng 11 năm" / "2025; ...", a heading wrapped in two, "**IV. NHIỆM" / "VỤ CỤ THỂ**")."""
    out: list[LogicalLine] = []
    for line in lines:
        last = out[-1] if out else None
        if last is not None and line.footnote is None and last.footnote is None \
                and (_goes_on(last, line.text) or (items and _wrapped_item(last, line))):
            offset = len(last.text) + 1
            joined = LogicalLine(last.text + " " + line.text,
                                 last.starts + [(o + offset, n) for o, n in line.starts],
                                 heading=last.heading and line.heading)
            out[-1] = joined
            continue
        out.append(line)
    return out


def _goes_on(previous: LogicalLine, text: str) -> bool:
    end = previous.text.rstrip(" *\"”’)")
    if previous.text.lstrip().startswith("**") and previous.text.count("**") == 1 \
            and text.count("**") % 2 == 1 and end[-1:] not in (".", ";", "!", "?"):
        return True  # a bold heading wrapped in two: "**I. MỤC" / "ĐÍCH, YÊU CẦU**"
    if not end or end[-1] in ".;:!?…" or _marker(text)[0] is not None:
        return False
    first = text.lstrip(" *")[:1]
    words = end.split()
    directive = bool(re.match(r"^(?:Đề\s+nghị|Giao|Yêu\s+cầu)\s", _marker(_flat(previous.text))[1]))
    wrapped = not previous.heading and len(end) >= WRAPPED_MIN
    return (wrapped or directive or first.islower() or first.isdigit()
            or (bool(words) and words[-1] in CONTINUES) or end.endswith(","))


def _wrapped_item(previous: LogicalLine, line: LogicalLine) -> bool:
    """A numbered item that ``logical_lines`` took for a heading because its first line is
    short ("1. Tổ chức, củng cố Trung tâm" / "Phục vụ hành chính công; xây dựng ..."): plain
    (not bold) text opening with what to do, followed by a body line without a number."""
    level, body = _marker(_flat(previous.text))
    return (previous.heading and not line.heading and level in (2, 3, 4, 5)
            and "**" not in previous.text and bool(_ACTION.match(body))
            and _marker(_flat(line.text))[0] is None
            and previous.text.rstrip()[-1:] not in ".;:!?")


def _source_text(lines: list[LogicalLine]) -> str:
    """The document's physical lines put back from its logical lines (blank lines where
    none was kept), so that tables can be read with their file lines."""
    physical: dict[int, str] = {}
    for line in lines:
        offsets = [offset for offset, _ in line.starts] + [len(line.text) + 1]
        for (offset, number), end in zip(line.starts, offsets[1:], strict=False):
            physical[number] = line.text[offset:end - 1]
    last = max(physical, default=0)
    return "\n".join(physical.get(number, "") for number in range(1, last + 1))


def tasks_in(lines: list[LogicalLine], period: Period | None) -> list[Task]:
    """Every task of a document's logical lines (see the module docstring), in file order."""
    source = _source_text(lines)
    tables = tables_in(source)
    spans = [(table.first_line, table.last_line) for table in tables]
    reader = _Reader(period, _is_report(lines), _issuer(tables) or IMPLIED_OWNER)
    tasks: list[Task] = []
    for line in _paragraphs(lines, items=not reader.report):
        if line.footnote is None and any(a <= line.first_line <= b for a, b in spans):
            continue
        tasks.extend(reader.line(line))
    year = period.year if period else None
    table_rows: list[Task] = []
    for table in tables:
        table_rows.extend(table_tasks(table, year, reader.issuer, source.split("\n")))
    if table_rows and not reader.report:
        # a plan that assigns its tasks in a table (bảng phân công) restates there, with lead
        # and time, the items of its "nhiệm vụ, giải pháp" that name no body
        tasks = [task for task in tasks if task.agency_stated]
    tasks.extend(table_rows)
    tasks.sort(key=lambda task: task.line)
    return tasks


class _Reader:
    """Walks the logical lines outside tables, keeping the open items and headings."""

    def __init__(self, period: Period | None, report: bool, issuer: str) -> None:
        self.year = period.year if period else None
        self.report = report
        self.issuer = issuer
        self.stack: list[_Context] = []
        self.report_active = False
        self.section_deadline: str | None = None
        self.closing = False
        self.pending: int | None = None
        self.quoting = False

    # -- state ---------------------------------------------------------------------------
    def _active(self) -> bool:
        if self.closing:
            return False
        if self.report:
            return self.report_active
        for context in reversed(self.stack):
            if context.active is not None:
                return context.active
        return True

    def _addressee(self) -> tuple[str | None, list[str]]:
        for context in reversed(self.stack):
            if context.lead:
                return context.lead, context.support
        return None, []

    def _open(self, level: int | None, active: bool | None, lead: str | None,
              support: list[str]) -> None:
        if level is None:
            if lead or active is not None:
                self.stack.append(_Context(99, active, lead, support))
            return
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()
        self.stack.append(_Context(level, active, lead, support))

    # -- lines ---------------------------------------------------------------------------
    def line(self, line: LogicalLine) -> list[Task]:
        if line.footnote is not None:
            return []
        text = _flat(line.text)
        if _APPENDIX.match(text):
            self.closing = False
            self.stack = []
            return []
        if _CLOSING.match(text):
            self.closing = True
            return []
        if self.closing:
            return []
        level, body = _marker(text)
        if self.report:
            return self._report_line(line, text, level)
        if _QUOTES.search(text):
            self.quoting = True  # what follows is another document's text, quoted
            return []
        if self.quoting and not (line.heading or text.endswith("?") or _BOLD_LINE.match(line.text)):
            return []
        self.quoting = False
        tail = _TAIL_MARKER.search(line.text)
        found = self._directive_line(line, text, level, body)
        if tail:  # "... **2." closing this line opens the item on the next one
            self.pending = _marker(tail[1])[0]
        return found

    def _report_line(self, line: LogicalLine, text: str, level: int | None) -> list[Task]:
        if line.heading:
            if self.report_active and level == 2 and not _SECTION.search(text):
                return self._read(line, always=True)
            if _SECTION.search(text) and not re.search(r"tình\s+hình", text, re.IGNORECASE):
                self.report_active = True
                self.section_deadline = _section_deadline(text)
            elif _SECTION_END.search(text) or (level in (0, 1) and _PLAIN_HEADING.search(text)):
                # "II. MỤC TIÊU VÀ CÁC CHỈ TIÊU CHỦ YẾU KẾ HOẠCH NĂM 2025", "I. BỐI CẢNH ..."
                self.report_active = False
            return []
        return self._read(line, always=True) if self.report_active else []

    def _directive_line(self, line: LogicalLine, text: str, level: int | None,
                        body: str) -> list[Task]:
        if not body.strip(" *:.-"):
            self.pending = level  # a bare "**1." whose heading follows on the next line
            return []
        if level is None and self.pending is not None:
            level, self.pending = self.pending, None
        else:
            self.pending = None
        head, offset = _lead_in(line)
        named = addressee(_marker(head)[1]) if head else None
        named = named or addressee(body)
        if head and not named:  # a bold title before the items: "2. Đẩy mạnh ...:** Các bộ ..."
            title = _marker(head)[1]
            self._open(level, True if _TASK_HEADING.search(title) else
                       False if _PLAIN_HEADING.search(title) else None, None, [])
            return self._read(line, offset=offset) if self._active() else []
        if level == 0 and re.match(r"^\W*điều\s", text, re.IGNORECASE):
            self._open(0, bool(_TASK_HEADING.search(body)), named[0] if named else None,
                       support_in(body) if named else [])
            return self._read(line, offset=offset) if offset and self._active() else []
        if line.heading and offset == 0:
            active = (True if _TASK_HEADING.search(body)
                      else False if _PLAIN_HEADING.search(body) else None)
            if named and active is None:
                active = True
            self._open(level, active, named[0] if named else None,
                       support_in(body) if named else [])
            return []
        if level is None and named:  # an addressee without its number: a sibling item
            level = next((c.level for c in reversed(self.stack) if c.lead), None)
        if level is not None or named:
            self._open(level, None, named[0] if named else None,
                       support_in(head or body) if named else [])
        if not self._active():
            return []
        return self._read(line, offset=offset)

    # -- clauses -------------------------------------------------------------------------
    def _read(self, line: LogicalLine, always: bool = False, offset: int = 0) -> list[Task]:
        text = line.clean.text.replace("**", "  ")  # same length: offsets stay
        tasks: list[Task] = []
        for start, end in _sentences(text, offset, self.report):
            sentence_lead: tuple[str, list[str]] | None = None
            clauses = [_Clause(start, end, False)] if self.report else _clauses(text, start, end)
            for clause in clauses:
                piece = text[clause.start:clause.end]
                task = self._task(line, piece, clause.start,
                                  always or (clause.numbered and self.report), sentence_lead)
                if task is not None:
                    tasks.append(task)
                    if task.agency_stated:
                        sentence_lead = (task.agency or "", task.support)
        return tasks

    def _task(self, line: LogicalLine, piece: str, start: int, always: bool,
              sentence_lead: tuple[str, list[str]] | None) -> Task | None:
        lead_start = len(piece) - len(piece.lstrip())
        body = re.sub(r"^\s*(?:\(?[0-9]{1,2}[.)]|\([ivx]{1,4}\)|[-+•*–]|[a-zđ]\))\s*", "", piece)
        body = _flat(body).strip(" ;")
        if len(body.split()) < MIN_WORDS or _NEVER.search(body):
            return None
        if body.endswith(":") and len(body.split()) < INTRO_WORDS:
            return None  # "các bộ, ngành, địa phương tập trung:" introduces its items
        opener = _OPENER.match(body)
        own = subject(body, predicate=True) or (
            subject(body[opener.end():], predicate=True) if opener else None)
        if _PREAMBLE.match(body) and not own:
            return None
        named = own or lead_in(body)
        is_task = bool(own) or bool(_ACTION.match(body)) or bool(_ASSIGNS.search(body))
        if not (always or is_task):
            return None
        if _PAST.match(body) and not _ACTION.match(body):
            return None
        lead, support, stated = self._lead(body, named, sentence_lead)
        found = deadline_in(body, self.year)
        written, due, condition, continuing = deadline_fields(found)
        if due is None and condition is None and self.section_deadline and self.report:
            # a report's task section falls due at the end of its period, even for a task
            # done "thường xuyên" (regularly) within it
            section = deadline_in(self.section_deadline, self.year)
            written, due, condition, continuing = deadline_fields(section)
        quote, line_no = line.quote(start + lead_start, start + len(piece.rstrip()))
        return Task(
            summary=body[:SUMMARY_MAX].rstrip(" ;."),
            agency=lead, agency_stated=stated,
            deadline_text=written, deadline=due, condition=condition,
            target=task_target(body), line=line_no, quote=quote,
            support=support, continuing=continuing,
        )

    def _lead(self, body: str, named: str | None,
              sentence_lead: tuple[str, list[str]] | None) -> tuple[str, list[str], bool]:
        support = support_in(body)
        if named:
            return named, support, True
        if sentence_lead:
            return sentence_lead[0], support, True
        lead, inherited = self._addressee()
        if lead:
            return lead, support or inherited, True
        return self.issuer, support, False


def _lead_in(line: LogicalLine) -> tuple[str, int]:
    """A bold lead-in of a line and where the text after it starts in ``line.clean.text``:
    "**13. Sở Xây dựng:** Chủ trì, ..." → ("13. Sở Xây dựng:", after the bold), "Sở Nông
    nghiệp và Môi trường** - Chủ trì ..." (the bold opened on a bare "**1." line before); an
    addressee with a colon in plain text ("a) Bộ Công an: (1) ...") → the text after the
    colon. ("", 0) when the line has none."""
    text = line.clean.text
    bold = re.match(r"^\s*(\*\*)?(?P<head>[^*]{2,200}?)\*\*", text)
    if bold and (bold[1] or "**" not in text[:bold.start("head")]):
        head = bold["head"].strip()
        rest = text[bold.end():]
        if rest.strip(" *:.-") and (head.endswith(":") or addressee(_marker(head)[1])):
            return head, bold.end()
    colon = re.match(r"^\s*(?P<head>[^:]{2,160}?):\s*\S", text.replace("**", "  "))
    if colon and addressee(_marker(colon["head"])[1] + ":"):
        return colon["head"], colon.end() - 1
    return "", 0


def _sentences(text: str, offset: int = 0, report: bool = False) -> list[tuple[int, int]]:
    """(start, end) of each sentence from ``offset``; a list number ("6.") stays with its
    sentence. In a report's task section a ";" before a capital also ends one (its lists
    are of tasks, each a sentence); elsewhere ";" separates the clauses of one sentence."""
    spans: list[tuple[int, int]] = []
    position = offset
    for match in (_REPORT_SENTENCE_END if report else _SENTENCE_END).finditer(text, offset):
        if re.fullmatch(r"\s*\(?[0-9]{1,2}[.)]|\s*[IVX]{1,5}\.", text[position:match.start()]):
            continue
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _clauses(text: str, start: int, end: int) -> list[_Clause]:
    """The clauses of one sentence that may each be a task: a ";" opens a new one when an
    agency follows ("...; Bộ Công an tổng hợp ...") or when the clause before already has its
    deadline and a new action follows ("... trong năm 2025; gửi văn bản cam kết ..."); the
    parts of one action ("chủ trì ...; xây dựng ...; chỉ đạo ...") stay one task."""
    cuts: list[tuple[int, bool]] = [(start, False)]
    for match in re.finditer(r";", text[start:end]):
        cuts.append((start + match.end(), False))
    for match in _INLINE_NUMBER.finditer(text, start, end):
        if match.start() > start:
            cuts.append((match.start(), True))
    cuts.sort()
    clauses: list[_Clause] = []
    for index, (cut, numbered) in enumerate(cuts):
        stop = cuts[index + 1][0] if index + 1 < len(cuts) else end
        piece = text[cut:stop]
        if not piece.strip(" ;"):
            continue
        plain = _flat(piece).strip(" ;")
        dated = bool(clauses) and _has_deadline(text[clauses[-1].start:clauses[-1].end])
        opens = numbered or bool(subject(plain, predicate=True)) or (
            bool(_ACTION.match(plain)) and (dated or not clauses))
        if clauses and (is_deadline_only(plain) or not opens):
            clauses[-1].end = stop
            continue
        clauses.append(_Clause(cut, stop, numbered))
    return clauses


def _has_deadline(text: str) -> bool:
    found = deadline_in(text)
    return found is not None and (found.due is not None or found.condition is not None)


def _section_deadline(heading: str) -> str | None:
    match = re.search(
        r"(quý\s+(?:IV|III|II|I)\s+năm\s+[0-9]{4}|tháng\s+[0-9]{1,2}\s+năm\s+[0-9]{4}"
        r"|6\s+tháng\s+cuối\s+năm\s+[0-9]{4}|năm\s+[0-9]{4})",
        heading, re.IGNORECASE,
    )
    return f"trong {match[1]}" if match else None
