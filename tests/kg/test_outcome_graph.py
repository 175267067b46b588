"""Rule outcomes in the plan graph from plain dicts (kg.outcome_graph): what the outcome store
gives is projected onto the graph's own nodes; a withdrawn outcome leaves no triple behind (the
graph equals one built without it), a revised one replaces its triples, and the nodes pass the
graph's SHACL shapes. The outcomes are a replay's, computed at test time."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rdflib import RDF

from kg.dataset import load_into
from kg.graph import PlanGraph
from kg.log import open_log
from kg.outcome_graph import OutcomeProjection, outcome_node
from kg.validate import check_graph
from ontology.namespace import KH
from rules.replay import replay
from rules.store import outcome_item

MINI = Path(__file__).parents[1] / "service" / "data" / "mini"


def _graph_and_items(tmp_path: Path) -> tuple[PlanGraph, list[dict], str]:
    with open_log(tmp_path / "kehoach.db") as log:
        if not log.counts():
            load_into(log, MINI)
        items = [outcome_item(o) for o in replay(log, date(2024, 12, 31), persist=False).outcomes]
        return PlanGraph.from_log(log), items, log.jurisdiction


def _triples(plan: PlanGraph) -> set:
    return set(plan.graph)


def test_outcomes_become_nodes_and_a_withdrawn_one_leaves_nothing(tmp_path: Path) -> None:
    plan, items, code = _graph_and_items(tmp_path)
    alerts = [i for i in items if i["kind"] == "alert"]
    assert alerts and len(alerts) < len(items)
    projection = OutcomeProjection(code)
    assert projection.sync(plan, items) == len(items)
    typed = {s for s in plan.graph.subjects(RDF.type, KH.Alert)}
    assert typed == {outcome_node(i) for i in alerts}
    assert check_graph(plan, reasoner=False).ok

    gone, kept = alerts[0], [i for i in items if i is not alerts[0]]
    assert projection.sync(plan, kept) == 1
    assert (outcome_node(gone), None, None) not in plan.graph
    fresh, _, _ = _graph_and_items(tmp_path)  # the same facts, a graph never given it
    OutcomeProjection(code).sync(fresh, kept)
    assert _triples(plan) == _triples(fresh)  # nothing of the withdrawn alert is left
    assert projection.sync(plan, kept) == 0  # the same set again changes nothing


def test_a_revised_outcome_replaces_its_triples(tmp_path: Path) -> None:
    plan, items, code = _graph_and_items(tmp_path)
    projection = OutcomeProjection(code)
    projection.sync(plan, items)
    alert = next(i for i in items if i["kind"] == "alert")
    revised = {**alert, "payload": {**alert["payload"], "agency": "ubnd-tinh"}}
    assert projection.update(plan, [revised], []) == 1
    node = outcome_node(alert)
    agencies = {str(o) for o in plan.graph.objects(node, KH.responsibleAgency)}
    assert len(agencies) == 1 and agencies.pop().endswith("/ubnd-tinh")
    assert projection.update(plan, [], [alert]) == 1
    assert (node, None, None) not in plan.graph
