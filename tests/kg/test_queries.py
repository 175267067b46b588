"""Named prepared queries (initBindings) and the read-only guard of ad-hoc SPARQL."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.dataset import load_into
from kg.graph import PlanGraph
from kg.log import open_log
from kg.queries import (
    QUERIES,
    QUERY_DIR,
    QueryCancelled,
    QueryError,
    QueryTimeout,
    bind_params,
    run_query,
    run_sparql,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "langson"


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> PlanGraph:
    log = open_log(tmp_path_factory.mktemp("queries") / "kh.db")
    load_into(log, DATA)
    return PlanGraph.from_log(log)


def test_every_rq_file_is_registered_and_documented():
    files = {p.name for p in QUERY_DIR.glob("*.rq")}
    assert files == {q.file for q in QUERIES.values()}
    for q in QUERIES.values():
        assert q.vi and q.en and q.params
        assert q.text.startswith("#")  # each file documents itself


@pytest.mark.parametrize("name,raw", [
    ("targets_of_indicator", {"indicator": "grdp_growth"}),
    ("targets_of_document", {"document": "29/NQ-HĐND"}),
    ("tasks_led_by", {"agency": "UBND tỉnh Lạng Sơn"}),
    ("documents_derived_from", {"document": "nq-29-hdnd-2022"}),
    ("observations_of_indicator", {"indicator": "budget_revenue"}),
    ("agencies_by_kind", {"kind": "department"}),
])
def test_named_query_returns_rows(plan, name, raw):
    rows = run_query(plan, name, **bind_params(plan, name, raw))
    assert rows, name


def test_named_query_binding_selects_only_that_node(plan):
    rows = run_query(plan, "targets_of_document",
                     **bind_params(plan, "targets_of_document", {"document": "1966/QĐ-UBND"}))
    assert rows and all(r["relation"] == "kh:assignedBy" for r in rows)
    assert all(r["target"].endswith("@2023") for r in rows)


def test_documents_derived_from_is_transitive(plan):
    rows = run_query(plan, "documents_derived_from",
                     **bind_params(plan, "documents_derived_from",
                                   {"document": "ke-hoach-5-nam-2021-2025"}))
    derived = {r["derived"] for r in rows}
    assert {"nq-29-hdnd-2022", "qd-1966-ubnd-2022"} <= derived


def test_wrong_parameters_are_refused(plan):
    with pytest.raises(QueryError) as err:
        bind_params(plan, "targets_of_indicator", {"document": "x"})
    assert err.value.code == "bad_parameters"
    with pytest.raises(QueryError):
        run_query(plan, "no_such_query")


def test_select_and_ask_run(plan):
    result = run_sparql(plan, "SELECT ?t WHERE { ?t a kh:Target ; kh:setBy ?d . "
                              "?d kh:documentNumber '29/NQ-HĐND' }")
    assert result["type"] == "SELECT" and result["rows"]
    assert run_sparql(plan, "ASK { ?t a kh:Task }") == {"type": "ASK", "answer": True}


@pytest.mark.parametrize("text", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/x.ttl>",
    "CLEAR ALL",
    "DROP GRAPH <urn:g>",
    "CREATE GRAPH <urn:g>",
])
def test_updates_are_refused(plan, text):
    size = len(plan)
    with pytest.raises(QueryError) as err:
        run_sparql(plan, text)
    assert err.value.code == "sparql_update_refused"
    assert len(plan) == size


def test_service_and_from_are_refused(plan):
    with pytest.raises(QueryError) as err:
        run_sparql(plan, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert err.value.code == "sparql_service_refused"
    with pytest.raises(QueryError) as err:
        run_sparql(plan, "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }")
    assert err.value.code == "sparql_from_refused"


def test_syntax_error_is_reported(plan):
    with pytest.raises(QueryError) as err:
        run_sparql(plan, "SELEKT ?x WHERE {")
    assert err.value.code == "sparql_syntax"


def test_run_sparql_bounds_rows_and_time(plan):
    values = " ".join(str(n) for n in range(150))
    cross = f"SELECT ?x ?y WHERE {{ VALUES ?x {{ {values} }} VALUES ?y {{ {values} }} }}"
    result = run_sparql(plan, cross, max_rows=1_000)
    assert len(result["rows"]) == 1_000 and result["truncated"] is True
    small = run_sparql(plan, "SELECT ?x WHERE { VALUES ?x { 1 2 3 } }")
    assert len(small["rows"]) == 3 and small["truncated"] is False
    with pytest.raises(QueryError) as err:
        run_sparql(plan, cross, max_seconds=0.0)
    assert err.value.code == "query_timeout"


def _children() -> str:
    """This process's child processes (Linux /proc), e.g. a query's evaluation still running."""
    found = []
    for task in os.listdir("/proc/self/task"):
        try:
            found.append(Path(f"/proc/self/task/{task}/children").read_text())
        except FileNotFoundError:  # that thread has just ended
            pass
    return " ".join(found)


# Issue 13, case 3: no row ever comes back, so a bound on the rows read never fires.
NO_ROWS = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }",
    "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f FILTER (?c = ?f && ?a != ?a) }",
    "ASK { ?a ?b ?c . ?d ?e ?f . FILTER (STR(?c) = 'không có') }",
]


@pytest.mark.parametrize("text", NO_ROWS)
def test_a_query_returning_nothing_is_stopped_at_the_limit(plan, text):
    with pytest.raises(QueryTimeout) as err:
        run_sparql(plan, text, max_seconds=0.5)
    assert err.value.code == "query_timeout" and "0.5" in err.value.en
    assert _children().split() == []  # the evaluation's process was killed and reaped
    assert run_sparql(plan, "ASK { ?t a kh:Task }")["answer"] is True


def test_a_cancelled_query_stops_at_once(plan):
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(QueryCancelled) as err:
        run_sparql(plan, NO_ROWS[0], max_seconds=600, cancelled=cancelled)
    assert err.value.code == "query_cancelled" and len(calls) == 3
    assert _children().split() == []


def test_an_evaluation_error_comes_back_with_its_code(plan):
    result = run_sparql(plan, "SELECT (COUNT(*) AS ?n) WHERE { ?t a kh:Task }")
    assert result["rows"][0]["n"] > 0
    with pytest.raises(QueryError) as err:  # rdflib's evaluation raises: a clear refusal
        run_sparql(plan, "SELECT * WHERE { ?s ?p ?o FILTER(REGEX(STR(?o), '(')) } LIMIT 1")
    assert err.value.code == "query_failed" and "unterminated subpattern" in err.value.en


PARENT = """
import sys
from pathlib import Path
from kg.dataset import load_into
from kg.graph import PlanGraph
from kg.log import open_log
from kg.queries import run_sparql
log = open_log(Path(sys.argv[1]))
load_into(log, Path(sys.argv[2]))
plan = PlanGraph.from_log(log)
print("ready", flush=True)
run_sparql(plan, sys.argv[3], max_seconds=600)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")  # a zombie has stopped running


def test_the_query_process_dies_with_a_killed_parent(tmp_path):
    """A server SIGKILLed mid-query leaves no evaluation running (PR_SET_PDEATHSIG)."""
    root = Path(__file__).resolve().parents[2]
    script = tmp_path / "parent.py"
    script.write_text(PARENT, encoding="utf-8")
    parent = subprocess.Popen(
        [sys.executable, str(script), str(tmp_path / "kh.db"),
         str(root / "tests" / "service" / "data" / "mini"), NO_ROWS[0]],
        stdout=subprocess.PIPE, text=True, cwd=root, env={**os.environ, "PYTHONPATH": str(root)})
    try:
        assert parent.stdout is not None and parent.stdout.readline() == "ready\n"
        deadline = time.monotonic() + 60
        children: list[str] = []
        while not children and time.monotonic() < deadline:
            children = " ".join(Path(f"/proc/{parent.pid}/task/{t}/children").read_text()
                                for t in os.listdir(f"/proc/{parent.pid}/task")).split()
        assert len(children) == 1
        child = int(children[0])
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 60  # the query's own limit is 600 s
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child)
