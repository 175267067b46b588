"""Run every case file in rules/cases/ (facts + as-of → expected statuses and alerts)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kg.log import open_log
from rules.casefiles import CASES_DIR, covered_rules, load_cases
from rules.loader import DEFINITIONS_DIR, load_rules
from rules.replay import replay
from tests.rules.factories import to_fact


def _cases() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    return [(f"{family}: {case['name']}", data, case)
            for family, data in load_cases().items() for case in data["cases"]]


def _matches(alert: dict[str, Any], want: dict[str, Any]) -> bool:
    checks = {
        "kind": alert["kind"], "subject": alert["subject"]["id"],
        "rule": alert["rule"]["id"], "period": alert["period"],
        "agency": alert["agency"], "severity": alert["severity"],
        "bucket": alert["details"].get("bucket"),
    }
    for key, value in want.items():
        if key == "chain_includes":
            if value not in [d["id"] for d in alert["chain"]]:
                return False
        elif key in ("says", "says_en"):
            if value not in alert["explanation_vi" if key == "says" else "explanation_en"]:
                return False
        elif key == "supervisor":
            if alert["details"].get("supervisor") != value:
                return False
        elif checks.get(key) != value:
            return False
    return True


def _is_change(change: dict[str, Any], want: dict[str, Any]) -> bool:
    checks = {"subject": change["subject"]["id"], "dimension": change["dimension"],
              "status": change["status"], "previous": change["previous"],
              "as_of": change["as_of"], "set_by": change["rule"]["id"]}
    return all(checks[k] == v for k, v in want.items() if k != "rule")


def test_every_rule_file_has_a_case_file() -> None:
    families = {p.stem for p in DEFINITIONS_DIR.glob("*.yaml")}
    assert families == {p.stem for p in CASES_DIR.glob("*.yaml")}


def test_every_rule_id_has_at_least_one_case() -> None:
    """A case covers a rule when one of its expected alerts or statuses names it (``rule:``)."""
    covered = set().union(*(covered_rules(data) for data in load_cases().values()))
    missing = sorted(r.id for r in load_rules().rules if r.id not in covered)
    assert missing == [], f"rule ids without a case: {missing}"


@pytest.mark.parametrize(("name", "data", "case"), _cases(), ids=[c[0] for c in _cases()])
def test_case(name: str, data: dict[str, Any], case: dict[str, Any], tmp_path: Path) -> None:
    log = open_log(tmp_path / "case.db")
    log.append([to_fact(r) for r in data["facts"] + case.get("facts", [])])
    as_of = case["as_of"] if isinstance(case["as_of"], date) else date.fromisoformat(
        case["as_of"])
    result = replay(log, as_of, persist=False)
    expect = case["expect"]
    for want in expect.get("statuses", []):
        entry = result.statuses.get(want["subject"], {}).get(want["dimension"])
        assert entry is not None, f"{name}: no {want['dimension']} status for {want['subject']}"
        assert entry["status"] == want["status"], f"{name}: {entry}"
        assert want.get("rule", entry["rule"]) == entry["rule"], f"{name}: {entry}"
        assert want.get("says", "") in entry["explanation_vi"], f"{name}: {entry}"
        assert want.get("says_en", "") in entry["explanation_en"], f"{name}: {entry}"
    alerts = [a.to_dict() for a in result.alerts]
    for want in expect.get("alerts", []):
        assert any(_matches(a, want) for a in alerts), f"{name}: {want} not in {alerts}"
    for unwanted in expect.get("no_alerts", []):
        assert not any(_matches(a, unwanted) for a in alerts), f"{name}: unexpected {unwanted}"
    changes = [c.to_dict() for c in result.changes]
    for want in expect.get("changes", []):
        assert any(_is_change(c, want) for c in changes), f"{name}: {want} not in {changes}"
        if "rule" in want:  # the rule that recorded it: one whose action records changes
            assert load_rules().by_id(want["rule"]).then["action"] == "record_status_change"
    for unwanted in expect.get("no_changes", []):
        assert not any(_is_change(c, unwanted) for c in changes), f"{name}: {unwanted}"
    log.close()
