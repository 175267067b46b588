"""The report as a Word document (python-docx), laid out as Vietnamese administrative
documents are (Nghị định 30/2020/NĐ-CP, Phụ lục I): A4, margins top/bottom 2 cm, left 3 cm,
right 1.5 cm; Times New Roman, body 14 pt, tables 13 pt, headings 14 pt bold.

Sections: the indicator table, lagging indicators, tasks by agency, overdue tasks, and the
source notes. Every figure carries its note numbers raised after it ("6,33[1]"); the notes
list document, line and verbatim quote.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from rules.report.data import DISAGREE_MARK, as_of_words
from rules.report.sources import describe

FONT = "Times New Roman"
BODY_PT, TABLE_PT = 14, 13
_WIDTHS_CM = {"tt": 1.1, "name": 4.4, "plan": 2.4, "previous": 2.2, "estimate": 2.4,
              "verdict": 1.9, "official": 2.1}


def write_docx(report: dict[str, Any], path: Path) -> None:
    doc = Document()
    _page(doc)
    _styles(doc)
    _heading(doc, report["title"].upper(), center=True)
    _para(doc, f"(Kỳ {report['period_label']}; {as_of_words(report)}"
          "; lập tự động bởi kehoach từ sổ dữ kiện)", italic=True, center=True)
    _heading(doc, "I. BẢNG CÁC CHỈ TIÊU CHỦ YẾU")
    _indicator_table(doc, report)
    _summary(doc, report)
    _heading(doc, "II. CÁC CHỈ TIÊU CÓ NGUY CƠ CHẬM, CHẬM TIẾN ĐỘ")
    _lagging(doc, report)
    _heading(doc, "III. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ")
    _tasks(doc, report)
    _heading(doc, "NGUỒN SỐ LIỆU")
    for note in report["footnotes"]:
        _para(doc, f"[{note['n']}] {describe(note)}", size=11)
    doc.core_properties.title = report["title"]
    doc.core_properties.author = "kehoach"
    doc.save(str(path))


def _page(doc: Any) -> None:
    for section in doc.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin = section.bottom_margin = Cm(2)
        section.left_margin, section.right_margin = Cm(3), Cm(1.5)


def _styles(doc: Any) -> None:
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(BODY_PT)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    style.paragraph_format.space_after = Pt(6)


def _para(doc: Any, text: str, *, bold: bool = False, italic: bool = False,
          center: bool = False, size: int | None = None) -> Any:
    p = doc.add_paragraph()
    run = p.add_run(text)
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return p


def _heading(doc: Any, text: str, center: bool = False) -> None:
    _para(doc, text, bold=True, center=center, size=BODY_PT)


def _cell(cell: Any, text: str | None, notes: list[int] | None = None, *, bold: bool = False,
          align: str = "left", red: bool = False) -> None:
    p = cell.paragraphs[0]
    p.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                   "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    p.paragraph_format.space_after = Pt(0)
    run = p.add_run(text or "")
    run.bold = bold
    run.font.size = Pt(TABLE_PT)
    if red:
        run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    if notes:
        sup = p.add_run("[" + ",".join(str(n) for n in notes) + "]")
        sup.font.superscript = True
        sup.font.size = Pt(9)


def _table(doc: Any, headings: list[str], widths: list[float]) -> Any:
    table = doc.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for i, text in enumerate(headings):
        _cell(table.rows[0].cells[i], text, bold=True, align="center")
    for i, column in enumerate(table.columns):
        column.width = Cm(widths[i])  # the grid LibreOffice and Word lay out from
        table.rows[0].cells[i].width = Cm(widths[i])
    header = table.rows[0]._tr.get_or_add_trPr()
    header.append(header.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))
    return table


def _add(table: Any, widths: list[float]) -> Any:
    cells = table.add_row().cells
    for i, cell in enumerate(cells):
        cell.width = Cm(widths[i])
    return cells


def _indicator_table(doc: Any, report: dict[str, Any]) -> None:
    cols = report["columns"]
    widths = [_WIDTHS_CM.get(c["key"], 2.0) for c in cols]
    table = _table(doc, [c["vi"] for c in cols], widths)
    for group in report["indicators"]:
        cells = _add(table, widths)
        _cell(cells[0], group["label"], bold=True, align="center")
        _cell(cells[1], group["title"], bold=True)
        for row in group["rows"]:
            for i, member in enumerate(row["members"]):
                _member(_add(table, widths), cols, row, member, first=i == 0)


def _member(cells: Any, cols: list[dict[str, str]], row: dict[str, Any],
            member: dict[str, Any], first: bool) -> None:
    for i, spec in enumerate(cols):
        key = spec["key"]
        if key == "tt":
            _cell(cells[i], row["number"] if first else "", align="center")
        elif key == "name":
            _cell(cells[i], member["label"] if first else f"- {member['label']}")
        elif key in ("plan", "previous", "estimate"):
            figure = member[key] or {}
            _cell(cells[i], figure.get("display"), figure.get("notes"), align="right")
        elif key == "verdict":
            _cell(cells[i], member["verdict_vi"], align="center")
        elif key == "official":
            differs = member["agrees"] is False
            text = f"{member['official']} {DISAGREE_MARK}" if differs else member["official"]
            _cell(cells[i], text, member["official_notes"], align="center", red=differs)


def _summary(doc: Any, report: dict[str, Any]) -> None:
    s = report["summary"]
    counts = ", ".join(f"{label} {s['computed'].get(code, 0)}" for code, label in
                       (("exceeded", "Vượt"), ("achieved", "Đạt"), ("not_achieved", "Không đạt")))
    if report["kind"] == "plan":
        _para(doc, f"Kế hoạch gồm {s['indicators']} chỉ tiêu ({s['rows']} hàng); chưa có số "
              "liệu thực hiện.")
        return
    _para(doc, f"Tổng số {s['indicators']} chỉ tiêu ({s['rows']} hàng), đánh giá tính toán: "
          f"{counts}.")
    for group in report["indicators"]:
        for row in group["rows"]:
            for member in row["members"]:
                if member["agrees"] is False or member["estimate_official"]:
                    _para(doc, f"{member['name']}: {member['remark']}.", size=12)


def _lagging(doc: Any, report: dict[str, Any]) -> None:
    if not report["lagging"]:
        _para(doc, "Không có chỉ tiêu nào có nguy cơ chậm hoặc chậm tiến độ.")
        return
    widths = [1.0, 4.5, 2.0, 2.3, 4.7, 2.3]
    table = _table(doc, ["TT", "Chỉ tiêu", "Kỳ", "Trạng thái", "Giải thích", "Cơ quan chủ trì"],
                   widths)
    for i, item in enumerate(report["lagging"], start=1):
        cells = _add(table, widths)
        values = [str(i), item["name"], item["period"], item["status_vi"], item["explanation"],
                  item["agency_name"] or f"Chưa xác định ({item['agency_reason']})"]
        for j, value in enumerate(values):
            _cell(cells[j], value, item["notes"] if j == 4 else None,
                  align="center" if j in (0, 2) else "left")


def _tasks(doc: Any, report: dict[str, Any]) -> None:
    tasks = report["tasks"]
    states, buckets = tasks["states"], tasks["buckets"]
    widths = [4.5, 1.3] + [1.6] * len(states) + [1.2] * len(buckets)
    heads = ["Cơ quan chủ trì", "Tổng"] + [s["vi"] for s in states] + [
        b["vi"].replace("Quá hạn ", "QH ") for b in buckets]
    table = _table(doc, heads, widths)
    for item in tasks["by_agency"] + [tasks["totals"]]:
        cells = _add(table, widths)
        bold = item is tasks["totals"]
        values = [item["name"], item["total"]] + [item["states"][s["key"]] for s in states] + [
            item["buckets"][b["key"]] for b in buckets]
        for j, value in enumerate(values):
            _cell(cells[j], str(value), bold=bold, align="left" if j == 0 else "center")
    _para(doc, "")
    _heading(doc, f"Nhiệm vụ quá hạn ({len(tasks['overdue'])})")
    if not tasks["overdue"]:
        _para(doc, "Không có nhiệm vụ quá hạn.")
        return
    widths = [1.0, 7.8, 3.2, 2.5, 2.0]
    table = _table(doc, ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", "Số ngày quá hạn"],
                   widths)
    for i, item in enumerate(tasks["overdue"], start=1):
        cells = _add(table, widths)
        agency = (item["agency_name"] or "—") + (" (ngầm định)" if item["lead_implied"] else "")
        values = [str(i), item["summary"], agency, item["deadline_text"] or item["deadline"],
                  str(item["days_overdue"])]
        for j, value in enumerate(values):
            _cell(cells[j], value, item["notes"] if j == 1 else None,
                  align="center" if j in (0, 4) else "left")
