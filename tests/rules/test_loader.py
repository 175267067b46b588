"""Rule files are validated at load: schema + vocabulary, errors name file, line, rule id."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rules.engine import compile_rule
from rules.errors import RuleError, RuleFileError
from rules.loader import DEFINITIONS_DIR, load_rules

GOOD = (DEFINITIONS_DIR / "escalation.yaml").read_text(encoding="utf-8")
RULE_LINE = next(i for i, line in enumerate(GOOD.splitlines(), 1)
                 if "id: escalation.consecutive_lagging" in line)


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "escalation.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_load_rules_shipped_files_are_valid() -> None:
    book = load_rules()
    assert {r.family for r in book.rules} == {
        "verdicts", "pace", "level", "tasks", "missing_reports", "discrepancies", "escalation"}
    for rule in book.rules:
        assert rule.title["vi"] and rule.description["en"] and rule.basis["document"]


@pytest.mark.parametrize(("old", "new", "word"), [
    ("op: gte", "op: roughly", "roughly"),
    ("fact: lagging", "fact: lateness", "lateness"),
    ("field: periods,", "field: quarters,", "quarters"),
    ("action: raise_alert", "action: send_fax", "send_fax"),
    ("threshold: min_periods}", "threshold: seasons}", "seasons"),
    ("{periods} kỳ", "{seasons} kỳ", "seasons"),
])
def test_load_rules_unknown_name_names_file_and_rule(tmp_path: Path, old: str, new: str,
                                                     word: str) -> None:
    assert old in GOOD
    with pytest.raises(RuleFileError) as info:
        load_rules(_write(tmp_path, GOOD.replace(old, new, 1)))
    err = info.value
    assert isinstance(err, RuleError)
    assert err.file == "escalation.yaml"
    assert err.rule_id == "escalation.consecutive_lagging"
    assert err.line == RULE_LINE
    assert word in err.en and "escalation.yaml" in err.message


def test_load_rules_schema_error_missing_metadata(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError, match="basis"):
        load_rules(_write(tmp_path, GOOD.replace("    basis:", "    basis_typo:")))


def test_compile_rule_inlines_thresholds() -> None:
    rule = load_rules().by_id("pace.at_risk")
    compiled = compile_rule(rule)
    terms = compiled["r"]["all"][0]["m"]["$and"]
    assert {"kind": "pace"} in terms
    assert {"$gte": {"ratio": 0.8}} in terms and {"$lt": {"ratio": 0.95}} in terms
    json.dumps(compiled)


def test_every_rule_is_explained_in_the_readme() -> None:
    readme = (DEFINITIONS_DIR.parent / "README.md").read_text(encoding="utf-8")
    missing = [r.id for r in load_rules().rules if f"`{r.id}`" not in readme]
    assert missing == []
