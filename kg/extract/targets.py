"""Targets stated by plans, resolutions and decisions (chỉ tiêu, mục tiêu kế hoạch).

``targets_in(lines, period)`` reads target statements into ``Target`` rows, each with its
line and verbatim quote:

- sentences of a target section (a heading "Mục tiêu", "Các chỉ tiêu chủ yếu", "Mục tiêu cụ
  thể đến năm 2030" opens it, the next heading of the same or a higher level closes it);
- elsewhere, sentences with a target word before the figure ("phấn đấu", "mục tiêu", "chỉ
  tiêu", "đến năm 2030", "kế hoạch năm 2025 là", "chỉ tiêu giao");
- target tables: a column per year ("Năm 2026 | Năm 2027") or a "Mục tiêu" / "Kế hoạch" /
  "Chỉ tiêu" column, read with ``kg.extract.tables``.

A figure is a target value only where the language puts one: after a verb of attainment
("đạt", "chiếm", "là", "còn", "tăng", "giảm ... xuống", ":"), with an operator that only
targets use ("tối thiểu", "ít nhất", "từ 8% trở lên", "≥"), or opening the clause ("100%
các cơ sở ... được ..."). It is dropped when it was achieved or estimated ("đã đạt", "ước
đạt"), when it is a percentage of plan ("đạt 72% kế hoạch"), a year, an age or an ordinal,
and when ``kg.notation.parse_expression`` refuses it. The period is the year or span written
in the sentence ("đến năm 2030", "giai đoạn 2021 - 2025"), else the nearest heading's, else
the plan span of the document's title, else the year of the report's own period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.errors import ParseError
from kg.extract.model import Target
from kg.extract.text import LogicalLine
from kg.notation import Period, parse_expression, parse_period

_NAMED_DOCUMENT = re.compile(
    r"(?:Quy\s+hoạch|Chiến\s+lược|Chương\s+trình|Đề\s+án|Quyết\s+định|Nghị\s+quyết|Luật|Kết\s+luận)"
    r"\b[^,;.:0-9%]{0,100}$")
"""A capitalised document name before a year phrase: the year belongs to its title."""

_STATED_FIGURE = re.compile(r"[0-9]\s*[%‰]|(?<!\w)(?:đạt|là|chiếm|có)\s+[^;]{0,20}?[0-9]",
                            re.IGNORECASE)

AFTER_FIGURE = 30
"""A year phrase at most this many characters after a figure is the figure's own."""

TITLE_LINES = 40
"""How many logical lines from the top may state the plan's span in its title."""

TARGET_HEADING_WORDS: tuple[str, ...] = ("mục tiêu", "chỉ tiêu")
"""A heading holding one of these opens a target section."""

NOT_TARGET_HEADING_WORDS: tuple[str, ...] = (
    "kết quả", "ước thực hiện", "ước th", "đánh giá", "tình hình", "dự kiến khả năng",
    "khả năng hoàn thành",
)
"""A heading holding one of these reports on targets, it does not set them."""

REPORT_HEADING_WORDS: tuple[str, ...] = NOT_TARGET_HEADING_WORDS + (
    "khó khăn", "hạn chế", "kiến nghị", "đề xuất", "bối cảnh", "công tác chỉ đạo",
)
"""Under a heading holding one of these, "100%" or "tối thiểu" alone does not make a
target: only a target word ("phấn đấu", "mục tiêu") does."""

CUE = re.compile(
    r"(?<!xã\s)phấn\s+đấu|(?<!vượt\s)(?<!đúng\s)(?<!các\s)(?<!trình\s)(?:mục\s+tiêu|chỉ\s+tiêu)|kế\s+hoạch(?:\s+[\w/]+){0,8}?\s*(?:là|:)(?=\s*[0-9])"
    r"|(?<!nhìn\s)(?:đến|tới|vào)\s+(?:hết\s+|cuối\s+)?năm\s+20[0-9]{2}"
    r"(?=\s*,|\s+(?:đạt|có|là|chiếm|giảm|tăng|còn|toàn|cả)(?!\w))",
    re.IGNORECASE,
)
"""Words that make the figures after them targets outside a target section."""

SELF_CUE = re.compile(
    r"(?<!\w)(?:tối\s+thiểu|ít\s+nhất|không\s+dưới|không\s+thấp\s+hơn|tối\s+đa|không\s+vượt\s+quá"
    r"|không\s+quá)\s+[0-9]"
    r"|(?<!đạt\s)(?<!là\s)(?<!bằng\s)(?<![\w.,])100\s*%\s+(?!kế\s|dự\s|so\s|chỉ\s|mục\s)[^\W\d_]"
    r"|(?<!\w)từ\s+[0-9][0-9.,]*\s*%\s*trở\s+lên"
    r"|(?<![\w,])(?-i:Có)\s+[0-9][0-9.,]*\s*%\s+[^\W\d_]",
    re.IGNORECASE,
)
"""Figures that state a target by themselves: an operator only targets use ("tối thiểu
3%", "từ 8% trở lên"), "100%" before its noun ("100% các cơ sở ... được ...") or a sentence
opening "Có 30% diện tích ... áp dụng ..."."""

OBSERVED = re.compile(
    r"(?<!\w)(?:ước|đã\s+(?:đạt|có|thực\s+hiện|hoàn\s+thành|giải\s+ngân|tạo|được\s+công\s+nhận)"
    r"|đạt\s+được|thực\s+hiện\s+được|hiện\s+nay|hiện\s+có|hiện\s+đạt|lũy\s+kế|luỹ\s+kế"
    r"|so\s+với\s+cùng\s+kỳ|cùng\s+kỳ|đến\s+nay|mới\s+đạt|(?<!để\s)(?<!đảm\s)(?<!đấu\s)(?:đạt|vượt)\s+(?:các\s+)?(?:chỉ\s+tiêu|mục\s+tiêu|kế\s+hoạch)"
    r"|[0-9]\s*%\s*(?:kế\s+hoạch|dự\s+toán))(?!\w)",
    re.IGNORECASE,
)
"""A clause holding one of these before the figure states a result, not a target."""

PROGRESS = re.compile(r"(?<![\w/.,])[0-9]+/[0-9]+\s+[^\W\d_]")
"""x/y progress ("3321/3321 đơn vị cấp xã hoàn thành"): a sentence reporting a result."""

HAS_BEEN = re.compile(r"(?<!\w)đã\s+được\s+(?!giao)", re.IGNORECASE)
""""đã được" (has been) before a figure in its clause: a result ("... đã được khởi công xây
dựng, tiến độ bình quân đạt 55%")."""

SO_FAR = re.compile(r"(?<!\w)(?:đến|tính\s+đến)\s+(?:hết\s+)?(?:tháng|ngày|quý)(?!\w)",
                    re.IGNORECASE)
"""A figure "đến hết tháng 6/2024" is a result so far, unless the sentence strives for it."""

OWN_SHARE_AFTER = re.compile(
    r"\s*,?\s*(?:đạt|bằng|vượt)\s+(?:khoảng\s+)?[0-9][0-9.,]*\s*%\s*(?:so\s+với\s+)?"
    r"(?:kế\s+hoạch|kh\b|dự\s+toán|cùng\s+kỳ)", re.IGNORECASE)
"""A figure followed by its own share of the plan ("1.862,3 tỷ đồng, đạt 51,7% kế hoạch") is
a result measured against the plan, not the plan."""

PLAN_SHARE_AFTER = re.compile(
    r"\s*(?:\(|,)?\s*(?:so\s+với\s+)?(?:kế\s+hoạch|kh\b|dự\s+toán|cùng\s+kỳ)",
    re.IGNORECASE,
)
"""A figure followed by these is a share of the plan or a change, not a target."""

VALUE_VERBS = re.compile(
    r"(?:(?<!\w)(?:đạt(?:\s+được)?(?:\s+mức)?|chiếm(?:\s+tỷ\s+lệ)?|là|còn|ở\s+mức|bằng"
    r"|tăng(?:\s+trưởng)?(?:\s+thêm|\s+lên|\s+bình\s+quân)?(?:\s+(?:từ|đạt))?"
    r"|giảm(?:\s+thêm|\s+bình\s+quân)?|xuống(?:\s+còn|\s+mức)?|lên(?:\s+mức)?"
    r"|thêm|mới|có|gấp|kế\s+hoạch|chỉ\s+tiêu(?:\s+(?:được\s+)?giao)?|được\s+giao|giao|mục\s+tiêu"
    r"|phấn\s+đấu)|:)\s*$",
    re.IGNORECASE,
)
"""Words that open a value slot: the figure after them is the indicator's value."""

KEPT_VERBS = ("tăng", "giảm", "thêm", "mới", "có", "gấp")
"""Slot words that belong to the indicator as written ("tăng", "Xây dựng thêm")."""

NOUN_FIRST_VERBS = ("thêm", "mới", "có", "phấn đấu")
"""After these the figure comes before its noun ("thêm 09 xã đạt chuẩn")."""

SLOT_OPERATORS = ("từ", "khoảng", "xấp xỉ")
"""Qualifiers that open a value slot by themselves ("khoảng 40 - 41 nghìn tỷ đồng")."""

SELF_EVIDENT_OPERATORS = ("tối thiểu", "ít nhất", "không dưới", "không thấp hơn", "tối đa",
                          "không quá", "không vượt quá")
"""Operators written only in targets: the figure after them needs no verb before it."""

_NUM = r"(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,[0-9]+)?"
_OPERATOR = (r"tối\s+thiểu|ít\s+nhất|không\s+dưới|không\s+thấp\s+hơn|tối\s+đa|không\s+vượt\s+quá"
             r"|không\s+quá|cao\s+hơn|thấp\s+hơn|lớn\s+hơn|nhỏ\s+hơn|trên|dưới|hơn"
             r"|≥|>=|>|≤|<=|<")
_EXPRESSION = re.compile(
    rf"(?<![\w.,/])(?:(?P<approx>khoảng|xấp\s+xỉ)\s+)?(?:(?P<op>{_OPERATOR})\s*)?"
    rf"(?:(?P<from>từ)\s+)?(?P<a>{_NUM})(?![0-9]|[.,][0-9]|/)"
    rf"(?:\s*(?P<ua>%)?\s*(?:-|–|—|đến|tới)\s*(?P<b>{_NUM})(?![0-9]|[.,][0-9]))?",
    re.IGNORECASE,
)
_UNIT_WORD = re.compile(r"\s*([^\W\d_][\w³²/.]*)", re.UNICODE)
_SUFFIX = re.compile(r"\s*(?P<suffix>trở\s+lên|trở\s+xuống)", re.IGNORECASE)

SCALE_WORDS = ("nghìn", "ngàn", "triệu", "tỷ", "tỉ", "vạn")
MULTIWORD_UNITS: tuple[str, ...] = (
    "doanh nghiệp", "hợp tác xã", "lao động", "sản phẩm", "lượt khách", "lượt người",
    "bác sỹ", "bác sĩ", "công trình", "dự án", "hộ gia đình", "học sinh", "cơ sở", "nhà ở",
    "thuê bao", "loại hình sản phẩm", "bộ tiêu chí", "vùng dự án", "sàn giao dịch", "cán bộ",
)
"""Units of more than one word; other units are one word after the scale words."""

NOT_UNITS: frozenset[str] = frozenset({
    "so", "với", "trở", "để", "nhằm", "vào", "trong", "tại", "theo", "mỗi", "đạt", "và",
    "của", "cho", "từ", "đến", "trên", "dưới", "các", "những", "kế", "dự", "năm", "là",
    "được", "thì", "hoặc", "cả", "toàn", "về", "như", "có", "đã", "sẽ", "ở",
})
"""Words after a figure that are not its unit."""

TIME_OR_ATTRIBUTE = frozenset({"tháng", "năm", "ngày", "quý", "giờ", "tuần", "kỳ", "tuổi",
                               "sao", "tầng", "cấp", "lần thứ", "phút", "giây"})
"""A figure followed by these is an age, a length of time or an attribute, not a target."""

ORDINAL_BEFORE = re.compile(
    r"(?:(?<!\w)(?:tháng|năm|quý|ngày|thứ|khóa|khoá|số|đoạn|lớp|mốc|kỳ|điều|khoản|mục|phần"
    r"|nhóm|giai\s+đoạn|km|lần|biểu|mẫu|trang|tờ|lục)|[(\[/])\s*$",
    re.IGNORECASE,
)
_FORMS_BEFORE = re.compile(r"(?<!\w)(?:biểu|mẫu|phụ\s+lục|trang|điều|khoản|mục|số|tờ)\s*$",
                           re.IGNORECASE)
_YEAR_PHRASE = re.compile(
    r"(?:giai\s+đoạn|thời\s+kỳ|nhiệm\s+kỳ)?\s*(?P<a>20[0-9]{2})\s*[-–—]\s*(?P<b>20[0-9]{2})"
    r"|(?:đến\s+)?hết\s+quý\s+(?P<q>IV|III|II|I)\s*(?:năm|/)\s*(?P<qy>20[0-9]{2})"
    r"|(?P<lead>(?:đến|tới|vào|trong|hết|cuối|cả|đến\s+hết|đến\s+cuối|sau)\s+)?năm\s+(?P<y>20[0-9]{2})",
    re.IGNORECASE,
)
_NOT_TARGET_YEAR = re.compile(
    r"(?:so\s+với(?:\s+\w+){0,4}|tháng\s+[0-9]{1,2}|[0-9]{1,2}/[0-9]{1,2}/?|tầm\s+nhìn(?:\s+đến)?"
    r"|ban\s+hành|ngày(?:\s+[0-9]{1,2})?|lần|gấp|bằng|với)\s*$",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r";|\.(?=\s+[^\W\d_a-zđ])|\s(?=\(\d{1,2}\)\s)|\s(?=[a-zđ]\)\s)")
_LEAD_NOISE = re.compile(
    r"(?:\s|[-+•*–]|\(\d{1,2}\)|[a-zđ]\)|\d{1,2}\.|,|\.|;|:"
    r"|(?:tại|đối\s+với|ở)\s[^,:;()]{1,80}(?:\([^)]{0,200}\)[^,:;()]{0,40})?,"
    r"|phấn\s+đấu|hoàn\s+thành(?:\s+(?:chỉ\s+tiêu|mục\s+tiêu))?|mục\s+tiêu|chỉ\s+tiêu"
    r"|đảm\s+bảo|bảo\s+đảm|trong\s+đó|và|để|nhằm|về"
    r"|(?:đến|tới|vào|trong|hết|cuối|cả|đến\s+hết|đến\s+cuối)?\s*năm\s+20[0-9]{2}"
    r"|giai\s+đoạn\s+20[0-9]{2}\s*[-–]\s*20[0-9]{2}"
    r"|(?:đến\s+)?hết\s+quý\s+[IV]{1,3}\s*(?:năm\s+|/)20[0-9]{2})+",
    re.IGNORECASE,
)
_TRAIL_NOISE = re.compile(
    r"(?:\s|,|:|phấn\s+đấu|(?:đến|tới|vào|trong|hết|cuối|cả)\s+năm\s+20[0-9]{2}|cả\s+năm"
    r"|năm\s+20[0-9]{2}|(?<!\w)(?:đạt(?:\s+được)?(?:\s+mức)?|chiếm(?:\s+tỷ\s+lệ)?|là|còn"
    r"|ở\s+mức|bằng|xuống(?:\s+còn|\s+mức)?|lên(?:\s+mức)?|được\s+giao|từ|khoảng"
    r"|mục\s+tiêu|chỉ\s+tiêu|tối\s+thiểu|ít\s+nhất))+$",
    re.IGNORECASE,
)
VALUE_VERBS_ANYWHERE = re.compile(r"(?<!\w)(?:đạt|chiếm|là|còn)(?!\w)", re.IGNORECASE)
_INNER_PERIOD = re.compile(r"\s(?:vào|đến|tới|trong|hết|cuối|đến\s+hết)\s+năm\s+20[0-9]{2}(?=\s)",
                           re.IGNORECASE)
_GOAL_WORDS = re.compile(r"mục\s+tiêu|chỉ\s+tiêu(?:\s+(?:được\s+)?giao)?", re.IGNORECASE)
_STRIVE = re.compile(r"phấn\s+đấu", re.IGNORECASE)
_COLON = re.compile(r":(?![^()]*\))")
_NOUN_STOP = re.compile(r"[;.:]|\s(?:để|nhằm|so\s+với|vào\s+năm|đến\s+năm|theo)\s", re.IGNORECASE)
_PREDICATE = re.compile(r"(?<!\w)(?:được|có|sử\s+dụng|áp\s+dụng|đạt|tuân\s+thủ|thực\s+hiện)(?!\w)",
                        re.IGNORECASE)
_AGE_VALUE = re.compile(r"(?:đạt|là|lên|khoảng|trên)\s*(?:khoảng\s+)?\|\s*tuổi", re.IGNORECASE)
""""Tuổi thọ bình quân đạt 75 tuổi": an age after a value verb is the value, while "dân số
từ 15 tuổi trở lên" is part of the indicator."""

_DOCUMENT_BEFORE = re.compile(
    r"(?<!\w)(?:kế\s+hoạch|đề\s+án|chương\s+trình|nghị\s+quyết|quyết\s+định|chỉ\s+thị"
    r"|thông\s+báo|kết\s+luận|công\s+văn|nghị\s+định|thông\s+tư)\s*(?:số\s*)?$", re.IGNORECASE)
_TIME_AFTER = re.compile(
    r"\s*(?:tháng|năm|ngày|quý|giờ|tuần|tuổi|sao|tầng|phút|giây|lần\s+thứ|mục\s+tiêu|chỉ\s+tiêu"
    r"|nhiệm\s+vụ|nội\s+dung|giải\s+pháp|văn\s+bản|tiêu\s+chí)(?!\w)", re.IGNORECASE)
PROPER_VALUE_VERBS = re.compile(
    r"(?:(?<!\w)(?:đạt(?:\s+được)?(?:\s+mức)?|chiếm(?:\s+tỷ\s+lệ)?|là|còn|ở\s+mức|bằng|gấp"
    r"|tăng|giảm|xuống|lên|kế\s+hoạch|chỉ\s+tiêu|giao)|:)[^\w]*$",
    re.IGNORECASE,
)
_HEADING_LEVEL = (
    (re.compile(r"^(?:phần|chương)\b", re.I), 0),
    (re.compile(r"^[IVX]{1,5}\s*[.)]\s*"), 1),
    (re.compile(r"^\d{1,2}\.\d{1,2}\.?\d{0,2}\.?\s"), 3),
    (re.compile(r"^\d{1,2}\s*[.)]\s*"), 2),
    (re.compile(r"^[a-zđ]\)\s*", re.I), 4),
)


@dataclass
class _Section:
    level: int
    is_target: bool
    period: Period | None
    is_report: bool = False


@dataclass
class _Sections:
    """The open headings (đề mục) above the current line."""

    stack: list[_Section] = field(default_factory=list)

    def open(self, heading: str, follower: str, title: bool = False) -> None:
        body = _plain(heading)
        level = _heading_level(body)
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()
        lowered = body.lower()
        is_target = (any(word in lowered for word in TARGET_HEADING_WORDS)
                     and not any(word in lowered for word in NOT_TARGET_HEADING_WORDS))
        if lowered.rstrip().endswith("năm"):
            year = re.match(r"\s*(20[0-9]{2})", _plain(follower))
            if year:
                body = f"{body} {year[1]}"
        is_report = any(word in lowered for word in REPORT_HEADING_WORDS)
        period = None if title and level == 0 else _heading_period(body)  # the title: span
        self.stack.append(_Section(level, is_target, period, is_report))

    @property
    def in_target(self) -> bool:
        return any(section.is_target for section in self.stack)

    @property
    def in_report(self) -> bool:
        return any(section.is_report for section in self.stack)

    @property
    def period(self) -> Period | None:
        for section in reversed(self.stack):
            if section.period is not None:
                return section.period
        return None


def _plain(text: str) -> str:
    return " ".join(text.replace("*", " ").split())


def _heading_level(body: str) -> int:
    for pattern, level in _HEADING_LEVEL:
        if pattern.match(body):
            return level
    letters = [c for c in body if c.isalpha()]
    return 0 if letters and all(c.isupper() for c in letters) else 5


def _heading_period(text: str) -> Period | None:
    """The year or span a heading names: "giai đoạn 2026 - 2030" → 2026-2030, "đến năm
    2030" → 2030; a date ("ngày 18 tháng 11 năm 2025") names none."""
    for match in _YEAR_PHRASE.finditer(text):
        if _NOT_TARGET_YEAR.search(text[:match.start()]):
            continue
        period = _period_of(match)
        if period is not None:
            return period
    return None


def _period_of(match: re.Match[str]) -> Period | None:
    quarters = {"I": 3, "II": 6, "III": 9, "IV": 12}
    if match["q"]:
        months = quarters[match["q"].upper()]
        phrase = f"năm {match['qy']}" if months == 12 else f"{months} tháng năm {match['qy']}"
    else:
        phrase = f"{match['a']} - {match['b']}" if match["a"] else f"năm {match['y']}"
    try:
        return parse_period(phrase)
    except ParseError:
        return None


def plan_span(lines: list[LogicalLine]) -> Period | None:
    """The span or year in the document's title ("KẾ HOẠCH ... GIAI ĐOẠN 2026 - 2030",
    "KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM 2025"); None when the title names none."""
    for line in lines[:TITLE_LINES]:
        text = _plain(line.text)
        if text.lower().startswith(("căn cứ", "số:", "số ")) or "ngày" in text.lower()[:40]:
            continue
        letters = [c for c in text if c.isalpha()]
        title = line.heading or (letters and sum(c.isupper() for c in letters) > 0.8 * len(letters))
        if not title:
            continue
        period = _heading_period(text)
        if period is not None:
            return period
    return None


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    expression: str
    unit: str | None
    slot: str
    own: bool = False
    """The figure states a target by itself ("tối thiểu 3%", "100% các cơ sở ...")."""


def targets_in(lines: list[LogicalLine], period: Period | None) -> list[Target]:
    """The targets stated in ``lines``; ``period`` is the document's own period, if any."""
    span = plan_span(lines)
    sections = _Sections()
    found: list[Target] = []
    periods: dict[int, Period | None] = {}
    rows = _row_periods(_raw_lines(lines))
    report_year = _year_of(period) if period is not None and period.kind != "month" else None
    lead_in: tuple[Period | None, bool] = (None, False)
    doc_year = period.year if period is not None else _dated_year(lines)
    for index, line in enumerate(lines):
        periods[line.first_line] = sections.period or span or report_year
        if _is_title(line):
            follower = lines[index + 1].text if index + 1 < len(lines) else ""
            sections.open(line.text, follower, title=index < TITLE_LINES)
            lead_in = (None, False)
            continue
        in_target = (sections.in_target or lead_in[1]) and line.footnote is None
        # the title's plan span dates a target section's figures; a task ("nhiệm vụ") that
        # names no year keeps none rather than a guessed one
        default = sections.period or (span if in_target else None) or report_year
        context = _Context(in_target, default, not sections.in_report, rows, lead_in[0],
                           doc_year)
        found.extend(_line_targets(line, context))
        lead_in = _lead_in(line) if not _continues_list(lead_in, line) else lead_in
    # a year column holds targets from the plan's first year on; in a report, only after it
    year = (period.year + 1 if period is not None
            else doc_year if doc_year is not None else span.year if span is not None else None)
    found.extend(_table_targets(lines, periods, year))
    return _unique(found)


@dataclass(frozen=True)
class _Context:
    """What a line's surroundings say: inside a target section, the default period, whether
    "100%" / "tối thiểu" alone state targets (not under report headings), the task-table row
    periods, and the period of a lead-in line ending with ":" ("Đạt mục tiêu ... vào năm
    2030:")."""

    in_target: bool
    default: Period | None
    own_cues: bool
    rows: dict[int, Period]
    lead_period: Period | None
    year: int | None = None
    """The document's own year (its date or period), when known."""


def _continues_list(lead_in: tuple[Period | None, bool], line: LogicalLine) -> bool:
    """Whether a lead-in ("Mục tiêu đến năm 2025:") still governs: its list goes on while
    the lines are list items ("- ...", "+ ...", "a) ...", "(1) ...")."""
    return (lead_in != (None, False) and not _plain(line.clean.text).endswith(":")
            and bool(re.match(r"\s*(?:[-+•–]|\(?[0-9a-zđ]{1,2}[.)])\s", line.text)))


def _lead_in(line: LogicalLine) -> tuple[Period | None, bool]:
    """A line ending with ":" opens a list: its year and whether it names a target."""
    text = _plain(line.clean.text)
    if not text.endswith(":") or line.footnote is not None:
        return None, False
    return _heading_period(text), _cue(text, 0, len(text)) is not None


def _sentence_like(text: str) -> bool:
    """A line taken for a heading that is a sentence cut by a wrap ("h) Phấn đấu đến năm
    2030, cả nước có 1.200 công trình ... Trong đó, Hà Nội có ...")."""
    body = _plain(text)
    ends = (m for m in re.finditer(r"(\w\w)[.;]\s+\S", body) if m[1].isalpha() and m[1].islower())
    return len(body) > 120 or next(ends, None) is not None


_STATES_FIGURE = re.compile(
    r"[0-9]\s*%|(?<!\w)(?:đạt|chiếm|là|còn|tăng|giảm|khoảng|tối\s+thiểu|ít\s+nhất|trên|dưới)"
    r"\s+[0-9]|:\s*[0-9]", re.IGNORECASE)
"""A numbered line that states a figure ("1. Tốc độ tăng trưởng GRDP đạt 8%") is a list item
of targets, not a heading, even without a full stop."""


def _is_title(line: LogicalLine) -> bool:
    """A heading, or a numbered line ending with a colon that opens a list ("1.2. Dự kiến
    các chỉ tiêu chủ yếu của năm 2024 a) Các chỉ tiêu kinh tế:")."""
    if line.footnote is not None:
        return False
    if line.heading:
        return not _sentence_like(line.text) and not _STATES_FIGURE.search(line.text)
    body = _plain(line.text)
    return (len(body) < 160 and body.endswith(":") and _heading_level(body) < 5
            and not re.search(r"[0-9]\s*%", body))


_HEADER_DATE = re.compile(r"ngày\s+[0-9]{1,2}\s+tháng\s+[0-9]{1,2}\s+năm\s+(20[0-9]{2})"
                          r"|ngày\s+[0-9]{1,2}/[0-9]{1,2}/(20[0-9]{2})", re.IGNORECASE)


def _dated_year(lines: list[LogicalLine]) -> int | None:
    """The year of the document's date in its header ("Hà Nội, ngày 25 tháng 11 năm 2025")."""
    for line in lines[:TITLE_LINES]:
        if line.text.lower().lstrip("*_ ").startswith("căn cứ"):
            continue
        match = _HEADER_DATE.search(line.text)
        if match:
            return int(match[1] or match[2])
    return None


def _year_of(period: Period | None) -> Period | None:
    if period is None:
        return None
    try:
        return parse_period(f"năm {period.year}")
    except ParseError:
        return None


def _unique(targets: list[Target]) -> list[Target]:
    seen: set[tuple[int, str, str, str | None]] = set()
    kept: list[Target] = []
    for target in targets:
        key = (target.line, target.indicator, target.expression, target.period)
        if key not in seen:
            seen.add(key)
            kept.append(target)
    return kept


def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans: a full stop followed by a capital ends one."""
    spans, start = [], 0
    for match in re.finditer(r"[.!?](?=\s+[^\W\d_a-zđ])|\s\|(?=\s)", text):
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _cue(text: str, start: int, end: int) -> re.Match[str] | None:
    """The first target word of a sentence; "đạt chỉ tiêu" (achieved) is none, "để đạt
    mục tiêu" (in order to reach) is one."""
    for match in CUE.finditer(text, start, end):
        before = text[max(start, match.start() - 8):match.start()].lower()
        if before.endswith("đạt ") and not before.endswith(("để đạt ", "đảm đạt ", "đấu đạt ")):
            continue
        return match
    return None


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, cursor = [], start
    for match in _CLAUSE_BREAK.finditer(text, start, end):
        spans.append((cursor, match.start()))
        cursor = match.end()
    spans.append((cursor, end))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _line_targets(line: LogicalLine, context: _Context) -> list[Target]:
    in_target = context.in_target
    text = line.clean.text
    targets: list[Target] = []
    before = 0
    for s_start, s_end in _sentences(text):
        cue = _cue(text, s_start, s_end)
        own = SELF_CUE.search(text, s_start, s_end)
        period_from = before if re.match(r"\s*trong\s+đó", text[s_start:], re.I) else s_start
        before = s_start
        if not in_target and cue is None and own is None:
            continue
        strive = cue is not None and not in_target and cue[0].lower().startswith("phấn")
        if in_target:
            floor = floor_end = s_start
        elif cue is not None and (own is None or cue.start() <= own.start()):
            floor, floor_end = cue.start(), cue.end()
        else:
            floor = floor_end = own.start() if own else s_end
        # under a report heading "100%" / "tối thiểu" alone is a result unless it is dated
        # after the document ("bảo đảm mức tối thiểu 3% ... trong năm 2026")
        future = not in_target and not context.own_cues and (cue is None or cue.start() > floor)
        by_itself = not in_target and (
            cue is None or (own is not None and own.start() < cue.start()))
        watch = floor - 6 if strive else s_start
        for c_start, c_end in _clauses(text, s_start, s_end):
            # a figure stating a target by itself answers only to its own clause's results
            seen = max(watch, c_start) if by_itself else watch
            bounds = _Bounds(floor, floor_end, max(seen, 0), period_from, strive, future)
            targets.extend(_clause_targets(line, c_start, c_end, bounds, context))
    return targets


@dataclass(frozen=True)
class _Bounds:
    """Where a sentence's figures may be targets: from ``floor`` (its target word, or the
    sentence start in a target section; ``floor_end`` after the word); results are looked
    for from ``watch``; its period from ``period_from``."""

    floor: int
    floor_end: int
    watch: int
    period_from: int
    strive: bool = False
    future_only: bool = False


def _clause_targets(line: LogicalLine, start: int, end: int, bounds: _Bounds,
                    context: _Context) -> list[Target]:
    text = line.clean.text
    sentence = bounds.period_from
    slots = _slots(text, start, end, bounds)
    targets: list[Target] = []
    previous, last_indicator = start, ""
    for index, found in enumerate(slots):
        if found is None:
            continue
        bound = next((f.start for f in slots[index + 1:] if f is not None), end)
        indicator, ind_start = _indicator(text, previous, found, bound, previous > start)
        if not indicator and last_indicator:
            indicator = re.sub(r"\s+(?:tăng|giảm)(?:\s+thêm)?$", "", last_indicator)
            ind_start = found.start
        previous = found.end
        if not indicator:
            continue
        last_indicator = indicator
        at = line.line_at(line.clean.raw_span(found.start, found.end)[0])
        stated = _sentence_period(text, sentence, found.start, end, found.end)
        if bounds.future_only:
            stated = _sentence_period(text, found.end, found.end, end, found.end)
            if stated is None or context.year is None or stated.year <= context.year:
                continue
        target_period = (stated or context.lead_period or context.rows.get(at)
                         or context.default)
        unit, close = _plan_share_unit(text, found)
        quote, line_no = line.quote(ind_start, close)
        targets.append(Target(indicator=indicator, indicator_id=None, candidates=[],
                              expression=found.expression, unit=unit,
                              period=target_period.code if target_period else None,
                              line=line_no, quote=quote))
    return targets


_PLAN_SHARE_UNIT = re.compile(r"\s*(kế\s+hoạch|dự\s+toán)(?!\w)", re.IGNORECASE)


def _without_asides(text: str) -> str:
    """``text`` without its closed bracketed asides ("(đến nay mới đạt 39,5%)")."""
    return re.sub(r"\([^()]*\)", " ", text)


def _statement_end(text: str, found: _Found, end: int) -> int:
    """Where the statement of a figure ends, for results written after it: a figure before
    its predicate ("100% huyện ... ước thu đạt") reads to the clause end (or an aside in
    brackets); a figure after its verb ("là 2.500 tỷ đồng, đến nay đã ...") to the next comma."""
    stop = _before_bracket(text, found.end, end)
    comma = text.find(",", found.end, stop)
    front = not _LEAD_NOISE.sub("", text[max(0, found.start - 3):found.start]).strip()
    return stop if front or comma < 0 else comma


def _before_bracket(text: str, start: int, end: int) -> int:
    """Where a bracketed aside starts ("... 90% trong năm 2025 (đến nay mới đạt 39,5%)")."""
    bracket = text.find("(", start, end)
    return end if bracket < 0 else bracket


def _plan_share_unit(text: str, found: _Found) -> tuple[str | None, int]:
    """A percentage of the plan or budget ("giải ngân trên 95% kế hoạch", "thu nội địa đạt
    trên 95% dự toán") has the unit "% kế hoạch" / "% dự toán": it is not the indicator's
    own percentage. Returns the unit and where the quote ends."""
    if found.unit == "%":
        share = _PLAN_SHARE_UNIT.match(text, found.end)
        if share:
            return f"% {' '.join(share[1].lower().split())}", share.end()
    return found.unit, found.end


def _slots(text: str, start: int, end: int, bounds: _Bounds) -> list[_Found | None]:
    """The figures of a clause that stand in a value slot; None for a figure that was read
    but is a result ("ước đạt", "đạt 72% kế hoạch"), kept so the next indicator starts
    after it."""
    slots: list[_Found | None] = []
    previous, has_previous = start, False
    for found in _expressions(text, start, end):
        if found.start < bounds.floor:
            continue
        if not _is_slot(text[previous:found.start], found, has_previous,
                        text[max(start, bounds.floor_end):found.start], bounds.strive):
            continue
        before = _without_asides(text[bounds.watch:found.start])
        observed = (OBSERVED.search(before) or PROGRESS.search(before)
                    or OWN_SHARE_AFTER.match(text, found.end)
                    or HAS_BEEN.search(text, max(bounds.watch, start), found.start)
                    or (not bounds.strive and SO_FAR.search(text, bounds.watch, found.start))
                    or OBSERVED.search(text, found.end, _statement_end(text, found, end))
                    or (PLAN_SHARE_AFTER.match(text, found.end) and not bounds.strive))
        slots.append(None if observed else found)
        previous, has_previous = found.end, True
    return slots


def _expressions(text: str, start: int, end: int) -> list[_Found]:
    """Every figure in ``text[start:end]`` that parses as a target expression, with its unit."""
    found: list[_Found] = []
    quoted = _quoted_spans(text)
    for match in _EXPRESSION.finditer(text, start, end):
        if any(a <= match.start() < b for a, b in quoted):
            continue  # a cited text ("... không quá 500 triệu đồng"), not this document's
        qualified = match["op"] or match["approx"]
        before = text[max(start, match.start() - 12):match.start()]
        if (match["from"] and _FORMS_BEFORE.search(before)) or (
                not qualified and not match["from"] and ORDINAL_BEFORE.search(before)):
            continue  # "năm 2024", "Điều 5", "các biểu từ 2 - 6"
        number_end = match.end()
        age = bool(_AGE_VALUE.search(text[max(start, match.start() - 20):match.start()] + "|"
                                     + text[number_end:number_end + 8]))
        if _TIME_AFTER.match(text, number_end) and not age:
            continue
        if not qualified and _DOCUMENT_BEFORE.search(text[max(start, match.start() - 14):
                                                          match.start()]) \
                and _unit_after(text, number_end)[0] is None:
            continue  # "Kế hoạch 02", "Đề án 06": a document's number
        suffix = _SUFFIX.match(text, number_end)
        unit, unit_end = _unit_after(text, number_end)
        if unit is None and match["ua"]:
            unit = "%"
        if unit is not None and unit.split()[0].lower() in TIME_OR_ATTRIBUTE and not age:
            continue
        if _is_year(match, unit):
            continue
        if suffix is None:
            suffix = _SUFFIX.match(text, unit_end)
        if match["from"] is not None and suffix is None and not match["b"]:
            continue  # "từ 5" without "trở lên" or a second figure: a starting point
        # "8% trở lên" without "từ" is kept as written: a target when kg.notation reads it
        written = text[match.start():number_end]
        if suffix is not None:
            written = text[match.start():suffix.end()]
            close = suffix.end()
        else:
            close = max(unit_end, number_end)
        expression = " ".join(written.split())
        if unit and expression.endswith(unit) and suffix is None:
            expression = expression[: -len(unit)].rstrip()
        if not _parses(expression, unit):
            continue
        slot = " ".join((match["approx"] or match["op"] or match["from"] or "").lower().split())
        own = SELF_CUE.match(text, match.start()) is not None
        found.append(_Found(match.start(), min(close, end), expression, unit, slot, own))
    return found


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans inside quotation marks (“...”, "...")."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"“[^”]{0,2000}”", text)]
    spans += [(m.start(), m.end()) for m in re.finditer(r'"[^"]{20,2000}"', text)]
    return spans


def _is_year(match: re.Match[str], unit: str | None) -> bool:
    number = match["a"]
    return (unit is None and len(number) == 4 and number.isdigit()
            and number[:2] in ("19", "20") and not match["op"])


def _parses(expression: str, unit: str | None) -> bool:
    try:
        parse_expression(expression)
        if unit and "%" not in expression:
            parse_expression(f"{expression}%" if unit[:1] in "%‰" else f"{expression} {unit}")
    except ParseError:
        return False
    return True


def _unit_after(text: str, position: int) -> tuple[str | None, int]:
    """The unit written after a figure: "%", scale words and one word ("nghìn tỷ đồng",
    "nghìn lượt"), a known unit of several words ("doanh nghiệp") or one word ("ha",
    "μg/m3"); None when a connective follows."""
    match = re.match(r"\s*([%‰])(?:\s*/\s*(năm|tháng|quý)(?!\w))?", text[position:],
                     re.IGNORECASE)
    if match:  # "1 - 1,5%/năm": a yearly rate keeps its "/năm"; "10‰" per mille
        return (f"{match[1]}/{match[2].lower()}" if match[2] else match[1]), position + match.end()
    words: list[str] = []
    cursor = position
    while True:
        word = _UNIT_WORD.match(text, cursor)
        if not word:
            break
        token = word[1].rstrip(".")
        lowered = token.lower()
        if lowered in NOT_UNITS or (token[:1].isupper() and lowered not in ("usd", "vnd")):
            break
        words.append(token)
        cursor = word.start(1) + len(token)
        if lowered in SCALE_WORDS and len(words) < 3:
            continue
        following = text[cursor:cursor + 30].lower()
        for unit in MULTIWORD_UNITS:
            head, _, tail = unit.partition(" ")
            if lowered == head and following.startswith(" " + tail):
                words.append(text[cursor + 1:cursor + 1 + len(tail)])
                cursor += 1 + len(tail)
                break
        break
    if not words or words[-1].lower() in SCALE_WORDS and len(words) == 1:
        return None, position
    return " ".join(words), cursor


def _is_slot(pre: str, found: _Found, has_previous: bool, clause_pre: str,
             strive: bool = False) -> bool:
    """Whether the figure stands where the language puts a target value."""
    if found.own or found.slot in SELF_EVIDENT_OPERATORS or found.slot in SLOT_OPERATORS:
        return True
    if VALUE_VERBS.search(pre):
        return True
    lead = _LEAD_NOISE.match(clause_pre)
    stripped = clause_pre[lead.end():].strip() if lead else clause_pre.strip()
    if not stripped:
        return True  # the clause opens with the figure: "100% các cơ sở được ..."
    undated = _YEAR_PHRASE.sub(" ", stripped)
    if not re.search(r"\d", undated) and (
            re.match(r"(?:tăng|giảm|nâng|hạ|đưa)\s", stripped, re.IGNORECASE)
            or (strive and len(undated.split()) <= 10)):
        return True  # "phấn đấu giảm tỷ lệ hộ nghèo cả năm trên 3%", "phấn đấu giải ngân trên 95%"
    if found.slot in ("trên", "dưới", "hơn"):
        return False
    if has_previous:
        tail = re.search(r"(?:,|;|\svà)\s*([^,;]{0,60})$", pre)
        if tail and not re.search(r"\d", tail[1]) and not re.search(r"\d", pre.split(",")[-1]):
            return True
    return False


def _indicator(text: str, previous: int, found: _Found, end: int,
               has_previous: bool = False) -> tuple[str, int]:
    """The indicator as written and where it starts: the words before the value slot, or
    for a figure before its noun ("thêm 09 xã đạt chuẩn", "100% các cơ sở được ..."), the
    words before it joined with the noun after it."""
    if has_previous:
        breaks = list(re.finditer(r"[,;]|\svà\s", text[previous:found.start]))
        if breaks:
            previous += breaks[-1].end()
    lead = _LEAD_NOISE.match(text, previous, found.start)
    offset = lead.end() if lead else previous
    offset = _after_last(text, offset, found.start, _GOAL_WORDS, always=True)
    offset = _after_last(text, offset, found.start, _STRIVE)
    offset = _after_last(text, offset, found.start, _COLON)
    again = _LEAD_NOISE.match(text, offset, found.start)
    offset = again.end() if again else offset
    pre = text[offset:found.start]
    before = _TRAIL_NOISE.sub("", _INNER_PERIOD.sub(" ", pre)).strip()
    before = _trim_brackets(before)
    if before.lower() == "có":
        before = ""  # "Có 30% diện tích ...": there being, no subject
    noun = _noun_after(text, found, end)
    noun_first = (not before or before.lower().endswith(NOUN_FIRST_VERBS)
                  or (bool(noun) and found.unit not in (None, "%")
                      and not PROPER_VALUE_VERBS.search(pre)))
    if noun_first:
        unit = found.unit if found.unit and found.unit != "%" else ""
        indicator = " ".join(p for p in (before, unit, noun) if p).strip(" ,.;:")
        return " ".join(indicator.split()), offset if before else found.start
    return " ".join(before.split()), offset


def _after_last(text: str, start: int, end: int, pattern: re.Pattern[str],
                always: bool = False) -> int:
    """Where the indicator starts once the last ``pattern`` match before the figure is
    dropped ("đảm bảo mục tiêu về ...: Hà Nội có"), unless nothing but verbs follow it."""
    matches = list(pattern.finditer(text, start, end))
    if not matches:
        return start
    last = matches[-1]
    lead = _LEAD_NOISE.match(text, last.end(), end)
    rest = text[lead.end() if lead else last.end():end]
    return last.end() if always or _TRAIL_NOISE.sub("", rest).strip() else start


def _noun_after(text: str, found: _Found, end: int) -> str:
    """The words after a figure up to the end of its noun phrase: a stop word, the next
    target, a comma before a new subject or a new value ("..., tỷ lệ che phủ rừng đạt"),
    or a comma once the phrase has its predicate ("100% các cơ sở ... được quản lý, ...")."""
    rest = text[found.end:end]
    stop = _NOUN_STOP.search(rest)
    rest = rest[: stop.start()] if stop else rest
    cut = len(rest)
    for comma in re.finditer(r",", rest):
        after = rest[comma.end():]
        segment = after.split(",")[0]
        if (re.match(r"\s*[^\W\d_a-zđ]", after) or _PREDICATE.search(rest[: comma.start()])
                or VALUE_VERBS_ANYWHERE.search(segment) or not _PREDICATE.search(segment)
                or re.search(r"\d", segment)):
            cut = comma.start()
            break
    rest = rest[:cut]
    rest = re.sub(r"(?:\s+(?:và|trên|với|của|cho|tại|so|hoặc))+\s*$", "", rest)
    return " ".join(_trim_brackets(rest.strip(" ,")).split())


def _trim_brackets(text: str) -> str:
    """Drop an unclosed bracket left by a cut ("(giảm")."""
    if text.count("(") > text.count(")"):
        text = text[: text.rfind("(")].rstrip()
    return text


def _sentence_period(text: str, sentence: int, position: int, end: int,
                     figure_end: int | None = None) -> Period | None:
    """The year or span written in the sentence for the figure at ``position``: one right
    after it ("đạt 90% trong năm 2025"), else the nearest before it, else the first after it
    in its clause."""
    best: Period | None = None
    for match in _YEAR_PHRASE.finditer(text, sentence, end):
        if _NOT_TARGET_YEAR.search(text[max(sentence, match.start() - 40):match.start()]):
            continue
        if _NAMED_DOCUMENT.search(text, max(sentence, match.start() - 120), match.start()):
            continue  # "theo Quy hoạch ... giai đoạn 2021 - 2030": a document's title
        if figure_end is not None and 0 <= match.start() - figure_end <= AFTER_FIGURE:
            return _period_of(match) or best
        if match.start() < position:
            if ";" in text[match.end():position] and _STATED_FIGURE.search(
                    text, sentence, match.start()):
                continue  # "... vào năm 2030; có chính sách hỗ trợ 100% ...": the earlier clause's
            best = _period_of(match) or best
        elif best is None:
            return _period_of(match)
        else:
            break
    return best


TABLE_TARGET_COLUMN = re.compile(
    r"kế\s+hoạch|(?<!\w)kh(?!\w)|mục\s+tiêu|chỉ\s+tiêu\s+(?:đạt|năm|giao|kế)|dự\s+kiến"
    r"|phấn\s+đấu",
    re.IGNORECASE)
"""A header cell naming a column of targets: "Kế hoạch", "Mục tiêu", "Chỉ tiêu đạt được",
"Năm 2026", "Kế hoạch 2021 - 2025"."""

TABLE_RESULT_COLUMN = re.compile(r"ước|thực\s+hiện|(?<!\w)th(?!\w)|đánh\s+giá|so\s+sánh|"
                                 r"ghi\s+chú|tỷ\s+lệ\s+đạt|lũy\s+kế|kết\s+quả",
                                 re.IGNORECASE)
"""A header cell naming results, estimates or verdicts, never targets."""

TABLE_NAME_COLUMN = re.compile(r"chỉ\s+tiêu|nội\s+dung|tên|lĩnh\s+vực|danh\s+mục", re.IGNORECASE)
TABLE_UNIT_COLUMN = re.compile(r"đơn\s+vị\s+tính|^\s*đvt\s*$|^\s*đơn\s+vị\s*$", re.IGNORECASE)
VERDICTS = ("đạt", "vượt", "không đạt", "chưa đạt", "hoàn thành")
_ROW_NUMBER = re.compile(r"^(?:[IVXL]{1,5}|[0-9]{1,2}(?:\.[0-9]{1,2})*|[A-ZĐ]|[a-zđ]\))\.?$")
_NAME_UNIT = re.compile(r"\s*\(([^()]{1,30})\)\s*$")


@dataclass(frozen=True)
class _Column:
    """A target column of a table: its index among the value cells and its period."""

    index: int
    period: Period | None


def _raw_lines(lines: list[LogicalLine]) -> dict[int, str]:
    """The file's lines as the logical lines hold them (each wrap piece with its line)."""
    raw: dict[int, str] = {}
    for line in lines:
        bounds = [offset for offset, _ in line.starts] + [len(line.text) + 1]
        for (offset, number), following in zip(line.starts, bounds[1:], strict=False):
            raw[number] = line.text[offset:following - 1] if following > offset else ""
    return raw


def _target_columns(header: list[str], default: Period | None,
                    year: int | None) -> list[_Column]:
    """The value columns that hold targets, with each column's period."""
    columns: list[_Column] = []
    for index, cell in enumerate(header):
        if not TABLE_TARGET_COLUMN.search(cell) and not re.search(r"20[0-9]{2}", cell):
            continue
        if TABLE_RESULT_COLUMN.search(cell):
            continue
        period = _heading_period(" ".join(cell.split())) or _bare_year(cell)
        if not TABLE_TARGET_COLUMN.search(cell):
            if period is None or year is None or period.year < year:
                continue  # "Giai đoạn 2021 - 2023", "Năm 2024" in a 2025 report: past, a baseline
        columns.append(_Column(index, period or default))
    return columns


def _bare_year(cell: str) -> Period | None:
    match = re.search(r"(20[0-9]{2})\s*[-–]\s*(20[0-9]{2})|(20[0-9]{2})", cell)
    if not match:
        return None
    phrase = f"{match[1]} - {match[2]}" if match[1] else f"năm {match[3]}"
    try:
        return parse_period(phrase)
    except ParseError:
        return None


def _split_name(name: str) -> tuple[str, str | None]:
    """"Tổng thu ngân sách (tỷ đồng)" → ("Tổng thu ngân sách", "tỷ đồng")."""
    name = " ".join(name.split()).lstrip("-+• ").strip()
    match = _NAME_UNIT.search(name)
    if match and (not re.search(r"[A-Z]{2,}", match[1]) or match[1].strip() in ("USD", "VND")):
        return name[: match.start()].strip(), match[1].strip()
    return name, None


def _cell_target(indicator: str, unit: str | None, value: str, line: int,
                 period: Period | None) -> Target | None:
    """A target from a table cell, when the cell parses as a target expression."""
    written = " ".join(value.split())
    if not written or written.lower() in VERDICTS or not re.search(r"[0-9]", written):
        return None
    expression = written[:-1].rstrip() if unit == "%" and written.endswith("%") else written
    try:
        parsed = parse_expression(expression)
    except ParseError:
        return None
    if parsed.unit not in (None, unit) and not (unit is None and parsed.unit == "%"):
        return None
    return Target(indicator=indicator, indicator_id=None, candidates=[], expression=expression,
                  unit=unit or parsed.unit or _implied_unit(indicator),
                  period=period.code if period else None, line=line, quote=written)


_RATE_NAME = re.compile(r"^(?:tỷ\s+lệ|tỷ\s+trọng|tốc\s+độ)\b|(?:tăng|giảm)\s+bình\s+quân",
                        re.IGNORECASE)
_COUNT_NAME = re.compile(r"^(?:đến\s+năm\s+20[0-9]{2},?\s+)?(?:tổng\s+)?số\s+([^\W\d_]+)",
                         re.IGNORECASE)


def _implied_unit(indicator: str) -> str | None:
    """The unit a table row's name implies when no cell writes one: a rate ("Tỷ lệ ...",
    "Tốc độ tăng ...", "... tăng bình quân") is in %, a count ("Số trường học ...", "Tổng số
    xã ...") in the thing counted ("trường", "xã")."""
    if _RATE_NAME.search(indicator):
        return "%"
    count = _COUNT_NAME.match(indicator)
    return count[1].lower() if count else None


def _cell_per_line_tables(raw: dict[int, str], periods: dict[int, Period | None],
                          year: int | None) -> list[Target]:
    """Tables exported one cell per line (PDF → text): "TT / Chỉ tiêu / Kế hoạch / Ước TH /
    Đánh giá" as header lines, then per row an optional number, the indicator, one line per
    value column and an optional verdict."""
    numbers = sorted(raw)
    found: list[Target] = []
    position = 0
    while position < len(numbers):
        number = numbers[position]
        if raw[number].strip().upper() not in ("TT", "STT"):
            position += 1
            continue
        header, cursor = [], position + 1
        while cursor < len(numbers) and not _ROW_NUMBER.match(raw[numbers[cursor]].strip()) \
                and len(raw[numbers[cursor]]) <= 60 and len(header) < 12:
            header.append(" ".join(raw[numbers[cursor]].split()))
            cursor += 1
        name_at = next((i for i, h in enumerate(header) if TABLE_NAME_COLUMN.search(h)), None)
        if name_at is None:
            position = cursor
            continue
        values = header[name_at + 1:]
        kept = [h for h in values if not re.search(r"đánh\s+giá|ghi\s+chú", h, re.I)]
        columns = _target_columns(kept, _nearest(periods, number), year)
        if columns:
            rows, cursor = _cell_rows(raw, numbers, cursor, len(kept))
            group_unit: str | None = None
            for name, cells in rows:
                indicator, unit = _split_name(name)
                if not cells:
                    group_unit = unit  # "Cơ cấu kinh tế (%)" over "- Nông, lâm nghiệp"
                elif unit is None and name.lstrip().startswith(("-", "+", "•")):
                    unit = group_unit
                for column in columns:
                    if column.index < len(cells):
                        value, line = cells[column.index]
                        target = _cell_target(indicator, unit, value, line, column.period)
                        if target is not None:
                            found.append(target)
        position = max(cursor, position + 1)
    return found


def _cell_rows(raw: dict[int, str], numbers: list[int], cursor: int,
               width: int) -> tuple[list[tuple[str, list[tuple[str, int]]]], int]:
    """Rows of a one-cell-per-line table from ``cursor``: (indicator, value cells)."""
    rows: list[tuple[str, list[tuple[str, int]]]] = []
    while cursor < len(numbers):
        text = " ".join(raw[numbers[cursor]].split())
        if not text or len(text) > 160:
            break
        if _ROW_NUMBER.match(text) or text.lower() in VERDICTS:
            cursor += 1
            continue
        name, cells, cursor = text, [], cursor + 1
        while cursor < len(numbers) and len(cells) < width:
            value = " ".join(raw[numbers[cursor]].split())
            if not _is_value(value):
                break
            following = (" ".join(raw[numbers[cursor + 1]].split())
                         if cursor + 1 < len(numbers) else "")
            if re.fullmatch(r"[0-9]{1,2}", value) and not _is_value(following) and \
                    following.lower() not in VERDICTS:
                break  # the next row's number ("I / Các chỉ tiêu kinh tế / 1 / Tốc độ ...")
            cells.append((value, numbers[cursor]))
            cursor += 1
        rows.append((name, cells))
    return rows, cursor


def _is_value(text: str) -> bool:
    if text in ("-", "x", "…", "..."):
        return True
    try:
        parse_expression(text)
    except ParseError:
        return False
    return True


def _nearest(periods: dict[int, Period | None], number: int) -> Period | None:
    before = [line for line in periods if line <= number]
    return periods[max(before)] if before else None


def _pipe_table_targets(raw: dict[int, str], periods: dict[int, Period | None],
                        year: int | None) -> list[Target]:
    """Tables read by ``kg.extract.tables``: a year column per target, or a "Kế hoạch" /
    "Mục tiêu" column beside an indicator column."""
    from kg.extract.tables import tables_in

    text = "\n".join(raw.get(number, "") for number in range(1, max(raw, default=0) + 1))
    found: list[Target] = []
    for table in tables_in(text):
        if table.header is None:
            continue
        header = [cell.text for cell in table.header.cells]
        name_at = next((i for i, h in enumerate(header) if TABLE_NAME_COLUMN.search(h)
                        and not TABLE_TARGET_COLUMN.search(h)), None)
        unit_at = next((i for i, h in enumerate(header) if TABLE_UNIT_COLUMN.search(h)), None)
        if name_at is None:
            continue
        columns = [c for c in _target_columns(header, _nearest(periods, table.first_line), year)
                   if c.index != name_at]
        for row in table.rows:
            cells = [None] * (len(header) - len(row.cells)) + list(row.cells)
            if len(cells) != len(header) or cells[name_at] is None:
                continue
            indicator, unit = _split_name(cells[name_at].text)
            if unit_at is not None and cells[unit_at] is not None and cells[unit_at].text:
                unit = cells[unit_at].text
            for column in columns:
                cell = cells[column.index]
                if cell is not None:
                    target = _cell_target(indicator, unit, cell.text, cell.line, column.period)
                    if target is not None:
                        found.append(target)
    return found


TIME_COLUMN = re.compile(r"thời\s+(?:hạn|gian)|tiến\s+độ", re.IGNORECASE)


def _row_periods(raw: dict[int, str]) -> dict[int, Period]:
    """For each file line inside a task-table row with a time column ("Thời hạn hoàn
    thành: Giai đoạn 2026 - 2027", "Năm 2026"), the row's year or span."""
    from kg.extract.tables import tables_in

    text = "\n".join(raw.get(number, "") for number in range(1, max(raw, default=0) + 1))
    found: dict[int, Period] = {}
    for table in tables_in(text):
        if table.header is None:
            continue
        at = table.column(TIME_COLUMN.pattern)
        if at is None:
            continue
        width = len(table.header.cells)
        for row, following in zip(table.rows, [*table.rows[1:], None], strict=False):
            cells = [None] * (width - len(row.cells)) + list(row.cells)
            cell = cells[at] if len(cells) == width else None
            period = None
            if cell is not None:  # a year or span, never the year of a date ("31/10/2025")
                period = _heading_period(cell.text) or (
                    _bare_year(cell.text) if re.fullmatch(r"\s*20[0-9]{2}\s*", cell.text) else None)
            if period is None:
                continue
            last = following.line - 1 if following is not None else table.last_line
            for number in range(row.line, last + 1):
                found[number] = period
    return found


def _table_targets(lines: list[LogicalLine], periods: dict[int, Period | None],
                   year: int | None) -> list[Target]:
    """Targets of target tables (bảng chỉ tiêu); see ``kg.extract.tables``."""
    raw = _raw_lines(lines)
    return _cell_per_line_tables(raw, periods, year) + _pipe_table_targets(raw, periods, year)
