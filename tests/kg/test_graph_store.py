"""The compact store answers every triple pattern exactly as rdflib's Memory store does, through
adds and removes, and a graph on it runs SPARQL the same way."""

from __future__ import annotations

import itertools
import random

from rdflib import Graph, Literal, Namespace, URIRef

from kg.store import CompactStore

EX = Namespace("https://example.org/")
SUBJECTS = [EX[f"s{i}"] for i in range(6)]
PREDICATES = [EX[f"p{i}"] for i in range(4)]
OBJECTS = [*SUBJECTS[:3], Literal("a"), Literal("a", lang="vi"), Literal(1), Literal("1")]


def _pair() -> tuple[Graph, Graph]:
    return Graph(store=CompactStore()), Graph()


def _same(compact: Graph, memory: Graph) -> None:
    assert len(compact) == len(memory)
    assert set(compact) == set(memory)
    terms = [None]
    for pattern in itertools.product(terms + SUBJECTS, terms + PREDICATES, terms + OBJECTS):
        assert sorted(compact.triples(pattern)) == sorted(memory.triples(pattern)), pattern


def test_random_adds_and_removes_match_the_memory_store():
    rng = random.Random(3)
    compact, memory = _pair()
    for step in range(600):
        triple = (rng.choice(SUBJECTS), rng.choice(PREDICATES), rng.choice(OBJECTS))
        if rng.random() < 0.35:
            compact.remove(triple)
            memory.remove(triple)
        else:
            compact.add(triple)
            memory.add(triple)
        if step % 100 == 99:
            _same(compact, memory)
    for pattern in ((SUBJECTS[0], None, None), (None, PREDICATES[1], None),
                    (None, None, OBJECTS[3])):
        compact.remove(pattern)
        memory.remove(pattern)
    _same(compact, memory)


def test_add_reports_new_triples_and_values_stay_distinct():
    store = CompactStore()
    triple = (EX.s, EX.p, Literal("1"))
    assert store.add_triple(triple) is True
    assert store.add_triple(triple) is False
    assert store.add_triple((EX.s, EX.p, Literal(1))) is True  # "1" and 1 are two terms
    assert len(store) == 2 and store.has((EX.s, EX.p, Literal(1)))
    assert store.remove_triple(triple) is True and store.remove_triple(triple) is False
    assert [o for _p, o in store.pairs(EX.s)] == [Literal(1)]


def test_sparql_and_serialisation_over_the_compact_store():
    compact, memory = _pair()
    for graph in (compact, memory):
        graph.add((EX.a, EX.next, EX.b))
        graph.add((EX.b, EX.next, EX.c))
        graph.add((EX.c, EX.name, Literal("Lạng Sơn", lang="vi")))
    query = ("SELECT ?x ?n WHERE { ?x <https://example.org/next>+ ?y . "
             "?y <https://example.org/name> ?n } ORDER BY ?x")
    assert list(compact.query(query)) == list(memory.query(query))
    assert [r[0] for r in compact.query(query)] == [EX.a, EX.b]
    assert set(Graph().parse(data=compact.serialize(format="nt"), format="nt")) == set(memory)
    assert isinstance(next(iter(compact.subjects(EX.next, EX.b))), URIRef)


def test_add_subject_matches_adding_one_by_one():
    rng = random.Random(5)
    compact, memory = _pair()
    for subject in SUBJECTS:
        batch = [(subject, rng.choice(PREDICATES), rng.choice(OBJECTS)) for _ in range(9)]
        compact.store.add_subject(subject, batch[:6])
        compact.store.add_subject(subject, batch[6:])  # known subject: added one by one
        for triple in batch:
            memory.add(triple)
    _same(compact, memory)
