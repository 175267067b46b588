"""The rules' live state of one fact log (phiên luật trực tiếp): what a running service (or any
long-lived process) evaluates with — the one ``RuleSession`` kept at the evaluation date, the
rule set pinned at start, the log followed, outcomes persisted, evaluations cached.

The rule set (the engine built from the rule files, the reporting calendar) is read once, when
the ``LiveSession`` is made, and used for everything it evaluates: the session at the
evaluation date and every off-date replay. A rule file edited while the service runs changes
neither, so an off-date read never disagrees with the live session; a restart reads the new
rules (``rules.store.reconcile`` then writes their conclusions to their own outcome sets).

Writing is serialised (``lock``): append to the log, assert the new facts into the session
(only the units they touch are re-judged), write the alerts and status changes it caused to
the outcome store (``outcomes``: ``rules.store``, never the fact log) — and withdraw the ones
it no longer concludes, so the store's current outcomes are a clean replay's — then
``publish`` the new ones. Reads for the
evaluation date come from the session; reads for another as-of date use a replay of the
current log, cached until the log changes. Views derived from an evaluation (the sorted alert
list, a rendered page) are cached per (name, log position, as-of date).

Facts appended by another process (another ``kehoach serve`` worker, a CLI import) are picked
up — read after the last sequence number seen — on the next read or write, or by ``follow``;
the alerts and status changes they cause here are published to this process's listeners.

``start`` writes to the outcome store what the start replay concluded (the rule set's set of
the evaluation date): a later start with the same log, date and rules writes nothing; when the
log or the date moved it writes the new conclusions and withdraws the ones no longer
concluded.

Caches (``rules.memo.Cache``) belong to the ``LiveSession``: an off-date replay is computed
once per (log position, date) at a time, without a lock held, so it never delays a read of
another date or of the live session.

A recording session (the one judge, ``kehoach judge``) also writes its status snapshot after
each pass (``rules.status_store``: every subject's status entry, tagged with the outcome set
it agrees with). A session made with ``judged_elsewhere=True`` (an API worker beside that
judge) judges nothing at all: its reads for the evaluation date are the judge's stored
outcomes and statuses (``rules.judged``), with how far the judge had read the log
(``position``); a date the judge has not judged raises ``NotJudged`` — never "no alerts".
Reads for other dates still replay the log in the worker (cached per log position and date).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from kg.log import AppendOutcome, Fact
from rules.engine import Engine, get_engine
from rules.judged import JudgedReader, outcome_tag
from rules.loader import load_calendar
from rules.memo import Cache
from rules.outcomes import Alert, StatusChange
from rules.replay import replay
from rules.results import ReplayResult, status_rows
from rules.session import Changes, RuleSession
from rules.status_store import StatusStore
from rules.store import MAX_CAUSES, OutcomeStore, kind_of, persist_changes, reconcile

CACHE_SIZE = 8  # off-date replays and their status rows
DERIVED_CACHE_SIZE = 64  # views × filters × as-of dates
RENDERED_CACHE_SIZE = 512  # rendered responses: pages × filters, traces and who per id

Publish = Callable[[str, dict[str, Any]], None]
"""Where new outcomes are announced: ``publish(event, payload)`` with event ``alert``,
``status_change`` or ``withdrawn`` (the service's broadcaster)."""

ViewKey = tuple[Hashable, date]


class View(NamedTuple):
    """One evaluation of the evaluation date as readers get it: its cache key (log position
    and, for a stored read, the judge's content tags; the date), the result, its status rows
    and the log position the judgement covers (``upto_seq``)."""

    key: ViewKey
    result: ReplayResult
    rows: list[dict[str, Any]]
    upto_seq: int
    judged_key: ViewKey
    """Changes with the evaluation only (stored: the judge's tags; a session: ``key``): for
    views of the evaluation alone, kept while the log moves and the judge has not."""


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


def _ignore(_event: str, _payload: dict[str, Any]) -> None:
    """No listener: outcomes are persisted, not announced."""


class LiveSession:
    """One log's live rules evaluation at a moving evaluation date, with the rule set pinned."""

    def __init__(self, log: Any, clock: Callable[[], date], publish: Publish = _ignore,
                 engine: Engine | None = None, calendar: dict[str, Any] | None = None,
                 record: bool = True, snapshot: bool = True,
                 judged_elsewhere: bool = False) -> None:
        self.log = log
        # False: a reader — evaluates by the same pinned rules, records and announces nothing
        # (another process, the one judge, writes the outcomes)
        self.record = record and not judged_elsewhere
        # True: judges nothing; the evaluation date's reads are the judge's stored ones
        self.judged_elsewhere = judged_elsewhere
        self.clock = clock  # the evaluation date (today, or the service's fixed as-of)
        self.engine = engine or get_engine()  # pinned: never re-read while this lives
        self.calendar = calendar or load_calendar()
        # where the outcomes go (and are read from): the rule set's own outcome sets
        self.outcomes = OutcomeStore(log, ruleset=self.engine.book.digest)
        # the status snapshot: written by a recording judge, read by the workers beside it
        self.statuses_store = (StatusStore(log, self.engine.book.digest)
                               if judged_elsewhere or (self.record and snapshot) else None)
        self._reader = (JudgedReader(self.outcomes, self.statuses_store)
                        if judged_elsewhere and self.statuses_store else None)
        self.lock = threading.RLock()  # the one writer
        self._publish = publish
        self._replays: Cache[ReplayResult] = Cache(CACHE_SIZE)
        self._statuses: Cache[list[dict[str, Any]]] = Cache(CACHE_SIZE)
        self._derived: Cache[Any] = Cache(DERIVED_CACHE_SIZE)
        self._rendered: Cache[bytes] = Cache(RENDERED_CACHE_SIZE)
        self._session: RuleSession | None = None
        self._seen = 0
        self._persisted = False
        self._view: View | None = None
        self._snapshotted: tuple[int, date, str] | None = None  # what the last snapshot was of
        if self.log.last_seq() and not judged_elsewhere:
            with self.lock:
                self._sync()

    def as_of(self, requested: date | None = None) -> date:
        return requested or self.clock()

    # -- following the log -----------------------------------------------------------------

    def start(self) -> None:
        """Record what the start replay concluded (a write before it records them instead)."""
        if self.judged_elsewhere:
            return
        with self.lock:
            self._sync()
            self._persist_start()
            self._snapshot()

    def follow(self) -> list[Alert | StatusChange]:
        """Catch up with facts other processes appended (and the date); what that caused
        here is persisted and published."""
        if self.judged_elsewhere:
            return []
        with self.lock:
            caused = self._sync()
            self._snapshot()
            return caused

    def _snapshot(self) -> None:
        """Write the status snapshot of the session as it stands (lock held; after its
        outcomes, so the tag it carries is theirs): what workers that do not judge read."""
        if self.statuses_store is None or not self.record or self._session is None:
            return
        session = self._session
        tag = outcome_tag(self.outcomes, session.clock)
        # statuses move only with a judgement (new facts, a moved date) or the outcomes it
        # stored: an idle pass of the judge (every poll) writes nothing, compares nothing
        mark = (self._seen, session.clock, tag)
        if mark == self._snapshotted:
            return
        self.statuses_store.write(session.clock, session.state.result.statuses, self._seen, tag)
        self._snapshotted = mark

    def _persist_start(self) -> None:
        """Make the store's outcomes the start replay's: write its conclusions, withdraw the
        ones it no longer concludes (unless the set was written from a later log position)."""
        if not self._persisted and self.record:
            session = self._session_now()[0]
            reconcile(self.outcomes, session.result().outcomes, session.clock, self._seen)
            self._persisted = True

    def _sync(self) -> list[Alert | StatusChange]:
        """Bring the session to the evaluation date and the end of the log (lock held); what
        that caused, written to the outcome store and published."""
        session, advanced = self._session_now()
        caused = self._record(advanced, session.clock)
        last = self.log.last_seq()
        if last > self._seen:
            new = list(self.log.read(after_seq=self._seen, upto_seq=last))
            self._seen = last
            caused += self._record(session.judge_facts(new), session.clock)
        return caused

    def _record(self, changes: Changes, when: date) -> list[Alert | StatusChange]:
        """Persist a re-judgement (new and revised outcomes, withdrawals of dropped ones) and
        publish the new outcomes and the withdrawals; the new outcomes."""
        if self.record and (changes.added or changes.revised or changes.withdrawn):
            persist_changes(self.outcomes, changes, when, self._seen)
            for item in changes.added:
                event = "alert" if isinstance(item, Alert) else "status_change"
                self._publish(event, item.to_dict())
            for item in changes.withdrawn:  # a live board drops it (event ``withdrawn``)
                self._publish("withdrawn", {
                    "id": item.id, "kind": kind_of(item), "agency": item.agency,
                    "subject": item.subject.to_dict(), "withdrawn_as_of": when.isoformat(),
                    "withdrawn_by": changes.causes.get(item.id, [])[:MAX_CAUSES]})
        return changes.added

    def _session_now(self) -> tuple[RuleSession, Changes]:
        """The session at the evaluation date: started (or restarted when the date moved
        back) with a replay by the pinned rules, or advanced to it."""
        when = self.as_of()
        if self._session is None or when < self._session.clock:
            self._seen = self.log.last_seq()
            self._session = RuleSession.start(self.log, when, engine=self.engine,
                                              calendar=self.calendar)
            self._persisted = False
            return self._session, Changes()
        return self._session, self._session.advance_changes(when)

    # -- writing ---------------------------------------------------------------------------

    def write(self, facts: Sequence[Fact], username: str, key: str | None) -> WriteOutcome:
        """Append ``facts`` and assert them into the rules session; one writer at a time."""
        if self.judged_elsewhere:  # the judge judges it (``service.judge.JudgeLink``)
            return WriteOutcome(self.log.append(list(facts), submitted_by=username, batch=key))
        with self.lock:
            self._sync()
            appended = self.log.append(list(facts), submitted_by=username, batch=key)
            if all(a.status == "duplicate" for a in appended):
                return WriteOutcome(appended)
            caused = self._sync()
            self._persist_start()  # when no start-up ran (used without ``start``)
            self._snapshot()
        return WriteOutcome(
            appended,
            alerts=[o.to_dict() for o in caused if isinstance(o, Alert)],
            status_changes=[o.to_dict() for o in caused if isinstance(o, StatusChange)])

    # -- reading ---------------------------------------------------------------------------

    def _current(self) -> View:
        """The session's position, result and status rows, rebuilt only when the log or
        date moved. While another thread writes, a read is answered from the last view (the
        log as it stood before that write, whole and consistent) instead of waiting for the
        rules to finish; the writer's own response carries what its write caused.
        Judged elsewhere: the judge's stored evaluation (``rules.judged``)."""
        if self._reader is not None:
            return self._stored()
        view = self._view
        if not self.lock.acquire(blocking=view is None):
            assert view is not None
            return view
        try:
            self._sync()
            session, _ = self._session_now()
            key: ViewKey = (self._seen, session.clock)
            if self._view is None or self._view.key != key:
                result = session.result()
                self._view = View(key, result, status_rows(result.statuses), self._seen, key)
            return self._view
        finally:
            self.lock.release()

    def _stored(self) -> View:
        """The judge's stored evaluation of the evaluation date, keyed by the log position
        too (views also show facts the judge may not have judged yet)."""
        assert self._reader is not None
        judged = self._reader.read(self.as_of())
        key: ViewKey = ((self.log.last_seq(), judged.tag), judged.as_of)
        view = self._view
        if view is None or view.key != key or view.upto_seq != judged.upto_seq:
            view = self._view = View(key, judged.result, judged.rows, judged.upto_seq,
                                     (judged.tag, judged.as_of))
        return view

    def position(self, as_of: date | None = None) -> tuple[int, int]:
        """(how far in the log the evaluation of ``as_of`` has judged, the log's last
        position): equal unless a judge elsewhere has not yet judged the latest facts."""
        when = self.as_of(as_of)
        if when == self.as_of():
            view = self._current()
            return view.upto_seq, max(self.log.last_seq(), view.upto_seq)
        last = self.log.last_seq()
        return last, last

    def _evaluated(self, when: date, judged_only: bool = False
                   ) -> tuple[ViewKey, ReplayResult]:
        """The evaluation as of ``when`` and the (log position, date) it was computed at
        (``judged_only``: its ``View.judged_key`` instead)."""
        if when == self.as_of():
            view = self._current()
            return (view.judged_key if judged_only else view.key), view.result
        key = (self.log.last_seq(), when)
        return key, self._replays.get(key, lambda: self.replay(when))

    def replay(self, when: date) -> ReplayResult:
        """A replay of the log as it is now, as of ``when``, by the pinned rule set (nothing
        persisted; uncached — ``evaluation`` caches it)."""
        return replay(self.log, when, persist=False, engine=self.engine, calendar=self.calendar)

    def evaluation(self, as_of: date | None = None) -> ReplayResult:
        """The rules' evaluation of the current log as of a date (nothing persisted): the
        session for the evaluation date, else a cached replay."""
        return self._evaluated(self.as_of(as_of))[1]

    def derived(self, name: Hashable, as_of: date | None,
                compute: Callable[[ReplayResult], Any], judged_only: bool = False) -> Any:
        """``compute(evaluation)``, cached per (name, log position, as-of date): a view of
        the log and its evaluation (the sorted alert dicts, a filtered list) built once
        until the log or date moves. The value is shared by every caller — read-only.
        ``judged_only``: the view reads the evaluation alone (no fact of the log), so it is
        kept until the evaluation moves — beside an external judge, a write then costs one
        rebuild (when judged), not two (appended, then judged)."""
        key, result = self._evaluated(self.as_of(as_of), judged_only)
        return self._derived.get((name, *key), lambda: compute(result))

    def rendered(self, name: Hashable, as_of: date | None,
                 render: Callable[[ReplayResult], bytes], judged_only: bool = False) -> bytes:
        """``render(evaluation)`` — a response's bytes — cached like ``derived``, in its own
        larger LRU so many small entries (one trace per id) do not push out the shared views."""
        key, result = self._evaluated(self.as_of(as_of), judged_only)
        return self._rendered.get((name, *key), lambda: render(result))

    def statuses(self, as_of: date | None = None) -> list[dict[str, Any]]:
        """One status row per target and task (``rules.replay.current_statuses``)."""
        when = self.as_of(as_of)
        if when == self.as_of():
            return self._current().rows
        return self._statuses.get((self.log.last_seq(), when),
                                  lambda: status_rows(self.evaluation(when).statuses))

    def close(self) -> None:
        """Close the stores' connections (the log is the caller's)."""
        self.outcomes.close()
        if self.statuses_store is not None:
            self.statuses_store.close()
