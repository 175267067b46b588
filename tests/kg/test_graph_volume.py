"""The plan graph at volume: observations and rule outcomes carry no label that repeats their id,
outcomes keep what trace/impact/SPARQL use, and replacing any fact version incrementally gives
the same graph as a rebuild (owned triples replaced, shared period triples counted)."""

from __future__ import annotations

from rdflib import RDFS

from kg.graph import PlanGraph
from kg.log import Fact, Source, open_log
from kg.outcome_graph import outcome_node, outcome_triples
from kg.project import entity_iri
from ontology.namespace import DCTERMS, KH, PROV, SKOS


def _base() -> list[Fact]:
    src = Source("004", 3, "Nghị quyết ...")
    return [
        Fact("agency", "so-a", {"id": "so-a", "name": "Sở A", "kind": "department"}),
        Fact("document", "nq-1", {"id": "nq-1", "number": "1/NQ-HĐND", "title": "Kế hoạch",
                                  "class": "Resolution", "date": "2024-12-10"}, src),
        Fact("document", "seed-bc", {"id": "seed-bc", "title": "Báo cáo",
                                     "class": "Report"}),
        Fact("indicator", "ind", {"id": "ind", "name": "Thu ngân sách", "unit": "tỷ đồng",
                                  "direction": "increase", "lead_agency": "so-a"}),
        Fact("target", "ind@2025", {"id": "ind@2025", "indicator": "ind", "period": "2025",
                                    "expression": "4.060", "set_by": "nq-1"}, src),
    ]


def _observation(key: str, period: str, value: str) -> Fact:
    return Fact("observation", key, {"id": key, "indicator": "ind", "period": period,
                                     "value": value, "pct_of_plan": "55,2",
                                     "plan_basis": "ke_hoach"},
                Source("bc", 7, f"lũy kế đạt {value}"))


def _alert(key: str, obs: str) -> dict:
    """A rule outcome as the outcome store hands it to the graph (``kg.outcome_graph``)."""
    return {"id": key, "kind": "alert", "as_of": "2025-06-30", "payload": {
        "id": key, "kind": "at_risk", "as_of": "2025-06-30",
        "subject": {"id": "ind@2025", "kind": "target"}, "rule": {"id": "pace", "version": "1"},
        "agency": "so-a", "explanation_vi": "Tiến độ chậm", "facts": [f"observation:{obs}"]}}


def _log(tmp_path, facts):
    log = open_log(tmp_path / "kh.db")
    log.append(facts)
    return log


def _plan(log, *outcomes: dict) -> PlanGraph:
    """The plan graph of ``log`` with the rule outcomes put on it."""
    plan = PlanGraph.from_log(log)
    for item in outcomes:
        plan.put_node(outcome_node(item), outcome_triples(item))
    return plan


def test_bulk_kinds_have_no_label_repeating_their_id_but_are_named_by_it(tmp_path):
    log = _log(tmp_path, [*_base(), _observation("o1", "6T/2025", "2.100")])
    plan = _plan(log, _alert("a1", "o1"))
    g = plan.graph
    for node in (entity_iri("observation", "o1"), entity_iri("alert", "a1"),
                 entity_iri("target", "ind@2025")):
        assert not list(g.objects(node, RDFS.label)) and not list(g.objects(node, SKOS.prefLabel))
        assert plan.info(node)["name"] == plan.info(node)["id"]
        assert g.value(node, DCTERMS.identifier) is not None
    assert plan.label(entity_iri("indicator", "ind")) == "Thu ngân sách"  # named kinds keep it
    # ... once, as skos:prefLabel (a sub-property of rdfs:label)
    assert g.value(entity_iri("indicator", "ind"), RDFS.label) is None
    assert plan.target_name(entity_iri("target", "ind@2025")) == "Thu ngân sách (2025)"


def test_outcomes_keep_links_and_drop_the_explanation_text(tmp_path):
    log = _log(tmp_path, [*_base(), _observation("o1", "6T/2025", "2.100")])
    plan = _plan(log, _alert("a1", "o1"))
    alert, g = entity_iri("alert", "a1"), plan.graph
    assert g.value(alert, KH.concerns) == entity_iri("target", "ind@2025")
    assert g.value(alert, PROV.wasDerivedFrom) == entity_iri("observation", "o1")
    # the rule is the plan of the run that generated the alert (not repeated on the alert)
    run = g.value(alert, PROV.wasGeneratedBy)
    rule = g.value(g.value(run, PROV.qualifiedAssociation), PROV.hadPlan)
    assert str(g.value(rule, KH.ruleId)) == "pace" and str(g.value(alert, KH.asOf)) == \
        "2025-06-30"
    assert g.value(alert, KH.ruleId) is None and g.value(alert, KH.ruleVersion) is None
    assert g.value(alert, RDFS.comment) is None
    assert "nq-1" in [step["id"] for step in plan.trace("a1")["chain"]]
    assert plan.impact("nq-1")["alerts"] == [{"id": "a1", "name": "a1", "kind": "alert"}]


def test_replacing_versions_incrementally_equals_a_rebuild(tmp_path):
    log = _log(tmp_path, [*_base(), _observation("o1", "6T/2025", "2.100"),
                          _observation("o2", "6T/2025", "300")])
    plan = _plan(log, _alert("a1", "o1"))
    period = entity_iri("period", "6T/2025")
    log.append([_observation("o1", "9T/2025", "3.000")])  # o2 still uses 6T/2025
    plan.refresh(log)
    assert (period, None, None) in plan.graph
    log.append([_observation("o2", "9T/2025", "450"),
                Fact("indicator", "ind", {"id": "ind", "name": "Thu ngân sách nhà nước",
                                          "direction": "increase"}),
                Fact("target", "ind@2025", {"id": "ind@2025", "indicator": "ind",
                                            "period": "2025", "expression": "4.100"})])
    assert plan.refresh(log) == 3
    rebuilt = _plan(log, _alert("a1", "o1"))
    assert set(plan.graph) == set(rebuilt.graph) and len(plan) == len(rebuilt)
    assert (period, None, None) not in plan.graph  # no fact uses 6T/2025 any more
    ind = entity_iri("indicator", "ind")
    assert plan.graph.value(ind, KH.hasTarget) == entity_iri("target", "ind@2025")  # shared
    assert plan.graph.value(ind, KH.leadAgency) is None  # the old owner went away
    # ... but its role stays in the graph, dated: held from version 1 until version 2
    [role] = list(plan.graph.objects(ind, KH.qualifiedResponsibility))
    assert [int(plan.graph.value(plan.graph.value(role, p), KH.version))
            for p in (KH.fromVersion, KH.untilVersion)] == [1, 2]
    assert [h["version"] for h in plan.who("ind")[0]["history"]] == [1, 2]
    # figures keep no version nodes of their own (only roles and outcomes date versions)
    assert not list(plan.graph.subjects(PROV.specializationOf, entity_iri("observation", "o1")))
    assert plan.apply(log.read()) == 0
