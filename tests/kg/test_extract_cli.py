"""``kehoach extract`` and ``kehoach ingest`` through the CLI (CliRunner on build_app)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.log import Fact, Source, open_log
from service.cli.app import build_app

REPORT = ("TÌNH HÌNH KINH TẾ - XÃ HỘI 9 THÁNG ĐẦU NĂM 2024\n\n"
          "Thu nội địa 1.000 tỷ \n\nđồng, đạt 40,2% dự toán, tăng 12,5%; doanh thu bưu chính "
          "ước 155 tỷ đồng, đạt 73,8% kế hoạch. Triển khai Quyết định số 262/QĐ-TTg ngày "
          "01/4/2024 của Thủ tướng Chính phủ.\n\n"
          "Phần II\n\nNHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM QUÝ IV NĂM 2024\n\n"
          "Sở Tài chính chủ trì rà soát các khoản thu, phấn đấu thu nội địa đạt trên 95% dự "
          "toán.\n")

runner = CliRunner()


def run(*args: str):
    return runner.invoke(build_app(), list(args), catch_exceptions=False)


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "bao-cao-9-thang.txt"
    path.write_text(REPORT, encoding="utf-8")
    return path


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "kh.db"
    with open_log(path) as log:
        log.append([Fact("indicator", "domestic_revenue", {
            "id": "domestic_revenue", "name": "Thu nội địa", "unit": "tỷ đồng",
            "direction": "increase", "measure": "cumulative", "group": "economic",
        }, Source("indicators.yaml", 1, "Thu nội địa"))])
    return path


def test_extract_json_has_observations_citations_tasks(report: Path) -> None:
    result = run("extract", str(report), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["period"] == "9T/2024"
    first = data["observations"][0]
    assert (first["indicator"], first["indicator_id"], first["value"], first["pct_of_plan"]) == (
        "Thu nội địa", "domestic_revenue", "1.000", "40,2")
    assert (first["plan_basis"], first["yoy_change_pct"], first["line"]) == ("du_toan", "12,5", 3)
    assert first["quote"] == "Thu nội địa 1.000 tỷ đồng, đạt 40,2% dự toán"
    [citation] = data["citations"]
    assert (citation["kind"], citation["number"], citation["date"]) == (
        "Quyết định", "262/QĐ-TTg", "2024-04-01")
    [task] = data["tasks"]
    assert (task["agency"], task["agency_stated"], task["target"]) == (
        "Sở Tài chính", True, "trên 95%")
    assert task["deadline"] == "2024-12-31"


@pytest.mark.parametrize("suffix", [".md", ".docx"])
def test_extract_reads_markdown_and_docx(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"report{suffix}"
    if suffix == ".docx":
        import docx

        document = docx.Document()
        for paragraph in REPORT.split("\n\n"):
            document.add_paragraph(paragraph.replace("\n", " "))
        document.save(str(path))
    else:
        path.write_text(REPORT, encoding="utf-8")
    data = json.loads(run("extract", str(path), "--json").output)
    assert [o["pct_of_plan"] for o in data["observations"]] == ["40,2", "73,8"]


def test_extract_unknown_type_is_a_bilingual_error(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4")
    result = runner.invoke(build_app(), ["extract", str(path)])
    assert result.exit_code == 2
    assert "Không đọc được loại tệp" in result.output


def test_ingest_dry_run_previews_facts_and_alerts_without_writing(report: Path,
                                                                  db: Path) -> None:
    result = run("ingest", str(report), "--db", str(db), "--dry-run", "--as-of", "2024-10-15",
                 "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    [fact] = data["facts"]
    assert fact["payload"]["indicator"] == "domestic_revenue"
    assert fact["source"] == {"doc": "bao-cao-9-thang.txt", "line": 3,
                              "quote": "Thu nội địa 1.000 tỷ đồng, đạt 40,2% dự toán"}
    # known to the shipped catalogue, not to this database: proposed, not asserted
    assert [f["key"] for f in data["proposed"] if f["kind"] == "indicator"] == ["postal_revenue"]
    assert any("postal_revenue" in r["reason_en"] for r in data["review"])
    # "phấn đấu thu nội địa đạt trên 95% dự toán" is a share of the plan, not a level in
    # tỷ đồng: never asserted as the indicator's target
    assert any("% dự toán" in r["reason_vi"] for r in data["review"])
    assert all(f["kind"] != "target" for f in data["facts"])
    assert any(a["subject"]["name"] == "Thu nội địa" or "Thu nội địa" in a["explanation_vi"]
               for a in data["alerts"])
    with open_log(db) as log:
        assert log.counts().get("observation", 0) == 0


def test_ingest_asserts_matched_observations_once(report: Path, db: Path) -> None:
    first = json.loads(run("ingest", str(report), "--db", str(db), "--json").output)
    assert first["asserted"] == 1
    again = json.loads(run("ingest", str(report), "--db", str(db), "--json").output)
    assert again["asserted"] == 0
    with open_log(db) as log:
        [stored] = log.current("observation")
    assert stored.source.doc == "bao-cao-9-thang.txt"
    assert stored.as_of.isoformat() == "2024-09-30"
    assert stored.payload["pct_of_plan"] == "40,2"
