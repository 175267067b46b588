"""The rules commands through the CLI (CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from kg.log import open_log
from rules.loader import RULES_DIR
from service.cli.app import build_app
from tests.rules.factories import to_fact

runner = CliRunner()


def _db(tmp_path: Path) -> Path:
    path = tmp_path / "cli.db"
    data = yaml.safe_load((RULES_DIR / "cases" / "tasks.yaml").read_text(encoding="utf-8"))
    with open_log(path) as log:
        log.append([to_fact(r) for r in data["facts"]])
    return path


def test_rules_json_exports_the_catalogue() -> None:
    r = runner.invoke(build_app(), ["rules", "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert "pace.at_risk" in [rule["id"] for rule in data["rules"]]
    assert set(data) >= {"facts", "operators", "actions", "rules", "calendar", "rules_version"}


def test_status_json_lists_tasks(tmp_path: Path) -> None:
    r = runner.invoke(build_app(), ["status", "--json", "--as-of", "2024-01-10",
                                    "--db", str(_db(tmp_path))])
    assert r.exit_code == 0, r.output
    rows = {row["id"]: row for row in json.loads(r.output)}
    assert rows["task-t-001"]["status"] == "overdue"
    assert rows["task-t-003"]["status"] == "completed_on_time"
    assert set(rows["task-t-001"]) >= {"id", "kind", "name", "period", "status", "verdict",
                                       "agency", "explanation"}


def test_alerts_json_filters_kind(tmp_path: Path) -> None:
    r = runner.invoke(build_app(), ["alerts", "--json", "--kind", "overdue", "--as-of",
                                    "2024-01-10", "--db", str(_db(tmp_path))])
    assert r.exit_code == 0, r.output
    assert {a["subject"]["id"] for a in json.loads(r.output)} == {"task-t-001"}


def test_status_bad_as_of_is_a_usage_error(tmp_path: Path) -> None:
    r = runner.invoke(build_app(), ["status", "--as-of", "31/13/2023", "--db",
                                    str(_db(tmp_path))])
    assert r.exit_code == 2
