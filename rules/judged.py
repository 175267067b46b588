"""What the judge concluded, read back (kết quả đã xét): the evaluation of one date as the one
judging process (``kehoach judge``) stored it — its outcomes (``rules.store``) and its status
snapshot (``rules.status_store``) — for processes that append facts but do not judge (API
workers under ``--judge external``). Reading it costs a few indexed queries and the rows
written since the last read; nothing is judged again.

The result is a ``ReplayResult`` like the live session's, so every view reads it alike, plus
how far in the log the judge had read (``upto_seq``): a reader whose log has moved past it says
so ("judged up to seq N") rather than presenting the judged state as the log's.

Consistency: the judge writes its outcomes, then its statuses tagged with the outcome set's
generation. A read takes the status set's tag and the outcome set's generation, reads the rows
written since the last read, and takes both again; when the tags disagree or moved it caught
the judge mid-write and reads again (a few times, then answers with the last whole read).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from rules.errors import RuleError
from rules.outcomes import Alert, StatusChange, outcome_from_dict
from rules.results import ReplayResult, status_rows
from rules.status_store import Entry, StatusStore
from rules.store import OutcomeStore

RETRIES = 50
RETRY_SECONDS = 0.005


class NotJudged(RuleError):
    """The judge has not judged this log as of this date (yet): no statuses or alerts can be
    given — never "none"."""

    code = "not_judged"


@dataclass(frozen=True)
class Judged:
    """One whole read of the judge's stored evaluation of ``as_of``."""

    as_of: date
    tag: tuple[str, int]  # (outcome set tag, status set generation): changes with the content
    upto_seq: int  # the log position the judge had read
    result: ReplayResult
    rows: list[dict[str, Any]]  # status_rows(result.statuses)


def _mark_text(mark: tuple[str, int] | None) -> str:
    """An outcome-store mark (set date, generation) as a status set records it."""
    return f"{mark[0]}:{mark[1]}" if mark else "-"


def outcome_tag(store: OutcomeStore, as_of: date) -> str:
    """The outcome set's tag a status set written now agrees with (``StatusSet.outcomes``)."""
    return _mark_text(store.generation(as_of))


class JudgedReader:
    """Follows the judge's stored evaluation of one date (held in memory, caught up by
    generation); one refresh at a time, readers meanwhile get the last whole read."""

    def __init__(self, outcomes: OutcomeStore, statuses: StatusStore) -> None:
        self.outcomes = outcomes
        self.statuses = statuses
        self._lock = threading.Lock()
        self._view: Judged | None = None
        self._held: dict[str, Alert | StatusChange] = {}
        self._held_mark: tuple[str, int] | None = None  # the outcome state ``_held`` is
        self._entries: dict[str, Entry] = {}
        self._held_generation = -1  # the status state ``_entries`` is, of ``_held_base``
        self._held_base: int | None = None

    def read(self, as_of: date) -> Judged:
        """The judge's evaluation of ``as_of`` as stored now; ``NotJudged`` when it has
        stored none for that date."""
        view = self._view
        if not self._lock.acquire(blocking=view is None or view.as_of != as_of):
            assert view is not None
            return view
        try:
            for _ in range(RETRIES):
                got = self._attempt(as_of)
                if got is not None:
                    self._view = got
                    return got
                time.sleep(RETRY_SECONDS)
            if self._view is not None and self._view.as_of == as_of:
                return self._view  # the judge writes without pause: its last whole state
            raise _not_judged(as_of)
        finally:
            self._lock.release()

    def _attempt(self, as_of: date) -> Judged | None:
        """One read; None when it caught the judge between its two writes."""
        meta = self.statuses.meta(as_of)
        if meta is None:
            raise _not_judged(as_of)
        tag = outcome_tag(self.outcomes, as_of)
        if tag != meta.outcomes:
            return None
        view = self._view
        if view is not None and view.as_of == as_of and view.tag == (tag, meta.generation):
            if view.upto_seq == meta.upto_seq:
                return view
            return Judged(as_of, view.tag, meta.upto_seq, view.result, view.rows)
        if view is not None and view.as_of != as_of:
            self._held, self._held_mark = {}, None
        if self._held_base != meta.base or (view is not None and view.as_of != as_of):
            self._entries, self._held_generation = {}, -1  # another set, or made again
        self._held_base = meta.base
        self._catch_up_outcomes(as_of)
        for subject, entry in self.statuses.changed(as_of, self._held_generation).items():
            if entry is None:
                self._entries.pop(subject, None)
            else:
                self._entries[subject] = entry
        again = self.statuses.meta(as_of)
        if again != meta or _mark_text(self._held_mark) != tag:
            return None  # moved while read: the rows read are newer, never lost (re-read)
        self._held_generation = meta.generation
        outcomes = sorted(self._held.values(), key=lambda o: (o.as_of, o.id))
        result = ReplayResult(outcomes=outcomes, statuses=dict(self._entries))
        return Judged(as_of, (tag, meta.generation), meta.upto_seq, result,
                      status_rows(result.statuses))

    def _catch_up_outcomes(self, as_of: date) -> None:
        """The held outcomes made the set's (``OutcomeStore.catch_up``: the difference since
        the held state — across date moves too — or the whole set when it must be re-read);
        only the outcomes not held are decoded."""
        caught = self.outcomes.catch_up(as_of, self._held_mark)
        if caught.whole:
            self._held = {}
        for gone in caught.drop:
            self._held.pop(gone["id"], None)
        for item in caught.put:
            self._held[item["id"]] = outcome_from_dict(item["kind"],
                                                       json.loads(item["fingerprint"]))
        self._held_mark = caught.mark


def _not_judged(as_of: date) -> NotJudged:
    return NotJudged(
        f"Chưa có kết quả xét luật ngày {as_of.isoformat()}: tiến trình 'kehoach judge' chưa "
        "xét sổ dữ kiện này (chưa chạy, hoặc đang khởi động); thử lại sau",
        f"No judged outcomes as of {as_of.isoformat()}: 'kehoach judge' has not judged this "
        "log yet (not running, or starting); retry later", text=as_of.isoformat())
