"""``check_graph``: the shipped dataset passes SHACL, HermiT and the cycle check; broken facts
appended to a copy of it are reported naming node and field, in Vietnamese and English."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from rdflib import RDF, RDFS

from kg.dataset import load_into
from kg.graph import PlanGraph
from kg.log import Fact, Source, open_log
from kg.validate import (
    check_graph,
    cycle_findings,
    reasoner_findings,
    reasoner_graph,
    shacl_findings,
)

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


# --- issue 21: each misuse of a vocabulary, reintroduced, is reported -------------------------

def _misused(loaded) -> PlanGraph:
    """The shipped plan with one misuse of each kind added, each on its own node."""
    from rdflib import RDF, Literal
    from rdflib.namespace import ORG, PROV, QB

    from kg.project import entity_iri
    from ontology.namespace import ELI, KH

    plan = PlanGraph.from_log(loaded)
    g, agency = plan.graph, entity_iri("agency", "so-y-te")
    alert, lost = entity_iri("alert", "bad-org"), entity_iri("alert", "bad-concerns")
    g.add((alert, RDF.type, KH.Alert))
    g.add((alert, KH.alertKind, KH.alert_target_at_risk))
    g.add((alert, ORG.organization, agency))  # ORG's domain is org:Membership
    g.add((lost, RDF.type, KH.Alert))  # no kind, and about an id that does not exist
    g.add((lost, KH.concerns, entity_iri("target", "nothing@2024")))
    g.add((entity_iri("indicator", "cpi"), PROV.wasAttributedTo, agency))  # authorship
    law = next(iter(g.subjects(RDF.type, KH.Law)))
    g.add((law, KH.sourceDocument, entity_iri("document", "seed-002")))  # law from a report
    g.add((law, ELI.type_document, Literal("L")))  # a literal, not a concept
    change = entity_iri("status_change", "bad-status")
    g.add((change, RDF.type, KH.StatusChange))
    g.add((change, KH.status, Literal("at_risk")))  # a status hidden in a string
    obs = entity_iri("observation", "obs-001-002")
    g.add((obs, KH.sourceQuote, Literal("không có thẻ ngôn ngữ")))
    g.remove((entity_iri("observation", "obs-001-003"), QB.dataSet, None))  # IC-1
    g.add((entity_iri("verdict", "verdict-2024-I.1"), RDF.type, QB.Observation))
    g.add((entity_iri("dataset", "orphan"), RDF.type, QB.DataSet))  # IC-2: no structure
    return plan


@pytest.fixture(scope="module")
def misuse(loaded) -> dict[str, list]:
    by_node: dict[str, list] = {}
    for finding in shacl_findings(_misused(loaded)):
        by_node.setdefault(finding.node, []).append(finding)
    return by_node


def test_every_misuse_and_nothing_else_is_reported(misuse):
    assert {node for node in misuse if node} >= {
        "bad-org", "bad-concerns", "cpi", "bad-status", "obs-001-002", "obs-001-003",
        "verdict-2024-I.1", "orphan"}
    assert len([n for n in misuse if n]) == 9  # the eight above and the law


def test_org_organization_on_an_alert_is_reported(misuse):
    [finding] = [f for f in misuse["bad-org"] if f.field == "agency"]
    assert "org:Membership" in finding.en


def test_untyped_subject_and_missing_alert_kind_are_reported(misuse):
    fields = sorted(f.field for f in misuse["bad-concerns"])
    assert fields == ["kind", "rule", "subject"]


def test_an_outcome_without_its_rule_as_plan_is_reported(misuse):
    # no outcome of the misuse graph was generated by a rule run with a prov:Plan
    for node in ("bad-org", "bad-concerns", "bad-status"):
        [finding] = [f for f in misuse[node] if f.field == "rule"]
        assert "prov:hadPlan" in finding.en


def test_a_rule_run_without_a_plan_is_reported(loaded):
    # an outcome generated by a plain write (no qualified association, no rule) is reported
    from rdflib import RDF
    from rdflib.namespace import PROV

    from kg.project import entity_iri
    from ontology.namespace import KH

    plan = _plan_with(loaded, [])
    g = plan.graph
    alert, write = entity_iri("alert", "no-plan"), entity_iri("activity", "someone")
    g.add((alert, RDF.type, KH.Alert))
    g.add((alert, KH.alertKind, KH.alert_target_at_risk))
    g.add((alert, PROV.wasGeneratedBy, write))
    g.add((write, RDF.type, PROV.Activity))
    found = [f for f in shacl_findings(plan) if f.node == "no-plan"]
    assert [f.field for f in found] == ["rule"]
    g.add((write, PROV.qualifiedAssociation, entity_iri("association", "x")))
    g.add((entity_iri("association", "x"), PROV.hadPlan, entity_iri("rule", "r/v1")))
    g.add((entity_iri("rule", "r/v1"), RDF.type, PROV.Plan))  # a plan without a rule id
    assert [f.field for f in shacl_findings(plan) if f.node == "no-plan"] == ["rule"]


def test_a_rule_id_repeated_on_an_outcome_is_reported(loaded):
    # the rule id and version belong to the prov:Plan; an alert carrying them again is reported
    from rdflib import Literal

    from kg.project import entity_iri
    from ontology.namespace import KH

    plan = _plan_with(loaded, [])
    g, plan_node = plan.graph, entity_iri("rule", "pace/v1")
    alert = entity_iri("alert", "dup-rule")
    g.add((alert, KH.ruleId, Literal("pace")))
    g.add((alert, KH.ruleVersion, Literal("1")))
    g.add((plan_node, KH.ruleId, Literal("pace")))  # a plan typed kh:Rule may carry them
    g.add((plan_node, RDF.type, KH.Rule))
    assert [(f.node, f.field) for f in shacl_findings(plan)] == [("dup-rule", "rule")]


def test_an_undated_role_or_one_dated_by_another_fact_is_reported(loaded):
    # roles are dated by versions of their own fact: a role with no starting version (the
    # undated kh:Responsibility of before) and one whose end is another fact's version
    from kg.project import entity_iri, version_node
    from ontology.namespace import KH

    plan = _plan_with(loaded, [])
    g = plan.graph
    undated, moved = (entity_iri(k, i) for k, i in (("indicator", "grdp_growth"),
                                                     ("indicator", "cpi")))
    [role] = g.objects(undated, KH.qualifiedResponsibility)
    g.remove((role, KH.fromVersion, None))
    [other] = g.objects(moved, KH.qualifiedResponsibility)
    g.add((other, KH.untilVersion, version_node(undated, 1)))  # grdp_growth's, not cpi's
    found = sorted((f.kind, f.node, f.field) for f in shacl_findings(plan))
    assert found == [("indicator", "cpi", "lead_agency"),
                     ("responsibility", "indicator/grdp_growth/lead/so-ke-hoach-va-dau-tu/v1",
                      "lead_agency")]


def test_a_name_repeated_as_rdfs_label_is_reported(loaded):
    # a named fact says its name once (skos:prefLabel ⊑ rdfs:label): the rdfs:label copy the
    # graph used to carry beside it is reported
    from kg.project import entity_iri
    from ontology.namespace import SKOS

    plan = _plan_with(loaded, [])
    g, task = plan.graph, entity_iri("task", "task-001-001")
    assert g.value(task, RDFS.label) is None
    g.add((task, RDFS.label, g.value(task, SKOS.prefLabel)))
    assert [(f.node, f.field) for f in shacl_findings(plan)] == [("task-001-001", "name")]


def test_lead_agency_as_authorship_is_reported(misuse):
    [finding] = misuse["cpi"]
    assert "prov:wasAttributedTo" in finding.en and finding.field == "lead_agency"


def test_document_with_a_primary_source_and_literal_type_is_reported(misuse):
    [law] = [n for n, fs in misuse.items() if any(f.kind == "document" for f in fs)]
    assert {f.field for f in misuse[law]} == {"source.doc", "type"}
    assert any("mentioned in" in f.en for f in misuse[law])


def test_status_as_a_string_is_reported(misuse):
    found = [f for f in misuse["bad-status"] if f.field != "rule"]
    assert {f.field for f in found} == {"status"} and "skos:notation" in found[0].en


def test_untagged_quote_is_reported(misuse):
    # an untagged quote put back on a figure: both untagged and a duplicate of its selector's
    assert {f.field for f in misuse["obs-001-002"]} == {"source.quote"}
    assert any("@vi" in f.en for f in misuse["obs-001-002"])


def test_a_quote_or_line_repeated_on_a_fact_with_a_passage_is_reported(loaded):
    # the quote and line live once, on the passage's selector: the fact repeating them (the
    # duplicate kh:sourceQuote / kh:sourceLine the graph used to carry) is reported
    from rdflib import Literal

    from kg.project import entity_iri
    from ontology.namespace import KH, OA

    plan = _plan_with(loaded, [])
    g = plan.graph
    obs = entity_iri("observation", "obs-002-018")
    selector = g.value(g.value(obs, KH.sourcePassage), OA.hasSelector)
    assert g.value(obs, KH.sourceQuote) is None and g.value(obs, KH.sourceLine) is None
    g.add((obs, KH.sourceQuote, g.value(selector, OA.exact)))
    g.add((obs, KH.sourceLine, Literal(int(g.value(selector, KH.sourceLine)))))
    found = [(f.node, f.field) for f in shacl_findings(plan)]
    assert sorted(found) == [("obs-002-018", "source.line"), ("obs-002-018", "source.quote")]


def test_a_quote_without_its_selector_or_on_another_document_is_reported(loaded):
    # a quoted figure whose passage is gone, one whose passage is on another report, and one
    # whose selector's quote is untagged: each reported on its own node and field
    from rdflib import Literal, Namespace

    from kg.project import entity_iri
    from ontology.namespace import KH

    oa = Namespace("http://www.w3.org/ns/oa#")
    plan = _plan_with(loaded, [])
    g = plan.graph
    lost, moved, untagged = (entity_iri("observation", k) for k in (
        "obs-001-002", "obs-001-003", "obs-002-018"))
    g.remove((lost, KH.sourcePassage, None))
    passage = g.value(moved, KH.sourcePassage)
    g.set((passage, oa.hasSource, entity_iri("document", "seed-004")))
    selector = g.value(g.value(untagged, KH.sourcePassage), oa.hasSelector)
    g.set((selector, oa.exact, Literal(str(g.value(selector, oa.exact)))))
    found: dict[str, set] = {}
    for finding in shacl_findings(plan):
        found.setdefault(finding.node, set()).add(finding.field)
    assert found == {"obs-001-002": {"source.quote"}, "obs-001-003": {"source.doc"},
                     "obs-002-018": {"source.quote"}}


def test_a_unit_that_is_not_a_unit_concept_is_reported(loaded):
    # a figure whose unit concept is a period, and a unit concept outside the unit code list
    from rdflib import RDF, Literal
    from rdflib.namespace import SKOS

    from kg.project import entity_iri
    from ontology.namespace import KH

    plan = _plan_with(loaded, [])
    g = plan.graph
    wrong, outside = (entity_iri("observation", k) for k in ("obs-001-002", "obs-002-018"))
    g.set((wrong, KH.unitOfMeasure, entity_iri("period", "2024")))
    stray = entity_iri("unit", "stray")
    g.add((stray, RDF.type, SKOS.Concept))
    g.add((stray, SKOS.notation, Literal("stray")))
    g.set((outside, KH.unitOfMeasure, stray))
    found = {(f.node, f.field) for f in shacl_findings(plan)}
    assert found == {("obs-001-002", "unit"), ("obs-002-018", "unit")}


def test_data_cube_integrity_constraints_are_reported(misuse):
    assert ["QB IC-1" in f.en for f in misuse["obs-001-003"]] == [True]
    assert {f.en[:7] for f in misuse["verdict-2024-I.1"]} == {"QB IC-1", "An offi"}
    assert ["QB IC-2" in f.en for f in misuse["orphan"]] == [True]


def test_reasoner_sees_the_vocabularies_axioms():
    """org:organization has domain org:Membership (ontology/vocabularies.ttl), disjoint with
    kh:Alert: HermiT finds the misuse inconsistent, and the same graph without it is not."""
    from rdflib import RDF
    from rdflib.namespace import ORG

    from kg.project import entity_iri
    from ontology.namespace import KH

    plan = PlanGraph()
    alert = entity_iri("alert", "a1")
    plan.graph.add((alert, RDF.type, KH.Alert))
    assert reasoner_findings(plan, budget_s=300) == []
    plan.graph.add((alert, ORG.organization, entity_iri("agency", "so-y-te")))
    assert [f.code for f in reasoner_findings(plan, budget_s=300)] == ["inconsistent"]


def test_reasoner_refuses_a_document_as_a_primary_source_subject():
    """kh:sourceDocument's domain is the facts read from a sentence (figures, targets, tasks,
    indicators, verdict rows), all disjoint with kh:LegalDocument: a law with a primary source
    is inconsistent."""
    from rdflib import RDF

    from kg.project import entity_iri
    from ontology.namespace import KH

    plan = PlanGraph()
    law, report = entity_iri("document", "l-1"), entity_iri("document", "seed-002")
    plan.graph.add((law, RDF.type, KH.Law))
    plan.graph.add((report, RDF.type, KH.Report))
    assert reasoner_findings(plan, budget_s=300) == []
    plan.graph.add((law, KH.sourceDocument, report))
    assert [f.code for f in reasoner_findings(plan, budget_s=300)] == ["inconsistent"]
