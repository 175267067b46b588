"""Caches owned by a session: one computation per key at a time, none under the lock, and no
KeyError when filling, clearing and reading interleave across threads."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator

import pytest

from rules.memo import Cache, Memo

GUARD = 30  # seconds: only so a broken cache fails the test instead of hanging it


@pytest.fixture
def fast_switching() -> Iterator[None]:
    """Switch threads every microsecond, so check / clear / read interleave often."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


class _Key:
    """A key hashed in Python: the interpreter may switch threads inside every lookup, between
    a cache's "is it there?" and its "give it to me" (the race a check-then-index cache has:
    this test fails against one — KeyError in most runs)."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __hash__(self) -> int:
        return hash(self.n)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Key) and other.n == self.n


def _hammer(worker: object, threads: int = 8) -> list[BaseException]:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            worker()  # type: ignore[operator]
        except BaseException as err:  # noqa: BLE001 - the test reports whatever it was
            errors.append(err)

    pool = [threading.Thread(target=run) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(GUARD)
    return errors


def test_memo_fill_clear_and_read_interleave_without_error(fast_switching: None) -> None:
    memo: Memo[int] = Memo(limit=3)  # cleared every third new key

    def worker() -> None:
        for n in range(20_000):
            key = n % 7
            assert memo.get(_Key(key), lambda k=key: k * k) == key * key

    assert _hammer(worker) == []
    assert len(memo) <= 3


def test_cache_fill_evict_and_read_interleave_without_error(fast_switching: None) -> None:
    cache: Cache[int] = Cache(size=2)

    def worker() -> None:
        for n in range(5_000):
            key = n % 5
            assert cache.get(_Key(key), lambda k=key: k + 100) == key + 100
            if n % 97 == 0:
                cache.clear()

    assert _hammer(worker) == []
    assert len(cache) <= 2


def test_one_computation_per_key_and_other_keys_do_not_wait() -> None:
    cache: Cache[str] = Cache(size=8)
    cache.get("ready", lambda: "kept")
    started, release = threading.Event(), threading.Event()
    calls: list[str] = []

    def slow() -> str:
        calls.append("slow")
        started.set()
        assert release.wait(GUARD)
        return "slow value"

    results: dict[str, str] = {}
    first = threading.Thread(target=lambda: results.update(first=cache.get("slow", slow)))
    first.start()
    assert started.wait(GUARD)
    # the same key: waits for the first computation instead of starting another
    second = threading.Thread(target=lambda: results.update(
        second=cache.get("slow", lambda: calls.append("again") or "other")))
    second.start()
    # another key and a computed key are answered while "slow" is still being computed
    other_done = threading.Event()
    other = threading.Thread(target=lambda: (results.update(
        other=cache.get("other", lambda: "other value"), ready=cache.get("ready", str)),
        other_done.set()))
    other.start()
    assert other_done.wait(GUARD)
    assert not release.is_set() and "first" not in results and "second" not in results
    assert (results["other"], results["ready"]) == ("other value", "kept")
    release.set()
    for thread in (first, second, other):
        thread.join(GUARD)
    assert results["first"] == results["second"] == "slow value"
    assert calls == ["slow"]


def test_a_failed_computation_is_not_kept() -> None:
    cache: Cache[int] = Cache(size=4)

    def boom() -> int:
        raise ValueError("no")

    with pytest.raises(ValueError):
        cache.get("k", boom)
    assert cache.get("k", lambda: 7) == 7
    assert cache.get("k", boom) == 7


def test_cache_keeps_the_most_recently_used() -> None:
    cache: Cache[int] = Cache(size=2)
    cache.get("a", lambda: 1)
    cache.get("b", lambda: 2)
    cache.get("a", lambda: 0)  # used again: "b" is now the oldest
    cache.get("c", lambda: 3)
    assert cache.get("a", lambda: -1) == 1
    assert cache.get("b", lambda: -2) == -2
