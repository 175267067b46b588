"""The service process's garbage-collection policy (``service.heap``): what a server process
keeps is frozen out of the automatic full collections, and cyclic garbage frozen with it is
still collected once the CPU budget allows a full collection. ``Runtime`` applies it when
``freeze_gc`` is set (``kehoach serve``) and leaves the collector alone otherwise."""

from __future__ import annotations

import gc
import time
import weakref
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from kg.dataset import load_into
from kg.log import open_log
from service import heap
from service.runtime import Runtime
from service.settings import Settings
from tests.rules.test_outcome_store import _report
from tests.service.conftest import MINI, SECRET


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    """The policy is process-wide: every test leaves this worker's collector as it found it."""
    yield
    heap.disable()


class Node:
    """An object that can sit in a reference cycle and be watched by a weak reference."""

    def __init__(self) -> None:
        self.other: Node | None = None


def _cycle() -> weakref.ref:
    a, b = Node(), Node()
    a.other, b.other = b, a
    return weakref.ref(a)


def _burn(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        sum(range(1000))


def test_frozen_cyclic_garbage_waits_for_the_budgeted_full_collection() -> None:
    heap.enable(budget=1.0)  # a full collection whenever its own cost in CPU has passed
    assert heap.settle()  # the first settle collects in full
    watched = _cycle()
    assert not heap.settle()  # no CPU spent since: it only freezes (the cycle with it)
    gc.collect()
    assert watched() is not None, "frozen objects are out of an ordinary collection's reach"
    for _ in range(600):  # a full collection of a large test process's heap may take ~1 s
        _burn(0.05)
        if heap.settle():
            break
    else:
        raise AssertionError("no full collection after 30 s of CPU")
    assert watched() is None, "the budgeted full collection unfreezes and collects the cycle"


def test_off_by_default_it_leaves_the_collector_alone() -> None:
    assert not heap.enabled()
    watched = _cycle()
    assert not heap.settle()
    gc.collect()
    assert watched() is None
    assert gc.get_freeze_count() == 0


def _runtime(folder: Path, server: bool) -> Runtime:
    with open_log(folder / "kehoach.db") as log:
        load_into(log, MINI)
    return Runtime(Settings(db=folder / "kehoach.db", secret_key=SECRET,
                            as_of=date(2024, 9, 30), freeze_gc=server))


def test_a_runtime_applies_it_only_as_a_server_and_concludes_the_same(tmp_path: Path) -> None:
    answers = {}
    for server in (False, True):
        (tmp_path / str(server)).mkdir()
        runtime = _runtime(tmp_path / str(server), server)
        try:
            runtime.start()
            done = runtime.write([_report(40, date(2024, 9, 30))], "tc", None)
            assert heap.enabled() is server
            assert (gc.get_freeze_count() > 0) is server
            answers[server] = (done.alerts, done.status_changes, runtime.statuses())
        finally:
            runtime.close()
            heap.disable()
    assert answers[True][0], "the report raises an alert"
    assert answers[True] == answers[False]
