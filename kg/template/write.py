"""Write the blank, annotated XLSX template (mẫu trống) from the column registry.

Layout, which ``kg.template.read`` reads back: a "Hướng dẫn" sheet explaining every column with
an example as the documents write it; then one sheet per kind ("Cơ quan", "Chỉ tiêu - Mục
tiêu", "Số liệu", "Nhiệm vụ") whose row 1 holds the Vietnamese headers (each with a comment: help
and example), row 2 the English keys (grey; the importer skips it), data from row 3. Columns
are formatted as text so "4.060" and "7 - 7,5" stay as written; enumerated columns carry a
drop-down list; the two header rows are frozen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kg.errors import Place
from kg.template.columns import GUIDE_SHEET, SHEET_KINDS, Column, SheetKind
from kg.template.errors import TemplateError

VALIDATED_ROWS = 2000
"""Rows (from row 3) covered by the drop-down lists."""

GUIDE_HEADERS = ("Bảng / sheet", "Cột / column", "Khóa / key", "Bắt buộc / required",
                 "Giải thích", "Explanation", "Ví dụ / example", "Giá trị cho phép / allowed")
GUIDE_INTRO = (
    "Mẫu nhập liệu kehoach: mỗi bảng một loại dữ liệu; hàng 1 là tiêu đề tiếng Việt, hàng 2 là "
    "khóa tiếng Anh (giữ nguyên), nhập dữ liệu từ hàng 3. Viết số như văn bản: '4.595,5', "
    "'7 - 7,5', '<5'. Không dùng công thức, không gộp ô. Tệp được nhập toàn bộ hoặc không nhập "
    "hàng nào: mọi hàng lỗi đều được báo kèm số hàng.",
    "kehoach import template: one kind of data per sheet; row 1 holds the Vietnamese headers, "
    "row 2 the English keys (keep it), data starts at row 3. Write numbers as the documents "
    "do. No formulas, no merged cells. A file is imported whole or not at all: every bad row "
    "is reported with its row number.",
)


def write_template(path: str | Path) -> Path:
    """Write the blank template to ``path`` (.xlsx) and return the path."""
    import openpyxl  # loaded only when a template is written

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise TemplateError("Tệp mẫu phải có đuôi .xlsx", "The template file must end in .xlsx",
                            code="template_suffix", text=path.name,
                            place=Place(document=path.name))
    book = openpyxl.Workbook()
    _guide(book.active)
    for kind in SHEET_KINDS.values():
        _kind_sheet(book.create_sheet(kind.sheet), kind)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        book.save(path)
    except OSError as err:
        raise TemplateError(f"Không ghi được tệp mẫu: {err}", f"Cannot write the template: {err}",
                            code="template_write", place=Place(document=str(path))) from None
    return path


def _guide(ws: Any) -> None:
    from openpyxl.styles import Alignment, Font

    ws.title = GUIDE_SHEET
    ws.append([GUIDE_INTRO[0]])
    ws.append([GUIDE_INTRO[1]])
    ws.append([])
    ws.append(list(GUIDE_HEADERS))
    for cell in ws[4]:
        cell.font = Font(bold=True)
    for kind in SHEET_KINDS.values():
        for col in kind.columns:
            ws.append([kind.sheet, col.vi, col.key, "có / yes" if col.required else "không / no",
                       col.help_vi, col.help_en, col.example, ", ".join(col.choice_words())])
    for letter, width in zip("ABCDEFGH", (20, 20, 16, 12, 60, 60, 30, 40), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=5):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A5"


def _kind_sheet(ws: Any, kind: SheetKind) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, col in enumerate(kind.columns, start=1):
        letter = get_column_letter(index)
        head = ws.cell(row=1, column=index, value=col.vi + (" *" if col.required else ""))
        head.font, head.fill = Font(bold=True), fill
        head.comment = Comment(_comment(col), "kehoach", width=320, height=160)
        key = ws.cell(row=2, column=index, value=col.key)
        key.font = Font(italic=True, color="808080")
        ws.column_dimensions[letter].width = col.width
        ws.column_dimensions[letter].number_format = "@"
        if col.choices:
            _drop_down(ws, col, letter)
    ws.freeze_panes = "A3"


def _comment(col: Column) -> str:
    need = "Bắt buộc" if col.required else "Không bắt buộc"
    lines = [f"{col.key} — {need}", col.help_vi, col.help_en]
    if col.example:
        lines.append(f"Ví dụ / example: {col.example}")
    return "\n".join(lines)


def _drop_down(ws: Any, col: Column, letter: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    words = ",".join(col.choice_words())
    check = DataValidation(type="list", formula1=f'"{words}"', allow_blank=True,
                           showErrorMessage=True, errorTitle="kehoach",
                           error=f"Chọn một giá trị / choose one of: {words}")
    check.add(f"{letter}3:{letter}{VALIDATED_ROWS + 2}")
    ws.add_data_validation(check)
