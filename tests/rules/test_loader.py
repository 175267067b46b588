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
        "verdicts", "pace", "level", "tasks", "missing_reports", "discrepancies", "escalation",
        "status"}
    for rule in book.rules:
        assert rule.title["vi"] and rule.description["en"] and rule.basis["document"]


@pytest.mark.parametrize(("old", "new", "word"), [
    ("op: in", "op: roughly", "roughly"),
    ("fact: lagging", "fact: lateness", "lateness"),
    ("field: status, op: in", "field: quarters, op: in", "quarters"),
    ("action: escalate", "action: send_fax", "send_fax"),
    ("fact: period_status", "fact: period_mood", "period_mood"),
    ("order: rank", "order: dimension", "dimension"),
    ("value: [at_risk, off_track]", "value: at_risk", "list"),
    ("value: pace}", "ref: lagged.dimension}", "lagged"),
    ("length: {threshold: min_periods}", "length: {threshold: min_years}", "min_years"),
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
    terms = compiled["all"][0]["pace"]["$and"]
    assert {"kind": "pace"} in terms
    assert {"$gte": {"ratio": 0.8}} in terms and {"$lt": {"ratio": 0.95}} in terms
    assert compiled["all"][1] == {"clock": {"$and": [{"kind": "clock"}, {
        "$gte": {"as_of_ord": rule.effective_from.toordinal()}}]}}
    json.dumps(compiled)


def test_a_joined_rule_compiles_to_references_between_named_facts() -> None:
    compiled = compile_rule(load_rules().by_id("status.changed"))
    assert compiled["all"] == [
        {"status_set": {"kind": "status_set"}},
        {"held": {"$and": [{"kind": "status"}, {"dimension": {"status_set": "dimension"}},
                           {"$neq": {"status": {"status_set": "status"}}}]}}]


def test_a_sequence_compiles_to_consecutive_facts_each_one_after_the_other() -> None:
    compiled = compile_rule(load_rules().by_id("escalation.consecutive_lagging"))
    lagged = [next(iter(p.items())) for p in compiled["all"][1:3]]
    assert [name for name, _ in lagged] == ["lagged0", "lagged1"]  # min_periods: 2
    assert {"rank": 0} in lagged[0][1]["$and"]
    assert {"rank": {"$add": {"$l": {"lagged0": "rank"}, "$r": 1}}} in lagged[1][1]["$and"]
    assert {"$mt": {"status": "at_risk|off_track"}} in lagged[1][1]["$and"]


def test_a_sequence_compares_each_fact_with_the_one_before() -> None:
    compiled = compile_rule(load_rules().by_id("pace.slipping"))
    names = [next(iter(p)) for p in compiled["all"]]
    assert names == ["lagging", "period0", "period1", "period2", "clock"]
    assert {"$lt": {"badness": {"period1": "badness"}}} in compiled["all"][3]["period2"]["$and"]


@pytest.mark.parametrize(("old", "new", "word"), [
    ("ref: status_set.status}", "ref: earlier.status}", "earlier"),
    ("ref: status_set.status}", "ref: status_set.mood}", "mood"),
    ("ref: status_set.status}", "ref: status_set.dimension, value: x}", "schema"),
    ("action: record_status_change}", "action: set_status}", "status"),
    ("fact: status_set\n", "fact: pace\n", "status_set"),
    ("as: held", "as: clock", "clock"),
])
def test_joins_are_checked_at_load(tmp_path: Path, old: str, new: str, word: str) -> None:
    good = (DEFINITIONS_DIR / "status.yaml").read_text(encoding="utf-8")
    assert old.replace("\\n", "\n") in good
    (tmp_path / "status.yaml").write_text(good.replace(old.replace("\\n", "\n"),
                                                       new.replace("\\n", "\n"), 1),
                                          encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        load_rules(tmp_path)
    assert info.value.rule_id == "status.changed" and info.value.line is not None
    assert word in info.value.en, info.value.en
    assert info.value.vi != info.value.en  # Vietnamese first, English too


def test_every_rule_is_explained_in_the_readme() -> None:
    readme = (DEFINITIONS_DIR.parent / "README.md").read_text(encoding="utf-8")
    missing = [r.id for r in load_rules().rules if f"`{r.id}`" not in readme]
    assert missing == []
