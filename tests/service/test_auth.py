"""Log-in: OAuth2 password form → bearer token; session cookie for pages; expiry, disabled
accounts, argon2 hashes; the pages in Vietnamese with an English toggle."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.security import issue_token
from service.store import User
from tests.service.conftest import BACKENDS, PASSWORD, SECRET, bearer

STORAGE = BACKENDS  # tests that reach the database: on SQLite and PostgreSQL (conftest)
# on SQLite only — login forms, cookies and pages: request handling, no other storage path:
SQLITE_ONLY = {
    "test_login_refuses_offsite_next",
    "test_language_toggle_and_cookie",
    "test_pages_render_the_api_data",
    "test_report_form_errors_inline_in_vietnamese",
}


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    """Over HTTPS: off localhost the session cookie is ``Secure`` and only sent over HTTPS."""
    with TestClient(app, base_url="https://testserver") as c:
        yield c


def test_token_login_and_me(client):
    response = client.post("/api/v1/auth/token", data={"username": "tc", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()
    assert (token["token_type"], token["role"], token["agency"]) == (
        "bearer", "reporter", "so-tai-chinh")
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token['access_token']}"})
    assert me.json()["username"] == "tc"


def test_expired_or_foreign_token_is_401(client):
    user = User("tc", "reporter", "so-tai-chinh", False)
    expired, _ = issue_token(user, SECRET, -1)
    forged, _ = issue_token(user, "another-secret-" + "y" * 32, 10)
    for token in (expired, forged):
        response = client.get("/api/v1/targets", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401 and response.json()["code"] == "unauthorized"


def test_disabled_user_cannot_log_in_or_use_token(client, app):
    app.state.runtime.store.set_disabled("viewer")
    login = client.post("/api/v1/auth/token", data={"username": "viewer", "password": PASSWORD})
    assert login.status_code == 401
    assert client.get("/api/v1/targets", headers=bearer("viewer")).status_code == 401


def test_passwords_are_argon2_hashes(app):
    stored = app.state.runtime.store.get_user("admin").password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_pages_redirect_to_login_then_use_session_cookie(client):
    first = client.get("/alerts", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/login?next=/alerts"
    login = client.post("/login", data={"username": "yte", "password": PASSWORD,
                                        "next": "/alerts"}, follow_redirects=False)
    assert login.headers["location"] == "/alerts" and "kehoach_session" in login.cookies
    page = client.get("/alerts")
    assert page.status_code == 200 and "Cảnh báo" in page.text
    # the cookie is also accepted by the API, as the live stream needs
    assert client.get("/api/v1/auth/me").json()["username"] == "yte"


def test_login_refuses_offsite_next(client):
    login = client.post("/login", data={"username": "yte", "password": PASSWORD,
                                        "next": "//evil.example"}, follow_redirects=False)
    assert login.headers["location"] == "/"


def test_language_toggle_and_cookie(client):
    client.post("/login", data={"username": "admin", "password": PASSWORD})
    assert "Bảng theo dõi mục tiêu" in client.get("/").text
    english = client.get("/?lang=en")
    assert "Targets board" in english.text and english.cookies.get("kehoach_lang") == "en"
    assert "Targets board" in client.get("/").text


def test_pages_render_the_api_data(client):
    client.post("/login", data={"username": "admin", "password": PASSWORD})
    api = client.get("/api/v1/agencies/so-y-te/portfolio").json()
    page = client.get("/agencies/so-y-te").text
    assert all(t["summary"] in page for t in api["tasks"])
    chart = client.get("/indicators/budget_revenue").text
    assert "/static/vendor/chart.umd.js" in chart and '"actual_pct": 52.0' in chart
    assert client.get("/static/vendor/chart.umd.js").status_code == 200
    missing = client.get("/indicators/khong-co")
    assert missing.status_code == 404 and "khong-co" in missing.text


def test_report_form_errors_inline_in_vietnamese(client):
    client.post("/login", data={"username": "tc", "password": PASSWORD})
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', client.get("/report").text)[1]
    page = client.post("/report", data={"indicator": "budget_revenue", "period": "9T/2024",
                                        "value": "4,59.5", "as_of": "2024-09-30",
                                        "csrf_token": token})
    assert page.status_code == 422
    assert 'data-field="value"' in page.text and "dấu thập phân" in page.text
    foreign = client.post("/report", data={"indicator": "tourists", "period": "9T/2024",
                                           "value": "1.000", "as_of": "2024-09-30",
                                           "csrf_token": token})
    assert foreign.status_code == 403 and "không phải cơ quan của bạn" in foreign.text
