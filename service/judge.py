"""One judge, many readers (một tiến trình xét luật, nhiều tiến trình phục vụ).

A deployment whose API runs in several worker processes (a national one on PostgreSQL) runs the
rules in exactly one process, ``kehoach judge`` (``Judge``): it follows the fact log, keeps the
live rules session (``rules.live.LiveSession``: the rule set pinned at start), stores what the
rules conclude in the outcome store (``rules.store``) and announces each new alert, status
change and withdrawal (``service.notify.Announcements``). Judging a write once, not once per
worker, is the point: before, every worker re-judged every write.

API workers started with ``KEHOACH_JUDGE=external`` (``kehoach serve --judge external``) hold a
``JudgeLink`` instead of judging writes: a write appends its facts, waits (at most
``Settings.judge_wait_seconds``) until the judge has judged past them and answers with what the
judge announced meanwhile; a background thread hands every announcement to the worker's
live-stream listeners, so an alert caused by a write on any worker reaches the SSE clients of
every worker. Without that setting a service judges its own writes, as one office on SQLite
always has.

A national database holds many jurisdictions (địa bàn); each is judged on its own facts by its
own ``Judge``. ``JudgeAll`` (``kehoach judge --all-jurisdictions``) runs one ``Judge`` per
jurisdiction of the database in one process — the jurisdictions present at start and those whose
first facts arrive later — so a national deployment runs one judging process, and the national
view (``service.views.national``) finds every jurisdiction's outcomes stored.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from kg.errors import KehoachError
from kg.log import Fact
from rules.live import LiveSession, WriteOutcome
from service import heap
from service.events import Broadcaster
from service.notify import LOG_CHANNEL, Announcements

LOGGER = logging.getLogger("kehoach.judge")

CAUSED = ("alert", "status_change")


class Judge:
    """The judging process of one jurisdiction's log: follows it, judges, stores, announces."""

    def __init__(self, log: Any, clock: Callable[[], date], poll: float = 0.2) -> None:
        self.log = log
        self.feed = Announcements(log, poll, channel=LOG_CHANNEL)
        try:
            self.feed.claim_judge()  # exactly one judge per database and jurisdiction
        except BaseException:
            self.feed.close()
            raise
        self._pending: list[tuple[str, dict[str, Any]]] = []  # this pass's announcements
        self.live = LiveSession(log, clock, publish=self._announce)
        self._judged = -1
        self.ready = threading.Event()  # set once the start replay is stored

    def start(self) -> None:
        """Record what the start replay concludes (the outcome store made a clean replay's)."""
        mark = self.log.last_seq()
        self.live.start()
        self._mark(mark)
        heap.settle()
        self.ready.set()

    def step(self) -> int:
        """Judge what was appended since the last step (and a moved date); how many new
        outcomes it announced."""
        mark = self.log.last_seq()
        caused = self.live.follow()
        self._mark(mark)
        heap.settle()
        return len(caused)

    def _announce(self, event: str, data: dict[str, Any]) -> None:
        """``rules.live.Publish``: kept until the pass ends, then written in one go."""
        self._pending.append((event, data))

    def _mark(self, upto_seq: int) -> None:
        """Write this pass's announcements and how far it judged (one transaction)."""
        if upto_seq != self._judged or self._pending:
            self.feed.judged(upto_seq, self._pending)
            self._pending = []
            self._judged = upto_seq

    def run(self, stop: threading.Event) -> None:
        """Start (unless started), then judge each new fact until ``stop`` is set (waking on
        the log's NOTIFY on PostgreSQL, polling on SQLite)."""
        if not self.ready.is_set():
            self.start()
        while not stop.is_set():
            self.feed.wait()
            if not stop.is_set():
                self.step()

    def close(self) -> None:
        """Close its announcements and its live session's stores (the log is the caller's:
        a judge of ``JudgeAll`` shares the database's handle)."""
        self.feed.close()
        self.live.close()


class JudgeAll:
    """One process judging every jurisdiction of a database: a ``Judge`` per jurisdiction,
    each on a handle confined to it (``log.within``: one connection for the facts), so no
    jurisdiction's facts reach another's judgement. Jurisdictions whose first facts arrive
    while it runs are picked up every ``rescan`` seconds; one another ``kehoach judge``
    already judges is left to it (``judge_running``) and tried again at the next rescan."""

    def __init__(self, log: Any, clock: Callable[[], date], poll: float = 0.2,
                 rescan: float = 5.0) -> None:
        self.log = log  # the database's handle: lists the jurisdictions, lends ``within``
        self.clock = clock
        self.poll = poll
        self.rescan = rescan
        self.judges: dict[str, Judge] = {}
        self.skipped: dict[str, str] = {}  # code → why it is not judged here (for the CLI)
        self._scanned = 0.0

    def codes(self) -> list[str]:
        """The jurisdictions of the database that hold facts (the unscoped legacy log ``''``
        is judged by a plain ``kehoach judge`` on a database without a default)."""
        return sorted(code for code, kinds in self.log.jurisdictions().items()
                      if code and sum(kinds.values()))

    def add_new(self) -> list[str]:
        """Start a ``Judge`` for each jurisdiction not judged yet; the codes started."""
        started = []
        for code in self.codes():
            if code in self.judges:
                continue
            try:
                judge = Judge(self.log.within(code), self.clock, self.poll)
            except KehoachError as err:  # another judge holds it: leave it to that one
                if err.code != "judge_running":
                    raise
                self.skipped[code] = err.en
                continue
            try:
                judge.start()
            except BaseException:
                judge.close()
                raise
            self.skipped.pop(code, None)
            self.judges[code] = judge
            started.append(code)
        self._scanned = time.monotonic()
        return started

    def step(self) -> int:
        """One pass over every jurisdiction: judge what was appended to it since its last
        pass (and a moved date); how many new outcomes were announced."""
        return sum(judge.step() for judge in list(self.judges.values()))

    def _wait(self) -> None:
        """Sleep until the log may have moved: the first judge's wake-up (PostgreSQL: a
        NOTIFY of any jurisdiction's append; SQLite: ``poll``); the others' pending
        notifications are drained so none piles up on their connections."""
        judges = list(self.judges.values())
        if not judges:
            time.sleep(self.poll)
            return
        judges[0].feed.wait()
        for judge in judges[1:]:
            judge.feed.wait(0)

    def run(self, stop: threading.Event) -> None:
        """Judge every jurisdiction until ``stop`` is set."""
        if not self._scanned:
            self.add_new()
        while not stop.is_set():
            self._wait()
            if stop.is_set():
                break
            if time.monotonic() - self._scanned >= self.rescan:
                self.add_new()
            self.step()

    def close(self) -> None:
        for judge in self.judges.values():
            judge.close()
        self.judges = {}


@dataclass
class JudgedWrite(WriteOutcome):
    """A write on a worker that does not judge: what the judge announced for it, and whether
    it had judged it within the wait (``judged`` false: its alerts will reach the live stream
    when the judge gets to it — none is claimed here)."""

    judged: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "judged": self.judged}


class JudgeLink:
    """A worker's link to the judge: writes without judging, forwards announcements."""

    def __init__(self, log: Any, events: Broadcaster, wait_seconds: float = 10.0,
                 poll: float = 0.2) -> None:
        self.log = log
        self.events = events
        self.wait_seconds = wait_seconds
        self.feed = Announcements(log, poll)
        self._forwarded = self.feed.last()  # listeners get what is announced from now on
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Forward announcements to the broadcaster in a background thread."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._forward_loop, name="judge-link",
                                            daemon=True)
            self._thread.start()

    def _forward_loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.forward()
            except Exception:  # a lost connection: retried on the next turn
                LOGGER.exception("reading the judge's announcements failed")
            self.feed.wait()

    def forward(self) -> int:
        """Publish the announcements made since the last call; how many."""
        found = self.feed.since(self._forwarded)
        for seq, event, data in found:
            self.events.publish(event, data)
            self._forwarded = seq
        return len(found)

    def write(self, facts: Sequence[Fact], username: str, key: str | None) -> JudgedWrite:
        """Append ``facts``; answer with the alerts and status changes the judge announced
        once it has judged past them (or ``judged`` false after ``wait_seconds``)."""
        before = self.feed.last()
        appended = self.log.append(list(facts), submitted_by=username, batch=key)
        if all(a.status == "duplicate" for a in appended):
            return JudgedWrite(appended)
        judged = self._wait_for(max(a.fact.seq for a in appended))
        caused = [(event, data) for _seq, event, data in self.feed.since(before)
                  if event in CAUSED]
        return JudgedWrite(appended,
                           alerts=[d for e, d in caused if e == "alert"],
                           status_changes=[d for e, d in caused if e == "status_change"],
                           judged=judged)

    def _wait_for(self, seq: int) -> bool:
        deadline = time.monotonic() + self.wait_seconds
        while self.feed.position() < seq:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self.feed.wait(min(left, self.feed.poll))
        return True

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2 * self.feed.poll + 1)
        self.feed.close()
