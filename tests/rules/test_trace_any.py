"""Every id the system shows can be traced (issue 15): targets — implied ones through the report
sentence and an inferred annual plan —, tasks, observations, official rows, alerts and status
changes through the rule and the facts they used; the trace speaks words, not ids."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kg.graph import PlanGraph
from kg.log import open_log
from rules.replay import ReplayResult, replay
from rules.trace import impact, trace
from service.cli.app import build_app

AS_OF = (date(2023, 6, 30), date(2023, 12, 31), date(2024, 12, 31))
RESOLUTIONS = ("Resolution", "PartyResolution")


@pytest.fixture(scope="module")
def db(langson_db: Path) -> Path:
    return langson_db


@pytest.fixture(scope="module")
def plan(db: Path) -> PlanGraph:
    with open_log(db) as log:
        return PlanGraph.from_log(log)


@pytest.fixture(scope="module")
def evaluations(db: Path) -> dict[date, ReplayResult]:
    with open_log(db) as log:
        return {when: replay(log, when, persist=False) for when in AS_OF}


def _shown_ids(evaluation: ReplayResult, db: Path) -> set[str]:
    with open_log(db) as log:
        facts = {f.key for kind in ("observation", "task", "verdict", "document")
                 for f in log.current(kind)}
    return (set(evaluation.statuses) | {a.id for a in evaluation.alerts}
            | {c.id for c in evaluation.changes} | facts)


def _reaches_resolution(result: dict[str, Any]) -> bool:
    return any(step.get("type") in RESOLUTIONS for step in result["chain"])


@pytest.mark.parametrize("when", AS_OF)
def test_every_id_shown_resolves(plan, evaluations, db, when):
    evaluation = evaluations[when]
    for ident in sorted(_shown_ids(evaluation, db)):
        result = trace(plan, evaluation, ident)
        assert result["subject"]["id"] == ident
        assert result["subject"]["words_vi"] and result["subject"]["words_en"]


@pytest.mark.parametrize("when", AS_OF)
def test_targets_reach_a_resolution_or_say_why(plan, evaluations, when):
    targets = [i for i, s in evaluations[when].statuses.items() if s["kind"] == "target"]
    results = {i: trace(plan, evaluations[when], i) for i in targets}
    reached = [i for i, r in results.items() if _reaches_resolution(r)]
    assert len(reached) >= 0.95 * len(targets), sorted(set(targets) - set(reached))
    for ident, result in results.items():
        if ident not in reached:
            assert result.get("note_vi") and result.get("note_en"), ident


def test_an_implied_target_is_traced_through_its_sentence_and_an_inferred_plan(plan):
    result = trace(plan, None, "clinker_output@2023")
    assert result["subject"]["implied"] is True
    assert result["subject"]["name"].startswith("Sản lượng clinker")
    first = result["chain"][0]
    assert first["relation"] == "impliedBy" and first["source"]["quote"]
    inferred = [s for s in result["chain"] if s.get("inferred")]
    assert {s["id"] for s in inferred} >= {"nq-29-hdnd-2022"}
    assert all(s["reasoning_vi"] and s["reasoning_en"] for s in inferred)
    assert _reaches_resolution(result)


def test_an_alert_is_traced_to_its_rule_facts_target_and_documents(plan, evaluations):
    evaluation = evaluations[date(2024, 12, 31)]
    alert = next(a for a in evaluation.alerts if a.subject.id == "budget_revenue@2024"
                 or a.subject.kind == "target")
    result = trace(plan, evaluation, alert.id)
    rule, *rest = result["chain"]
    assert rule["kind"] == "rule" and rule["id"] == alert.rule["id"]
    assert rule["thresholds"] == alert.thresholds and "Luật" in rule["words_vi"]
    used = [s for s in rest if s["relation"] == "usedFact"]
    assert [s["fact"] for s in used] == alert.facts
    assert any(s["relation"] == "concerns" and s["id"] == alert.subject.id for s in rest)


def test_the_trace_speaks_words(plan):
    result = trace(plan, None, "grdp_growth@2024")
    set_by = next(s for s in result["chain"] if s["relation"] == "setBy")
    assert set_by["relation_vi"] == "do văn bản đặt" and set_by["relation_en"] == "set by"
    assert set_by["words_vi"].startswith("Nghị quyết") and "HĐND" not in set_by["id"]


def test_cli_text_names_documents_not_ids(db):
    runner = CliRunner()
    out = runner.invoke(build_app(), ["trace", "grdp_growth@2024", "--db", str(db)])
    assert out.exit_code == 0, out.output
    assert "Tốc độ tăng" in out.output.splitlines()[0]
    assert "do văn bản đặt: Nghị quyết" in out.output
    assert "setBy" not in out.output and "basedOn" not in out.output
    english = runner.invoke(build_app(), ["trace", "clinker_output@2023", "--lang", "en",
                                          "--db", str(db)])
    assert "set by (inferred): Resolution No. 29/NQ-HĐND" in english.output


def test_cli_traces_an_alert_id(db, evaluations):
    alert = evaluations[date(2024, 12, 31)].alerts[0]
    out = CliRunner().invoke(build_app(), ["trace", alert.id, "--json", "--as-of", "2024-12-31",
                                           "--db", str(db)])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["chain"][0]["id"] == alert.rule["id"]


def test_impact_reads_the_same_evaluation_as_the_alert_list(plan, evaluations, db):
    evaluation = evaluations[date(2023, 12, 31)]
    data = impact(plan, evaluation, "29/NQ-HĐND")
    touched = ({t["id"] for t in data["targets"] + data["tasks"] + data["inferred_targets"]})
    figures = {o["id"] for o in data["observations"]}
    expected = [a.id for a in evaluation.alerts
                if a.subject.id in touched
                or {f.partition(":")[2].rpartition("#v")[0] for f in a.facts} & figures]
    assert expected and [a["id"] for a in data["alerts"]] == expected
    assert "clinker_output@2023" in {t["id"] for t in data["inferred_targets"]}
    # on a database that was only loaded (no outcome persisted), the CLI still counts them
    out = CliRunner().invoke(build_app(), ["impact", "29/NQ-HĐND", "--json", "--as-of",
                                           "2023-12-31", "--db", str(db)])
    assert out.exit_code == 0, out.output
    assert [a["id"] for a in json.loads(out.output)["alerts"]] == expected


def test_an_implied_target_traces_the_same_once_outcomes_name_it(db, tmp_path):
    copy = tmp_path / "persisted.db"
    copy.write_bytes(db.read_bytes())
    with open_log(copy) as log:
        replay(log, date(2023, 12, 31), persist=True)  # outcomes now concern the implied node
        persisted = PlanGraph.from_log(log)
    result = trace(persisted, None, "clinker_output@2023")
    assert result["subject"]["implied"] is True
    assert result["chain"][0]["relation"] == "impliedBy"
    assert _reaches_resolution(result)


def test_an_outcome_is_traced_by_the_rule_set_that_judged_it(db, tmp_path):
    """A session pinned its rule set at start: the trace names that set's rules, not the rule
    files as they are now (here the pinned set titles a rule otherwise)."""
    import shutil

    import yaml

    from rules.engine import ENGINES
    from rules.loader import DEFINITIONS_DIR, load_rules

    files = tmp_path / "definitions"
    shutil.copytree(DEFINITIONS_DIR, files)
    with open_log(db) as log:
        plain = replay(log, date(2024, 12, 31), persist=False)
        alert = next(a for a in plain.alerts if a.subject.kind == "target")
        family = next(p for p in files.glob("*.yaml")
                      if any(r["id"] == alert.rule["id"]
                             for r in yaml.safe_load(p.read_text(encoding="utf-8"))["rules"]))
        data = yaml.safe_load(family.read_text(encoding="utf-8"))
        for rule in data["rules"]:
            if rule["id"] == alert.rule["id"]:
                rule["title"] = {"vi": "Tên luật đã ghim", "en": "The pinned rule's title"}
        family.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        pinned = replay(log, date(2024, 12, 31), persist=False,
                        engine=ENGINES.get(load_rules(files)))
        plan = PlanGraph.from_log(log)
    assert pinned.rules is not None and pinned.rules.digest != plain.rules.digest
    assert "Tên luật đã ghim" in trace(plan, pinned, alert.id)["chain"][0]["words_vi"]
    assert "The pinned rule's title" in trace(plan, pinned, alert.id)["chain"][0]["words_en"]
    assert "Tên luật đã ghim" not in trace(plan, plain, alert.id)["chain"][0]["words_vi"]
