"""The durable_rules engine, isolated (bộ máy luật).

Rule files are compiled to ONE JSON ruleset for our own ``durable.engine.Host`` subclass —
never ``durable.lang``, which is process-global. A rule is an ``all`` of named facts: the fact
it is about (named by its kind), the facts it joins (``join:``, with references between them,
e.g. ``{"$neq": {"status": {"status_set": "status"}}}``), the consecutive facts of a sequence
(``sequence:``, each ``rank`` one more than the one before: ``{"$add": {"$l": {"p0": "rank"},
"$r": 1}}``), the facts that must be absent (``absent:``, durable's ``<name>$not``) and the clock
when the rule has effective dates. Rule actions are the registered functions of
``rules.actions``; durable only tells which rules fire on which facts.

Each judgement of a unit (đơn vị: a target, a task …) asserts the unit's facts — the clock, the
statuses it holds, its history of reporting periods, its measures — into the unit's state, takes
the firings and retracts the facts again: the state is the unit's for that judgement, and the
session's copy of the unit (which it checkpoints and restores for backdated facts) stays the one
source of truth. States are never deleted: durable 2.0.28 aborts the process (free(): invalid
pointer / segmentation fault) when deleting a state in which some fact matched no rule, and
keeps at most a few thousand states per ruleset, so the engine judges in one reused ``sid``
(one writer at a time, behind a lock).

A Host starts two endless daemon timers and never frees its C rulesets: ``ENGINES`` builds one
engine per rules version, once, and reuses it.
"""

from __future__ import annotations

import itertools
import operator
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from durable.engine import Host, MessageNotHandledException, MessageObservedException

from rules.errors import EngineError
from rules.loader import DEFINITIONS_DIR, Condition, Rule, RuleBook, load_rules
from rules.vocabulary import OPERATORS

Bound = tuple[tuple[str, int], ...]
"""A firing's facts: (name in the rule, index in the judged list)."""


@dataclass(frozen=True)
class Firing:
    """One rule fired on a unit's facts: the rule and its facts by name (``measure`` is the
    fact the rule is about)."""

    rule: Rule
    facts: dict[str, dict[str, Any]]
    index: int = 0

    @property
    def measure(self) -> dict[str, Any]:
        return self.facts[self.rule.fact]


def rule_key(rule: Rule) -> str:
    return f"{rule.id.replace('.', '__')}__v{rule.version}"


def _value(cond: Condition) -> Any:
    """A condition's right side: a constant, or a reference to a named fact's field."""
    if cond.ref is not None:
        return {cond.ref[0]: cond.ref[1]}
    return cond.value


def _condition(cond: Condition, previous: str | None = None) -> dict[str, Any]:
    if cond.op == "in":  # a regular expression, not "$or": durable 2.0.28 mis-evaluates the
        # references of a pattern holding an "$or" (the slipping rule fired on 2 < 2)
        return {"$mt": {cond.field: "|".join(cond.value)}}
    value = _value(cond)
    if cond.ref is not None and cond.ref[0] == "previous":
        value = {previous: cond.ref[1]}
    durable_op = OPERATORS[cond.op][1]
    return {cond.field: value} if not durable_op else {durable_op: {cond.field: value}}


def _pattern(kind: str, terms: list[dict[str, Any]]) -> dict[str, Any]:
    return {"$and": [{"kind": kind}, *terms]} if terms else {"kind": kind}


def compile_rule(rule: Rule) -> dict[str, Any]:
    """The durable_rules JSON of one rule, thresholds inlined, e.g. ``{"all": [{"pace":
    {"$and": [{"kind": "pace"}, {"$gte": {"ratio": 0.8}}, {"$lt": {"ratio": 0.95}}]}},
    {"clock": {"$and": [{"kind": "clock"}, {"$gte": {"as_of_ord": 737791}}]}}]}``."""
    parts: list[dict[str, Any]] = [
        {rule.fact: _pattern(rule.fact, [_condition(c) for c in rule.when])}]
    for join in rule.joins:
        parts.append({join.name: _pattern(join.fact, [_condition(c) for c in join.when])})
    if rule.sequence is not None:
        seq = rule.sequence
        for i in range(seq.length):
            name, before = f"{seq.name}{i}", f"{seq.name}{i - 1}"
            terms = [{seq.order: 0} if i == 0 else
                     {seq.order: {"$add": {"$l": {before: seq.order}, "$r": 1}}}]
            terms += [_condition(c, before) for c in seq.when
                      if i > 0 or c.ref is None or c.ref[0] != "previous"]
            parts.append({name: _pattern(seq.fact, terms)})
    clock = []
    if rule.effective_from:
        clock.append({"$gte": {"as_of_ord": rule.effective_from.toordinal()}})
    if rule.effective_until:
        clock.append({"$lte": {"as_of_ord": rule.effective_until.toordinal()}})
    if clock:
        parts.append({"clock": _pattern("clock", clock)})
    for n, absent in enumerate(rule.absent):
        parts.append({f"absent{n}$not": _pattern(absent.fact, [_condition(c)
                                                                for c in absent.when])})
    return {"all": parts, "run": rule_key(rule)}


class RulesHost(Host):
    """A durable_rules Host whose actions only record firings (which rule, which facts); the
    registered actions (``rules.actions``) run afterwards, in a stable order."""

    def __init__(self, book: RuleBook, name: str, sink: Callable[[Rule, Any], None]) -> None:
        self._rules = {rule_key(r): r for r in book.rules}
        self._sink = sink
        super().__init__()
        self.register_rulesets({name: {k: compile_rule(r) for k, r in self._rules.items()}})

    def get_action(self, action_name: str) -> Callable[[Any], None]:
        rule = self._rules.get(action_name)
        if rule is None:
            raise EngineError(f"luật không có: '{action_name}'", f"unknown rule '{action_name}'")

        def run(closure: Any) -> None:
            self._sink(rule, closure)

        return run


class _Reads:
    """What the rules can read of a unit's facts (the key of a reused answer): per fact kind
    the fields any rule reads, and for numeric fields only compared with constants, the
    constants (a value is then known by the comparisons' outcomes: two ratios on the same
    side of every cut give the same answer)."""

    def __init__(self, book: RuleBook) -> None:
        self.fields: dict[str, set[str]] = {}
        self.cuts: dict[tuple[str, str], list[tuple[str, float]]] = {}
        referenced: set[tuple[str, str]] = set()
        self.kinds_of: dict[str, set[str]] = {}  # primary kind → kinds its rules read
        for rule in book.rules:
            names = {rule.fact: rule.fact, "clock": "clock"}
            groups = [(rule.fact, rule.when)] + [(j.fact, j.when) for j in rule.joins]
            groups += [(a.fact, a.when) for a in rule.absent]
            kinds = {rule.fact} | {j.fact for j in rule.joins} | {a.fact for a in rule.absent}
            for join in rule.joins:
                names[join.name] = join.fact
            if rule.sequence is not None:
                seq = rule.sequence
                groups.append((seq.fact, seq.when))
                kinds.add(seq.fact)
                names["previous"] = seq.fact
                self._read(seq.fact, seq.order)
                referenced.add((seq.fact, seq.order))
            if rule.effective_from or rule.effective_until:
                kinds.add("clock")
                for day, op in ((rule.effective_from, "gte"), (rule.effective_until, "lte")):
                    if day:
                        self.cuts.setdefault(("clock", "as_of_ord"), []).append(
                            (op, day.toordinal()))
                self._read("clock", "as_of_ord")
            self.kinds_of.setdefault(rule.fact, set()).update(kinds)
            for kind, conds in groups:
                for c in conds:
                    self._read(kind, c.field)
                    if c.ref is not None:
                        ref_kind = names.get(c.ref[0], c.ref[0])
                        self._read(ref_kind, c.ref[1])
                        referenced.update({(kind, c.field), (ref_kind, c.ref[1])})
                    elif c.op in ("lt", "lte", "gt", "gte") or (
                            c.op in ("eq", "ne") and type(c.value) in (int, float)):
                        self.cuts.setdefault((kind, c.field), []).append((c.op, c.value))
                    else:
                        referenced.add((kind, c.field))
        for key in referenced:
            self.cuts.pop(key, None)
        self.cuts = {key: sorted(set(cuts)) for key, cuts in self.cuts.items()}
        self._relevant: dict[frozenset[str], frozenset[str]] = {}
        self.order = {kind: tuple(sorted(f)) for kind, f in self.fields.items()}
        # per kind: (field, its cuts or None), in a fixed order — the key's recipe
        self._recipe = {kind: tuple((name, [(_OUTCOMES[op], c) for op, c in cuts]
                                     if (cuts := self.cuts.get((kind, name))) else None)
                                    for name in names) for kind, names in self.order.items()}
        self._clock_keys: dict[Any, tuple[Any, ...]] = {}

    def _read(self, kind: str, name: str) -> None:
        self.fields.setdefault(kind, set()).add(name)

    def relevant(self, kinds: frozenset[str]) -> frozenset[str]:
        """The fact kinds some rule could read, given the kinds of the facts present."""
        out = self._relevant.get(kinds)
        if out is None:
            out = frozenset().union(*(self.kinds_of.get(k, ()) for k in kinds))
            self._relevant[kinds] = out  # a few dozen combinations of kinds at most
        return out

    def key(self, kind: str, fact: dict[str, Any]) -> tuple[Any, ...]:
        known = fact.get(KEY)
        if known is not None:  # a frozen fact (``Engine.freeze``) carries its key
            return known
        if kind == "clock":  # one per date: every subject judged that day shares it
            day = fact.get("as_of_ord")
            known = self._clock_keys.get(day)
            if known is None:
                if len(self._clock_keys) > 10_000:
                    self._clock_keys.clear()
                known = self._clock_keys[day] = self._key(kind, fact)
            return known
        return self._key(kind, fact)

    def _key(self, kind: str, fact: dict[str, Any]) -> tuple[Any, ...]:
        get = fact.get
        out: list[Any] = [kind]
        for name, cuts in self._recipe.get(kind, ()):
            value = get(name)
            cls = type(value)
            if cuts is not None and (cls is float or cls is int):
                out.append(tuple([test(value, c) for test, c in cuts]))
            else:  # the type is part of the key: True == 1 == 1.0 for Python, not for durable
                out.append((cls, tuple(value) if cls is list else value))
        return tuple(out)


KEY = "__key__"
"""The field a frozen fact keeps its key in (never posted to durable_rules)."""

_OUTCOMES: dict[str, Callable[[Any, Any], bool]] = {
    "lt": operator.lt, "lte": operator.le, "gt": operator.gt, "gte": operator.ge,
    "eq": operator.eq, "ne": operator.ne,
}
"""The comparisons of a cut (the ``operator`` functions: the same tests, in C)."""


class Engine:
    """One rules version in one process: judge a unit's facts, get the firings.

    ``run`` takes a unit's facts (the clock, its statuses, its period history, its measures,
    facts derived while judging it) and returns which rules fire on which of them. The answer
    depends only on what the rules read of those facts (``_Reads``: the kinds some rule could
    read, the fields rules read, numbers by the side of each constant they fall on), so it is
    kept under that key (``decided``, bounded) and durable_rules is asked once per distinct
    key; ``posts`` and ``reused`` count both paths, and a test checks reused answers against
    durable_rules asked afresh."""

    CACHE_LIMIT = 200_000

    def __init__(self, book: RuleBook) -> None:
        self.book = book
        self._lock = threading.Lock()
        self._fired: list[tuple[Rule, Any]] = []
        self.name = f"kehoach__{book.digest}__{next(_SEQ)}"
        self._host = RulesHost(book, self.name, lambda rule, c: self._fired.append((rule, c)))
        self.sid = "unit"
        self.reads = _Reads(book)
        self._names = {r.id: self._fact_names(r) for r in book.rules}
        self.decided: dict[tuple[Any, ...], tuple[tuple[Rule, Bound, int], ...]] = {}
        self.posts = 0
        self.reused = 0

    @staticmethod
    def _fact_names(rule: Rule) -> tuple[str, ...]:
        names = [rule.fact] + [j.name for j in rule.joins]
        if rule.sequence is not None:
            names += [f"{rule.sequence.name}{i}" for i in range(rule.sequence.length)]
        return tuple(names)

    def freeze(self, fact: dict[str, Any]) -> dict[str, Any]:
        """``fact`` with its key computed once (for unit facts reused across judgements,
        e.g. the same period history of many subjects)."""
        return {**fact, KEY: self.reads.key(fact["kind"], fact)}

    def run(self, facts: list[dict[str, Any]]) -> list[Firing]:
        """The firings on one unit's ``facts`` (each with a ``kind``), ordered by the index of
        the fact each rule is about, then by rule id."""
        reads = self.reads
        kinds = frozenset([f["kind"] for f in facts])
        relevant = reads.relevant(kinds)
        if kinds <= relevant:  # the usual case: every fact is read by some rule
            chosen, picked = None, facts
        else:
            chosen = [i for i, f in enumerate(facts) if f["kind"] in relevant]
            picked = [facts[i] for i in chosen]
        if not picked:
            return []
        key = tuple([reads.key(f["kind"], f) for f in picked])
        with self._lock:
            answer = self.decided.get(key)
            if answer is None:
                answer = self._ask(picked)
                if len(self.decided) >= self.CACHE_LIMIT:
                    self.decided.clear()
                self.decided[key] = answer
            else:
                self.reused += 1
        # the answer is kept in firing order; ``chosen`` keeps the facts' order, so it stays so
        return [Firing(rule, {name: picked[i] for name, i in bound},
                       at if chosen is None else chosen[at]) for rule, bound, at in answer]

    def _ask(self, facts: list[dict[str, Any]]) -> tuple[tuple[Rule, Bound, int], ...]:
        """Assert ``facts`` into the unit's state, take the firings, retract them again; the
        firings as (rule, its facts by name, the index of the fact it is about), ordered by
        that index, then by rule id."""
        self._fired.clear()
        posted = [{**{k: v for k, v in f.items() if k != KEY}, "id": f"f{n}", "sid": self.sid}
                  for n, f in enumerate(facts)]
        self.posts += 1
        try:
            # one at a time: durable drops the firings of a whole batch when one fact of it
            # matches no rule (MessageNotHandledException)
            for fact in posted:
                self._call(self._host.assert_fact, fact)
            answer = []
            for rule, closure in self._fired:
                bound = tuple((name, int(getattr(closure, name)._d["id"][1:]))
                              for name in self._names[rule.id])
                answer.append((rule, bound, dict(bound)[rule.fact]))
            return tuple(sorted(answer, key=lambda a: (a[2], a[0].id)))
        finally:
            self._fired.clear()
            for fact in posted:
                self._call(self._host.retract_fact, fact)

    def _call(self, method: Callable[[str, Any], Any], facts: list[dict[str, Any]]) -> None:
        try:
            method(self.name, facts)
        except (MessageNotHandledException, MessageObservedException):
            return
        except Exception as err:  # durable raises bare Exceptions from its C core
            raise EngineError(f"lỗi của bộ máy luật: {err}", f"engine failure: {err}") from err


_SEQ = itertools.count(1)


class EngineRegistry:
    """The engines of a process, one per rules version (bộ luật), each built once: a caller
    asking for a version being built waits for that build, never builds it twice; other
    versions are not held up (no lock is held while building). One registry per process
    (``ENGINES``) because a durable_rules Host is never freed: its C rulesets and two daemon
    timers live as long as the process, so engines are shared, not owned by a session (a
    live session pins the one it started with)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._engines: dict[str, Future[Engine]] = {}

    def get(self, book: RuleBook) -> Engine:
        with self._lock:
            future = self._engines.get(book.digest)
            owner = future is None
            if owner:
                future = self._engines[book.digest] = Future()
        assert future is not None
        if owner:
            try:
                future.set_result(Engine(book))
            except BaseException as err:
                with self._lock:
                    self._engines.pop(book.digest, None)
                future.set_exception(err)
        return future.result()

    def clear(self) -> None:
        with self._lock:
            self._engines.clear()


ENGINES = EngineRegistry()


def get_engine(directory: Path = DEFINITIONS_DIR) -> Engine:
    """The process's engine for the rules in ``directory`` (built once per rules version)."""
    return ENGINES.get(load_rules(directory))


def as_of_fields(as_of: date) -> dict[str, Any]:
    """The common date fields of a measure."""
    return {"as_of": as_of.isoformat(), "as_of_ord": as_of.toordinal()}


def clock_fact(as_of: date) -> dict[str, Any]:
    """The clock as a fact of every unit's state (đồng hồ): as-of replay stays deterministic,
    no wall-clock timer is involved."""
    return {"kind": "clock", **as_of_fields(as_of)}
