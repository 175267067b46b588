"""From an empty jurisdiction to its alerts, beside Lạng Sơn in one database (issue 16).

Through the CLI only, on real documents. Lạng Sơn's dataset is loaded; a ministry (Bộ Nông
nghiệp và Môi trường) starts from nothing: its agencies from the template's agencies sheet
(CSV), then the Prime Minister's national plan of the corpus (QĐ 2530/QĐ-TTg) — the tasks it
gives the ministry are the ministry's, its national targets the nation's and the other
ministries' tasks theirs (``--route``) — and the ministry's alerts appear only in its own
jurisdiction. A report of another body (Bộ Tài chính's 18590/BTC-PTHT) and a plan of another
province (KH 179/KH-UBND, Đồng Nai) are refused without ``--route``, and filed under their
own jurisdiction with it; neither touches the ministry nor Lạng Sơn.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kg.log import open_log
from service.cli.app import build_app

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "data" / "corpus"
PLAN = CORPUS / "TTg_2025_QD-2530-QD-TTg_ke-hoach-khong-khi.md"
REPORT = CORPUS / "BTC_2025_CV-18590-BTC-PTHT_giai-ngan-von-dau-tu-cong.md"
OTHER_PROVINCE = CORPUS / "DongNai_2025_KH-179-UBND.md"
NATION = "viet-nam"
MINISTRY = "bo-nong-nghiep-va-moi-truong"
AS_OF = "2028-01-31"


def kh(db: Path, *args: object, jurisdiction: str | None = None) -> Any:
    head = ["--jurisdiction", jurisdiction] if jurisdiction else []
    return CliRunner().invoke(build_app(), [*head, *(str(a) for a in args)],
                              env={"KEHOACH_JURISDICTION": "", "KEHOACH_DB": str(db)})


def alerts(db: Path, jurisdiction: str, as_of: str) -> list[dict[str, Any]]:
    result = kh(db, "alerts", "--as-of", as_of, "--json", "--db", db,
                jurisdiction=jurisdiction)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["alerts"] if isinstance(
        json.loads(result.output), dict) else json.loads(result.output)


def counts(db: Path) -> dict[str, int]:
    with open_log(db) as log:
        return {code: sum(by_kind.values()) if isinstance(by_kind, dict) else by_kind
                for code, by_kind in _as_dict(log.jurisdictions()).items()}


def _as_dict(listing: Any) -> dict[str, Any]:
    if isinstance(listing, dict):
        return listing
    return {getattr(item, "code", None) or item["code"]:
            getattr(item, "counts", None) or item["counts"] for item in listing}


def current(db: Path, jurisdiction: str, kind: str) -> list[Any]:
    with open_log(db, jurisdiction=jurisdiction) as log:
        return log.current(kind)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("onboarding") / "kh.db"
    result = kh(path, "load", ROOT / "data" / "langson", "--db", path)
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def langson_before(db: Path) -> list[dict[str, Any]]:
    return alerts(db, "lang-son", "2024-12-31")


@pytest.fixture(scope="module")
def onboarded(db: Path, langson_before: list[dict[str, Any]],
              tmp_path_factory: pytest.TempPathFactory) -> Path:
    sheet = tmp_path_factory.mktemp("sheet") / "co-quan.csv"
    with sheet.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Tên cơ quan", "Tên viết tắt", "Cơ quan cấp trên", "Địa bàn"])
        writer.writerow(["Bộ Nông nghiệp và Môi trường", "Bộ NN&MT", "", MINISTRY])
        writer.writerow(["Cục Kiểm soát ô nhiễm môi trường", "Cục KSONMT",
                         "Bộ Nông nghiệp và Môi trường", MINISTRY])
    result = kh(db, "agency", "import", sheet, "--db", db, jurisdiction=MINISTRY)
    assert result.exit_code == 0, result.output
    plan = kh(db, "ingest", PLAN, "--route", "--create-missing", "--json", "--db", db,
              jurisdiction=MINISTRY)
    assert plan.exit_code == 0, plan.output
    return db


def test_agencies_come_from_the_template_sheet(onboarded: Path) -> None:
    agencies = {f.payload["name"]: f.payload for f in current(onboarded, MINISTRY, "agency")}
    assert agencies["Cục Kiểm soát ô nhiễm môi trường"]["parent"] == \
        agencies["Bộ Nông nghiệp và Môi trường"]["id"]


def test_the_plan_gives_the_ministry_its_tasks_and_the_nation_its_targets(
        onboarded: Path) -> None:
    tasks = current(onboarded, MINISTRY, "task")
    targets = current(onboarded, NATION, "target")
    assert len(tasks) >= 10 and len(targets) >= 10
    assert not current(onboarded, MINISTRY, "target")  # the plan's targets are national
    lines = PLAN.read_text(encoding="utf-8").splitlines()
    for fact in [*tasks, *targets]:
        assert fact.source is not None and fact.source.doc == PLAN.name
        assert 1 <= fact.source.line <= len(lines)
    # another ministry's tasks went to that ministry, not here
    assert current(onboarded, "bo-xay-dung", "task")


def test_every_task_of_the_ministry_is_led_by_the_ministry_from_the_sheet(
        onboarded: Path) -> None:
    ministry = next(f.key for f in current(onboarded, MINISTRY, "agency")
                    if f.payload["name"] == "Bộ Nông nghiệp và Môi trường")
    for task in current(onboarded, MINISTRY, "task"):
        assert task.payload["lead_agency"] == ministry, task.payload
        assert task.payload["assigned_by"]  # the plan, as a document of the ministry's log


def test_alerts_only_in_the_new_jurisdiction(onboarded: Path,
                                             langson_before: list[dict[str, Any]]) -> None:
    found = alerts(onboarded, MINISTRY, AS_OF)
    assert found, "the plan's tasks fall due before the as-of date"
    own = {f.key for f in current(onboarded, MINISTRY, "task")}
    assert {a["subject"]["id"] for a in found} <= own
    assert alerts(onboarded, "lang-son", "2024-12-31") == langson_before


def test_a_report_of_another_body_is_refused_and_writes_nothing(onboarded: Path) -> None:
    before = counts(onboarded)
    found = alerts(onboarded, MINISTRY, AS_OF)
    result = kh(onboarded, "ingest", REPORT, "--db", onboarded, jurisdiction=MINISTRY)
    assert result.exit_code != 0 and "foreign_document" in result.output
    assert counts(onboarded) == before
    assert alerts(onboarded, MINISTRY, AS_OF) == found


def test_a_document_of_another_province_is_refused_and_writes_nothing(onboarded: Path) -> None:
    before = counts(onboarded)
    result = kh(onboarded, "ingest", OTHER_PROVINCE, "--db", onboarded, jurisdiction=MINISTRY)
    assert result.exit_code != 0
    assert "foreign_document" in result.output and "dong-nai" in result.output
    assert "ĐỒNG NAI" in result.output  # the evidence quoted from the header
    assert counts(onboarded) == before


def test_routed_it_goes_to_that_province_only(onboarded: Path,
                                              langson_before: list[dict[str, Any]]) -> None:
    found = alerts(onboarded, MINISTRY, AS_OF)
    mine = {kind: len(current(onboarded, MINISTRY, kind)) for kind in ("task", "agency")}
    result = kh(onboarded, "ingest", OTHER_PROVINCE, "--route", "--create-missing", "--json",
                "--db", onboarded, jurisdiction=MINISTRY)
    assert result.exit_code == 0, result.output
    assert current(onboarded, "dong-nai", "task") and current(onboarded, "dong-nai", "target")
    assert {kind: len(current(onboarded, MINISTRY, kind))
            for kind in ("task", "agency")} == mine
    assert alerts(onboarded, MINISTRY, AS_OF) == found
    assert alerts(onboarded, "lang-son", "2024-12-31") == langson_before


def test_ingesting_twice_asserts_nothing_new(onboarded: Path) -> None:
    before = counts(onboarded)
    result = kh(onboarded, "ingest", PLAN, "--route", "--create-missing", "--json",
                "--db", onboarded, jurisdiction=MINISTRY)
    assert result.exit_code == 0, result.output
    assert counts(onboarded) == before


def test_another_provinces_plan_previewed_in_lang_son_is_refused_without_alerts(
        db: Path, langson_before: list[dict[str, Any]]) -> None:
    # issue 16: a dry run of another province's document must not preview its figures and
    # tasks as Lạng Sơn's (nor their alerts at Lạng Sơn's agencies)
    result = kh(db, "ingest", OTHER_PROVINCE, "--dry-run", "--as-of", "2025-12-31", "--db", db,
                jurisdiction="lang-son")
    assert result.exit_code != 0 and "foreign_document" in result.output
    assert alerts(db, "lang-son", "2024-12-31") == langson_before


NOTICE = """VĂN PHÒNG CHÍNH PHỦ
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------

Số: 999/TB-VPCP

Hà Nội, ngày 20 tháng 11 năm 2025

THÔNG BÁO
Kết luận của Phó Thủ tướng Chính phủ tại buổi làm việc với lãnh đạo tỉnh Đắk Lắk

I. TÌNH HÌNH KINH TẾ - XÃ HỘI 10 THÁNG NĂM 2025

Thu ngân sách nhà nước trên địa bàn tỉnh Đắk Lắk 10 tháng năm 2025 đạt 13.966 tỷ đồng,
đạt 104,24% dự toán.

II. NHIỆM VỤ THỜI GIAN TỚI

1. Bộ Tài chính chủ trì, phối hợp với Ủy ban nhân dân tỉnh Đắk Lắk rà soát nguồn vốn, báo
cáo Thủ tướng Chính phủ trước ngày 16 tháng 12 năm 2025.

2. Ủy ban nhân dân tỉnh Đắk Lắk chỉ đạo các sở, ngành đẩy nhanh giải ngân vốn đầu tư công,
hoàn thành trong tháng 12 năm 2025.
"""


def test_a_notice_about_another_province_never_becomes_lang_sons_figures_or_alerts(
        db: Path, langson_before: list[dict[str, Any]], tmp_path: Path) -> None:
    # issue 16: Đắk Lắk's "13.966 tỷ đồng, đạt 104,24% dự toán" was asserted as Lạng Sơn's
    # budget_revenue (achieved_early at Lạng Sơn's Sở Tài chính) with 51 missing-report alerts
    notice = tmp_path / "thong-bao-dak-lak.txt"
    notice.write_text(NOTICE, encoding="utf-8")
    before = counts(db)
    for extra in ((), ("--dry-run", "--as-of", "2025-12-31")):
        result = kh(db, "ingest", notice, *extra, "--db", db, jurisdiction="lang-son")
        assert result.exit_code != 0 and "foreign_document" in result.output, result.output
    assert counts(db) == before
    assert alerts(db, "lang-son", "2024-12-31") == langson_before
    routed = kh(db, "ingest", notice, "--route", "--create-missing", "--json", "--db", db,
                jurisdiction="lang-son")
    assert routed.exit_code == 0, routed.output
    by_place = json.loads(routed.output)["asserted_by_jurisdiction"]
    assert by_place.get("lang-son", 0) == 0
    assert by_place.get("dak-lak") and by_place.get("bo-tai-chinh")
    assert alerts(db, "lang-son", "2024-12-31") == langson_before


def test_the_national_view_reads_each_jurisdiction_on_its_own_facts(
        onboarded: Path, langson_before: list[dict[str, Any]]) -> None:
    result = kh(onboarded, "national", "--as-of", "31/12/2024", "--json", "--db", onboarded)
    assert result.exit_code == 0, result.output
    rows = {row["code"]: row for row in json.loads(result.output)["data"]}
    assert {"lang-son", MINISTRY, NATION} <= set(rows)
    open_langson = [a for a in langson_before if not a.get("superseded_by")]
    assert rows["lang-son"]["open_alert_count"] == len(open_langson)
    later = kh(onboarded, "national", "--as-of", AS_OF, "--json", "--db", onboarded)
    ministry = {r["code"]: r for r in json.loads(later.output)["data"]}[MINISTRY]
    open_ministry = [a for a in alerts(onboarded, MINISTRY, AS_OF) if not a.get("superseded_by")]
    assert ministry["open_alert_count"] == len(open_ministry) > 0
    assert ministry["tasks"] == len(current(onboarded, MINISTRY, "task"))
    text = kh(onboarded, "national", "--as-of", "31/12/2024", "--db", onboarded).output
    assert "Lạng Sơn (lang-son)" in text and "Bộ Nông nghiệp và Môi trường" in text
