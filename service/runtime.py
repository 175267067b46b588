"""What one running service holds (bộ máy dịch vụ): the fact log, the service tables, the
plan graph, the event broadcaster, cached rule evaluations, and the one writer lock.
The log is confined to the service's jurisdiction (``Settings.jurisdiction``): the rules
session, replays and the plan graph are built from that jurisdiction's facts only.

Writing is serialised: append to the log, assert the new facts into the one ``RuleSession``
kept for the service's evaluation date (only the subjects they touch are re-judged), persist
the alerts and status changes it caused back to the log — and withdraw the ones it no longer
concludes (``rules.persist``), so the log's live outcomes are a clean replay's — then publish
the new ones. Reads for the
service's date come from the session; reads for another as-of date use a replay of the current
log, cached until the log changes. Views derived from an evaluation (the sorted alert list)
are cached per (log position, as-of date) with ``derived``.

Facts appended by another process (another ``kehoach serve`` worker, a CLI import) are picked
up — read after the last sequence number seen — on the next read or write, or by ``follow``;
the alerts and status changes they cause here are published to this process's listeners, so
every worker's live stream carries every worker's alerts.

``start`` (called by the app's lifespan, before the first request) appends to the log what the
start replay concluded and builds the plan graph, so no request pays for either. Each start
appends them: the first start's are new facts, every later start's are duplicates the log
recognises (same key, same content) and does not store again — unless the log or the date
moved, when they are the new conclusions; live outcomes it no longer concludes are withdrawn.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kg.graph import PlanGraph
from kg.log import AppendOutcome, Fact, open_log
from rules.outcomes import Alert, StatusChange
from rules.persist import MAX_CAUSES, kind_of, persist_changes, reconcile
from rules.replay import ReplayResult, current_statuses, replay, status_rows
from rules.session import Changes, RuleSession
from rules.snapshot import RULE_OUTPUT_KINDS
from service.events import Broadcaster
from service.settings import Settings
from service.store import ServiceStore

CACHE_SIZE = 8
DERIVED_CACHE_SIZE = 64  # views × filters × as-of dates
RENDERED_CACHE_SIZE = 512  # rendered responses: pages × filters, traces and who per id


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
    """A small LRU of computed values keyed by (log position, as-of date) (and a name)."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._size = size

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            value = compute()
            self.put(key, value)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        self._items[key] = value
        while len(self._items) > self._size:
            self._items.popitem(last=False)


class Runtime:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.log = open_log(settings.db, jurisdiction=settings.jurisdiction)
        self.store = ServiceStore(settings.db, jurisdiction=self.log.jurisdiction or None)
        self.events = Broadcaster(settings.sse_queue_size)
        self.write_lock = threading.RLock()
        self._replays = _Cache()
        self._statuses = _Cache()
        self._derived = _Cache(DERIVED_CACHE_SIZE)
        self._rendered = _Cache(RENDERED_CACHE_SIZE)
        self._graph: PlanGraph | None = None
        self._graph_lock = threading.Lock()
        self._session: RuleSession | None = None
        self._seen = 0
        self._persisted = False
        self._view: tuple[tuple[int, date], ReplayResult, list[dict[str, Any]]] | None = None
        if self.log.last_seq():
            with self.write_lock:
                self._sync()

    def as_of(self, requested: date | None = None) -> date:
        return requested or self.settings.evaluation_date()

    def start(self) -> None:
        """Record what the start replay concluded and build the plan graph (the service's
        start-up; a write before it records them instead)."""
        with self.write_lock:
            self._sync()
            self._persist_start()
        self.graph()

    def follow(self) -> list[Alert | StatusChange]:
        """Catch up with facts other processes appended (and the date); what that caused
        here is persisted and published."""
        with self.write_lock:
            return self._sync()

    def _persist_start(self) -> None:
        """Make the log's outcomes the start replay's: append its conclusions, withdraw the
        live ones it no longer concludes (recorded up to the position it read)."""
        if not self._persisted:
            session = self._session_now()[0]
            reconcile(self.log, session.result().outcomes, session.clock, self._seen)
            self._persisted = True

    def _sync(self) -> list[Alert | StatusChange]:
        """Bring the session to the evaluation date and the end of the log (write lock held);
        what that caused, persisted to the log and published."""
        session, advanced = self._session_now()
        caused = self._record(advanced, session.clock)
        last = self.log.last_seq()
        if last > self._seen:
            # the rules' own outputs are not read back (the session made them, or another
            # process's session did from the same facts)
            new = list(self.log.read(after_seq=self._seen, upto_seq=last,
                                     skip_kinds=RULE_OUTPUT_KINDS))
            self._seen = last
            caused += self._record(session.judge_facts(new), session.clock)
        return caused

    def _record(self, changes: Changes, when: date) -> list[Alert | StatusChange]:
        """Persist a re-judgement (new and revised outcomes, withdrawals of dropped ones) and
        publish the new outcomes and the withdrawals; the new outcomes."""
        if changes.added or changes.revised or changes.withdrawn:
            persist_changes(self.log, changes, when)
            self._publish(changes.added)
            for item in changes.withdrawn:  # a live board drops it (event ``withdrawn``)
                self.events.publish("withdrawn", {
                    "id": item.id, "kind": kind_of(item), "agency": item.agency,
                    "subject": item.subject.to_dict(), "withdrawn_as_of": when.isoformat(),
                    "withdrawn_by": changes.causes.get(item.id, [])[:MAX_CAUSES]})
        return changes.added

    def _publish(self, caused: Sequence[Alert | StatusChange]) -> None:
        for item in caused:
            event = "alert" if isinstance(item, Alert) else "status_change"
            self.events.publish(event, item.to_dict())

    def _session_now(self) -> tuple[RuleSession, Changes]:
        """The session at the evaluation date: started (or restarted when the date moved
        back) with a replay, or advanced to it."""
        when = self.as_of()
        if self._session is None or when < self._session.clock:
            self._seen = self.log.last_seq()
            self._session = RuleSession.start(self.log, when)
            self._persisted = False
            return self._session, Changes()
        return self._session, self._session.advance_changes(when)

    def _current(self) -> tuple[tuple[int, date], ReplayResult, list[dict[str, Any]]]:
        """The session's position, result and status rows, rebuilt only when the log or
        date moved. While another thread writes, a read is answered from the last view (the
        log as it stood before that write, whole and consistent) instead of waiting for the
        rules to finish; the writer's own response carries what its write caused."""
        view = self._view
        if not self.write_lock.acquire(blocking=view is None):
            assert view is not None
            return view
        try:
            self._sync()
            session, _ = self._session_now()
            key = (self._seen, session.clock)
            if self._view is None or self._view[0] != key:
                result = session.result()
                self._view = (key, result, status_rows(result.statuses))
            return self._view
        finally:
            self.write_lock.release()

    def _evaluated(self, when: date) -> tuple[tuple[int, date], ReplayResult]:
        """The evaluation as of ``when`` and the (log position, date) it was computed at."""
        if when == self.as_of():
            key, result, _rows = self._current()
            return key, result
        key = (self.log.last_seq(), when)
        return key, self._replays.get(key, lambda: replay(self.log, when, persist=False))

    def evaluation(self, as_of: date | None = None) -> ReplayResult:
        """The rules' evaluation of the current log as of a date (nothing persisted): the
        session for the service's date, else a cached replay."""
        return self._evaluated(self.as_of(as_of))[1]

    def derived(self, name: Hashable, as_of: date | None,
                compute: Callable[[ReplayResult], Any]) -> Any:
        """``compute(evaluation)``, cached per (name, log position, as-of date): a view of
        the log and its evaluation (the sorted alert dicts, a filtered list) built once
        until the log or date moves. The value is shared by every caller — read-only."""
        key, result = self._evaluated(self.as_of(as_of))
        return self._derived.get((name, *key), lambda: compute(result))

    def rendered(self, name: Hashable, as_of: date | None,
                 render: Callable[[ReplayResult], bytes]) -> bytes:
        """``render(evaluation)`` — a response's bytes (a rendered list page, a trace) —
        cached per (name, log position, as-of date) like ``derived``, in its own larger LRU
        so many small entries (one trace per id) do not push out the shared views."""
        key, result = self._evaluated(self.as_of(as_of))
        return self._rendered.get((name, *key), lambda: render(result))

    def statuses(self, as_of: date | None = None) -> list[dict[str, Any]]:
        """One status row per target and task (``rules.replay.current_statuses``)."""
        when = self.as_of(as_of)
        if when == self.as_of():
            return self._current()[2]
        return self._statuses.get((self.log.last_seq(), when),
                                  lambda: current_statuses(self.evaluation(when)))

    def graph(self) -> PlanGraph:
        """The plan graph, brought up to date with the log."""
        with self._graph_lock:
            if self._graph is None:
                self._graph = PlanGraph.from_log(self.log)
            else:
                self._graph.refresh(self.log)
            return self._graph

    def write(self, facts: Sequence[Fact], username: str, key: str | None) -> WriteOutcome:
        """Append ``facts`` and assert them into the rules session; one writer at a time."""
        with self.write_lock:
            self._sync()
            appended = self.log.append(list(facts), submitted_by=username, batch=key)
            if all(a.status == "duplicate" for a in appended):
                return WriteOutcome(appended)
            caused = self._sync()
            self._persist_start()  # when no start-up ran (an app used without its lifespan)
        return WriteOutcome(
            appended,
            alerts=[o.to_dict() for o in caused if isinstance(o, Alert)],
            status_changes=[o.to_dict() for o in caused if isinstance(o, StatusChange)])

    def close(self) -> None:
        self.log.close()
        self.store.close()
