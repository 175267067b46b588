"""What one running service holds (bộ máy dịch vụ): the fact log, the service tables, the
plan graph, the event broadcaster, cached rule evaluations, and the one writer lock.

Writing is serialised: append to the log, replay the rules (persisting new alerts and status
changes back to the log), then publish what the write caused. Reads use the replay of the
current log as of a date, cached until the log changes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kg.graph import PlanGraph
from kg.log import AppendOutcome, Fact, open_log
from rules.outcomes import Alert, StatusChange
from rules.replay import ReplayResult, current_statuses, replay
from service.events import Broadcaster
from service.settings import Settings
from service.store import ServiceStore

CACHE_SIZE = 8


@dataclass
class WriteOutcome:
    """What a write appended and what it caused (new alerts, status changes)."""

    appended: list[AppendOutcome]
    alerts: list[dict[str, Any]] = field(default_factory=list)
    status_changes: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        counts: dict[str, int] = {}
        for item in self.appended:
            counts[item.status] = counts.get(item.status, 0) + 1
        return {"facts": [{"id": o.fact.id, "kind": o.fact.kind, "key": o.fact.key,
                           "outcome": o.status} for o in self.appended],
                "counts": counts, "alerts": self.alerts, "status_changes": self.status_changes}


class _Cache:
    """A small LRU of computed values keyed by (log position, as-of date)."""

    def __init__(self) -> None:
        self._items: OrderedDict[tuple[int, date], Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[int, date], compute: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            value = compute()
            self.put(key, value)
            return value

    def put(self, key: tuple[int, date], value: Any) -> None:
        self._items[key] = value
        while len(self._items) > CACHE_SIZE:
            self._items.popitem(last=False)


class Runtime:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.log = open_log(settings.db)
        self.store = ServiceStore(settings.db)
        self.events = Broadcaster(settings.sse_queue_size)
        self.write_lock = threading.RLock()
        self._replays = _Cache()
        self._statuses = _Cache()
        self._graph: PlanGraph | None = None
        self._graph_lock = threading.Lock()

    def as_of(self, requested: date | None = None) -> date:
        return requested or self.settings.evaluation_date()

    def evaluation(self, as_of: date | None = None) -> ReplayResult:
        """The rules' replay of the current log as of a date (nothing persisted)."""
        when = self.as_of(as_of)
        return self._replays.get((self.log.last_seq(), when),
                                 lambda: replay(self.log, when, persist=False))

    def statuses(self, as_of: date | None = None) -> list[dict[str, Any]]:
        """One status row per target and task (``rules.replay.current_statuses``)."""
        when = self.as_of(as_of)
        return self._statuses.get((self.log.last_seq(), when),
                                  lambda: current_statuses(self.log, when))

    def graph(self) -> PlanGraph:
        """The plan graph, brought up to date with the log."""
        with self._graph_lock:
            if self._graph is None:
                self._graph = PlanGraph.from_log(self.log)
            else:
                self._graph.refresh(self.log)
            return self._graph

    def write(self, facts: Sequence[Fact], username: str, key: str | None) -> WriteOutcome:
        """Append ``facts`` and run the rules; one writer at a time."""
        with self.write_lock:
            when = self.as_of()
            before = self.evaluation(when)
            appended = self.log.append(list(facts), submitted_by=username, batch=key)
            if all(a.status == "duplicate" for a in appended):
                return WriteOutcome(appended)
            after = replay(self.log, when, persist=True)
            self._replays.put((self.log.last_seq(), when), after)
            known = {o.id for o in before.outcomes}
            caused = [o for o in after.outcomes if o.id not in known]
        outcome = WriteOutcome(
            appended,
            alerts=[o.to_dict() for o in caused if isinstance(o, Alert)],
            status_changes=[o.to_dict() for o in caused if isinstance(o, StatusChange)])
        for item in outcome.alerts:
            self.events.publish("alert", item)
        for item in outcome.status_changes:
            self.events.publish("status_change", item)
        return outcome

    def close(self) -> None:
        self.log.close()
        self.store.close()
