"""``kehoach report`` through the Typer app (CliRunner on build_app()): the three tables of
the demo data as workbooks, and the errors a user can make."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from kg.dataset import DEFAULT_DATASET
from service.cli.app import build_app

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "kh.db"
    result = runner.invoke(build_app(), ["load", str(DEFAULT_DATASET), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


def indicator_ids(path):
    ws = load_workbook(path)["Chỉ tiêu"]
    heads = [c.value for c in ws[4]]
    col = heads.index("Mã mục tiêu") + 1
    ids = [ws.cell(row=r, column=col).value for r in range(5, ws.max_row + 1)]
    return [i for i in ids if i], heads


@pytest.mark.parametrize("period, count", [("2024", 31), ("2021-2025", 29), ("2025", 30)])
def test_report_writes_the_indicator_sheet(db, tmp_path, period, count):
    out = tmp_path / f"bao-cao-{period}.xlsx"
    result = runner.invoke(build_app(), ["report", "--period", period, "--format", "xlsx",
                                         "--out", str(out), "--db", str(db),
                                         "--as-of", "2024-12-31"])
    assert result.exit_code == 0, result.output
    assert f"{count} chỉ tiêu" in result.output
    ids, heads = indicator_ids(out)
    assert len(ids) == count and all(i.endswith(f"@{period}") for i in ids)
    if period == "2025":
        assert "Đánh giá (tính toán)" not in heads
    else:
        assert "Đánh giá (tính toán)" in heads and "Đánh giá (văn bản)" in heads


@pytest.mark.parametrize("args, message", [
    (["--period", "2019"], "report_error"),
    (["--period", "năm 2024"], "period_code"),
    (["--period", "2024", "--format", "pdf"], "--format"),
    (["--period", "2024", "--as-of", "32/12/2024"], "--as-of"),
])
def test_report_errors_exit_2_with_a_bilingual_message(db, args, message):
    result = runner.invoke(build_app(), ["report", "--db", str(db), *args])
    assert result.exit_code == 2
    assert message in result.output
