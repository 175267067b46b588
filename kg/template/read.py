"""Read a template file (CSV or XLSX) into raw rows: column key → text as written.

Nothing is evaluated or guessed here: a formula ("=...") is refused as a value, numbers typed
as numbers in Excel are written back the Vietnamese way ("4.060", "7,5"), dates become ISO.
Cell problems (formula, too long, wrong type, merged cells) are collected with their row;
problems of the file as a whole (encoding, format, header, missing column) raise
``TemplateError`` at once.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from kg.errors import KehoachError, Place
from kg.matching import fold
from kg.notation import format_number, nfc
from kg.template.columns import (
    GUIDE_SHEET,
    MAX_CELL_CHARS,
    MAX_ROWS,
    SHEET_KINDS,
    SheetKind,
    kind_of_sheet_name,
)
from kg.template.errors import TemplateError, row_problem

NUMERIC_COLUMNS = {"target", "value", "baseline", "pct_of_plan"}
"""Columns whose Excel numbers are written back with "." thousands and "," decimals."""

HEADER_SEARCH_ROWS = 10
MAX_BYTES = 50_000_000
MAX_COLUMNS = 100

Cell = str | KehoachError  # a cell's text, or why it cannot be read


@dataclass(frozen=True)
class RawRow:
    number: int  # the row number a spreadsheet shows (CSV: record number, header = 1)
    cells: dict[str, str]  # column key → text as written (stripped); empty cells left out
    written: tuple[str, ...]  # every non-empty cell as written, in column order
    unreadable: frozenset[str] = frozenset()  # column keys whose cell was refused


@dataclass
class RawSheet:
    kind: str
    name: str  # "file.csv" or "file.xlsx › sheet"
    rows: list[RawRow] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)


def _file_error(name: str, vi: str, en: str, code: str, text: str | None = None) -> TemplateError:
    return TemplateError(vi, en, code=code, text=text, place=Place(document=name))


def read_file(path: str | Path, kind: str | None = None
              ) -> tuple[list[RawSheet], list[KehoachError]]:
    """The sheets of ``path`` with their rows, and every cell problem found."""
    path = Path(path)
    if kind is not None and kind not in SHEET_KINDS:
        kinds = ", ".join(SHEET_KINDS)
        raise _file_error(path.name, f"Loại bảng không hợp lệ '{kind}' ({kinds})",
                          f"Unknown kind '{kind}' ({kinds})", "template_kind", kind)
    if not path.is_file():
        raise _file_error(path.name, "Không tìm thấy tệp", "File not found", "template_not_found")
    if path.stat().st_size > MAX_BYTES:
        raise _file_error(path.name, f"Tệp quá lớn (hơn {MAX_BYTES // 1_000_000} MB)",
                          f"File too large (over {MAX_BYTES // 1_000_000} MB)", "template_size")
    data = path.read_bytes()
    if _is_xlsx(path, data):
        grids = _xlsx_grids(path, data)
    else:
        grids = [(None, path.name, _csv_grid(path.name, data))]
    sheets: list[RawSheet] = []
    problems: list[KehoachError] = []
    for title, name, grid in grids:
        named = kind_of_sheet_name(title) if title is not None else None
        if (title is not None and fold(title) == fold(GUIDE_SHEET)) or not _has_content(grid):
            continue
        if kind and named and named != kind:
            _other_kind(name, grid, named, kind)
            continue
        sheet_kind = kind or named
        sheet, found = _read_grid(name, grid, sheet_kind)
        sheets.append(sheet)
        problems.extend(found)
    if not sheets or not any(s.rows for s in sheets):
        raise _file_error(path.name, "Tệp không có hàng dữ liệu nào",
                          "The file has no data rows", "template_empty")
    return sheets, problems


def _other_kind(name: str, grid: list[list[Any]], named: str, kind: str) -> None:
    """A workbook sheet named for another kind than the one asked for: left out when it has
    no data rows (the blank template's other sheets), else refused."""
    try:
        sheet, _found = _read_grid(name, grid, named)
    except TemplateError:
        sheet = None
    if sheet is None or sheet.rows:
        theirs, wanted = SHEET_KINDS[named], SHEET_KINDS[kind]
        raise _file_error(name, f"Bảng '{theirs.sheet}' có dữ liệu nhưng chỉ nhập bảng "
                          f"'{wanted.sheet}'; hãy dùng 'kehoach import' cho cả tệp",
                          f"The '{theirs.title_en}' sheet has rows but only '{wanted.title_en}' "
                          "is imported here; use 'kehoach import' for the whole file",
                          "template_other_kind", theirs.sheet)


def _is_xlsx(path: Path, data: bytes) -> bool:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return True
    return suffix not in (".csv", ".txt") and data[:2] == b"PK"


# -- CSV -------------------------------------------------------------------------------------

def _csv_grid(name: str, data: bytes) -> list[list[Cell]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise _file_error(
            name, f"Tệp CSV không phải mã UTF-8 (byte lỗi ở vị trí {err.start}); hãy lưu lại "
            "với mã hóa UTF-8 (Excel: 'CSV UTF-8')",
            f"The CSV file is not UTF-8 (bad byte at offset {err.start}); save it again as "
            "UTF-8 (Excel: 'CSV UTF-8')", "template_encoding") from None
    if "\x00" in text:
        raise _file_error(name, "Tệp CSV chứa ký tự NUL (tệp nhị phân?)",
                          "The CSV file contains NUL characters (a binary file?)",
                          "template_binary")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as err:
        raise _file_error(name, f"Tệp CSV không đọc được: {err}", f"Unreadable CSV: {err}",
                          "template_csv") from None
    _check_size(name, len(records))
    return [[_text_cell(name, i, value) for value in record]
            for i, record in enumerate(records, start=1)]


def _check_size(name: str, rows: int) -> None:
    if rows > MAX_ROWS:
        raise _file_error(name, f"Tệp quá lớn: {rows} hàng (tối đa {MAX_ROWS})",
                          f"File too large: {rows} rows (at most {MAX_ROWS})", "template_size")


def _text_cell(sheet: str, row: int, value: str) -> Cell:
    text = nfc(value).strip()
    if len(text) > MAX_CELL_CHARS:
        return row_problem(sheet, row, None, f"ô quá dài ({len(text)} ký tự, tối đa "
                           f"{MAX_CELL_CHARS})", f"cell too long ({len(text)} characters, at "
                           f"most {MAX_CELL_CHARS})", "cell_too_long", text[:80] + "…")
    if text.startswith("="):
        return row_problem(sheet, row, None, "ô chứa công thức, không được tính; hãy nhập giá "
                           "trị", "the cell holds a formula, which is never evaluated; enter "
                           "the value", "cell_formula", text[:80])
    return text


# -- XLSX ------------------------------------------------------------------------------------

def _xlsx_grids(path: Path, data: bytes) -> list[tuple[str | None, str, list[list[Any]]]]:
    import openpyxl  # loaded only when an XLSX file is read

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except Exception as err:  # openpyxl raises many kinds on a broken file
        raise _file_error(path.name, f"Không mở được tệp XLSX ({type(err).__name__}); hãy lưu "
                          "lại dạng .xlsx", f"Cannot open the XLSX file ({type(err).__name__}); "
                          "save it again as .xlsx", "template_xlsx") from None
    grids: list[tuple[str | None, str, list[list[Any]]]] = []
    for ws in book.worksheets:
        name = f"{path.name} › {ws.title}"
        _check_size(name, ws.max_row)
        if ws.max_column > MAX_COLUMNS:
            raise _file_error(name, f"Bảng quá rộng: {ws.max_column} cột (tối đa {MAX_COLUMNS})",
                              f"Sheet too wide: {ws.max_column} columns (at most {MAX_COLUMNS})",
                              "template_size")
        grid: list[list[Any]] = [[_xlsx_cell(name, r, cell) for cell in row]
                                 for r, row in enumerate(ws.iter_rows(), start=1)]
        for merged in ws.merged_cells.ranges:
            _mark_merged(name, grid, merged)
        grids.append((ws.title, name, grid))
    return grids


def _mark_merged(name: str, grid: list[list[Any]], merged: Any) -> None:
    """Merged cells are refused: the error sits on the range's first cell."""
    row, col = merged.min_row - 1, merged.min_col - 1
    if row < len(grid) and col < len(grid[row]):
        grid[row][col] = _Merged(str(merged), grid[row][col])


@dataclass(frozen=True)
class _Merged:
    """A merged range's first cell: fine above the header, a problem in the table."""

    ref: str
    cell: Any


def _xlsx_cell(sheet: str, row: int, cell: Any) -> Any:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        if cell.data_type == "e":
            return row_problem(sheet, row, None, f"ô báo lỗi Excel {value}",
                               f"the cell shows an Excel error {value}", "cell_error", value)
        return _text_cell(sheet, row, value)
    if isinstance(value, bool):
        return row_problem(sheet, row, None, "ô kiểu đúng/sai không hợp lệ",
                           "a true/false cell is not a valid value", "cell_type", str(value))
    if isinstance(value, int | float):
        return _Number(Decimal(repr(value)) if isinstance(value, float) else Decimal(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    kind = "time" if isinstance(value, time) else type(value).__name__
    return row_problem(sheet, row, None, f"ô có kiểu không đọc được ({kind}), có thể là công "
                       "thức", f"unreadable cell type ({kind}), maybe a formula", "cell_type",
                       str(value)[:80])


@dataclass(frozen=True)
class _Number:
    """A number typed as a number; written per column (Vietnamese style or plain)."""

    value: Decimal

    def text(self, key: str | None) -> str:
        if not self.value.is_finite():
            return str(self.value)
        if key in NUMERIC_COLUMNS:
            return format_number(self.value.normalize())
        if self.value == self.value.to_integral_value():
            return str(int(self.value))
        return format_number(self.value)


# -- grid → rows -----------------------------------------------------------------------------

def _has_content(grid: list[list[Any]]) -> bool:
    return any(_plain(c) for row in grid for c in row)


def _plain(cell: Any, key: str | None = None) -> str:
    """Text of a grid cell for header matching and quoting ("" for problems)."""
    if isinstance(cell, _Merged):
        return _plain(cell.cell, key)
    if isinstance(cell, _Number):
        return cell.text(key)
    return cell if isinstance(cell, str) else ""


def _header_keys(kind: SheetKind, row: list[Any]) -> list[str | None]:
    keys: list[str | None] = []
    for cell in row:
        folded = fold(_plain(cell))
        keys.append(next((c.key for c in kind.columns if folded and folded in c.headers()),
                         None))
    return keys


def _find_header(name: str, grid: list[list[Any]], kind: str | None) -> tuple[int, SheetKind]:
    candidates = [SHEET_KINDS[kind]] if kind else list(SHEET_KINDS.values())
    for index, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        scored = [(sum(k is not None for k in _header_keys(c, row)), c) for c in candidates]
        if max(score for score, _ in scored) < (1 if kind else 2):  # one column: kind named
            continue
        complete = [c for _, c in scored if _missing(c, _header_keys(c, row)) == []]
        if len(complete) == 1:
            return index, complete[0]
        best = max(scored, key=lambda pair: pair[0])[1]
        missing = _missing(best, _header_keys(best, row))
        if missing:
            raise _missing_error(name, index + 1, best, missing)
        raise _file_error(name, "Không xác định được loại bảng từ tiêu đề; dùng --kind",
                          "Cannot tell the kind of table from its headers; use --kind",
                          "template_kind_ambiguous")
    expected = ", ".join(f"'{c.vi}'" for k in candidates for c in k.required())
    raise _file_error(name, f"Không tìm thấy hàng tiêu đề trong {HEADER_SEARCH_ROWS} hàng đầu "
                      f"(cần các cột {expected})", f"No header row in the first "
                      f"{HEADER_SEARCH_ROWS} rows (expected columns {expected})",
                      "template_no_header")


def _missing(kind: SheetKind, keys: list[str | None]) -> list[str]:
    return [c.key for c in kind.required() if c.key not in keys]


def _missing_error(name: str, row: int, kind: SheetKind, missing: list[str]) -> TemplateError:
    cols = ", ".join(f"'{kind.column(k).vi}' ({k})" for k in missing)
    return TemplateError(f"Thiếu cột bắt buộc {cols} trong bảng {kind.sheet}",
                         f"Missing required column {cols} in the {kind.title_en} table",
                         code="template_missing_column", text=",".join(missing),
                         place=Place(document=name, row=row, field=missing[0]))


def _read_grid(name: str, grid: list[list[Any]], kind: str | None
               ) -> tuple[RawSheet, list[KehoachError]]:
    index, sheet_kind = _find_header(name, grid, kind)
    keys = _header_keys(sheet_kind, grid[index])
    _check_duplicates(name, index + 1, sheet_kind, keys)
    sheet = RawSheet(sheet_kind.key, name, ignored_headers=[
        _plain(c) for c, k in zip(grid[index], keys, strict=False) if k is None and _plain(c)])
    problems: list[KehoachError] = []
    start = index + 1
    if start < len(grid) and _is_key_row(grid[start], keys, sheet_kind):
        start += 1
    for number, row in enumerate(grid, start=1):
        if number <= index:
            continue
        if number <= start:
            problems.extend(_merged_problems(name, number, row, keys))
            continue
        raw, found = _raw_row(name, number, row, keys)
        problems.extend(found)
        if raw.written or found:
            sheet.rows.append(raw)
    return sheet, problems


def _check_duplicates(name: str, row: int, kind: SheetKind, keys: list[str | None]) -> None:
    seen = [k for k in keys if k is not None]
    for key in seen:
        if seen.count(key) > 1:
            col = kind.column(key)
            raise TemplateError(f"Cột '{col.vi}' ({key}) xuất hiện hai lần",
                                f"Column '{col.vi}' ({key}) appears twice",
                                code="template_duplicate_column", text=key,
                                place=Place(document=name, row=row, field=key))


def _is_key_row(row: list[Any], keys: list[str | None], kind: SheetKind) -> bool:
    """The template's second header row: every filled cell names its own column."""
    filled = [(_plain(c), k) for c, k in zip(row, keys, strict=False) if _plain(c)]
    return bool(filled) and all(
        k is not None and fold(text) in kind.column(k).headers() for text, k in filled)


def _merged_problems(name: str, number: int, row: list[Any],
                     keys: list[str | None]) -> list[KehoachError]:
    return [row_problem(name, number, key, f"ô gộp {cell.ref} không được dùng trong bảng; hãy "
                        "bỏ gộp và điền từng ô", f"merged cells {cell.ref} are not allowed in "
                        "the table; unmerge and fill every cell", "cell_merged", cell.ref)
            for cell, key in zip(row, keys, strict=False) if isinstance(cell, _Merged)]


def _raw_row(name: str, number: int, row: list[Any], keys: list[str | None]
             ) -> tuple[RawRow, list[KehoachError]]:
    cells: dict[str, str] = {}
    written: list[str] = []
    unreadable: set[str] = set()
    problems = _merged_problems(name, number, row, keys)
    for cell, key in zip(row, keys, strict=False):
        value = cell.cell if isinstance(cell, _Merged) else cell
        if isinstance(value, KehoachError):
            problems.append(value.located(field=key))
            unreadable.add(key or "")
            continue
        text = _plain(value, key)
        if text and key is not None:
            cells[key] = text
        if text:
            written.append(text)
    return RawRow(number, cells, tuple(written), frozenset(unreadable)), problems
