"""Issue 13, cases 2, 3 and 8: edits carry a version precondition (ETag / If-Match) and never
drop one another; ad-hoc SPARQL is bounded in time and per user; bad bodies are refused
naming their cause (the Markdown escaping of case 8 is tests/rules/test_report_escaping.py)."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from kg.errors import VersionConflict
from kg.log import Fact, open_log
from service.app import create_app
from service.cli.app import build_app
from service.errors import ApiError
from service.limits import MAX_JSON_DEPTH, body_problem, json_depth, query_slot, query_slots_dir
from tests.service.conftest import BACKENDS, bearer, make_settings, start_uvicorn

STORAGE = BACKENDS  # tests that reach the database: on SQLite and PostgreSQL (conftest)
# on SQLite only — body parsing and OpenAPI text: refused or answered before any storage:
SQLITE_ONLY = {
    "test_json_nested_too_deep_names_the_limit",
    "test_json_within_the_depth_limit_reaches_the_route",
    "test_invalid_utf8_names_the_byte_offset",
    "test_a_good_body_with_vietnamese_text_passes_unchanged",
    "test_openapi_documents_if_match_and_409",
    "test_openapi_documents_the_sparql_refusals",
}

ADMIN = bearer("admin")

# path → (a change, another change to another field), each a function of the round
EDITS = {
    "/api/v1/targets/budget_revenue@2024": (
        lambda i: {"expression": f"≥{12 + i}"}, lambda i: {"baseline": f"{12 + i},1"}),
    "/api/v1/tasks/task-001-001": (
        lambda i: {"summary": f"Thu ngân sách, vòng {i}"},
        lambda i: {"deadline_text": f"trong năm 2024 (vòng {i})"}),
}


def _both_at_once(clients: list[TestClient], path: str, bodies: list[dict[str, Any]]
                  ) -> list[int]:
    """PATCH ``bodies`` to ``path`` from one thread each, released together."""
    start = threading.Barrier(len(bodies))
    codes: list[int] = [0] * len(bodies)

    def send(n: int) -> None:
        start.wait()
        codes[n] = clients[n % len(clients)].patch(path, json=bodies[n], headers=ADMIN
                                                   ).status_code

    threads = [threading.Thread(target=send, args=(n,)) for n in range(len(bodies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return codes


@pytest.mark.parametrize("path", list(EDITS))
def test_concurrent_patches_keep_both_fields(client, path):
    first, second = EDITS[path]
    for i in range(30):
        assert _both_at_once([client], path, [first(i), second(i)]) == [200, 200]
        record = client.get(path, headers=ADMIN).json()
        assert {**record, **first(i), **second(i)} == record, f"round {i} lost a field"


def test_two_processes_patching_one_log_keep_both_fields(db):
    """Two runtimes on one database file (two workers: two write locks): the version each
    edit replaces is checked in the log's transaction, and a lost race is merged again."""
    apps = [create_app(make_settings(db)) for _ in range(2)]
    try:
        with TestClient(apps[0]) as one, TestClient(apps[1]) as two:
            path = "/api/v1/targets/budget_revenue@2024"
            first, second = EDITS[path]
            for i in range(30):
                assert _both_at_once([one, two], path, [first(i), second(i)]) == [200, 200]
                record = one.get(path, headers=ADMIN).json()
                assert {**record, **first(i), **second(i)} == record, f"round {i}"
    finally:
        for app in apps:
            app.state.runtime.close()


@pytest.mark.parametrize("path", [*EDITS, "/api/v1/agencies/so-y-te",
                                  "/api/v1/documents/nq-hdnd-ke-hoach-2024"])
def test_stale_if_match_is_409_with_the_current_etag(client, path):
    read = client.get(path, headers=ADMIN)
    tag = read.headers["ETag"]
    body = {"expression": "≥13"} if "targets" in path else {"summary": "Việc mới"} \
        if "tasks" in path else {"name_en": "Renamed"} if "agencies" in path else \
        {"title": "Tên mới"}
    fresh = client.patch(path, json=body, headers={**ADMIN, "If-Match": tag})
    assert fresh.status_code == 200, fresh.text
    current = fresh.headers["ETag"]
    assert current != tag and client.get(path, headers=ADMIN).headers["ETag"] == current
    stale = client.patch(path, json={**body}, headers={**ADMIN, "If-Match": tag})
    assert stale.status_code == 409
    problem = stale.json()
    assert problem["code"] == "version_conflict" and stale.headers["ETag"] == current
    item = problem["errors"][0]
    assert (item["field"], item["etag"], item["current_version"]) == (
        "If-Match", current, read.json()["version"] + 1)
    assert "phiên bản hiện tại" in problem["error_vi"] and "current version" in problem["error_en"]
    assert client.get(path, headers=ADMIN).json()["version"] == item["current_version"]


def test_if_match_star_and_unquoted_tags_match(client):
    path = "/api/v1/targets/budget_revenue@2024"
    tag = client.get(path, headers=ADMIN).headers["ETag"]
    assert client.patch(path, json={"baseline": "9,5"},
                        headers={**ADMIN, "If-Match": tag.strip('"')}).status_code == 200
    assert client.patch(path, json={"baseline": "9,6"},
                        headers={**ADMIN, "If-Match": "*"}).status_code == 200
    assert client.patch(path, json={"baseline": "9,7"},
                        headers={**ADMIN, "If-Match": f'"0-x", {tag}'}).status_code == 409


def test_the_log_refuses_a_fact_made_from_an_older_version(db):
    log = open_log(db)
    try:
        old = log.get("target", "budget_revenue@2024")
        assert old is not None
        changed = Fact("target", old.key, {**old.payload, "baseline": "1"}, old.source,
                       replaces=old.version)
        assert log.append([changed])[0].status == "version"
        last = log.last_seq()
        with pytest.raises(VersionConflict) as err:
            log.append([Fact("target", old.key, {**old.payload, "baseline": "2"}, old.source,
                             replaces=old.version)])
        assert err.value.code == "version_conflict"
        assert err.value.current.version == old.version + 1 and log.last_seq() == last
    finally:
        log.close()


def test_openapi_documents_if_match_and_409(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/v1/targets/{target_id}", "/api/v1/tasks/{task_id}",
                 "/api/v1/agencies/{agency_id}", "/api/v1/documents/{document_id}"):
        patch = spec["paths"][path]["patch"]
        assert any(p["name"] == "If-Match" and p["in"] == "header"
                   for p in patch["parameters"])
        assert "409" in patch["responses"]
        assert "ETag" in spec["paths"][path]["get"]["responses"]["200"]["headers"]


# --- case 3: SPARQL bounded in time, stopped when the client leaves, capped per user --------

NO_ROWS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _children() -> list[str]:
    """This process's child processes (Linux /proc): a query evaluation still running."""
    found = []
    for task in os.listdir("/proc/self/task"):
        try:
            found += Path(f"/proc/self/task/{task}/children").read_text().split()
        except FileNotFoundError:  # that thread has just ended
            pass
    return found


@contextmanager
def _served(db: Path, **settings: Any) -> Iterator[tuple[TestClient, Any]]:
    app = create_app(make_settings(db).model_copy(update=settings))
    try:
        with TestClient(app) as c:
            yield c, app
    finally:
        app.state.runtime.close()


def test_a_query_returning_no_row_times_out_and_the_server_stays_free(db):
    with _served(db, sparql_seconds=0.5) as (c, _app):
        stopped = c.post("/api/v1/sparql", json={"query": NO_ROWS}, headers=ADMIN)
        assert stopped.status_code == 422, stopped.text
        problem = stopped.json()
        assert problem["code"] == "query_timeout" and "0.5" in problem["error_en"]
        assert "giây" in problem["error_vi"]
        assert _children() == []  # the evaluation's process is gone: no core left burning
        quick = c.post("/api/v1/sparql", json={"query": "ASK { ?s ?p ?o }"}, headers=ADMIN)
        assert quick.json() == {"type": "ASK", "answer": True}
        assert c.get("/api/v1/targets", headers=ADMIN).status_code == 200


def test_sparql_per_user_cap_answers_429_with_retry_after(db):
    with _served(db, sparql_seconds=30, sparql_per_user=2) as (c, app):
        settings = app.state.runtime.settings
        slots = query_slots_dir(settings.db)
        with query_slot(slots, "admin", 2, 30), query_slot(slots, "admin", 2, 30):
            # two queries of this user are running (here or in another worker process)
            busy = c.post("/api/v1/sparql", json={"query": "ASK { ?s ?p ?o }"}, headers=ADMIN)
            other = c.post("/api/v1/sparql", json={"query": "ASK { ?s ?p ?o }"},
                           headers=bearer("auditor"))
        assert busy.status_code == 429 and busy.json()["code"] == "too_many_queries"
        assert busy.headers["Retry-After"] == "30"
        assert other.status_code == 200  # the cap is per user
        again = c.post("/api/v1/sparql", json={"query": "ASK { ?s ?p ?o }"}, headers=ADMIN)
        assert again.status_code == 200  # slots come back when queries end


def test_third_concurrent_query_of_one_user_is_refused(db):
    with _served(db, sparql_seconds=2, sparql_per_user=2) as (c, app):
        slots = query_slots_dir(app.state.runtime.settings.db)
        codes: list[int] = []
        threads = [threading.Thread(target=lambda: codes.append(c.post(
            "/api/v1/sparql", json={"query": NO_ROWS}, headers=ADMIN).status_code))
            for _ in range(2)]
        for t in threads:
            t.start()
        _wait_until_busy(slots, "admin", 2)
        third = c.post("/api/v1/sparql", json={"query": "ASK { ?s ?p ?o }"}, headers=ADMIN)
        for t in threads:
            t.join()
        assert third.status_code == 429 and sorted(codes) == [422, 422]


def _wait_until_busy(slots: Path, user: str, n: int) -> None:
    """Until ``n`` slots of ``user`` are held (the two queries started)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with query_slot(slots, user, n, 1):
                pass
        except ApiError:
            return
        time.sleep(0.02)
    raise AssertionError("the queries did not start")


def test_a_query_stops_when_its_client_leaves(db):
    """Over real HTTP: the client gives up long before the limit; the evaluation's process
    is killed then, not when the limit would have stopped it."""
    app = create_app(make_settings(db).model_copy(update={"sparql_seconds": 120}))
    server, thread, url = start_uvicorn(app)
    try:
        with pytest.raises(httpx.ReadTimeout):
            httpx.post(f"{url}/api/v1/sparql", json={"query": NO_ROWS}, headers=ADMIN,
                       timeout=httpx.Timeout(30, read=1.0))
        deadline = time.monotonic() + 60  # half the query's limit
        while _children() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _children() == []
        answer = httpx.post(f"{url}/api/v1/sparql", json={"query": "ASK { ?s ?p ?o }"},
                            headers=ADMIN, timeout=30)
        assert answer.json()["answer"] is True
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.runtime.close()


def test_cli_sparql_has_the_same_time_limit(db):
    result = CliRunner().invoke(build_app(), ["sparql", NO_ROWS, "--timeout", "0.5",
                                              "--db", str(db)])
    assert result.exit_code != 0 and "query_timeout" in result.output
    assert _children() == []


def test_openapi_documents_the_sparql_refusals(client):
    responses = client.get("/openapi.json").json()["paths"]["/api/v1/sparql"]["post"][
        "responses"]
    assert {"422", "429"} <= set(responses)


# --- case 8: a refused body names its cause ---------------------------------------------------

JSON = {"Content-Type": "application/json"}
OBSERVATION = {"indicator": "budget_revenue", "period": "9T/2024", "value": "5.900",
               "kind": "actual", "as_of": "2024-09-30"}


@pytest.mark.parametrize("depth", [65, 1_000, 100_000])
def test_json_nested_too_deep_names_the_limit(client, depth):
    nested = "[" * depth + "]" * depth
    body = json.dumps({**OBSERVATION, "note": "x"})[:-1] + f', "extra": {nested}}}'
    response = client.post("/api/v1/observations", content=body.encode(),
                           headers={**ADMIN, **JSON})
    assert response.status_code == 422 and response.headers["X-Error-Code"] == "json_too_deep"
    problem = response.json()
    assert "64" in problem["error_vi"] and "at most 64 levels" in problem["error_en"]
    assert problem["errors"][0]["max_depth"] == MAX_JSON_DEPTH == 64


def test_json_within_the_depth_limit_reaches_the_route(client):
    nested = "[" * 60 + "]" * 60  # deep but allowed: the route's own validation answers
    body = json.dumps(OBSERVATION)[:-1] + f', "extra": {nested}}}'
    response = client.post("/api/v1/observations", content=body.encode(),
                           headers={**ADMIN, **JSON})
    assert response.json()["code"] == "validation_error"


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8",
                                          None])
def test_invalid_utf8_names_the_byte_offset(client, content_type):
    body = json.dumps(OBSERVATION, ensure_ascii=False).encode("utf-8")
    bad = body.replace(b'"5.900"', b'"5.9\xff0"')
    headers = {**ADMIN, **({"Content-Type": content_type} if content_type else {})}
    response = client.post("/api/v1/observations", content=bad, headers=headers)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == "invalid_encoding"
    offset = bad.index(b"\xff")
    assert problem["errors"][0]["offset"] == offset
    assert f"offset {offset} (0xff)" in problem["error_en"] and f"byte thứ {offset}" in \
        problem["error_vi"]


def test_the_audit_log_records_the_cause(client):
    client.post("/api/v1/observations", content=b'{"a": "\xc3"}', headers={**ADMIN, **JSON})
    entries = client.get("/api/v1/audit", headers=ADMIN).json()["data"]
    assert any(e["status"] == 422 and "invalid_encoding" in json.dumps(e) for e in entries)


def test_a_good_body_with_vietnamese_text_passes_unchanged(client):
    body = {**OBSERVATION, "note": "Số liệu ước tính của Sở Tài chính [ { \" ]"}
    response = client.post("/api/v1/observations", json=body, headers=ADMIN)
    assert response.status_code == 201, response.text


def _depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    return 0


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet=st.characters(
        codec="utf-8", categories=("L", "N", "P", "S", "Zs"))),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3),
    max_leaves=30)


@given(JSON_VALUES)
def test_json_depth_counts_what_the_parser_nests(value):
    data = json.dumps(value, ensure_ascii=False).encode("utf-8")
    assert json_depth(data, stop=10_000) == _depth(value)
    assert body_problem(data) is None or _depth(value) > MAX_JSON_DEPTH
