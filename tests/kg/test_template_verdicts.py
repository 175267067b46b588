"""Official verdicts (Đánh giá) imported through the template go through the same discrepancy
rule as the curated tables: importing the 004 2024 table with its own Đánh giá column raises
the same discrepancies as data/langson/verdicts.yaml."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from kg.dataset import DEFAULT_DATASET, load_dataset
from kg.log import Fact, open_log
from kg.template import import_file
from rules.replay import ReplayResult, replay
from rules.session import RuleSession

AS_OF = date(2024, 12, 31)
HEADER = ["Chỉ tiêu", "Kỳ báo cáo", "Giá trị", "Loại số liệu", "Tính đến ngày", "Đánh giá",
          "Văn bản nguồn", "Trích dẫn"]


def table_2024_rows() -> list[list[str]]:
    """The 004 2024 table as the office would type it into the template: one row per member,
    the estimate as written, Đánh giá as written (blank on member rows)."""
    rows = yaml.safe_load((DEFAULT_DATASET / "verdicts.yaml").read_text(encoding="utf-8"))
    return [[r["indicator"], "2024", r["estimate"], "ước", "30/06/2024", r["verdict"] or "",
             "004", r["source"]["quote"]]
            for r in rows if r["table"] == "2024"]


def write_table(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *table_2024_rows()])
    return path


def _verdict_discrepancies(result: ReplayResult, subject_kind: str) -> dict[tuple[str, str],
                                                                           dict[str, Any]]:
    """(subject name, explanation) → alert, for the official-verdict discrepancies of 2024."""
    return {(a.subject.name, a.explanation_en): a.to_dict() for a in result.alerts
            if a.rule["id"] == "discrepancies.official_verdict" and a.period == "2024"
            and a.subject.kind == subject_kind}


@pytest.fixture(scope="module")
def langson_facts() -> list[Fact]:
    """data/langson's facts, read once for the module (each test appends them to its own
    log; appending does not change them)."""
    return load_dataset(DEFAULT_DATASET)


@pytest.fixture(scope="module")
def curated(tmp_path_factory: pytest.TempPathFactory, langson_facts: list[Fact]) -> ReplayResult:
    with open_log(tmp_path_factory.mktemp("curated") / "kh.db") as log:
        log.append(langson_facts, submitted_by="dataset")
        return replay(log, AS_OF, persist=False)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory, langson_facts: list[Fact]
             ) -> ReplayResult:
    """data/langson without its curated official tables, plus the 2024 table imported."""
    tmp = tmp_path_factory.mktemp("imported")
    with open_log(tmp / "kh.db") as log:
        log.append([f for f in langson_facts if f.kind != "verdict"], submitted_by="dataset")
        result = import_file(log, write_table(tmp / "bang-2024.csv"))
        assert result.kinds() == {"observation": len(table_2024_rows())}
        # judging unit by unit gives what judging everything on every date gives
        sweep = RuleSession.start(log, AS_OF, sweep=True).result()
        replayed = replay(log, AS_OF, persist=False)
        assert {a.id for a in replayed.alerts} == {a.id for a in sweep.alerts}
        return replayed


def test_the_imported_table_raises_the_same_discrepancies_as_the_curated_one(
        curated: ReplayResult, imported: ReplayResult) -> None:
    expected = _verdict_discrepancies(curated, "verdict_row")
    assert expected, "the curated 2024 table raises discrepancies"
    assert set(_verdict_discrepancies(imported, "observation")) == set(expected)


def test_commune_road_row_imported_with_vuot_is_a_discrepancy(imported: ReplayResult) -> None:
    found = [a for (name, text), a in _verdict_discrepancies(imported, "observation").items()
             if "97,2" in text and "96,7" in text]
    assert len(found) == 1
    alert = found[0]
    assert '"Vượt"' in alert["explanation_vi"] and '"Không đạt"' in alert["explanation_vi"]
    assert '"Vượt" (exceeded)' in alert["explanation_en"]
    assert '"Không đạt" (not achieved)' in alert["explanation_en"]
    assert alert["severity"] == "high" and alert["details"]["reported_with"] == "observation"
    assert any(s["quote"] == "96,7" and s["doc"] == "004" for s in alert["sources"])


def test_importing_the_table_over_the_curated_one_raises_nothing_twice(
        tmp_path: Path, curated: ReplayResult, langson_facts: list[Fact]) -> None:
    with open_log(tmp_path / "kh.db") as log:
        log.append(langson_facts, submitted_by="dataset")
        import_file(log, write_table(tmp_path / "bang-2024.csv"))
        result = replay(log, AS_OF, persist=False)
    assert _verdict_discrepancies(result, "observation") == {}
    assert set(_verdict_discrepancies(result, "verdict_row")) == set(
        _verdict_discrepancies(curated, "verdict_row"))


def test_a_verdict_that_agrees_with_the_figures_raises_nothing(
        tmp_path: Path, langson_facts: list[Fact]) -> None:
    rows = [r for r in table_2024_rows() if r[0] == "commune_road_paved_rate"]
    rows[0][5] = "Không đạt"
    path = tmp_path / "dong-2024.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    with open_log(tmp_path / "kh.db") as log:
        log.append([f for f in langson_facts if f.kind != "verdict"], submitted_by="dataset")
        import_file(log, path)
        result = replay(log, AS_OF, persist=False)
    assert _verdict_discrepancies(result, "observation") == {}
