"""Task tables (bảng phân công nhiệm vụ): one task per row, or per bullet of its task cell.

A table whose header has a task column ("Nhiệm vụ", "Nội dung nhiệm vụ", "Tên nhiệm vụ",
"Nội dung") and a lead column ("Cơ quan chủ trì", "Đơn vị thực hiện") or a deadline column
("Thời hạn hoàn thành", "Thời gian thực hiện") is a task table; the row's lead, support and
deadline cells are read as written (``kg.extract.leads``, ``kg.extract.deadlines``). A row
shorter than the header (cells merged down from the row above) takes its cells from the right
and the rest from the row above; a full-width row with only its task cell written titles the
rows under it ("Nhiệm vụ giao Bộ trưởng Bộ Công an chỉ đạo"); a section row ("A. | BỘ NÔNG
NGHIỆP VÀ MÔI TRƯỜNG") may name their lead. A procedure table ("Cơ quan, bộ phận, người thực
hiện") is no task table. Also the helpers task rows share with sentences (summary length,
deadline fields, a "phấn đấu ... X%" target).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.errors import ParseError
from kg.extract.deadlines import DeadlineFound, deadline_cell, deadline_in
from kg.extract.leads import addressee, lead_in, split_agencies
from kg.extract.model import Task
from kg.extract.tables import Row, Table
from kg.notation import parse_expression

SUMMARY_MAX = 240
MIN_WORDS = 4
"""A clause shorter than this is no task (a name, a heading word, "Lưu: VT")."""


_TARGET = re.compile(
    r"phấn\s+đấu[^;.]{0,80}?(?P<target>(?:trên|dưới|tối\s+thiểu|ít\s+nhất|từ|đạt|hơn)?"
    r"\s*[0-9][0-9.,]*\s?(?:-\s?[0-9][0-9.,]*\s?)?%)",
    re.IGNORECASE,
)
_TASK_COLUMNS = (r"nội\s+dung\s+nhiệm\s+vụ", r"^(?:tên\s+)?(?:dự\s+án,\s*)?nhiệm\s+vụ",
                 r"nhiệm\s+vụ", r"^nội\s+dung$|^nội\s+dung\s+(?:thực\s+hiện|công\s+việc\s+chính)")
_LEAD_COLUMN = r"chủ\s*trì|(?:đơn\s+vị|cơ\s+quan)\s+(?:thực\s+hiện|chịu\s+trách\s+nhiệm)"
_DEADLINE_COLUMN = r"thời\s+(?:hạn|gian)|hạn\s+hoàn\s+thành"
_PROCEDURE_COLUMN = re.compile(r"người\s+thực\s+hiện|bộ\s+phận", re.IGNORECASE)


def deadline_fields(found: DeadlineFound | None,
                     ) -> tuple[str | None, str | None, str | None, bool]:
    if found is None:
        return None, None, None, False
    return found.text, found.due, found.condition, found.continuing


def task_target(sentence: str) -> str | None:
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


@dataclass(frozen=True)
class _Columns:
    task: int
    lead: int | None
    support: int | None
    deadline: int | None
    width: int


def _columns(table: Table) -> _Columns | None:
    """The columns of a task table, or None when the table holds no tasks."""
    if table.header is None:
        return None
    header = " | ".join(table.header.texts())
    if _PROCEDURE_COLUMN.search(header):
        return None
    task = next((index for pattern in _TASK_COLUMNS
                 if (index := table.column(pattern)) is not None), None)
    if task is None:
        return None
    support = table.column(r"phối\s+hợp")
    lead = next((i for i, cell in enumerate(table.header.cells)
                 if re.search(_LEAD_COLUMN, cell.text, re.IGNORECASE) and i != support), None)
    deadline = table.column(_DEADLINE_COLUMN)
    if lead is None and deadline is None:
        return None
    return _Columns(task, lead, support, deadline, table.width)


def _is_title_row(texts: list[str], columns: _Columns) -> bool:
    """A full-width row with only its task cell written ("| | Nhiệm vụ giao Bộ trưởng Bộ Công
    an chỉ đạo | | |") titles the rows under it."""
    if len(texts) != columns.width or not texts[columns.task].strip():
        return False
    others = [t for i, t in enumerate(texts) if i != columns.task]
    return not any(t.strip() for t in others)


def _aligned(row: Row, width: int) -> list[str | None]:
    """The row's cell texts by column: a short row's cells are its rightmost columns (cells
    merged down from the row above are missing on the left); a long row drops its first."""
    texts = row.texts()
    if len(texts) >= width:
        return list(texts[len(texts) - width:])
    return [None] * (width - len(texts)) + list(texts)


def _bullets(text: str, first_line: int, source: list[str]) -> list[tuple[str, int]]:
    """A task cell split at its bullets ("- Xây dựng ...; - Ban hành ..."), each with the
    file line where it starts (searched from the cell's first line)."""
    parts = [p.strip() for p in re.split(r"(?:^|\s)[-–•]\s+(?=[A-ZĐÀ-Ỹ])", text) if p.strip()]
    if len(parts) <= 1:
        return [(re.sub(r"^[-–•]\s+", "", text), first_line)]
    found: list[tuple[str, int]] = []
    cursor = first_line
    for part in parts:
        probe = " ".join(part.split()[:3])
        line = cursor
        for number in range(cursor, min(len(source), cursor + 200) + 1):
            if probe and probe in " ".join(source[number - 1].replace("**", "").split()):
                line = number
                break
        found.append((part, line))
        cursor = line
    return found


def table_tasks(table: Table, year: int | None, issuer: str,
                source: list[str]) -> list[Task]:
    """The tasks of a task table (see the module docstring); [] for any other table."""
    columns = _columns(table)
    if columns is None:
        return []
    tasks: list[Task] = []
    above: list[str | None] = [None] * columns.width
    section_lead: str | None = None
    for row in table.rows:
        texts = row.texts()
        if len(texts) <= 2 and re.fullmatch(r"[A-ZĐIVXL0-9]{1,5}\.?", texts[0].strip()):
            named = addressee(texts[-1]) if len(texts) == 2 else None
            section_lead = named[0] if named else section_lead
            continue
        if _is_title_row(texts, columns):
            named = lead_in(texts[columns.task]) if columns.task < len(texts) else None
            section_lead = named or section_lead
            continue
        cells = _aligned(row, columns.width)
        cells = [cell if cell is not None else above[i] for i, cell in enumerate(cells)]
        above = cells
        task_text = cells[columns.task] or ""
        if len(task_text.split()) < MIN_WORDS - 1:
            continue
        line = next((c.line for c in row.cells if c.text == task_text), row.line)
        lead_text = cells[columns.lead] if columns.lead is not None else None
        lead = " ".join(lead_text.split()) if lead_text else section_lead
        support = split_agencies(cells[columns.support] or "") if columns.support is not None \
            else []
        due_text = cells[columns.deadline] if columns.deadline is not None else None
        for text, line_no in _bullets(task_text, line, source):
            found = deadline_cell(due_text, year) if due_text else None
            if found is None:
                found = deadline_in(text, year)
            written, due, condition, continuing = deadline_fields(found)
            tasks.append(Task(
                summary=text[:SUMMARY_MAX].rstrip(" ;."),
                agency=lead or issuer, agency_stated=bool(lead),
                deadline_text=written, deadline=due, condition=condition,
                target=task_target(text), line=line_no, quote=text[:SUMMARY_MAX],
                support=support, continuing=continuing,
            ))
    return tasks
