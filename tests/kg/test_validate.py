"""``check_graph``: the shipped dataset passes SHACL, HermiT and the cycle check; broken facts
appended to a copy of it are reported naming node and field, in Vietnamese and English."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from kg.dataset import load_into
from kg.graph import PlanGraph
from kg.log import Fact, Source, open_log
from kg.validate import check_graph, cycle_findings, reasoner_graph, shacl_findings

DATA = Path(__file__).resolve().parents[2] / "data" / "langson"
SRC = Source("004", 1, "test")


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    log = open_log(tmp_path_factory.mktemp("validate") / "kh.db")
    load_into(log, DATA)
    return log


def _plan_with(loaded, facts: list[Fact]) -> PlanGraph:
    plan = PlanGraph.from_log(loaded)
    plan.apply([o.fact for o in _scratch().append(facts)])
    return plan


def _scratch():
    """A throwaway log: the facts it stores are applied on top of the shipped plan."""
    return open_log(Path(tempfile.mkdtemp()) / "scratch.db")


@pytest.mark.slow
def test_shipped_dataset_passes_every_check(loaded):
    report = check_graph(PlanGraph.from_log(loaded), budget_s=300)
    assert report.ok, [f.message for f in report.findings]
    assert set(report.checks) == {"shacl", "cycles", "reasoner"}


BROKEN = [
    Fact("task", "task-bad-001", {"id": "task-bad-001", "summary": "Nhiệm vụ thiếu chủ trì",
                                  "deadline": "2024-12-31", "deadline_text": "hết năm 2024",
                                  "assigned_by": "seed-004"}, SRC),
    Fact("task", "task-bad-002", {"id": "task-bad-002", "summary": "Không có hạn",
                                  "lead_agency": "so-y-te"}, SRC),
    Fact("task", "task-bad-003", {"id": "task-bad-003", "summary": "Hạn trước ngày giao",
                                  "lead_agency": "so-y-te", "deadline": "2022-01-31",
                                  "assigned_by": "qd-1966-ubnd-2022"}, SRC),
    Fact("document", "nq-bad-2022", {"id": "nq-bad-2022", "number": "29 NQ-HĐND",
                                     "class": "Resolution", "title": "sai số",
                                     "issuer": "hdnd-tinh", "date": "2022-12-10"}, SRC),
    Fact("target", "grdp_growth@x", {"id": "grdp_growth@x", "indicator": "grdp_growth",
                                     "expression": "7"}, SRC),
]


@pytest.fixture(scope="module")
def broken(loaded) -> dict[str, list]:
    """SHACL findings of the shipped graph plus the broken facts, by node (one SHACL run)."""
    by_node: dict[str, list] = {}
    for finding in shacl_findings(_plan_with(loaded, BROKEN)):
        by_node.setdefault(finding.node, []).append(finding)
    return by_node


def test_only_the_broken_nodes_are_reported(broken):
    assert set(broken) == {f.key for f in BROKEN}


def test_task_without_lead_agency_is_reported(broken):
    [finding] = broken["task-bad-001"]
    assert (finding.kind, finding.field) == ("task", "lead_agency")
    assert "chủ trì" in finding.vi and "lead agency" in finding.en
    assert "task-bad-001" in finding.message and "lead_agency" in finding.message


def test_task_without_deadline_or_condition_is_reported(broken):
    [finding] = broken["task-bad-002"]
    assert finding.field == "deadline" and "thời hạn" in finding.vi


def test_deadline_before_assignment_is_reported(broken):
    [finding] = broken["task-bad-003"]
    assert finding.field == "deadline"
    assert "2022-01-31" in finding.vi and "2022-12-12" in finding.en


def test_malformed_document_number_is_reported(broken):
    [finding] = broken["nq-bad-2022"]
    assert (finding.kind, finding.field) == ("document", "number")
    assert "29/NQ-HĐND" in finding.vi


def test_target_without_period_is_reported(broken):
    assert [f.field for f in broken["grdp_growth@x"]] == ["period"]


def test_based_on_cycle_is_reported(loaded):
    doc = loaded.get("document", "ke-hoach-5-nam-2021-2025")
    looped = {**doc.payload, "based_on": ["nq-29-hdnd-2022"]}
    plan = PlanGraph.from_log(loaded)
    scratch = _scratch()
    scratch.append([Fact("document", doc.key, doc.payload, doc.source)])
    [update] = scratch.append([Fact("document", doc.key, looped, doc.source)])
    assert update.fact.version == 2
    plan.apply([update.fact])
    findings = cycle_findings(plan)
    assert findings and findings[0].field == "basedOn/implements"
    assert "nq-29-hdnd-2022" in findings[0].vi and "ke-hoach-5-nam-2021-2025" in findings[0].en


def test_reasoner_graph_leaves_out_dates(loaded):
    plan = PlanGraph.from_log(loaded)
    kept = reasoner_graph(plan)
    assert 0 < len(kept) < len(plan)
    assert not any(getattr(o, "datatype", None) and str(o.datatype).endswith("#date")
                   for o in kept.objects())


@pytest.mark.slow
def test_reasoner_reports_inconsistency(loaded):
    # a "document" typed as a Task that sets a target: Task and LegalDocument are disjoint
    plan = _plan_with(loaded, [Fact("document", "nq-bad-2023", {
        "id": "nq-bad-2023", "class": "Task", "title": "x"}, SRC), Fact("target", "cpi@2023", {
            "id": "cpi@2023", "indicator": "cpi", "period": "2023", "expression": "<4",
            "set_by": "nq-bad-2023"}, SRC)])
    report = check_graph(plan, budget_s=300)
    assert [f.code for f in report.findings if f.check == "reasoner"] == ["inconsistent"]
