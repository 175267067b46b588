"""Case files are validated by JSON Schema at load; errors name the file and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from rules.casefiles import CASES_DIR, covered_rules, load_case_file, load_cases
from rules.errors import CaseFileError, RuleError

GOOD = (CASES_DIR / "escalation.yaml").read_text(encoding="utf-8")


def _write(tmp_path: Path, text: str, name: str = "escalation.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_shipped_case_files_load() -> None:
    files = load_cases()
    assert {"escalation", "missing_reports", "discrepancies"} <= set(files)
    assert all(isinstance(c["as_of"], str) for data in files.values() for c in data["cases"])


@pytest.mark.parametrize(("old", "new", "needle", "word"), [
    ("    as_of: 2023-12-01", "    as_of: soon", "as_of: soon", "soon"),
    ("      alerts:", "      alertz:", "alertz", "alertz"),
    ("rule: escalation.consecutive_lagging}", "rule: Escalation!}", "Escalation!", "Escalation"),
    ("{subject: imports@2023, dimension: pace, status: off_track}",
     "{subject: imports@2023, status: off_track}", "subject: imports@2023, status", "dimension"),
])
def test_a_malformed_case_is_refused_with_file_and_line(tmp_path: Path, old: str, new: str,
                                                        needle: str, word: str) -> None:
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    with pytest.raises(CaseFileError) as info:
        load_case_file(_write(tmp_path, text))
    err = info.value
    assert isinstance(err, RuleError) and err.code == "case_file_error"
    assert err.place.document == "escalation.yaml" and word in err.en
    assert err.place.line == _line(text, needle)


def test_the_family_must_match_the_file_name(tmp_path: Path) -> None:
    with pytest.raises(CaseFileError) as info:
        load_case_file(_write(tmp_path, GOOD, "pace.yaml"))
    assert info.value.place.line == _line(GOOD, "family:")


def test_invalid_yaml_is_a_case_file_error(tmp_path: Path) -> None:
    with pytest.raises(CaseFileError) as info:
        load_case_file(_write(tmp_path, GOOD.replace("cases:", "cases: [")))
    assert info.value.place.line is not None


def test_only_positive_expectations_cover_a_rule() -> None:
    data = {"cases": [{"expect": {
        "alerts": [{"rule": "a.one"}], "statuses": [{"subject": "s", "dimension": "pace",
                                                     "status": "on_track", "rule": "a.two"}],
        "no_alerts": [{"rule": "a.three"}]}}]}
    assert covered_rules(data) == {"a.one", "a.two"}
