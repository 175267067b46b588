"""The report writers: xlsx (openpyxl), docx (python-docx), Markdown and HTML, each opened
again with its own library and checked for content and layout; the docx rendered to PDF by
LibreOffice headless and to PNG by pdftoppm (poppler-utils), as a reader would print it."""

from __future__ import annotations

import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from docx import Document
from docx.shared import Cm, Pt
from openpyxl import load_workbook

from kg.log import open_log
from rules.report import ReportError, assemble, gather, render_text, write_report

AS_OF = date(2025, 2, 15)


@pytest.fixture(scope="module")
def reports(langson_db):
    log = open_log(langson_db)  # read only
    inputs = gather(log, AS_OF)
    log.close()
    return {p: assemble(inputs, p) for p in ("2024", "2021-2025", "2025")}


def indicator_rows(ws):
    """Rows of the indicator sheet that hold an indicator (its target id in the last column)."""
    heads = [c.value for c in ws[4]]
    col = heads.index("Mã mục tiêu") + 1
    return [r for r in range(5, ws.max_row + 1) if ws.cell(row=r, column=col).value], heads


def test_xlsx_text_has_no_literal_apostrophe_and_a_dated_cover(reports, tmp_path):
    wb = load_workbook(write_report(reports["2024"], "xlsx", tmp_path / "r.xlsx"))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert [c.coordinate for c in cells if str(c.value or "").startswith("'")] == []
    risky = [c for c in cells if isinstance(c.value, str) and c.value[:1] in "=+-@"
             and not c.value[1:2].isdigit()]
    assert risky and all(c.data_type == "s" and c.quotePrefix for c in risky)
    assert "số liệu tính đến ngày 15/02/2025" in wb["Chỉ tiêu"]["A2"].value


def test_xlsx_indicator_sheet(reports, tmp_path):
    path = write_report(reports["2024"], "xlsx", tmp_path / "r.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Chỉ tiêu", "Chậm tiến độ", "Nhiệm vụ", "Quá hạn", "Nguồn"]
    ws = wb["Chỉ tiêu"]
    rows, heads = indicator_rows(ws)
    assert len(rows) == 31
    assert ws.freeze_panes == "C5"
    assert heads[:7] == ["TT", "Chỉ tiêu", "Kế hoạch 2024", "Cơ sở (như bảng kế hoạch ghi)",
                         "Ước TH 2024",
                         "Đánh giá (tính toán)", "Đánh giá (văn bản)"]
    by_id = {ws.cell(row=r, column=len(heads)).value: r for r in rows}
    r = by_id["tourists@2024"]
    estimate = ws.cell(row=r, column=5)
    assert estimate.value == 4160 and estimate.number_format == "#,##0"
    grdp = by_id["grdp_growth@2024"]
    assert ws.cell(row=grdp, column=3).value == "7 - 7,5"  # a range stays text
    assert ws.cell(row=grdp, column=5).value == pytest.approx(6.33)
    assert ws.cell(row=grdp, column=5).number_format == "#,##0.00"
    assert ws.cell(row=grdp, column=6).value == "Không đạt"
    assert ws.cell(row=grdp, column=1).font.name == "Times New Roman"
    road = by_id["commune_road_paved_rate@2024"]
    official = ws.cell(row=road, column=7)
    assert official.value == "Vượt ⚠" and official.comment is not None
    assert "Không đạt" in ws.cell(row=road, column=8).value
    assert ws.cell(row=by_id["tourists@2024"], column=7).value == "Vượt"


def test_xlsx_other_sheets(reports, tmp_path):
    report = reports["2024"]
    wb = load_workbook(write_report(report, "xlsx", tmp_path / "r.xlsx"))
    overdue = wb["Quá hạn"]
    assert overdue.max_row - 4 == len(report["tasks"]["overdue"]) > 0
    assert overdue.cell(row=5, column=5).value == 46
    tasks = wb["Nhiệm vụ"]
    last = tasks.max_row
    assert tasks.cell(row=last, column=2).value == "Tổng cộng"
    assert tasks.cell(row=last, column=3).value == report["tasks"]["totals"]["total"]
    notes = wb["Nguồn"]
    assert notes.max_row - 4 == len(report["footnotes"])
    assert [notes.cell(row=5, column=c).value for c in (1, 2, 3)] == [1, "004", 81]
    assert wb["Chậm tiến độ"].max_row - 4 == len(report["lagging"])


@pytest.mark.parametrize("period, count, has_estimate",
                         [("2021-2025", 29, True), ("2025", 30, False)])
def test_xlsx_other_periods(reports, tmp_path, period, count, has_estimate):
    wb = load_workbook(write_report(reports[period], "xlsx", tmp_path / "r.xlsx"))
    rows, heads = indicator_rows(wb["Chỉ tiêu"])
    assert len(rows) == count
    assert (f"Ước TH {period.replace('-', ' - ')}" in heads) is has_estimate
    assert ("Đánh giá (tính toán)" in heads) is has_estimate


def test_docx_layout_and_content(reports, tmp_path):
    doc = Document(str(write_report(reports["2024"], "docx", tmp_path / "r.docx")))
    section = doc.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.01)
    assert abs(section.page_height - Cm(29.7)) < Cm(0.01)
    normal = doc.styles["Normal"].font
    assert (normal.name, normal.size) == ("Times New Roman", Pt(14))
    table = doc.tables[0]
    texts = [[c.text for c in row.cells] for row in table.rows]
    assert texts[0][:3] == ["TT", "Chỉ tiêu", "Kế hoạch 2024"]
    grdp = next(r for r in texts if r[1].startswith("Tốc độ tăng tổng sản phẩm"))
    assert grdp[0] == "1" and grdp[4].startswith("6,33[") and grdp[5] == "Không đạt"
    assert sum(1 for r in texts if r[6].startswith("Vượt ⚠")) == 2
    assert len(texts) == 1 + 3 + 31  # header, group rows, indicators
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "III. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ" in body
    assert "004 (" in body and "dòng 81: «6,33»" in body


def test_markdown(reports):
    md = render_text(reports["2024"], "md")
    assert "| 1 | Tốc độ tăng tổng sản phẩm trên địa bàn (GRDP) (%) | 7 - 7,5[" in md
    assert md.count("Vượt ⚠") == 2
    assert "## III. Tình hình thực hiện nhiệm vụ" in md


def test_html_is_well_formed_and_marks_disagreements(reports):
    html = render_text(reports["2021-2025"], "html")
    root = ET.fromstring(html)
    assert root.tag == "section"
    assert len(root.findall(".//tr[@class='kh-disagree']")) == 2
    notes = root.findall(".//ol[@class='kh-notes']/li")
    assert len(notes) == len(reports["2021-2025"]["footnotes"])


def test_unknown_format_is_refused(reports, tmp_path):
    with pytest.raises(ReportError) as err:
        write_report(reports["2024"], "pdf", tmp_path / "r.pdf")
    assert err.value.code == "report_format"
    with pytest.raises(ReportError):
        render_text(reports["2024"], "xlsx")


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, (f"{name} is needed: apt-get install -y libreoffice-writer-nogui poppler-utils")
    return path


def _png_size(path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.slow
def test_docx_renders_to_pdf_and_png_with_libreoffice(reports, tmp_path):
    docx = write_report(reports["2024"], "docx", tmp_path / "report-2024.docx")
    profile = (tmp_path / "lo-profile").as_uri()  # own profile: no clash with a running soffice
    subprocess.run([_tool("soffice"), f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "report-2024.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run([_tool("pdftotext"), str(pdf), "-"], check=True,
                          capture_output=True, text=True, timeout=60).stdout
    words = " ".join(text.split())
    assert "(GRDP)" in words and "6,33" in words and "Vượt ⚠" in words
    assert "dòng 81: «6,33»" in words
    subprocess.run([_tool("pdftoppm"), "-png", "-r", "50", "-f", "1", "-singlefile", str(pdf),
                    str(tmp_path / "page1")], check=True, capture_output=True, timeout=60)
    width, height = _png_size(tmp_path / "page1.png")
    assert height / width == pytest.approx(29.7 / 21, rel=0.02)  # an A4 page
