"""The report as an Excel workbook (openpyxl): one sheet per section.

Sheets: "Chỉ tiêu" (the main-indicator table), "Chậm tiến độ" (lagging indicators),
"Nhiệm vụ" (task counts by state and overdue ageing per agency), "Quá hạn" (overdue tasks),
"Nguồn" (footnotes: document, line, quote). Header rows are frozen; Times New Roman.

Numbers (the choice, documented in docs/report.md): a point figure ("4.160", "6,33") is
stored as a number, so it sums, sorts and charts, with the format ``#,##0`` / ``#,##0.0`` /
``#,##0.00`` keeping the decimals the source wrote. In OOXML a number format code is
locale-invariant: "," means the grouping separator and "." the decimal separator *of the
reader's locale*, so Excel or LibreOffice with Vietnamese regional settings displays "4.160"
and "6,33" (and an English locale "4,160" / "6.33" — the same number). No format string can
force Vietnamese separators in every locale without turning the number into text. Ranges and
inequalities ("7 - 7,5", "≥5") are not numbers: they are stored as text in Vietnamese form.
The as-written text of every figure stays in the "Nguồn" sheet.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from rules.report.data import DISAGREE_MARK, as_of_words

FONT = "Times New Roman"
NUMBER_FORMATS = {0: "#,##0", 1: "#,##0.0", 2: "#,##0.00", 3: "#,##0.000"}
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
_DISAGREE_FILL = PatternFill("solid", fgColor="F8CBAD")
_WIDTHS = {"tt": 6, "name": 48, "plan": 14, "previous": 14, "estimate": 14, "verdict": 14,
           "official": 16, "remark": 40, "notes": 12, "target": 34}


def number_format(decimals: int | None) -> str:
    """The display format of a figure with ``decimals`` decimals (see the module docstring)."""
    return NUMBER_FORMATS.get(decimals or 0, "#,##0.###")


def write_xlsx(report: dict[str, Any], path: Path) -> None:
    wb = Workbook()
    _indicator_sheet(wb.active, report)
    _lagging_sheet(wb.create_sheet("Chậm tiến độ"), report)
    _task_sheet(wb.create_sheet("Nhiệm vụ"), report)
    _overdue_sheet(wb.create_sheet("Quá hạn"), report)
    _notes_sheet(wb.create_sheet("Nguồn"), report)
    wb.properties.title = report["title"]
    wb.properties.creator = "kehoach"
    wb.save(path)


def _title(ws: Worksheet, title: str, report: dict[str, Any], width: int) -> None:
    ws.cell(row=1, column=1, value=title).font = Font(name=FONT, size=14, bold=True)
    ws.cell(row=2, column=1, value=f"Kỳ: {report['period_label']} — {as_of_words(report)}"
            " (kehoach)").font = Font(name=FONT, size=11, italic=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(width, 1))


def _header(ws: Worksheet, row: int, headings: list[tuple[str, str]]) -> None:
    for col, (key, text) in enumerate(headings, start=1):
        c = ws.cell(row=row, column=col, value=text)
        c.font = Font(name=FONT, size=12, bold=True)
        c.fill = _HEADER_FILL
        c.border = _BORDER
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = _WIDTHS.get(key, 16)
    ws.freeze_panes = ws.cell(row=row + 1, column=3 if len(headings) > 3 else 1)


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: Any) -> bool:
    """Text a spreadsheet could run as a formula ("=HYPERLINK(...)", "@SUM(...)", "- mục");
    numbers and figures like "-4,33" are not."""
    if not isinstance(value, str) or not value.startswith(_FORMULA_STARTS):
        return False
    return not (value[0] in "+-" and value[1:2].isdigit())


def _put(ws: Worksheet, row: int, col: int, value: Any, *, bold: bool = False,
         fmt: str | None = None, wrap: bool = True, align: str = "left") -> Any:
    c = ws.cell(row=row, column=col, value=value)
    if looks_like_formula(value):  # kept as text, as written: a string cell with Excel's
        c.data_type = "s"           # quote prefix (OWASP formula injection), no apostrophe
        c.quotePrefix = True        # added to the text itself
    c.font = Font(name=FONT, size=12, bold=bold)
    c.border = _BORDER
    c.alignment = Alignment(horizontal=align, vertical="center", wrap_text=wrap)
    if fmt:
        c.number_format = fmt
    return c


def _figure(ws: Worksheet, row: int, col: int, figure: dict[str, Any] | None) -> None:
    if not figure:
        _put(ws, row, col, None)
    elif figure.get("number") is not None:
        _put(ws, row, col, figure["number"], fmt=number_format(figure["decimals"]),
             align="right")
    else:
        _put(ws, row, col, figure["display"], align="right")


def _notes_of(member: dict[str, Any]) -> list[int]:
    found: list[int] = []
    for key in ("plan", "previous", "estimate", "estimate_official"):
        found += (member.get(key) or {}).get("notes", [])
    return sorted(set(found + member.get("official_notes", [])))


def _indicator_sheet(ws: Worksheet, report: dict[str, Any]) -> None:
    ws.title = "Chỉ tiêu"
    cols = report["columns"] + [{"key": "remark", "vi": "Ghi chú"},
                                {"key": "notes", "vi": "Nguồn (chú thích)"},
                                {"key": "target", "vi": "Mã mục tiêu"}]
    _title(ws, report["title"], report, len(cols))
    _header(ws, 4, [(c["key"], c["vi"]) for c in cols])
    r = 5
    for group in report["indicators"]:
        _put(ws, r, 1, group["label"], bold=True, align="center")
        _put(ws, r, 2, group["title"], bold=True)
        for col in range(1, len(cols) + 1):
            ws.cell(row=r, column=col).fill = _GROUP_FILL
        r += 1
        for row in group["rows"]:
            for i, member in enumerate(row["members"]):
                _member_row(ws, r, cols, row, member, first=i == 0)
                r += 1


def _member_row(ws: Worksheet, r: int, cols: list[dict[str, str]], row: dict[str, Any],
                member: dict[str, Any], first: bool) -> None:
    for col, spec in enumerate(cols, start=1):
        key = spec["key"]
        if key == "tt":
            _put(ws, r, col, row["number"] if first else None, align="center")
        elif key == "name":
            _put(ws, r, col, member["label"] if first else f"- {member['label']}")
        elif key in ("plan", "previous", "estimate"):
            _figure(ws, r, col, member[key])
        elif key == "verdict":
            _put(ws, r, col, member["verdict_vi"], align="center")
        elif key == "official":
            text = member["official"]
            mark = f"{text} {DISAGREE_MARK}" if member["agrees"] is False else text
            c = _put(ws, r, col, mark, align="center")
            if member["agrees"] is False:
                c.fill = _DISAGREE_FILL
                c.comment = Comment(member["remark"], "kehoach")
        elif key == "remark":
            _put(ws, r, col, member["remark"] or None)
        elif key == "notes":
            _put(ws, r, col, " ".join(f"[{n}]" for n in _notes_of(member)) or None)
        elif key == "target":
            _put(ws, r, col, member["target"] or member["indicator"])


def _lagging_sheet(ws: Worksheet, report: dict[str, Any]) -> None:
    heads = [("tt", "TT"), ("name", "Chỉ tiêu"), ("period", "Kỳ"), ("status", "Trạng thái"),
             ("remark", "Giải thích"), ("agency", "Cơ quan chủ trì"), ("notes", "Nguồn")]
    _title(ws, "Các chỉ tiêu có nguy cơ chậm / chậm tiến độ", report, len(heads))
    _header(ws, 4, heads)
    for i, item in enumerate(report["lagging"], start=1):
        values = [i, item["name"], item["period"], item["status_vi"], item["explanation"],
                  item["agency_name"] or f"Chưa xác định ({item['agency_reason']})",
                  " ".join(f"[{n}]" for n in item["notes"]) or None]
        for col, value in enumerate(values, start=1):
            _put(ws, 4 + i, col, value, align="center" if col == 1 else "left")


def _task_sheet(ws: Worksheet, report: dict[str, Any]) -> None:
    tasks = report["tasks"]
    heads = ([("tt", "TT"), ("name", "Cơ quan chủ trì"), ("total", "Tổng số")]
             + [(s["key"], s["vi"]) for s in tasks["states"]]
             + [(b["key"], b["vi"]) for b in tasks["buckets"]])
    _title(ws, "Tình hình thực hiện nhiệm vụ theo cơ quan chủ trì", report, len(heads))
    _header(ws, 4, heads)
    rows = tasks["by_agency"] + [tasks["totals"]]
    for i, item in enumerate(rows, start=1):
        last = i == len(rows)
        values = ([None if last else i, item["name"], item["total"]]
                  + [item["states"][s["key"]] for s in tasks["states"]]
                  + [item["buckets"][b["key"]] for b in tasks["buckets"]])
        for col, value in enumerate(values, start=1):
            _put(ws, 4 + i, col, value, bold=last, fmt="#,##0" if col > 2 else None,
                 align="left" if col == 2 else "center")


def _overdue_sheet(ws: Worksheet, report: dict[str, Any]) -> None:
    heads = [("tt", "TT"), ("remark", "Nhiệm vụ"), ("agency", "Cơ quan chủ trì"),
             ("deadline", "Thời hạn"), ("days", "Số ngày quá hạn"), ("bucket", "Nhóm"),
             ("target", "Mã nhiệm vụ"), ("notes", "Nguồn")]
    _title(ws, "Danh sách nhiệm vụ quá hạn", report, len(heads))
    _header(ws, 4, heads)
    for i, item in enumerate(report["tasks"]["overdue"], start=1):
        agency = (item["agency_name"] or "—") + (" (ngầm định)" if item["lead_implied"] else "")
        values = [i, item["summary"], agency, item["deadline_text"] or item["deadline"],
                  item["days_overdue"], item["bucket_vi"], item["id"],
                  " ".join(f"[{n}]" for n in item["notes"]) or None]
        for col, value in enumerate(values, start=1):
            _put(ws, 4 + i, col, value, fmt="#,##0" if col == 5 else None,
                 align="center" if col in (1, 5) else "left")


def _notes_sheet(ws: Worksheet, report: dict[str, Any]) -> None:
    heads = [("tt", "Số"), ("doc", "Tài liệu"), ("line", "Dòng"), ("remark", "Trích nguyên văn"),
             ("target", "Dữ kiện"), ("fields", "Dùng cho"), ("name", "Tên tài liệu")]
    _title(ws, "Nguồn số liệu (tài liệu, dòng, trích dẫn)", report, len(heads))
    _header(ws, 4, heads)
    for i, note in enumerate(report["footnotes"], start=1):
        values = [note["n"], note["doc"], note["line"], note["quote"], note["fact"],
                  ", ".join(note["fields"]), note["document"]]
        for col, value in enumerate(values, start=1):
            _put(ws, 4 + i, col, value, align="center" if col in (1, 2, 3) else "left")
