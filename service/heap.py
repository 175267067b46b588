"""Garbage collection in a long-lived service process (thu gom rác của tiến trình dịch vụ).

Most of a service's heap lives as long as the process: the plan graph (a million triples after a
province's year), the rules session, the log's caches. CPython's full collection walks every
tracked object, and it runs whenever the objects that survived the younger collections reach a
quarter of what the last full collection left — which a write that replaces thousands of graph
nodes and outcomes reaches again and again. A province's year through the write path
(``bench/bench_national.py``) spent 8.5 s of its 39 s in 20 full collections of ≈ 0.4 s each,
and each one stalled whatever request was running (issue 18).

``settle()`` — after start-up, after each write, after each judge pass — freezes what is alive
then (``gc.freeze``: out of every automatic collection's reach; the young generations keep
collecting what later work leaves), and runs a full collection only when the process has spent
at least ``1 / BUDGET`` times that collection's last cost in CPU since: full collections take
at most about ``BUDGET`` of the CPU, whatever the heap's size. Frozen objects are still freed by
their reference counts the moment nothing uses them; only cyclic garbage frozen with them waits
for the next full collection (which unfreezes first, so it collects everything).

The collector is one per process, so the policy is too: ``enable()`` turns it on for this process
(``kehoach serve``, ``kehoach judge``, a bench that runs the service's write path); elsewhere —
tests, one-shot commands — ``settle()`` does nothing and the collector keeps CPython's defaults.
"""

from __future__ import annotations

import gc
import threading
import time

BUDGET = 0.02
"""The share of the process's CPU that full collections may take. A province's year found
almost no cyclic garbage to collect (0–100 objects a full collection), so a small share."""

_lock = threading.Lock()
_state = {"enabled": False, "budget": BUDGET, "last_cost": 0.0, "since": 0.0}


def enable(budget: float = BUDGET) -> None:
    """Collect this process's garbage by the policy from now on: what exists now (imported
    modules, settings) is frozen at once, so the collections while the service builds its
    graph and session walk only what that builds; the next ``settle`` collects in full."""
    with _lock:
        _state.update(enabled=True, budget=budget, last_cost=0.0, since=float("-inf"))
        gc.freeze()


def disable() -> None:
    """Back to CPython's defaults: unfreeze everything (the next automatic collections see it
    all again)."""
    with _lock:
        _state["enabled"] = False
        gc.unfreeze()


def enabled() -> bool:
    return bool(_state["enabled"])


def settle() -> bool:
    """After a unit of work: a full collection if the budget allows one (True), then freeze
    what is alive. Nothing when the policy is off."""
    if not _state["enabled"]:
        return False
    with _lock:
        now = time.process_time()
        collect = (now - _state["since"]) * _state["budget"] >= _state["last_cost"]
        if collect:
            gc.unfreeze()
            gc.collect()
            done = time.process_time()
            _state.update(last_cost=done - now, since=done)
        gc.freeze()
        return collect
