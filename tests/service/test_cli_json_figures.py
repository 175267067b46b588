"""Numbers for machines in the CLI (issue 20): every figure a ``--json`` command prints keeps
the text as written and carries the parsed number beside it — and, for a target expression,
its bounds — as the API does (``service.figures``); dates are ISO 8601."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner

from service.cli.app import build_app
from service.figures import for_json

REPORT = """BÁO CÁO
Tình hình kinh tế - xã hội 9 tháng năm 2024

I. KẾT QUẢ
Tổng thu ngân sách nhà nước trên địa bàn ước đạt 4.595,5 tỷ đồng, đạt 102,3% kế hoạch.

II. NHIỆM VỤ NĂM 2025
Phấn đấu tốc độ tăng trưởng GRDP đạt 7 - 7,5%.
"""


def run_json(*args: object) -> object:
    result = CliRunner().invoke(build_app(), [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_observations_carry_their_numbers_and_iso_dates(db: Path, tmp_path: Path):
    sheet = tmp_path / "so-lieu.csv"
    sheet.write_text("indicator;period;value;kind;as_of;pct_of_plan\n"
                     "budget_revenue;9T/2024;5.900,5;actual;30/09/2024;59\n", encoding="utf-8")
    run_json("import", sheet, "--db", db, "--json")
    rows = run_json("observations", "--db", db, "--json")
    row = next(r for r in rows if r["value"] == "5.900,5")
    assert row["value_number"] == 5900.5
    assert row["pct_of_plan"] == "59" and row["pct_of_plan_number"] == 59.0
    assert row["as_of"] == "2024-09-30"


def test_extracted_figures_and_target_bounds_carry_numbers(tmp_path: Path):
    report = tmp_path / "bao-cao.txt"
    report.write_text(REPORT, encoding="utf-8")
    data = run_json("extract", report, "--json")
    revenue = next(o for o in data["observations"] if o["value"] == "4.595,5")
    assert revenue["value_number"] == 4595.5 and revenue["pct_of_plan_number"] == 102.3
    assert revenue["yoy_change_pct"] is None and revenue["yoy_change_pct_number"] is None
    growth = next(t for t in data["targets"] if t["expression"] == "7 - 7,5")
    assert (growth["expression_low"], growth["expression_high"]) == (7.0, 7.5)
    assert growth["expression_number"] == 7.25


def test_for_json_writes_dates_in_iso_and_leaves_unparsable_text_with_null_twins():
    printed = for_json({"observations": [
        {"indicator": "x", "value": "chưa có số liệu", "pct_of_plan": "<5",
         "as_of": dt.date(2024, 9, 30), "at": dt.datetime(2024, 9, 30, 8, 15)}]})
    row = printed["observations"][0]
    assert row["value"] == "chưa có số liệu" and row["value_number"] is None
    assert row["as_of"] == "2024-09-30" and row["at"] == "2024-09-30T08:15:00"
    assert json.loads(json.dumps(printed)) == printed


def test_a_range_target_in_for_json_keeps_open_bounds_open():
    printed = for_json([{"indicator": "tourists", "expression": "≥5"},
                        {"indicator": "forest_cover", "expression": "từ 5% trở lên"},
                        {"name": "không phải số liệu", "value": "4.595,5"}])
    assert (printed[0]["expression_low"], printed[0]["expression_high"]) == (5.0, None)
    assert printed[1]["expression_low"] == 5.0 and printed[1]["expression_high"] is None
    assert "value_number" not in printed[2], "only records of an indicator or observation"
