"""A compact in-memory rdflib store for the plan graph (kho bộ ba gọn trong bộ nhớ).

rdflib's ``Memory`` store keeps every triple in five structures (``spo``, ``pos``, ``osp`` nested
dicts, plus two context maps), a fresh small dict per (subject, predicate), (predicate, object)
and (object, subject) pair: ≈ 1.1 KB and ≈ 20 µs per triple added. The plan graph has one
context and a few dozen predicates, so two indexes are enough:

- ``spo[s]`` → ``[shape, o₀, o₁, ...]``: ``shape`` is the tuple of the subject's predicates,
  interned (the thousands of observations share a handful of shapes), ``oᵢ`` the object of
  ``shape[i]`` or a ``set`` of objects when there are several — a list instead of a dict per
  subject (≈ 0.18 KB instead of ≈ 0.5 KB for an observation's eleven predicates);
- ``pos[p][o]`` → the subject, or a ``set`` of subjects.

A pattern with only the object bound walks the predicates (``pos[p].get(o)`` for each), which
is a few dozen dict look-ups. A single value is stored bare (not in a one-element container):
most (subject, predicate) pairs have one object and most literal objects one subject.

``CompactStore`` holds one graph: ``Graph(store=CompactStore())`` supports everything the plan
graph uses (pattern matching, SPARQL, pySHACL, serialisation); every context is that graph and
named graphs are not kept apart (it says it is context- and graph-aware only because pySHACL
wraps a data graph's store in a ``Dataset`` before copying its triples out).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from rdflib.plugins.stores.memory import SimpleMemory
from rdflib.term import Node

Triple = tuple[Node, Node, Node]


def _same(a: Node, b: Node) -> bool:
    """``a == b``, without rdflib's Python-level ``__eq__`` when they differ by hash (equal
    terms have equal hashes; an IRI's hash is its cached string hash) or are one object."""
    return a is b or (hash(a) == hash(b) and a == b)


class _Shape(tuple):
    """A subject's predicates in slot order, with ``slots``: predicate → list position."""

    slots: dict[Node, int]


def _put(index: dict, key: Node, value: Node) -> bool:
    """Add ``value`` under ``key``; False when it was there already."""
    current = index.get(key)
    if current is None:
        index[key] = value
        return True
    if type(current) is set:
        if value in current:
            return False
        current.add(value)
        return True
    if current is value or (hash(current) == hash(value) and current == value):
        return False
    index[key] = {current, value}
    return True


def _drop(index: dict, key: Node, value: Node) -> bool:
    """Remove ``value`` from ``key``; False when it was not there."""
    current = index.get(key)
    if current is None:
        return False
    if type(current) is set:
        if value not in current:
            return False
        current.discard(value)
        if len(current) == 1:
            index[key] = next(iter(current))
        return True
    if current != value:
        return False
    del index[key]
    return True


def _values(index: dict, key: Node) -> tuple:
    current = index.get(key)
    if current is None:
        return ()
    return tuple(current) if type(current) is set else (current,)


class CompactStore(SimpleMemory):
    """Two-index triple store (namespace bindings inherited from ``SimpleMemory``)."""

    # One context. pySHACL wraps a data graph's store in a ``Dataset`` (which asserts both
    # flags) before copying the triples out, so the store says yes and treats every context
    # as the one graph.
    context_aware = True
    graph_aware = True
    formula_aware = False

    def __init__(self, configuration: str | None = None, identifier: Any = None) -> None:
        super().__init__(configuration, identifier)
        self._spo: dict[Node, list] = {}
        self._pos: dict[Node, dict[Node, Any]] = {}
        self._shapes: dict[tuple, tuple] = {}
        self._size = 0

    def _shape(self, predicates: tuple) -> _Shape:
        shape = self._shapes.get(predicates)
        if shape is None:
            shape = self._shapes[predicates] = _Shape(predicates)
            shape.slots = {p: i for i, p in enumerate(predicates, 1)}
        return shape

    # --- writing ---------------------------------------------------------------------------
    def add(self, triple: Triple, context: Any = None, quoted: bool = False) -> None:
        self.add_triple(triple)

    def add_triple(self, triple: Triple) -> bool:
        """Add one triple (no term checks); True when it was new."""
        s, p, o = triple
        entry = self._spo.get(s)
        if entry is None:
            self._spo[s] = [self._shape((p,)), o]
        else:
            shape = entry[0]
            i = shape.slots.get(p)
            if i is not None:
                current = entry[i]
                if type(current) is set:
                    if o in current:
                        return False
                    current.add(o)
                elif _same(current, o):
                    return False
                else:
                    entry[i] = {current, o}
            else:
                entry[0] = self._shape((*shape, p))
                entry.append(o)
        os_ = self._pos.get(p)
        if os_ is None:
            os_ = self._pos[p] = {}
        _put(os_, o, s)
        self._size += 1
        return True

    def add_subject(self, s: Node, triples: Iterable[Triple]) -> None:
        """Add triples all about ``s`` at once: one exact-size entry when ``s`` is new."""
        if s in self._spo:
            for triple in triples:
                self.add_triple(triple)
            return
        slots: dict[Node, int] = {}
        objects: list = []
        pos = self._pos
        for _s, p, o in triples:
            i = slots.get(p)
            if i is None:
                slots[p] = len(objects)
                objects.append(o)
            elif type(objects[i]) is set:
                if o in objects[i]:
                    continue
                objects[i].add(o)
            elif _same(objects[i], o):
                continue
            else:
                objects[i] = {objects[i], o}
            os_ = pos.get(p)
            if os_ is None:
                os_ = pos[p] = {}
            # ``_put`` inlined (a million calls a province): ``s`` is new to the store, so
            # it is not among (p, o)'s subjects yet
            held = os_.get(o)
            if held is None:
                os_[o] = s
            elif type(held) is set:
                held.add(s)
            else:
                os_[o] = {held, s}
            self._size += 1
        if objects:
            self._spo[s] = [self._shape(tuple(slots)), *objects]

    def addN(self, quads: Iterable[tuple[Node, Node, Node, Any]]) -> None:  # noqa: N802
        for s, p, o, _c in quads:
            self.add_triple((s, p, o))

    def remove_triple(self, triple: Triple) -> bool:
        """Remove one fully bound triple; True when it was there."""
        s, p, o = triple
        entry = self._spo.get(s)
        i = None if entry is None else entry[0].slots.get(p)
        if i is None:
            return False
        shape = entry[0]
        current = entry[i]
        if type(current) is set:
            if o not in current:
                return False
            current.discard(o)
            if len(current) == 1:
                entry[i] = next(iter(current))
        elif current == o:
            del entry[i]
            if len(entry) == 1:
                del self._spo[s]
            else:
                entry[0] = self._shape(shape[:i - 1] + shape[i:])
        else:
            return False
        os_ = self._pos[p]
        _drop(os_, o, s)
        if not os_:
            del self._pos[p]
        self._size -= 1
        return True

    def remove(self, triple_pattern: Any, context: Any = None) -> None:
        for triple, _contexts in list(self.triples(triple_pattern)):
            self.remove_triple(triple)

    # --- reading ---------------------------------------------------------------------------
    def has(self, triple: Triple) -> bool:
        return triple[2] in self._objects(triple[0], triple[1])

    def _objects(self, s: Node, p: Node) -> tuple:
        entry = self._spo.get(s)
        i = None if entry is None else entry[0].slots.get(p)
        if i is None:
            return ()
        current = entry[i]
        return tuple(current) if type(current) is set else (current,)

    def pairs(self, s: Node) -> Iterator[tuple[Node, Node]]:
        """(predicate, object) pairs of a subject."""
        entry = self._spo.get(s)
        if entry is None:
            return
        for p, current in list(zip(entry[0], entry[1:], strict=True)):
            for o in (tuple(current) if type(current) is set else (current,)):
                yield p, o

    def triples(self, triple_pattern: Any, context: Any = None) -> Iterator[Any]:
        for triple in self._match(*triple_pattern):
            yield triple, iter(())

    def _match(self, s: Any, p: Any, o: Any) -> Iterator[Triple]:
        if s is not None:
            if p is not None:
                found = self._objects(s, p)
                yield from ((s, p, obj) for obj in found if o is None or obj == o)
            else:
                yield from ((s, pred, obj) for pred, obj in self.pairs(s)
                            if o is None or obj == o)
        elif p is not None:
            os_ = self._pos.get(p)
            if os_ is None:
                return
            if o is not None:
                for subj in _values(os_, o):
                    yield subj, p, o
            else:
                for obj, subjects in list(os_.items()):
                    for subj in (tuple(subjects) if type(subjects) is set else (subjects,)):
                        yield subj, p, obj
        elif o is not None:
            for pred, os_ in list(self._pos.items()):
                for subj in _values(os_, o):
                    yield subj, pred, o
        else:
            for subj in list(self._spo):
                for pred, obj in self.pairs(subj):
                    yield subj, pred, obj

    def __len__(self, context: Any = None) -> int:
        return self._size

    def contexts(self, triple: Any = None) -> Iterator[Any]:
        return iter(())

    def add_graph(self, graph: Any) -> None:
        """Named graphs are not kept apart: every context is the one graph."""

    def remove_graph(self, graph: Any) -> None:
        """Never drops the one graph (a wrapper's cleanup must not empty the plan)."""
