"""The planning office's template: CSV/XLSX import (both header languages), bad rows with row
numbers, all-or-nothing, idempotent re-import, hostile files, the blank template round trip."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from kg.errors import KehoachError
from kg.log import Fact, Source, open_log
from kg.template import (
    SHEET_KINDS,
    ImportProblems,
    TemplateError,
    check_file,
    import_file,
    infer_measure,
    write_template,
)

BASIS = Source("test", 1, "fixture")


def seed_facts() -> list[Fact]:
    agencies = [
        ("so-ke-hoach-va-dau-tu", "Sở Kế hoạch và Đầu tư", "Sở KH&ĐT", ["Sở KHĐT"]),
        ("so-tai-chinh", "Sở Tài chính", None, []),
        ("cuc-thong-ke-tinh", "Cục Thống kê tỉnh", None, ["Cục Thống kê"]),
    ]
    indicators = [
        ("grdp_growth", "Tốc độ tăng tổng sản phẩm trên địa bàn (GRDP)", "%", ["GRDP"]),
        ("import_export_turnover", "Tổng kim ngạch xuất nhập khẩu", "triệu USD", []),
        ("forest_cover", "Tỷ lệ che phủ rừng", "%", ["độ che phủ rừng"]),
        ("grdp_per_capita", "GRDP bình quân đầu người", "triệu đồng", []),
        ("grdp_per_capita_usd", "GRDP bình quân đầu người", "USD", []),
    ]
    facts = [Fact("agency", a, {"id": a, "name": n, "short": s, "aliases": al}, BASIS)
             for a, n, s, al in agencies]
    facts += [Fact("indicator", i, {"id": i, "name": n, "unit": u, "direction": "increase",
                                    "measure": "level", "group": "economic", "aliases": al},
                   BASIS) for i, n, u, al in indicators]
    facts.append(Fact("document", "qd-1966-ubnd-2022",
                      {"id": "qd-1966-ubnd-2022", "number": "1966/QĐ-UBND"}, BASIS))
    return facts


@pytest.fixture
def log(tmp_path):
    with open_log(tmp_path / "kh.db") as fact_log:
        fact_log.append(seed_facts(), submitted_by="test")
        yield fact_log


TARGETS_EN = [
    ["indicator", "unit", "direction", "period", "target", "measure", "group", "agency"],
    ["GRDP", "%", "increase", "2024", "7 - 7,5", "", "", "Sở KH&ĐT"],
    ["Thu ngân sách nhà nước trên địa bàn", "tỷ đồng", "increase", "2024", "8.302,2", "",
     "economic", "so tai chinh"],
    ["Tỷ lệ che phủ rừng", "%", "maintain", "2021-2025", "≥63", "level", "", ""],
]
TARGETS_VI = [
    ["Chỉ tiêu", "Đơn vị", "Chiều đánh giá", "Kỳ kế hoạch", "Mục tiêu", "Nhóm"],
    ["tốc độ tăng tổng sản phẩm trên địa bàn (grdp)", "%", "tăng", "2025", "8", "kinh tế"],
    ["Số lượt khách du lịch", "nghìn lượt", "tăng", "2025", "4.060", "xã hội"],
]
OBSERVATIONS_EN = [
    ["indicator", "period", "value", "kind", "as_of", "pct_of_plan", "reported_verdict",
     "source", "quote"],
    ["import_export_turnover", "11T/2023", "4.595,5", "estimate", "2023-11-30", "76,6", "", "",
     ""],
    ["GRDP", "2024", "6,33", "estimate", "30/06/2024", "", "Không đạt", "004",
     "tăng trưởng ước 6,33%"],
    ["forest cover", "T11/2023", "<5", "actual", "30/11/2023", "", "", "", ""],
]
OBSERVATIONS_VI = [
    ["Chỉ tiêu", "Kỳ báo cáo", "Giá trị", "Loại số liệu", "Tính đến ngày"],
    ["Tổng kim ngạch xuất nhập khẩu", "9T/2024", "(-4,33)", "thực hiện", "30/9/2024"],
]
TASKS_VI = [
    ["Nhiệm vụ", "Chủ trì", "Phối hợp", "Hạn", "Văn bản giao", "Ngày hoàn thành"],
    ["Xây dựng kế hoạch năm 2024", "Sở KH&ĐT", "Sở Tài chính; Cục Thống kê", "05/7/2023",
     "1966/QĐ-UBND", "04/7/2023"],
    ["Trình phương án", "so-tai-chinh", "", "sau khi Thủ tướng phê duyệt", "", ""],
    ["Tổng kết", "Sở Tài chính", "", "Quý IV/2024", "", ""],
]


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8",
              delimiter: str = ",") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


def problems_of(call) -> list[KehoachError]:
    with pytest.raises(ImportProblems) as caught:
        call()
    return caught.value.problems


# -- good files ------------------------------------------------------------------------------

@pytest.mark.parametrize("rows", [TARGETS_EN, TARGETS_VI], ids=["en", "vi"])
def test_targets_csv_both_languages(log, tmp_path, rows):
    result = import_file(log, write_csv(tmp_path / "targets.csv", rows))
    assert result.sheets[0]["kind"] == "targets"
    targets = {f.key: f for f in log.current("target")}
    assert len(targets) == len(rows) - 1
    first = next(f for f in result.facts if f.kind == "target")
    assert first.key.startswith("grdp_growth@")
    assert first.source.doc == "targets.csv" and first.source.line == 2
    assert first.source.quote.startswith(rows[1][0])


def test_targets_create_unknown_indicators_with_inferred_measure(log, tmp_path):
    import_file(log, write_csv(tmp_path / "t.csv", TARGETS_EN))
    revenue = log.get("indicator", "thu_ngan_sach_nha_nuoc_tren_dia_ban")
    assert revenue.payload["unit"] == "tỷ đồng"
    assert revenue.payload["measure"] == "cumulative"
    assert revenue.payload["lead_agency"] == "so-tai-chinh"
    target = log.get("target", "thu_ngan_sach_nha_nuoc_tren_dia_ban@2024")
    assert target.payload["expression"] == "8.302,2"
    assert log.get("target", "grdp_growth@2024").payload["lead_agency"] == "so-ke-hoach-va-dau-tu"
    assert log.get("target", "forest_cover@2021-2025").payload["expression"] == "≥63"
    assert log.get("indicator", "forest_cover").payload["direction"] == "increase"  # unchanged


def test_infer_measure():
    assert infer_measure("tỷ đồng", "Thu ngân sách") == "cumulative"
    assert infer_measure("nghìn lượt", "Khách du lịch") == "cumulative"
    assert infer_measure("%", "Tỷ lệ bao phủ bảo hiểm y tế") == "level"
    assert infer_measure("bác sỹ/vạn dân", "Số bác sỹ") == "level"
    assert infer_measure("%", "Tốc độ tăng thu nội địa") == "growth_rate"
    assert infer_measure("xã", "Số xã đạt chuẩn nông thôn mới") == "level"
    assert infer_measure("%", "Giảm tai nạn giao thông cả 3 tiêu chí") == "reduction"
    assert infer_measure("triệu đồng", "GRDP bình quân đầu người") == "per_capita"
    assert infer_measure("triệu đồng/người", "GRDP") == "per_capita"


@pytest.mark.parametrize("rows", [OBSERVATIONS_EN, OBSERVATIONS_VI], ids=["en", "vi"])
def test_observations_csv_both_languages(log, tmp_path, rows):
    import_file(log, write_csv(tmp_path / "obs.csv", rows))
    stored = log.current("observation")
    assert len(stored) == len(rows) - 1
    assert stored[0].payload["indicator"] == "import_export_turnover"
    assert stored[0].payload["unit"] == "triệu USD"
    assert stored[0].payload["value"] == rows[1][2]
    assert stored[0].key.startswith("obs-")


def test_observation_payload_and_given_source(log, tmp_path):
    import_file(log, write_csv(tmp_path / "obs.csv", OBSERVATIONS_EN))
    by_indicator = {f.payload["indicator"]: f for f in log.current("observation")}
    trade = by_indicator["import_export_turnover"]
    assert trade.payload["period"] == "11T/2023"
    assert trade.payload["pct_of_plan"] == "76,6"
    assert trade.payload["plan_basis"] == "ke_hoach"
    assert trade.payload["kind"] == "estimate"
    assert trade.as_of.isoformat() == "2023-11-30"
    grdp = by_indicator["grdp_growth"]
    assert grdp.payload["reported_verdict"] == "Không đạt"
    assert grdp.source.doc == "004" and grdp.source.quote == "tăng trưởng ước 6,33%"
    assert grdp.as_of.isoformat() == "2024-06-30"


def test_tasks_with_support_deadline_and_completion(log, tmp_path):
    import_file(log, write_csv(tmp_path / "tasks.csv", TASKS_VI))
    tasks = {f.payload["summary"]: f.payload for f in log.current("task")}
    plan = tasks["Xây dựng kế hoạch năm 2024"]
    assert plan["lead_agency"] == "so-ke-hoach-va-dau-tu"
    assert plan["support"] == ["so-tai-chinh", "cuc-thong-ke-tinh"]
    assert plan["deadline"] == "2023-07-05" and plan["deadline_text"] == "05/7/2023"
    assert plan["assigned_by"] == "qd-1966-ubnd-2022"
    proposal = tasks["Trình phương án"]
    assert proposal["deadline"] is None
    assert proposal["condition"] == "sau khi Thủ tướng phê duyệt"
    assert tasks["Tổng kết"]["deadline"] == "2024-12-31"
    updates = log.current("task_update")
    assert len(updates) == 1
    assert updates[0].payload == {"task": plan["id"], "status": "completed",
                                  "completed_on": "2023-07-04"}


def test_xlsx_workbook_with_three_sheets(log, tmp_path):
    path = write_xlsx(tmp_path / "plan.xlsx", {
        "Chỉ tiêu - Mục tiêu": TARGETS_VI, "Số liệu": OBSERVATIONS_EN, "Nhiệm vụ": TASKS_VI})
    result = import_file(log, path)
    assert {s["kind"] for s in result.sheets} == {"targets", "observations", "tasks"}
    assert result.kinds() == {"indicator": 1, "target": 2, "observation": 3, "task": 3,
                              "task_update": 1}


def test_observations_may_name_indicators_created_by_the_same_file(log, tmp_path):
    path = write_xlsx(tmp_path / "plan.xlsx", {
        "observations": [["indicator", "period", "value", "kind", "as_of"],
                         ["Số lượt khách du lịch", "2025", "4.100", "ước", "31/12/2025"]],
        "targets": TARGETS_VI})
    import_file(log, path)
    obs = log.current("observation")[0]
    assert obs.payload["indicator"] == "so_luot_khach_du_lich"


def test_xlsx_numbers_are_written_back_the_vietnamese_way(log, tmp_path):
    path = write_xlsx(tmp_path / "n.xlsx", {"Số liệu": [
        ["indicator", "period", "value", "kind", "as_of", "pct_of_plan"],
        ["GRDP", 2024, 6.33, "ước", "2024-12-31", 101.5],
        ["import_export_turnover", 2024, 4060, "ước", "2024-12-31", None]]})
    import_file(log, path)
    values = sorted((f.payload["value"], f.payload["pct_of_plan"], f.payload["period"])
                    for f in log.current("observation"))
    assert values == [("4.060", None, "2024"), ("6,33", "101,5", "2024")]


def test_semicolon_csv_and_extra_columns_are_ignored(log, tmp_path):
    rows = [["STT", *OBSERVATIONS_VI[0]], ["1", *OBSERVATIONS_VI[1]]]
    result = import_file(log, write_csv(tmp_path / "o.csv", rows, delimiter=";"))
    assert result.sheets[0]["ignored_headers"] == ["STT"]
    assert len(log.current("observation")) == 1


# -- bad rows, all-or-nothing, idempotence ------------------------------------------------------

def test_bad_rows_are_reported_with_row_numbers_and_nothing_is_written(log, tmp_path):
    rows = [OBSERVATIONS_EN[0], OBSERVATIONS_EN[1],
            ["Chỉ tiêu không có", "2024", "5", "actual", "2024-12-31", "", "", "", ""],
            ["GRDP", "2024", "abc", "maybe", "31/02/2024", "", "Tốt", "", ""]]
    before = log.last_seq()
    problems = problems_of(lambda: import_file(log, write_csv(tmp_path / "bad.csv", rows)))
    assert log.last_seq() == before
    where = {(p.place.row, p.place.field, p.code) for p in problems}
    assert (3, "indicator", "unknown_indicator") in where
    assert (4, "kind", "not_a_choice") in where
    assert (4, "as_of", "date_invalid") in where
    assert (4, "reported_verdict", "not_a_choice") in where
    assert any(row == 4 and field == "value" for row, field, _ in where)
    assert all(p.place.document == "bad.csv" for p in problems)
    assert "hàng 3" in problems[0].message and "row 3" in problems[0].message


def test_unknown_agency_and_missing_value_name_their_row(log, tmp_path):
    rows = [TASKS_VI[0], ["Việc A", "Sở Không Tồn Tại", "", "hết năm 2023", "", ""],
            ["", "Sở Tài chính", "", "hết năm 2023", "", ""]]
    problems = problems_of(lambda: check_file(log, write_csv(tmp_path / "t.csv", rows)))
    assert {(p.place.row, p.place.field, p.code) for p in problems} == {
        (2, "agency", "unknown_agency"), (3, "task", "missing_value")}
    assert problems[0].vi.startswith("không tìm thấy cơ quan")
    rows = [OBSERVATIONS_VI[0], ["che phủ", "2024", "63", "ước", "31/12/2024"]]
    problems = problems_of(lambda: check_file(log, write_csv(tmp_path / "o.csv", rows)))
    assert problems[0].code == "unknown_indicator" and "close: forest_cover" in problems[0].en


def test_a_name_shared_by_two_indicators_is_settled_by_unit_or_refused(log, tmp_path):
    targets = [["indicator", "unit", "period", "target"],
               ["GRDP bình quân đầu người", "USD", "2025", "3.000"]]
    import_file(log, write_csv(tmp_path / "t.csv", targets))
    assert log.get("target", "grdp_per_capita_usd@2025") is not None
    observations = [OBSERVATIONS_VI[0], ["GRDP bình quân đầu người", "2024", "70", "ước",
                                         "31/12/2024"]]
    problems = problems_of(lambda: import_file(log, write_csv(tmp_path / "o.csv", observations)))
    assert problems[0].code == "ambiguous_indicator"
    assert "grdp_per_capita, grdp_per_capita_usd" in problems[0].en


def test_new_indicator_without_unit_is_refused(log, tmp_path):
    rows = [["indicator", "period", "target"], ["Chỉ tiêu mới", "2024", "5"]]
    problems = problems_of(lambda: import_file(log, write_csv(tmp_path / "t.csv", rows)))
    assert problems[0].code == "new_indicator_incomplete" and problems[0].place.row == 2


def test_target_period_must_be_a_year(log, tmp_path):
    rows = [["indicator", "period", "target"], ["GRDP", "9T/2024", "5"]]
    problems = problems_of(lambda: import_file(log, write_csv(tmp_path / "t.csv", rows)))
    assert problems[0].code == "period_not_a_plan_period"


def test_duplicate_rows_in_one_file_are_refused(log, tmp_path):
    rows = [TARGETS_EN[0], TARGETS_EN[1], TARGETS_EN[1]]
    problems = problems_of(lambda: import_file(log, write_csv(tmp_path / "t.csv", rows)))
    assert [(p.place.row, p.code) for p in problems] == [(3, "duplicate_row")]


def test_reimport_adds_nothing_and_changes_make_versions(log, tmp_path):
    path = write_xlsx(tmp_path / "plan.xlsx", {"Số liệu": OBSERVATIONS_EN, "Nhiệm vụ": TASKS_VI})
    first = import_file(log, path)
    seq = log.last_seq()
    again = import_file(log, path)
    assert set(first.counts()) == {"new"}
    assert again.counts() == {"duplicate": len(first.facts)}
    assert log.last_seq() == seq
    changed = [list(r) for r in OBSERVATIONS_EN]
    changed[1][2] = "4.600"
    write_xlsx(path, {"Số liệu": changed, "Nhiệm vụ": TASKS_VI})
    third = import_file(log, path)
    assert third.counts() == {"duplicate": len(first.facts) - 1, "version": 1}


# -- hostile files -----------------------------------------------------------------------------

def test_csv_not_utf8_is_refused_with_a_clear_message(log, tmp_path):
    text = "\n".join(",".join(row) for row in OBSERVATIONS_VI)
    path = tmp_path / "utf16.csv"
    path.write_bytes(text.encode("utf-16"))  # Excel's "Unicode text"
    with pytest.raises(TemplateError) as caught:
        import_file(log, path)
    assert caught.value.code == "template_encoding" and "UTF-8" in caught.value.vi


def test_utf8_with_bom_is_read(log, tmp_path):
    import_file(log, write_csv(tmp_path / "bom.csv", OBSERVATIONS_VI, encoding="utf-8-sig"))
    assert len(log.current("observation")) == 1


def test_missing_required_column_is_named(log, tmp_path):
    rows = [["Chỉ tiêu", "Kỳ báo cáo", "Giá trị", "Loại số liệu"], ["GRDP", "2024", "6", "ước"]]
    with pytest.raises(TemplateError) as caught:
        import_file(log, write_csv(tmp_path / "o.csv", rows), kind="observations")
    assert caught.value.code == "template_missing_column"
    assert "Tính đến ngày" in caught.value.vi and caught.value.place.field == "as_of"


@pytest.mark.parametrize("content", [b"", b"\n\n", b",,,\n,,\n"], ids=["empty", "blank", "commas"])
def test_empty_files_are_refused(log, tmp_path, content):
    path = tmp_path / "e.csv"
    path.write_bytes(content)
    with pytest.raises(TemplateError) as caught:
        import_file(log, path)
    assert caught.value.code == "template_empty"


def test_header_only_and_no_header(log, tmp_path):
    with pytest.raises(TemplateError) as caught:
        import_file(log, write_csv(tmp_path / "h.csv", [OBSERVATIONS_EN[0]]))
    assert caught.value.code == "template_empty"
    with pytest.raises(TemplateError) as caught:
        import_file(log, write_csv(tmp_path / "x.csv", [["a", "b"], ["1", "2"]]))
    assert caught.value.code == "template_no_header"


def test_formulas_wrong_types_merged_and_huge_cells(log, tmp_path):
    path = tmp_path / "hostile.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Số liệu"
    for row in [OBSERVATIONS_EN[0][:5],
                ["GRDP", "2024", "=1+1", "ước", "2024-12-31"],
                ["GRDP", "2023", True, "ước", "2023-12-31"],
                ["GRDP", "2022", "x" * 1001, "ước", "2022-12-31"],
                ["GRDP", "2021", "5", "ước", "2021-12-31"],
                ["GRDP", "2020", "5", "ước", "2020-12-31"]]:
        ws.append(row)
    ws.merge_cells("C5:C6")
    book.save(path)
    problems = problems_of(lambda: import_file(log, path))
    codes = {(p.place.row, p.code) for p in problems}
    assert {(2, "cell_formula"), (3, "cell_type"), (4, "cell_too_long"),
            (5, "cell_merged")} <= codes
    assert all(p.place.document == "hostile.xlsx › Số liệu" for p in problems)
    assert (2, "missing_value") not in codes  # the refused cell is reported once
    assert log.current("observation") == []


def test_not_an_xlsx_and_unknown_kind(log, tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(TemplateError) as caught:
        import_file(log, path)
    assert caught.value.code == "template_xlsx"
    with pytest.raises(TemplateError):
        import_file(log, write_csv(tmp_path / "o.csv", OBSERVATIONS_VI), kind="budgets")


CELL = st.one_of(st.text(max_size=30), st.sampled_from(
    ["", "2024", "11T/2023", "GRDP", "ước", "=SUM(A1)", "30/11/2023", "7 - 7,5", "<5", "Đạt",
     "Sở KH&ĐT", "x" * 1200, "\x00", "tăng"]))


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(list(SHEET_KINDS)), as_xlsx=st.booleans(),
       cells=st.lists(st.lists(CELL, min_size=1, max_size=10), min_size=1, max_size=4))
def test_random_cells_only_raise_kehoach_errors_and_write_nothing_on_error(
        log, tmp_path, kind, as_xlsx, cells):
    header = [c.key if i % 2 else c.vi for i, c in enumerate(SHEET_KINDS[kind].columns)]
    if as_xlsx:
        path = tmp_path / "random.xlsx"
        clean = [[ILLEGAL_CHARACTERS_RE.sub("", c) for c in row] for row in cells]
        write_xlsx(path, {SHEET_KINDS[kind].sheet: [header, *clean]})
    else:
        path = write_csv(tmp_path / "random.csv", [header, *cells])
    before = log.last_seq()
    try:
        import_file(log, path)
    except KehoachError:
        assert log.last_seq() == before


# -- the blank template ------------------------------------------------------------------------

def test_blank_template_layout(tmp_path):
    path = write_template(tmp_path / "mau.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Hướng dẫn", "Cơ quan", "Chỉ tiêu - Mục tiêu", "Số liệu",
                               "Nhiệm vụ"]
    ws = book["Số liệu"]
    assert ws.freeze_panes == "A3"
    assert [c.value for c in ws[2]] == [c.key for c in SHEET_KINDS["observations"].columns]
    assert ws["A1"].value == "Chỉ tiêu *" and "Ví dụ" in ws["A1"].comment.text
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert "thực hiện" in lists["D3"] and "Đạt" in lists["H3"]
    assert ws.column_dimensions["A"].width == 44
    guide = book["Hướng dẫn"]
    keys = {row[2] for row in guide.iter_rows(min_row=5, values_only=True)}
    assert {"target", "as_of", "completed_on"} <= keys


def test_blank_template_alone_has_no_rows(log, tmp_path):
    with pytest.raises(TemplateError) as caught:
        import_file(log, write_template(tmp_path / "mau.xlsx"))
    assert caught.value.code == "template_empty"


def test_filled_template_round_trip(log, tmp_path):
    path = write_template(tmp_path / "mau.xlsx")
    book = openpyxl.load_workbook(path)
    fills = {"Chỉ tiêu - Mục tiêu": TARGETS_EN, "Số liệu": OBSERVATIONS_EN, "Nhiệm vụ": TASKS_VI}
    for title, rows in fills.items():
        ws = book[title]
        order = [c.value for c in ws[2]]
        for r, values in enumerate(rows[1:], start=3):
            for key, value in zip(_keys(title, rows[0]), values, strict=True):
                ws.cell(row=r, column=order.index(key) + 1, value=value or None)
    book.save(path)
    result = import_file(log, path)
    assert result.kinds() == {"indicator": 1, "target": 3, "observation": 3, "task": 3,
                              "task_update": 1}
    assert {f.source.doc for f in result.facts} == {
        "mau.xlsx › Chỉ tiêu - Mục tiêu", "mau.xlsx › Số liệu", "mau.xlsx › Nhiệm vụ", "004"}
    assert min(f.source.line for f in result.facts if f.source.line) == 3


def _keys(title: str, header: list[str]) -> list[str]:
    kind = next(k for k in SHEET_KINDS.values() if k.sheet == title)
    from kg.matching import fold
    return [next(c.key for c in kind.columns if fold(h) in c.headers()) for h in header]


def test_docs_list_every_column():
    text = (Path(__file__).resolve().parents[2] / "docs" / "import.md").read_text("utf-8")
    for kind in SHEET_KINDS.values():
        assert kind.sheet in text
        for col in kind.columns:
            assert f"`{col.key}` | {col.vi}" in text, col.key


def test_implausible_figures_and_dates_are_refused_like_the_api(log, tmp_path):
    """Plausibility at the import boundary (issue 13, case 7): the same bounds as the API."""
    rows = [OBSERVATIONS_EN[0],
            ["GRDP", "2999", "5", "actual", "2024-12-31", "", "", "", ""],
            ["GRDP", "2024", "5", "actual", "31/12/9999", "", "", "", ""],
            ["GRDP", "2024", "5", "actual", "2024-12-31", "-500", "", "", ""],
            ["GRDP", "2024", "5", "actual", "2024-12-31", "99999999999999", "", "", ""]]
    before = log.last_seq()
    problems = problems_of(lambda: import_file(log, write_csv(tmp_path / "odd.csv", rows)))
    assert log.last_seq() == before
    where = {(p.place.row, p.place.field, p.code) for p in problems}
    assert (2, "period", "implausible_year") in where
    assert (3, "as_of", "implausible_year") in where
    assert (4, "pct_of_plan", "implausible_pct_of_plan") in where
    assert (5, "pct_of_plan", "implausible_pct_of_plan") in where
    tasks = [TASKS_VI[0], ["Việc xa", "Sở Tài chính", "", "31/12/2999", "", ""],
             ["Việc cũ", "Sở Tài chính", "", "31/12/2024", "", "01/01/0001"]]
    problems = problems_of(lambda: import_file(log, write_csv(tmp_path / "t.csv", tasks)))
    where = {(p.place.row, p.place.field, p.code) for p in problems}
    assert (2, "deadline", "implausible_year") in where
    assert any(row == 3 and field == "completed_on" for row, field, _ in where)
    assert log.last_seq() == before
