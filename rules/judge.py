"""Judging measures (xét đánh giá): each subject's facts go to the engine as one unit state,
and the firings are carried out by the registered actions (``rules.actions``).

A subject's state holds the clock (``clock``), the statuses it held before this judgement
(``status``, one per dimension; ``none`` for a dimension not yet rated), the history of its
reporting periods (``period_status``: rank 0 = the latest period by its end, with how bad its
status is) and its measures. Python orders the periods and computes the measures (arithmetic);
the rules decide. Firings are applied in the order of the measures, then rule ids, so the
outcomes come out in a stable order. Actions may derive facts (``status_set``) that are judged
at once in the subject's state (chaining).

Used by the live session (``rules.session``) and so by every replay.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rules.actions import ACTIONS, EngineState, Judging
from rules.engine import Engine, Firing, clock_fact
from rules.subjects import Measure, _period
from rules.vocabulary import FACTS, STATUS_BADNESS

DIMENSIONS = tuple(sorted({spec.dimension for spec in FACTS.values() if spec.dimension}))


def status_facts(engine: Engine, state: EngineState, subject_id: str,
                 dimension: str | None = None) -> list[dict[str, Any]]:
    """The statuses a subject holds (``status`` facts), ``none`` for ``dimension`` when the
    subject holds no status there yet; frozen, one shared fact per (dimension, status)."""
    current = state.current
    held = [_held(engine, state, d, current[(subject_id, d)])
            for d in DIMENSIONS if (subject_id, d) in current]
    if dimension and (subject_id, dimension) not in current:
        held.append(_held(engine, state, dimension, "none"))
    return held


def _held(engine: Engine, state: EngineState, dimension: str, status: str) -> dict[str, Any]:
    fact = state.held.get((dimension, status))
    if fact is None:
        fact = state.held[(dimension, status)] = engine.freeze(
            {"kind": "status", "dimension": dimension, "status": status})
    return fact


def period_facts(engine: Engine, state: EngineState, subject_id: str) -> list[dict[str, Any]]:
    """The subject's reporting periods (``period_status``), ranked from the latest by the
    period's end (0 = latest); built and keyed once per distinct history (``state.frozen``)."""
    history = state.pace_history.get(subject_id)
    if not history:
        return []
    content = tuple(sorted(history.items()))
    facts = state.frozen.get(content)
    if facts is None:
        codes = sorted(history, key=lambda c: _period(c).end, reverse=True)
        facts = [engine.freeze({"kind": "period_status", "dimension": "pace", "period": code,
                                "status": history[code], "rank": rank,
                                "badness": STATUS_BADNESS.get(history[code], -1)})
                 for rank, code in enumerate(codes)]
        if len(state.frozen) > 50_000:
            state.frozen.clear()
        state.frozen[content] = facts
    return facts


def _derive(engine: Engine, clock: dict[str, Any]) -> Any:
    def derive(ctx: Judging, fact: dict[str, Any], origin: dict[str, Any]) -> None:
        """Add ``fact`` to its subject's state and apply what the rules conclude on it."""
        facts = [clock, *status_facts(engine, ctx.state, fact["subject_id"], fact["dimension"]),
                 fact]
        chained = Judging(ctx.state, ctx.when, ctx.measures, ctx.derive, origin)
        for firing in engine.run(facts):
            ACTIONS[firing.rule.then["action"]](chained, firing)
    return derive


def judge(engine: Engine, state: EngineState, measures: list[Measure], when: date) -> None:
    """Judge ``measures`` on ``when``: each subject's state (its facts and measures) goes to
    the engine, and the firings are applied to ``state`` by their registered actions."""
    by_subject: dict[str, list[int]] = {}
    for n, measure in enumerate(measures):
        by_subject.setdefault(measure.event["subject_id"], []).append(n)
    clock = engine.freeze(clock_fact(when))  # keyed once for every subject judged on ``when``
    firings: list[Firing] = []
    for subject_id, indices in by_subject.items():
        # the unit facts of the kinds a rule about these measures could read (the others
        # would be left out by the engine anyway: not built at all)
        read = engine.reads.relevant(frozenset([measures[n].event["kind"] for n in indices]))
        facts = [clock] if "clock" in read else []
        if "status" in read:
            facts += status_facts(engine, state, subject_id)
        if "period_status" in read:
            facts += period_facts(engine, state, subject_id)
        facts += [{**measures[n].event, "n": n} for n in indices]
        firings += engine.run(facts)
    firings.sort(key=lambda f: (f.measure["n"], f.rule.id))
    ctx = Judging(state, when, measures, _derive(engine, clock))
    for firing in firings:
        ACTIONS[firing.rule.then["action"]](ctx, firing)
