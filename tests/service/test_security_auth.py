"""Log-in throttling (429 ``too_many_attempts`` with ``Retry-After``, per account and per
address, across processes), one argon2 verification on every log-in path, CSRF defence of
cookie-authenticated writes (origin check + token; bearer calls untouched) and the session
cookie's ``Secure`` flag (issue 13, items 4 and 5)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher, extract_parameters
from fastapi.testclient import TestClient

from service import security
from service.app import create_app
from service.store import ServiceStore
from tests.service.conftest import BACKENDS, PASSWORD, bearer, make_settings

STORAGE = BACKENDS  # tests that reach the database: on SQLite and PostgreSQL (conftest)
# on SQLite only — CSRF and cookie flags: decided before any storage:
SQLITE_ONLY = {
    "test_cookie_write_from_a_foreign_origin_is_refused",
    "test_cookie_write_needs_the_token_even_from_the_same_origin",
    "test_bearer_calls_are_not_affected",
    "test_web_report_form_needs_same_origin_and_token",
    "test_logout_needs_the_token",
    "test_login_from_a_foreign_origin_is_refused",
    "test_session_cookie_is_secure_outside_localhost",
    "test_cookie_secure_setting_overrides_the_host_rule",
}

HOST = "https://testserver"
EVIL = "http://evil.example"
OBS = {"indicator": "budget_revenue", "period": "9T/2024", "value": "5.595,5",
       "pct_of_plan": "55,9", "as_of": "2024-09-30"}
PER_ACCOUNT, PER_ADDRESS, WINDOW = 3, 5, 600


def started(app: Any) -> TestClient:
    """Run the app's start-up (one lifespan per app: its end closes the runtime)."""
    return TestClient(app)


@pytest.fixture
def throttled(db: Path) -> Iterator[Any]:
    settings = make_settings(db).model_copy(update={
        "login_max_failures": PER_ACCOUNT, "login_max_failures_per_address": PER_ADDRESS,
        "login_window_seconds": WINDOW})
    application = create_app(settings)
    with started(application):
        yield application
    application.state.runtime.close()


@pytest.fixture
def live(app: Any, client: TestClient) -> Any:
    """The shared ``app``, started (by the ``client`` fixture)."""
    return app


def web_client(app: Any, address: str = "10.0.0.1", base_url: str = HOST) -> TestClient:
    """A browser-like client of a started app, from ``address``, with its own cookies."""
    return TestClient(app, base_url=base_url, client=(address, 50000))


def token_login(client: TestClient, username: str, password: str) -> Any:
    return client.post("/api/v1/auth/token", data={"username": username, "password": password})


def last_audit(app: Any) -> dict[str, Any]:
    return app.state.runtime.store.audit_records(limit=10_000)[-1]


# -- throttling --------------------------------------------------------------------------------

def test_wrong_passwords_lock_the_account_even_for_the_right_one(throttled):
    client = web_client(throttled)
    assert [token_login(client, "tc", "sai-mat-khau").status_code
            for _ in range(PER_ACCOUNT)] == [401] * PER_ACCOUNT
    locked = token_login(client, "tc", "sai-mat-khau")
    right = token_login(client, "tc", PASSWORD)
    for response in (locked, right):
        assert response.status_code == 429
        body = response.json()
        assert body["code"] == "too_many_attempts" and "thử lại sau" in body["error_vi"]
        assert "try again" in body["error_en"]
        assert 0 < int(response.headers["Retry-After"]) <= WINDOW
    record = last_audit(throttled)
    assert (record["action"], record["target"], record["outcome"], record["status"],
            record["detail"]["code"]) == ("POST /api/v1/auth/token", "tc", "refused", 429,
                                          "too_many_attempts")


def test_unknown_accounts_lock_the_same_way(throttled):
    client = web_client(throttled)
    codes = [token_login(client, "khong-co-ai", "x" * 8).status_code
             for _ in range(PER_ACCOUNT + 1)]
    assert codes == [401] * PER_ACCOUNT + [429]  # no difference that reveals existence


def test_success_resets_the_account_count(throttled):
    client = web_client(throttled)
    for _ in range(PER_ACCOUNT - 1):
        assert token_login(client, "tc", "sai-mat-khau").status_code == 401
    assert token_login(client, "tc", PASSWORD).status_code == 200
    after = [token_login(client, "tc", "sai-mat-khau").status_code
             for _ in range(PER_ACCOUNT + 1)]
    assert after == [401] * PER_ACCOUNT + [429]


def test_address_limit_spans_accounts_and_spares_other_addresses(throttled):
    names = ["tc", "yte", "auditor", "viewer", "khong-co-ai"]
    attacker, someone_else = web_client(throttled, "10.0.0.1"), web_client(throttled, "10.0.0.2")
    codes = [token_login(attacker, name, "sai-mat-khau").status_code for name in names]
    assert codes == [401] * PER_ADDRESS  # no account reached its own limit
    assert token_login(attacker, "admin", PASSWORD).status_code == 429
    assert token_login(someone_else, "admin", PASSWORD).status_code == 200


def test_web_login_form_is_throttled(throttled):
    form = {"username": "yte", "password": "sai-mat-khau", "next": "/"}
    client = web_client(throttled)
    for _ in range(PER_ACCOUNT):
        assert client.post("/login", data=form).status_code == 401
    locked = client.post("/login", data={**form, "password": PASSWORD},
                         follow_redirects=False)
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
    assert 'id="login-locked"' in locked.text and "thử lại sau" in locked.text
    assert "kehoach_session" not in locked.cookies
    assert last_audit(throttled)["detail"]["code"] == "too_many_attempts"


def test_counts_are_shared_by_processes_and_leave_the_window(db):
    """Two stores on one file stand for two worker processes."""
    first, second = ServiceStore(db), ServiceStore(db)
    limits = {"window_seconds": 900, "max_account": 2, "max_address": 100}
    try:
        for at in (1000.0, 1010.0):
            assert first.claim_login("tc", "10.0.0.1", now=at, **limits).attempt
        locked = second.claim_login("tc", "10.0.0.9", now=1020.0, **limits)
        assert locked.attempt is None and locked.retry_after == pytest.approx(880.0)
        # the lock lifts once the older failure leaves the window (at 1900)
        assert second.claim_login("tc", "10.0.0.9", now=1900.5, **limits).attempt
    finally:
        first.close()
        second.close()


def test_concurrent_guesses_cannot_outrun_the_count(db):
    store = ServiceStore(db)
    granted: list[int | None] = []
    start = threading.Barrier(12)

    def guess() -> None:
        start.wait()
        granted.append(store.claim_login("tc", "10.0.0.1", window_seconds=900, max_account=3,
                                         max_address=100).attempt)

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    store.close()
    assert sum(1 for attempt in granted if attempt) == 3


# -- one argon2 verification on every path -----------------------------------------------------

class CountingHasher(PasswordHasher):
    """The real argon2 hasher, recording which hashes it verified and how often it hashed."""

    def __init__(self) -> None:
        super().__init__()
        self.verified: list[str] = []
        self.hashed = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:  # noqa: A002
        self.verified.append(hash if isinstance(hash, str) else hash.decode())
        return super().verify(hash, password)

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        self.hashed += 1
        return super().hash(password, salt=salt)


def test_unknown_disabled_and_wrong_cost_one_equal_verification(client, app, monkeypatch):
    hasher = CountingHasher()
    monkeypatch.setattr(security, "HASHER", hasher)
    security.decoy_hash()  # built once per hasher (at start-up for the real one)
    app.state.runtime.store.set_disabled("viewer")
    cases = {"unknown": ("khong-co-ai", PASSWORD), "disabled": ("viewer", PASSWORD),
             "wrong": ("tc", "sai-mat-khau"), "right": ("tc", PASSWORD)}
    verified: dict[str, list[str]] = {}
    for case, (username, password) in cases.items():
        hasher.verified.clear()
        hasher.hashed = 0
        status = token_login(client, username, password).status_code
        assert status == (200 if case == "right" else 401)
        assert hasher.hashed == 0, case
        verified[case] = list(hasher.verified)
    assert all(len(hashes) == 1 for hashes in verified.values()), verified
    params = {case: extract_parameters(hashes[0]) for case, hashes in verified.items()}
    # the same time, memory and parallelism cost as the real account's hash
    assert all(p == params["right"] for p in params.values()), params


# -- CSRF -------------------------------------------------------------------------------------

@pytest.fixture
def session(live: Any) -> tuple[TestClient, str]:
    """A reporter's browser holding a session cookie, and the token its pages embed."""
    client = web_client(live)
    client.post("/login", data={"username": "tc", "password": PASSWORD})
    page = client.get("/report").text
    token = re.search(r'<meta name="csrf-token" content="([0-9a-f]+)">', page)
    assert token and f'name="csrf_token" value="{token[1]}"' in page
    return client, token[1]


def observations(app: Any) -> int:
    return len(list(app.state.runtime.log.current("observation")))


def test_cookie_write_from_a_foreign_origin_is_refused(session, live):
    client, token = session
    before = observations(live)
    for headers in ({"Origin": EVIL}, {"Origin": EVIL, "X-CSRF-Token": token},
                    {"Referer": EVIL + "/page"}, {"Origin": "null"}):
        response = client.post("/api/v1/observations", json=OBS, headers=headers)
        assert response.status_code == 403, headers
        body = response.json()
        assert body["code"] == "csrf_failed" and body["error_vi"] and body["error_en"]
    record = last_audit(live)
    assert (record["outcome"], record["status"], record["detail"]["code"]) == (
        "refused", 403, "csrf_failed")
    assert observations(live) == before


def test_cookie_write_needs_the_token_even_from_the_same_origin(session):
    client, token = session
    missing = client.post("/api/v1/observations", json=OBS, headers={"Origin": HOST})
    wrong = client.post("/api/v1/observations", json=OBS,
                        headers={"Origin": HOST, "X-CSRF-Token": "0" * 64})
    assert (missing.status_code, wrong.status_code) == (403, 403)
    assert missing.json()["errors"][0]["field"] == "csrf_token"
    ok = client.post("/api/v1/observations", json=OBS,
                     headers={"Origin": HOST, "X-CSRF-Token": token})
    assert ok.status_code == 201, ok.text


def test_bearer_calls_are_not_affected(client):
    response = client.post("/api/v1/observations", json=OBS,
                           headers={**bearer("tc"), "Origin": EVIL})
    assert response.status_code == 201, response.text


def test_web_report_form_needs_same_origin_and_token(session):
    client, token = session
    form = {**OBS, "csrf_token": token}
    forged = client.post("/report", data=form, headers={"Origin": EVIL})
    assert forged.status_code == 403 and "csrf_failed" in forged.text
    assert "chống giả mạo" in forged.text  # the error page, Vietnamese first
    tokenless = client.post("/report", data=OBS, headers={"Origin": HOST})
    assert tokenless.status_code == 403
    sent = client.post("/report", data=form, headers={"Origin": HOST})
    assert sent.status_code == 201 and 'id="result"' in sent.text
    by_referer = client.post("/report", data={**form, "value": "5.600"},
                             headers={"Referer": HOST + "/report"})
    assert by_referer.status_code == 201


def test_logout_needs_the_token(session):
    client, token = session
    assert client.post("/logout", headers={"Origin": HOST}).status_code == 403
    out = client.post("/logout", data={"csrf_token": token}, headers={"Origin": HOST},
                      follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login"


def test_login_from_a_foreign_origin_is_refused(live):
    client = web_client(live)
    forged = client.post("/login", data={"username": "tc", "password": PASSWORD},
                         headers={"Origin": EVIL}, follow_redirects=False)
    assert forged.status_code == 403 and "kehoach_session" not in forged.cookies
    own = client.post("/login", data={"username": "tc", "password": PASSWORD},
                      headers={"Origin": HOST}, follow_redirects=False)
    assert own.status_code == 303 and "kehoach_session" in own.cookies


# -- the cookie's Secure flag ------------------------------------------------------------------

def session_cookie_header(app: Any, base_url: str) -> str:
    login = web_client(app, base_url=base_url).post(
        "/login", data={"username": "tc", "password": PASSWORD}, follow_redirects=False)
    assert login.status_code == 303
    return next(v for v in login.headers.get_list("set-cookie")
                if v.startswith("kehoach_session="))


def test_session_cookie_is_secure_outside_localhost(live):
    outside = session_cookie_header(live, "http://kehoach.example")
    assert "Secure" in outside and "HttpOnly" in outside
    assert "Secure" not in session_cookie_header(live, "http://localhost:8000")
    assert "Secure" not in session_cookie_header(live, "http://127.0.0.1:8000")


@pytest.mark.parametrize("secure", [False, True])
def test_cookie_secure_setting_overrides_the_host_rule(db, secure):
    application = create_app(make_settings(db).model_copy(update={"cookie_secure": secure}))
    with started(application):
        header = session_cookie_header(application, "http://kehoach.example")
    application.state.runtime.close()
    assert ("Secure" in header) is secure
