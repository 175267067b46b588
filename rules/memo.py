"""Caches owned by whoever evaluates (bộ nhớ đệm của phiên): a session, an engine, a live service.

No module-level cache: a cache lives on the object whose lifetime bounds it, so two sessions
(or a test and a service) never see each other's entries, and dropping the session drops them.

- ``Memo``: answers of a cheap pure function (e.g. one report's % of plan check), bounded.
  Readers never index after a check (``get`` then fill), so a clear by another thread between
  the two cannot raise ``KeyError``.
- ``Cache``: an LRU of expensive values (an off-date replay, a rendered page) keyed by (log
  position, as-of date, …). The lock guards only the table; the value is computed outside it,
  once per key at a time: a second caller of the same key waits for the first one's result,
  callers of other keys and readers of computed ones do not wait at all.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Generic, TypeVar

V = TypeVar("V")
_MISSING = object()


class Memo(Generic[V]):
    """A bounded, thread-safe memo of a pure function's answers (cleared when full)."""

    def __init__(self, limit: int) -> None:
        self._items: dict[Hashable, V] = {}
        self._lock = threading.Lock()
        self._limit = limit

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        """The answer for ``key``, computed by ``compute`` the first time (two threads may
        both compute a missing key: the function is pure, either answer is the answer)."""
        value = self._items.get(key, _MISSING)
        if value is not _MISSING:
            return value  # type: ignore[return-value]
        value = compute()
        with self._lock:
            if len(self._items) >= self._limit:
                self._items.clear()
            self._items[key] = value
        return value

    def __len__(self) -> int:
        return len(self._items)


class Cache(Generic[V]):
    """An LRU of computed values; one computation per key at a time, none under the lock."""

    def __init__(self, size: int) -> None:
        self._items: OrderedDict[Hashable, Future[V]] = OrderedDict()
        self._lock = threading.Lock()
        self._size = size

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        """The value of ``key``: kept, being computed by another caller (waited for), or
        computed here. A failed computation is not kept: its waiters get its error, the next
        caller computes again."""
        with self._lock:
            future = self._items.get(key)
            mine = future is None
            if future is None:
                future = self._items[key] = Future()
                self._trim()
            else:
                self._items.move_to_end(key)
        if not mine:
            return future.result()
        try:
            value = compute()
        except BaseException as err:
            with self._lock:
                if self._items.get(key) is future:
                    del self._items[key]
            future.set_exception(err)
            raise
        future.set_result(value)
        return value

    def _trim(self) -> None:
        """Drop the least recently used entries beyond the size (lock held); one still being
        computed stays for its waiters, who hold its future."""
        while len(self._items) > self._size:
            self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
