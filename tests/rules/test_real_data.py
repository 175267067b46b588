"""The five demo outcomes over the real Lạng Sơn dataset (data/langson)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from kg.dataset import DEFAULT_DATASET, load_dataset
from kg.log import open_log
from rules.portfolio import status_label
from rules.replay import ReplayResult, replay
from service.cli.app import build_app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def langson(tmp_path_factory: pytest.TempPathFactory) -> ReplayResult:
    facts = load_dataset(DEFAULT_DATASET)
    log = open_log(tmp_path_factory.mktemp("langson") / "kehoach.db")
    log.append(facts, submitted_by="dataset")
    result = replay(log, date(2024, 12, 31), persist=False)
    log.close()
    return result


def _alerts(result: ReplayResult, kind: str, period: str) -> list[dict[str, Any]]:
    return [a.to_dict() for a in result.alerts if a.kind == kind and a.period == period]


def test_public_investment_disbursement_11_months_2023_off_track(langson: ReplayResult) -> None:
    found = _alerts(langson, "off_track", "11T/2023")
    assert any(a["subject"]["id"] == "public_investment_disbursement@2023" for a in found)


def test_import_turnover_76_6_percent_at_risk(langson: ReplayResult) -> None:
    found = [a for a in _alerts(langson, "at_risk", "11T/2023")
             if any(s["quote"] and "76,6" in s["quote"] for s in a["sources"])]
    # numbers as the pages write them, in both languages (decimal comma)
    assert found and "(ratio 0,836)" in found[0]["explanation_en"]
    assert "(tỷ lệ 0,836)" in found[0]["explanation_vi"]


def test_tourists_11_months_2023_achieved_early(langson: ReplayResult) -> None:
    found = _alerts(langson, "achieved_early", "11T/2023")
    assert any(a["subject"]["id"] == "tourists@2023" for a in found)


def test_grdp_2024_estimate_not_achieved(langson: ReplayResult) -> None:
    entry = langson.statuses["grdp_growth@2024"]["verdict"]
    assert entry["status"] == "not_achieved" and entry["expected"] is True


def test_commune_road_row_2024_raises_a_discrepancy(langson: ReplayResult) -> None:
    found = [a for a in _alerts(langson, "discrepancy", "2024")
             if a["rule"]["id"] == "discrepancies.official_verdict"
             and "97,2" in a["explanation_en"] and "96,7" in a["explanation_en"]]
    assert found


def test_demo_command_prints_timeline_and_summary(langson: ReplayResult, tmp_path: Path) -> None:
    r = CliRunner().invoke(build_app(), ["demo", "--db", str(tmp_path / "demo.db"),
                                         "--as-of", "2024-12-31"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert status_label("off_track") in r.output and "by kind" in r.output
    assert "off_track" not in r.output  # statuses in words (issue 17)


def test_official_verdict_discrepancies_are_exactly_the_known_contradictions(
        langson: ReplayResult) -> None:
    known = yaml.safe_load((DEFAULT_DATASET / "KNOWN_INCONSISTENCIES").read_text("utf-8"))
    expected = {e["ref"] for e in known
                if e["kind"] == "verdict_contradiction" and str(e["ref"]).startswith("verdict-")}
    raised = {a.subject.id for a in langson.alerts
              if a.kind == "discrepancy" and a.subject.kind == "verdict_row"}
    assert raised == expected
