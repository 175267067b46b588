"""The live alerts stream (Server-Sent Events) read over real HTTP from the shared uvicorn
server: a reporter's figure produces an ``alert`` and a ``status_change`` event."""

from __future__ import annotations

import json
import threading

import httpx

from tests.service.conftest import BACKENDS, bearer

STORAGE = BACKENDS  # tests that reach the database: on SQLite and PostgreSQL (conftest)


def read_events(lines, wanted: int) -> list[tuple[str, dict]]:
    events, name = [], None
    for line in lines:
        if line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: ") and name:
            events.append((name, json.loads(line[6:])))
            if len(events) >= wanted:
                return events
    return events


def test_stream_requires_login(live_server):
    assert httpx.get(f"{live_server}/api/v1/alerts/stream").status_code == 401


def test_stream_delivers_alert_caused_by_a_write(live_server):
    body = {"indicator": "budget_revenue", "period": "9T/2024", "value": "5.100",
            "pct_of_plan": "51", "as_of": "2024-09-30"}
    with httpx.Client(base_url=live_server, timeout=20) as http, http.stream(
            "GET", "/api/v1/alerts/stream", headers=bearer("viewer")) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        lines = stream.iter_lines()
        assert read_events(lines, 1)[0][0] == "ready"
        writer = threading.Thread(target=lambda: httpx.post(
            f"{live_server}/api/v1/observations", json=body, headers=bearer("tc"), timeout=20))
        writer.start()
        events = read_events(lines, 2)
        writer.join()
    kinds = {name for name, _ in events}
    assert kinds == {"alert", "status_change"}
    alert = next(data for name, data in events if name == "alert")
    assert alert["subject"]["id"] == "budget_revenue@2024" and alert["kind"] == "off_track"
