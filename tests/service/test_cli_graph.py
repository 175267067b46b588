"""The graph commands through the CLI: who, agency, trace, impact, sparql, export, check."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rdflib import Graph
from typer.testing import CliRunner

from kg.log import Fact, Source, open_log
from service.cli.app import build_app

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory, langson_db: Path) -> str:
    """A copy of the session's data/langson log (the commands may store what they replay)."""
    path = tmp_path_factory.mktemp("cli") / "kh.db"
    shutil.copy(langson_db, path)
    return str(path)


def run(*args: str):
    return runner.invoke(build_app(), list(args))


def test_who_json_has_subject_lead_support_assigned_by_deadline(db):
    r = run("who", "giải ngân vốn đầu tư công", "--json", "--db", db)
    assert r.exit_code == 0, r.output
    page = json.loads(r.output)
    assert set(page) == {"data", "total", "limit", "offset"}
    rows = page["data"]
    assert rows and set(rows[0]) >= {"subject", "lead", "support", "assigned_by", "deadline"}
    assert set(rows[0]["subject"]) == {"id", "name", "kind"}


def test_who_says_the_total_and_pages_with_limit_and_offset(db):
    everything = json.loads(run("who", "nông thôn mới", "--json", "--limit", "500",
                                "--db", db).output)
    assert everything["total"] == len(everything["data"]) > 20
    first = run("who", "nông thôn mới", "--db", db)
    assert first.exit_code == 0, first.output
    assert first.output.startswith(f"1–20 / {everything['total']} kết quả")
    assert "--offset 20" in first.output
    second = json.loads(run("who", "nông thôn mới", "--json", "--offset", "20", "--limit", "500",
                            "--db", db).output)
    ids = [r["subject"]["id"] for r in everything["data"]]
    assert [r["subject"]["id"] for r in second["data"]] == ids[20:]


def test_who_unknown_exits_2_with_bilingual_message(db):
    r = run("who", "xyzzy khong ton tai", "--db", db)
    assert r.exit_code == 2
    assert "Không tìm thấy" in r.output and "No task" in r.output


def test_trace_json_reaches_the_congress_resolution(db):
    r = run("trace", "grdp_growth@2024", "--json", "--db", db)
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["subject"]["id"] == "grdp_growth@2024"
    ids = [step["id"] for step in data["chain"]]
    assert "nq-dai-hoi-dang-bo-tinh-xvii" in ids
    assert set(data["chain"][0]) >= {"id", "type", "number", "date", "issuer", "title",
                                     "relation", "source"}


def test_trace_draws_dot_and_svg(db):
    dot = run("trace", "grdp_growth@2023", "--format", "dot", "--db", db)
    assert dot.exit_code == 0 and dot.output.startswith("digraph trace {")
    assert '"grdp_growth@2023" -> "qd-1966-ubnd-2022" [label="do văn bản giao"]' in dot.output
    svg = run("trace", "grdp_growth@2023", "--format", "svg", "--db", db)
    assert svg.exit_code == 0 and svg.output.startswith("<svg")
    assert "1966/QĐ-UBND" in svg.output and svg.output.count("<rect") >= 4


def test_impact_by_number_lists_2023_targets(db):
    r = run("impact", "29/NQ-HĐND", "--json", "--db", db)
    assert r.exit_code == 0, r.output
    targets = {t["id"] for t in json.loads(r.output)["targets"]}
    assert "grdp_growth@2023" in targets and "grdp_growth@2024" not in targets


def test_sparql_select_and_refused_update(db):
    r = run("sparql", "SELECT (COUNT(?t) AS ?n) WHERE { ?t a kh:Target }", "--db", db)
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["rows"][0]["n"] > 0
    refused = run("sparql", "DROP ALL", "--db", db)
    assert refused.exit_code == 2 and "sparql_update_refused" in refused.output


def test_sparql_named_query_with_binding(db):
    r = run("sparql", "--named", "targets_of_indicator", "--bind", "indicator=grdp_growth",
            "--db", db)
    assert r.exit_code == 0, r.output
    assert "grdp_growth@2024" in {row["target"] for row in json.loads(r.output)}


@pytest.mark.parametrize("fmt,parser", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_export_parses_back_with_ontology_and_data(db, fmt, parser):
    r = run("export", "--format", fmt, "--db", db)
    assert r.exit_code == 0
    graph = Graph().parse(data=r.output, format=parser)
    subjects = {str(s) for s in graph.subjects()}
    assert "https://kehoach.dev/ontology#Target" in subjects
    assert "https://kehoach.dev/id/target/grdp_growth@2024" in subjects


def test_agency_portfolio_json(db):
    r = run("agency", "Văn phòng UBND tỉnh", "--as-of", "2024-12-31", "--json", "--db", db)
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["agency"]["id"] == "van-phong-ubnd-tinh" and data["items"]
    overdue = [i for i in data["items"] if i["ageing"]]
    assert overdue and all(i["ageing"]["days_overdue"] > 0 for i in overdue)
    assert any(i["alerts"] for i in data["items"])


def test_check_clean_then_findings_exit_1(db, tmp_path):
    """data/langson plus one task without its lead: exit 1 and that task the only finding
    (the data alone passes: the same check exits 0 in test_pages_words'
    test_cli_text_speaks_in_names[check])."""
    broken = tmp_path / "broken.db"
    shutil.copy(db, broken)
    with open_log(broken) as log:
        log.append([Fact("task", "task-bad-001", {"id": "task-bad-001", "summary": "x",
                                                 "deadline": "2024-12-31"},
                         Source("004", 1, "x"))])
    r = run("check", "--no-reasoner", "--json", "--db", str(broken))
    assert r.exit_code == 1
    [finding] = json.loads(r.output)["findings"]
    assert finding["node"] == "task-bad-001" and finding["field"] == "lead_agency"
