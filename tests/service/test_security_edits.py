"""Issue 13, cases 2, 3 and 8: edits carry a version precondition (ETag / If-Match) and never
drop one another; ad-hoc SPARQL is bounded in time and per user; bad bodies are refused
naming their cause."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kg.errors import VersionConflict
from kg.log import Fact, open_log
from service.app import create_app
from tests.service.conftest import bearer, make_settings

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
