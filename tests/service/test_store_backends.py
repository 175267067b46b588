"""The service's own tables (service/store.py: users, audit, idempotency claims, log-in
throttling) on both backends of the log's database — the SQLite file and a real PostgreSQL
(tests/pg.py) — through ServiceStore's public methods."""

from __future__ import annotations

import threading

import pytest

from service.store import PENDING, ServiceStore, StoreError


@pytest.fixture
def target(log_backend):
    return log_backend.target("store")


@pytest.fixture
def store(target):
    opened = ServiceStore(target, jurisdiction="lang-son")
    yield opened
    opened.close()


def test_users_are_added_once_found_disabled_and_scoped(store):
    added = store.add_user("lan", "hash-1", "reporter", "so-tai-chinh")
    assert added.jurisdiction == "lang-son"
    with pytest.raises(StoreError) as err:
        store.add_user("lan", "hash-2", "viewer")
    assert err.value.code == "user_exists" and "đã có" in err.value.vi
    assert store.get_user("lan").password_hash == "hash-1"
    assert store.set_disabled("lan").disabled is True
    store.set_password("lan", "hash-3")
    assert store.get_user("lan").password_hash == "hash-3"
    with pytest.raises(StoreError) as err:
        store.set_disabled("nobody")
    assert err.value.code == "user_not_found"
    assert [u.username for u in store.users()] == ["lan"]


def test_the_audit_is_append_only_in_the_database(store, target, log_backend):
    first = store.audit(username="lan", role="reporter", action="write", target="obs-1",
                        outcome="ok", status=201, client="10.0.0.1", detail={"n": 1})
    second = store.audit(username=None, role=None, action="login", target=None,
                         outcome="denied", status=401, client="10.0.0.2")
    assert second > first > 0
    records = store.audit_records(outcome="ok")
    assert [(r["seq"], r["detail"]) for r in records] == [(first, {"n": 1})]
    raw = log_backend.raw(target)
    for sql in ("UPDATE service_audit SET outcome='ok'", "DELETE FROM service_audit"):
        with pytest.raises(log_backend.error, match="append-only"):
            raw.execute(sql)
    raw.close()


def test_one_of_many_concurrent_claims_wins_and_its_answer_is_kept(store, target):
    others = [ServiceStore(target, jurisdiction="lang-son") for _ in range(4)]
    won: list[bool] = []

    def claim(s: ServiceStore) -> None:
        won.append(s.claim("lan", "k-1", "h"))

    threads = [threading.Thread(target=claim, args=(s,)) for s in others]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for s in others:
        s.close()
    assert sorted(won) == [False, False, False, True]
    assert store.recall("lan", "k-1").status == PENDING
    store.remember("lan", "k-1", "h", 201, {"ok": True})
    assert store.recall("lan", "k-1").response == {"ok": True}
    store.remember("lan", "k-1", "h", 500, {"ok": False})  # an answer is never replaced
    assert store.recall("lan", "k-1").status == 201
    assert store.claim("lan", "k-2", "h") and not store.claim("lan", "k-2", "h")
    store.release("lan", "k-2")
    assert store.recall("lan", "k-2") is None and store.claim("lan", "k-2", "h")


def test_log_in_failures_lock_an_account_and_a_success_clears_it(store):
    now = 1_750_000_000.5
    claims = [store.claim_login("lan", "10.0.0.1", window_seconds=900, max_account=3,
                                max_address=20, now=now + i) for i in range(4)]
    assert [c.attempt is not None for c in claims] == [True, True, True, False]
    assert claims[3].retry_after == pytest.approx(900 - 3, abs=0.01)  # to the 1/10 s
    store.login_succeeded(claims[2].attempt, "lan")
    again = store.claim_login("lan", "10.0.0.1", window_seconds=900, max_account=3,
                              max_address=20, now=now + 5)
    assert again.attempt is not None
