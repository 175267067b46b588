"""What one running service holds (bộ máy dịch vụ): the fact log, the service tables, the
plan graph, the event broadcaster, and the rules' live session (``rules.live.LiveSession``:
the rules session at the service's evaluation date with the rule set pinned at start, the
writer lock, log following, outcome persistence and the cached evaluations).
The log is confined to the service's jurisdiction (``Settings.jurisdiction``): the rules
session, replays and the plan graph are built from that jurisdiction's facts only. The plan
graph's alerts and status changes are the outcome store's (``rules.store``, the set of the
service's date), followed on every ``graph()`` — the fact log holds none.

With an external judge (``Settings.judge == "external"``) this process judges nothing: its
reads for the service's date (alerts, status changes, statuses, the board, trace, who) are the
judge's stored outcomes and status snapshot (``rules.judged``); ``position`` says how far in the
log they cover, and a date the judge has not judged answers ``not_judged``. Off-date reads
replay the log here (cached per log position and date).

The alerts and status changes a write or a followed fact causes are published on the
service's broadcaster (the live stream). ``start`` (called by the app's lifespan, before the
first request) records the start replay's conclusions and builds the plan graph, so no
request pays for either.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from datetime import date
from typing import Any

from kg.graph import PlanGraph
from kg.log import Fact, open_log
from kg.outcome_graph import OutcomeProjection
from rules.live import LiveSession, WriteOutcome
from rules.outcomes import Alert, StatusChange
from rules.results import ReplayResult
from service import heap
from service.events import Broadcaster
from service.judge import JudgedWrite, JudgeLink
from service.settings import Settings
from service.store import ServiceStore

__all__ = ["Runtime", "WriteOutcome"]

LINK_POLL = 0.02


class Runtime:
    """The service's parts; rule evaluation is its ``live`` session's."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.log = open_log(settings.db, jurisdiction=settings.jurisdiction)
        self.store = ServiceStore(settings.db, jurisdiction=self.log.jurisdiction or None)
        self.events = Broadcaster(settings.sse_queue_size)
        # --judge external: a `kehoach judge` process judges; this one reads and forwards
        external = settings.judge == "external"
        # inline: this process judges and reads its own session (no status snapshot: no
        # other process reads it); external: it judges nothing and reads the judge's stores
        self.live = LiveSession(self.log, settings.evaluation_date, self.events.publish,
                                record=not external, snapshot=False,
                                judged_elsewhere=external)
        # a write waits for the judge by reading its position: every LINK_POLL seconds on
        # SQLite (PostgreSQL wakes on NOTIFY) — 0.2 s made each write hold the writer lock
        # ≈ 0.5 s, queueing this worker's other writes and their threads
        self.link = (JudgeLink(self.log, self.events, settings.judge_wait_seconds,
                               poll=LINK_POLL) if external else None)
        self.write_lock = self.live.lock
        self._graph: PlanGraph | None = None
        self._outcome_nodes = OutcomeProjection(self.log.jurisdiction or None)
        self._graph_lock = threading.Lock()
        if settings.freeze_gc:  # a server process: its heap is mostly long-lived
            heap.enable()

    def as_of(self, requested: date | None = None) -> date:
        return self.live.as_of(requested)

    def start(self) -> None:
        """Record what the start replay concluded and build the plan graph."""
        self.live.start()
        if self.link is not None:
            self.link.start()
        self.graph()
        heap.settle()

    def follow(self) -> list[Alert | StatusChange]:
        """Catch up with facts other processes appended (``LiveSession.follow``); with an
        external judge nothing to do (its announcements are forwarded as they come)."""
        if self.link is not None:
            return []
        caused = self.live.follow()
        heap.settle()
        return caused

    def evaluation(self, as_of: date | None = None) -> ReplayResult:
        return self.live.evaluation(as_of)

    def derived(self, name: Hashable, as_of: date | None,
                compute: Callable[[ReplayResult], Any], judged_only: bool = False) -> Any:
        return self.live.derived(name, as_of, compute, judged_only)

    def rendered(self, name: Hashable, as_of: date | None,
                 render: Callable[[ReplayResult], bytes], judged_only: bool = False) -> bytes:
        return self.live.rendered(name, as_of, render, judged_only)

    def statuses(self, as_of: date | None = None) -> list[dict[str, Any]]:
        return self.live.statuses(as_of)

    def position(self, as_of: date | None = None) -> tuple[int, int]:
        """(log position the rules' answers as of that date cover, the log's last one):
        behind only while an external judge has not judged the latest facts."""
        return self.live.position(as_of)

    def graph(self) -> PlanGraph:
        """The plan graph, brought up to date with the log (facts) and the outcome store (the
        rules' alerts and status changes of the service's date)."""
        with self._graph_lock:
            if self._graph is None:
                self._graph = PlanGraph.from_log(self.log)
            else:
                self._graph.refresh(self.log)
            self._outcome_nodes.follow(self._graph, self.live.outcomes, self.as_of())
            return self._graph

    def write(self, facts: Sequence[Fact], username: str, key: str | None) -> WriteOutcome:
        """Append ``facts`` and assert them into the rules session; one writer at a time.
        With an external judge: append, and answer with what the judge announced for them."""
        try:
            if self.link is not None:
                return self.link.write(facts, username, key)
            done = self.live.write(facts, username, key)  # judged here, before the answer
            return JudgedWrite(done.appended, done.alerts, done.status_changes, judged=True)
        finally:
            heap.settle()

    def close(self) -> None:
        if self.link is not None:
            self.link.close()
        self.live.close()
        self.log.close()
        self.store.close()
