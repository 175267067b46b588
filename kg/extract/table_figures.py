"""Plan-comparison figures in tables (số liệu trong bảng): a row per ministry, province or
indicator with its plan, its result and the share of the plan.

A table is a figures table when its column titles (tiêu đề cột) name a share of a plan ("Tỷ lệ
(%)", "So với KH", "% KH") and a result ("Giải ngân", "Thực hiện", "Ước thực hiện", "Lũy
kế"); the plan column ("Kế hoạch năm 2025", "Dự toán") is optional. Each row whose share reads
as a number is one observation:

- the row's name is the ``subject`` when it names a body ("Bộ Y tế", "Tỉnh Đắk Lắk", "Thành
  phố Hà Nội", "Đắk Lắk" as the registry knows it), and the indicator is then the result
  column's title; otherwise the name is the indicator ("Thu ngân sách nhà nước");
- the value is the result cell as written, the share the share cell as written;
- the basis is read from the share's or the plan's title ("so với KH Thủ tướng giao",
  "Dự toán"), else implied by the result ("giải ngân" → kế hoạch); a table whose share names
  no plan at all is not read;
- the period is the one the result's title writes ("Giải ngân đến 27/11/2025" → LK27/11/2025),
  else the table's title (the lines just above it), else the document's.

Totals ("Tổng số", "Tổng cộng", "Toàn tỉnh") are the issuer's own figures (a central body's:
the nation's, ``kg.extract.subjects``); "Cả nước" is the nation's; a row naming the issuer is
its own.
Section rows (no share) are skipped. The quote is the row's cells joined by " | ", each as
written; the line is the share cell's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.errors import ParseError
from kg.extract.bases import BASIS_PATTERN, IMPLIED_BASES, SAME_PERIOD, basis_code
from kg.extract.header import DocumentHeader
from kg.extract.model import Observation
from kg.extract.spans import find_periods
from kg.extract.subjects import SubjectReader
from kg.extract.tables import Row, Table, tables_in
from kg.notation import Period, parse_number, parse_period

SHARE_TITLE = re.compile(
    r"tỷ\s*lệ|tỉ\s*lệ|%|so\s+(?:với\s+)?(?:kh|kế\s+hoạch|dự\s+toán)\b", re.IGNORECASE)
RESULT_TITLE = re.compile(
    r"giải\s+ngân|thực\s+hiện|(?<![\wÀ-ỹ])ước(?![\wÀ-ỹ])|lũy\s*kế|luỹ\s*kế|số\s+thu|"
    r"đã\s+phân\s+bổ|kết\s+quả|thực\s+tế|(?<![\wÀ-ỹ])th(?![\wÀ-ỹ])", re.IGNORECASE)
PLAN_TITLE = re.compile(r"kế\s+hoạch|(?<![\wÀ-ỹ])kh(?![\wÀ-ỹ])|dự\s+toán|được\s+giao",
                        re.IGNORECASE)
NAME_TITLE = re.compile(
    r"chỉ\s+tiêu|nội\s+dung|(?<![\wÀ-ỹ])tên|(?<![\wÀ-ỹ])bộ(?![\wÀ-ỹ])|cơ\s+quan|địa\s+phương|"
    r"(?<![\wÀ-ỹ])tỉnh|đơn\s+vị(?!\s+tính)|lĩnh\s+vực|(?<![\wÀ-ỹ])ngành", re.IGNORECASE)
UNIT_TITLE = re.compile(r"^(?:đơn\s+vị\s+tính|đvt|đơn\s+vị)$", re.IGNORECASE)
ORDINAL_TITLE = re.compile(r"^(?:s[ốố]\s*)?(?:stt|tt)$|^số\s+thứ\s+tự$", re.IGNORECASE)
BODY_HEADS = re.compile(
    r"^(?:bộ|ban|văn\s+phòng|ủy\s+ban|uỷ\s+ban|ubnd|tỉnh|thành\s+phố|tp\.?|ngân\s+hàng|"
    r"kiểm\s+toán|tòa\s+án|toà\s+án|viện|đài|thông\s+tấn|đại\s+học|học\s+viện|tập\s+đoàn|"
    r"tổng\s+công\s+ty|liên\s+hiệp|liên\s+minh|thanh\s+tra|sở|huyện|thị\s+xã|xã|phường|"
    r"đặc\s+khu|cả\s+nước|toàn\s+quốc)(?![\wÀ-ỹ])",
    re.IGNORECASE,
)
"""Head words of a row naming a body (whose figure it is) rather than an indicator."""
BODY_COLUMN = re.compile(r"(?<![\wÀ-ỹ])(?:bộ|cơ\s+quan|địa\s+phương|tỉnh|thành\s+phố|đơn\s+vị|"
                         r"huyện|xã|phường)(?![\wÀ-ỹ])", re.IGNORECASE)
"""A name column titled so ("Bộ, cơ quan trung ương và địa phương") lists bodies."""
TOTAL_ROW = re.compile(
    r"^(?:tổng\s+(?:số|cộng)|tổng|cộng|toàn\s+tỉnh|cả\s+tỉnh|toàn\s+thành\s+phố)\s*[:.]?$",
    re.IGNORECASE)
_UNIT = re.compile(r"(?:đơn\s+vị(?:\s+tính)?|đvt)\s*:\s*(?P<unit>[^;)|\n]+)", re.IGNORECASE)
_PAREN_UNIT = re.compile(r"\(\s*(?P<unit>tỷ\s+đồng|triệu\s+đồng|nghìn\s+tỷ\s+đồng|triệu\s+USD|"
                         r"tỷ\s+USD|ha|tấn|người|%)\s*\)", re.IGNORECASE)
_NUMBERING = re.compile(r"^\(?[0-9A-Za-z]{1,3}\)?(?:\s*=.*)?$")
"""A column-number cell under the titles: "(1)", "3", "(4)=(3)/(2)", "A"."""
_YEAR_TITLE = re.compile(r"(?<![\wÀ-ỹ])năm\s+((?:19|20)[0-9]{2})(?![0-9])", re.IGNORECASE)
TITLE_LINES = 4
"""How many text lines above a table may hold its title (tên bảng, đơn vị tính)."""


@dataclass(frozen=True)
class _Columns:
    """Where the name, plan, result and share are in a figures table, and its title row."""

    name: int
    result: int
    share: int
    plan: int | None
    unit: int | None
    titles: list[str]
    start: int
    """Index in the table's rows (header first) of the first data row."""


def _title_rows(table: Table) -> list[Row]:
    return ([table.header] if table.header is not None else []) + table.rows


def _is_title_row(row: Row) -> bool:
    """A row of column titles or column numbers ("(1) | (2) | (3)=(2)/(1)"): no figure in it."""
    return not any(_number(t) is not None and not ORDINAL_TITLE.match(t)
                   for t in row.texts()[1:] if t)


def _merged(rows: list[Row], index: int) -> tuple[list[str], int]:
    """The titles of row ``index`` with the title rows right under it of the same width
    joined column by column ("Giải ngân" over "Tỷ lệ (%)" → "Giải ngân Tỷ lệ (%)"), and the
    index of the first row after them."""
    titles = rows[index].texts()
    after = index + 1
    while (after < len(rows) and len(rows[after].cells) == len(titles)
           and _is_title_row(rows[after]) and after - index < 3):
        below = rows[after].texts()
        if not all(_NUMBERING.match(t) or not t for t in below):
            titles = [" ".join(f"{a} {b}".split()) for a, b in zip(titles, below, strict=True)]
        after += 1
    return titles, after


def _columns(table: Table) -> _Columns | None:
    """The roles of a figures table's columns, read from its first title-like rows (two title
    rows of the same width are read as one)."""
    rows = _title_rows(table)
    for index, row in enumerate(rows[:3]):
        if not _is_title_row(row):
            continue
        titles, start = _merged(rows, index)
        share = _find(titles, SHARE_TITLE, ())
        if share is None:
            continue
        result = _find(titles, RESULT_TITLE, (share,))
        plan = _find(titles, PLAN_TITLE, (share,) + ((result,) if result is not None else ()))
        if result is None:
            continue
        free = [i for i, t in enumerate(titles)
                if i not in (share, result, plan) and t and not ORDINAL_TITLE.match(t)]
        named = [i for i in free if NAME_TITLE.search(titles[i]) and not UNIT_TITLE.match(
            titles[i])]
        name = (named or free or [None])[0]
        if name is None:
            continue
        unit = next((i for i in free if i != name and UNIT_TITLE.match(titles[i])), None)
        return _Columns(name, result, share, plan, unit, titles, start)
    return None


def _find(titles: list[str], pattern: re.Pattern[str], taken: tuple[int, ...]) -> int | None:
    return next((i for i, t in enumerate(titles) if i not in taken and pattern.search(t)), None)


def _basis(columns: _Columns) -> tuple[str, str | None] | None:
    """The plan the share is of: written in the share's title, else the plan's, else implied
    by the result ("giải ngân" → kế hoạch)."""
    pattern = re.compile(BASIS_PATTERN, re.IGNORECASE)
    for index in (columns.share, columns.plan):
        if index is None:
            continue
        match = pattern.search(columns.titles[index])
        if match and basis_code(match["basis"]) != SAME_PERIOD:
            return basis_code(match["basis"]), match["basis"]
        if index == columns.plan and re.search(r"(?<![\wÀ-ỹ])kh(?![\wÀ-ỹ])",
                                               columns.titles[index], re.IGNORECASE):
            return "ke_hoach", None
    result = columns.titles[columns.result].lower()
    implied = [code for word, code in IMPLIED_BASES if word in result]
    return (implied[0], None) if implied else None


def _above(text_lines: list[str], table: Table) -> list[str]:
    """The text lines just above ``table`` (its title and unit lines), nearest last."""
    above = [line.strip() for line in text_lines[max(0, table.first_line - 1 - 12):
                                                  max(0, table.first_line - 1)]
             if line.strip() and line.strip() != "|"]
    return above[-TITLE_LINES:]


def _name_line(above: list[str]) -> str:
    """The table's name: the nearest line above it that is not its unit line."""
    names = [line for line in above if not _UNIT.search(line)]
    return names[-1] if names else ""


def _period(columns: _Columns, title: str, header: DocumentHeader | None,
            default: Period | None) -> Period | None:
    year = header.year if header else None
    today = header.date if header else None
    for text in (columns.titles[columns.result], title):
        found = find_periods(text, default, year, today)
        if found:
            return found[-1].period
        written = _YEAR_TITLE.search(text)
        if written:
            return parse_period(written[1])
    return default


def _unit(columns: _Columns, title: str) -> str | None:
    for text in (columns.titles[columns.result], title):
        match = _PAREN_UNIT.search(text) or _UNIT.search(text)
        if match:
            return " ".join(match["unit"].replace("*", " ").split()).strip(" .")
    return None


def _number(text: str) -> str | None:
    written = text.strip().rstrip("%").strip()
    try:
        parse_number(written)
    except ParseError:
        return None
    return written


def _subject(name: str, columns: _Columns) -> str | None:
    if TOTAL_ROW.match(name):
        return None
    listed = BODY_COLUMN.search(columns.titles[columns.name])
    return name if listed or BODY_HEADS.match(name) else None


def _measured(columns: _Columns, title: str) -> str:
    """What a body's row measures: the table's title without its numbering, period and unit
    ("Tình hình giải ngân kế hoạch vốn đầu tư công năm 2025"), else the result's title."""
    cleaned = re.sub(r"^\W*(?:phụ\s+lục|biểu|bảng)\s+[\w.]+\W*", "", title, flags=re.IGNORECASE)
    cleaned = _UNIT.sub("", re.sub(r"\([^)]*\)", "", cleaned)).replace("*", "")
    cleaned = " ".join(cleaned.split()).strip(" .:-")
    return cleaned or re.sub(r"\([^)]*\)", "", columns.titles[columns.result]).strip()


def _observation(row: Row, columns: _Columns, basis: tuple[str, str | None],
                 period: Period | None, unit: str | None, title: str,
                 subjects: SubjectReader | None) -> Observation | None:
    cells = row.cells
    if max(columns.name, columns.result, columns.share) >= len(cells):
        return None
    pct = _number(cells[columns.share].text)
    name = cells[columns.name].text.strip()
    if pct is None or not name:
        return None
    subject = _subject(name, columns)
    result_title = columns.titles[columns.result]
    body = subject is not None or TOTAL_ROW.match(name)
    indicator = _measured(columns, title) if body else name
    if subjects is not None:
        subject = subjects.of_row(subject)
    estimate = re.search(r"(?<![\wÀ-ỹ])ước(?![\wÀ-ỹ])", result_title, re.IGNORECASE)
    if columns.unit is not None and columns.unit < len(cells) and cells[columns.unit].text:
        unit = cells[columns.unit].text.strip()
    return Observation(
        indicator=indicator, indicator_id=None, candidates=[],
        period=period.code if period else None, period_kind=period.kind if period else None,
        value=_number(cells[columns.result].text), unit=unit, pct_of_plan=pct,
        plan_basis=basis[0], plan_basis_text=basis[1], basis_stated=basis[1] is not None,
        yoy_change_pct=None, kind="estimate" if estimate else "actual", footnote=None,
        line=cells[columns.share].line, quote=" | ".join(c.text for c in cells).strip(" |"),
        subject=subject,
    )


def table_observations(text: str, default: Period | None,
                       header: DocumentHeader | None = None,
                       subjects: SubjectReader | None = None) -> list[Observation]:
    """The plan-comparison figures of every figures table of ``text`` (see the module
    docstring); ``default`` is the document's own period; ``subjects`` tells a row naming
    the issuer itself, and a central issuer's totals (the nation's)."""
    found: list[Observation] = []
    text_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for table in tables_in(text):
        columns = _columns(table)
        if columns is None:
            continue
        basis = _basis(columns)
        if basis is None:
            continue
        above = _above(text_lines, table)
        period = _period(columns, " ".join(above), header, default)
        unit = _unit(columns, " ".join(above))
        name = _name_line(above)
        for row in _title_rows(table)[columns.start:]:
            observation = _observation(row, columns, basis, period, unit, name, subjects)
            if observation is not None:
                found.append(observation)
    return found
