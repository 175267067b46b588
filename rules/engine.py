"""The durable_rules engine, isolated (bộ máy luật).

Rule files are compiled to JSON rulesets for our own ``durable.engine.Host`` subclass — never
``durable.lang``, which is process-global. Each rule becomes its own ruleset, so every rule
whose condition holds fires (durable consumes an event in the first matching rule of a
ruleset). Rule actions are resolved by ``Host.get_action`` through ``rules.vocabulary.ACTIONS``.

A Host starts two endless daemon timers and never frees its C rulesets: ``get_engine()``
builds one lazily per rules version and reuses it; runs are separated by ``sid`` and cleaned
with ``delete_state``. Access is serialised behind a lock (one writer at a time).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from durable.engine import Host, MessageNotHandledException, MessageObservedException

from rules.errors import EngineError
from rules.loader import DEFINITIONS_DIR, Rule, RuleBook, load_rules
from rules.vocabulary import ACTIONS, OPERATORS


@dataclass(frozen=True)
class Firing:
    """One rule fired on one measure: the rule, its action parameters, the measure."""

    rule: Rule
    measure: dict[str, Any]


def ruleset_name(rule: Rule) -> str:
    return f"{rule.id.replace('.', '__')}__v{rule.version}"


def _condition(field: str, op: str, value: Any) -> dict[str, Any]:
    durable_op = OPERATORS[op][1]
    return {field: value} if not durable_op else {durable_op: {field: value}}


def compile_rule(rule: Rule) -> dict[str, Any]:
    """The durable_rules JSON ruleset of one rule, thresholds inlined, e.g.
    ``{"m": {"$and": [{"kind": "pace"}, {"$gte": {"ratio": 0.8}}, {"$lt": {"ratio": 0.95}}]}}``."""
    terms: list[dict[str, Any]] = [{"kind": rule.fact}]
    terms += [_condition(c.field, c.op, c.value) for c in rule.when]
    if rule.effective_from:
        terms.append({"$gte": {"as_of_ord": rule.effective_from.toordinal()}})
    if rule.effective_until:
        terms.append({"$lte": {"as_of_ord": rule.effective_until.toordinal()}})
    return {"r": {"all": [{"m": {"$and": terms}}], "run": f"{rule.then['action']}|{rule.id}"}}


class RulesHost(Host):
    """A durable_rules Host whose actions come from our registry, never from ``durable.lang``."""

    def __init__(self, book: RuleBook, sink: Callable[[Firing], None]) -> None:
        self._book = book
        self._sink = sink
        super().__init__()
        self.register_rulesets({ruleset_name(r): compile_rule(r) for r in book.rules})

    def get_action(self, action_name: str) -> Callable[[Any], None]:
        action, _, rule_id = action_name.partition("|")
        if action not in ACTIONS:
            raise EngineError(f"hành động không có: '{action}'", f"unknown action '{action}'")
        rule = self._book.by_id(rule_id)

        def run(closure: Any) -> None:
            message = closure.m._d if hasattr(closure.m, "_d") else dict(closure.m)
            self._sink(Firing(rule, {k: v for k, v in message.items() if k != "sid"}))

        return run


class Engine:
    """One rules version in one process: evaluate measures, get firings.

    Each engine posts under its own ``sid``; after a run the states in which rules fired are
    deleted, so the next run starts clean (no event outlives its run: conditions are single
    events, and an event no rule matches is not stored).

    Because conditions are single events and no state outlives a run, which rules fire on an
    event depends only on the fields the conditions of its kind read and on which rules are in
    force on its date. A unit re-judged on a later date with nothing new gives the same fields,
    so those answers are kept (``decided``, bounded) and durable_rules is asked once per
    distinct event; ``posts`` and ``reused`` count both paths."""

    CACHE_LIMIT = 200_000

    def __init__(self, book: RuleBook) -> None:
        self.book = book
        self._lock = threading.Lock()
        self._fired: list[Firing] = []
        self._host = RulesHost(book, self._fired.append)
        self.sid = f"eval-{next(_SIDS)}"
        self._by_fact: dict[str, list[Rule]] = {}
        for rule in book.rules:
            self._by_fact.setdefault(rule.fact, []).append(rule)
        self._fields = {fact: tuple(sorted({c.field for r in rules for c in r.when}))
                        for fact, rules in self._by_fact.items()}
        self._dated = {fact: [r for r in rules if r.effective_from or r.effective_until]
                       for fact, rules in self._by_fact.items()}
        self.decided: dict[tuple[Any, ...], tuple[Rule, ...]] = {}
        self._in_force: dict[tuple[str, int], tuple[bool, ...]] = {}
        self.posts = 0
        self.reused = 0

    def _decision_key(self, measure: dict[str, Any]) -> tuple[Any, ...]:
        kind = measure["kind"]
        day = measure.get("as_of_ord", 0)
        in_force = self._in_force.get((kind, day))
        if in_force is None:
            in_force = self._in_force[(kind, day)] = tuple(
                (r.effective_from is None or day >= r.effective_from.toordinal())
                and (r.effective_until is None or day <= r.effective_until.toordinal())
                for r in self._dated.get(kind, ()))
        # the type is part of the key: True == 1 == 1.0 for Python, not for the conditions
        values = [measure.get(f) for f in self._fields.get(kind, ())]
        return (kind, in_force, *[(type(v), tuple(v) if type(v) is list else v)
                                  for v in values])

    def evaluate(self, measures: list[dict[str, Any]]) -> list[Firing]:
        """Post every measure as an event to the rulesets of its fact kind; a measure that
        matches no rule is a normal "no outcome". Firings come back in a stable order."""
        with self._lock:
            self._fired.clear()
            out: list[Firing] = []
            try:
                for n, measure in enumerate(measures):
                    key = self._decision_key(measure)
                    rules = self.decided.get(key)
                    if rules is None:
                        rules = self._decide({**measure, "id": f"m{n}", "sid": self.sid})
                        if len(self.decided) >= self.CACHE_LIMIT:
                            self.decided.clear()
                        self.decided[key] = rules
                    else:
                        self.reused += 1
                    out += [Firing(rule, {**measure, "id": f"m{n}"}) for rule in rules]
                return sorted(out, key=lambda f: (int(f.measure["id"][1:]), f.rule.id))
            finally:
                # durable 2.0.28 aborts the process (free(): invalid pointer) when deleting a
                # state in which no rule ever fired: delete only the states that fired.
                for name in sorted({ruleset_name(f.rule) for f in self._fired}):
                    self._host.delete_state(name, self.sid)
                self._fired.clear()

    def _decide(self, event: dict[str, Any]) -> tuple[Rule, ...]:
        """Ask durable_rules: the rules (of the event's kind) that fire on ``event``."""
        fired = []
        for rule in self._by_fact.get(event["kind"], []):
            before = len(self._fired)
            self._post(rule, event)
            self.posts += 1
            if len(self._fired) > before:
                fired.append(rule)
        return tuple(fired)

    def _post(self, rule: Rule, event: dict[str, Any]) -> None:
        try:
            self._host.post(ruleset_name(rule), event)
        except (MessageNotHandledException, MessageObservedException):
            return
        except Exception as err:  # durable raises bare Exceptions from its C core
            raise EngineError(f"lỗi khi đánh giá luật {rule.id}: {err}",
                              f"engine failure on rule {rule.id}: {err}") from err


_ENGINES: dict[str, Engine] = {}
_SIDS = itertools.count(1)
_FACTORY_LOCK = threading.Lock()


def get_engine(directory: Path = DEFINITIONS_DIR) -> Engine:
    """The process's engine for the rules in ``directory`` (built once per rules version)."""
    book = load_rules(directory)
    with _FACTORY_LOCK:
        if book.digest not in _ENGINES:
            _ENGINES[book.digest] = Engine(book)
        return _ENGINES[book.digest]


def as_of_fields(as_of: date) -> dict[str, Any]:
    """The common date fields of a measure."""
    return {"as_of": as_of.isoformat(), "as_of_ord": as_of.toordinal()}
