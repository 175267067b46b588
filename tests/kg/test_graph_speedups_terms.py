"""What the plan graph's speed-ups (issue 18) must not change: a namespace term built once is
still the ontology's term and a closed namespace still refuses a wrong name; equal terms that are
not one object are still one triple in the compact store; an outcome put again with the triples
it holds (only its wording changed) leaves the graph as it is and still releases what it shares
when it is withdrawn later — the graph then equals one that never held it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

import kg.project as project
from kg.dataset import load_into
from kg.graph import PlanGraph
from kg.log import open_log
from kg.outcome_graph import OutcomeProjection, outcome_node
from kg.store import CompactStore
from ontology import namespace
from rules.replay import replay
from rules.store import outcome_item

MINI = Path(__file__).parents[1] / "service" / "data" / "mini"


def test_a_term_is_built_once_and_is_the_ontology_term() -> None:
    assert project.KH.Alert is project.KH.Alert
    assert project.KH.Alert == namespace.KH.Alert
    assert project.RDF.type == URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    assert str(project.KH) == namespace.KH_IRI
    with pytest.raises(AttributeError):
        project.KH.Targt  # noqa: B018 — a closed namespace refuses a name it lacks


def test_equal_terms_that_are_not_one_object_are_one_triple() -> None:
    store = CompactStore()
    s, p = URIRef("https://kehoach.dev/id/task/t1"), URIRef("https://kehoach.dev/p")
    o1, o2 = URIRef("https://kehoach.dev/id/agency/a"), URIRef("https://kehoach.dev/id/agency/a")
    assert o1 == o2 and o1 is not o2
    store.add_subject(s, [(s, p, o1), (s, p, o2)])
    assert len(store) == 1
    other = URIRef("https://kehoach.dev/id/task/t2")
    assert store.add_triple((other, p, o2))
    assert not store.add_triple((URIRef(str(other)), p, URIRef(str(o1))))
    graph = Graph(store=store)
    assert set(graph.subjects(p, o1)) == {s, other}
    assert len(graph) == 2


def _graph_and_items(tmp_path: Path) -> tuple[PlanGraph, list[dict], str]:
    with open_log(tmp_path / "kehoach.db") as log:
        if not log.counts():
            load_into(log, MINI)
        items = [outcome_item(o) for o in replay(log, date(2024, 12, 31), persist=False).outcomes]
        return PlanGraph.from_log(log), items, log.jurisdiction


def test_an_outcome_put_again_unchanged_keeps_the_graph_and_releases_later(
        tmp_path: Path) -> None:
    plan, items, code = _graph_and_items(tmp_path)
    projection = OutcomeProjection(code)
    projection.sync(plan, items)
    before = set(plan.graph)
    alerts = [i for i in items if i["kind"] == "alert"]
    reworded = [{**a, "payload": {**a["payload"], "note": "wording only"}} for a in alerts]
    assert projection.update(plan, reworded, []) == len(alerts)  # new fingerprints
    assert set(plan.graph) == before  # the same triples: nothing removed, nothing added

    gone = alerts[:2]
    assert projection.update(plan, [], gone) == 2
    for alert in gone:
        assert (outcome_node(alert), None, None) not in plan.graph
    fresh, _, _ = _graph_and_items(tmp_path)  # the same facts, never given those alerts
    OutcomeProjection(code).sync(fresh, [i for i in items if i not in gone])
    assert set(plan.graph) == set(fresh.graph)  # their shared triples released as before
