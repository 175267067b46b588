"""Rendered responses kept per log position (``service.rendering``): what is served is what the
response model renders, each query value is part of the key, and a write — or another
process's append to the log — moves every page, trace and ``who`` answer to the new state."""

from __future__ import annotations

import json

from fastapi.encoders import jsonable_encoder
from fastapi.testclient import TestClient
from pydantic import TypeAdapter

from rules.portfolio import who as who_answer
from service.app import create_app
from service.figures import with_numbers
from service.schemas import AlertPublic, Page, StatusPublic, TargetPublic, paged
from service.views import board, catalog
from tests.service.conftest import bearer, make_settings

OBS = {"indicator": "budget_revenue", "period": "9T/2024", "value": "5.595,5",
       "pct_of_plan": "55,9", "as_of": "2024-09-30"}
TASK = {"id": "task-moi", "summary": "Rà soát nguồn thu", "lead_agency": "so-tai-chinh",
        "deadline": "2024-12-31", "assigned_by": "nq-hdnd-ke-hoach-2024"}


def raw(client, path, **params):
    response = client.get(path, params=params, headers=bearer("viewer"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    return response.content


def model_bytes(model, content) -> bytes:
    """The model's rendering of a view, with its figures' numeric twins (service/figures.py)."""
    adapter = TypeAdapter(model)
    return adapter.dump_json(adapter.validate_python(with_numbers(jsonable_encoder(content))),
                             by_alias=True)


def test_pages_are_the_models_rendering_of_the_views(client, app):
    rt = app.state.runtime
    cases = [
        ("/api/v1/alerts", {"limit": 2, "offset": 1}, Page[AlertPublic],
         lambda: paged(board.alerts(rt), 2, 1)),
        ("/api/v1/alerts", {"agency": "so-y-te"}, Page[AlertPublic],
         lambda: paged(board.alerts(rt, agency="so-y-te"), 100)),
        ("/api/v1/statuses", {"kind": "task"}, Page[StatusPublic],
         lambda: paged(catalog.statuses(rt, kind="task"), 100)),
        ("/api/v1/targets", {"limit": 2}, Page[TargetPublic],
         lambda: paged(catalog.targets(rt), 2)),
    ]
    for path, params, model, view in cases:
        first = raw(client, path, **params)
        assert first == raw(client, path, **params) == model_bytes(model, view()), path


def test_each_query_value_is_its_own_page(client):
    whole = json.loads(raw(client, "/api/v1/alerts"))
    assert whole["count"] >= 3
    one = json.loads(raw(client, "/api/v1/alerts", limit=1))
    second = json.loads(raw(client, "/api/v1/alerts", limit=1, offset=1))
    assert one["data"] == whole["data"][:1] and second["data"] == whole["data"][1:2]
    overdue = json.loads(raw(client, "/api/v1/alerts", kind="overdue"))
    assert {a["kind"] for a in overdue["data"]} == {"overdue"}
    assert overdue["count"] < whole["count"]
    earlier = json.loads(raw(client, "/api/v1/alerts", as_of="2024-09-01"))
    assert earlier["count"] < whole["count"]


def test_trace_and_who_render_as_before(client, app):
    graph = app.state.runtime.graph()
    trace = raw(client, "/api/v1/trace/budget_revenue@2024")
    expected = jsonable_encoder(graph.trace("budget_revenue@2024"))
    assert trace == json.dumps(expected, ensure_ascii=False, separators=(",", ":")).encode()
    who = json.loads(raw(client, "/api/v1/who", q="task-001-001", limit=1))
    expected = who_answer(graph, app.state.runtime.evaluation(None), "task-001-001", 1, 0,
                          app.state.runtime.as_of(None))
    assert who == jsonable_encoder({**expected, "count": 1})
    assert who["total"] == 1 and who["data"][0]["subject"]["id"] == "task-001-001"


def test_a_write_moves_every_cached_answer(client):
    assert json.loads(raw(client, "/api/v1/alerts", kind="off_track"))["count"] == 0
    before = json.loads(raw(client, "/api/v1/targets", agency="so-tai-chinh"))
    assert before["data"][0]["status"] == "on_track"
    missing = client.get("/api/v1/trace/task-moi", headers=bearer("viewer"))
    assert missing.status_code == 404 and missing.json()["code"] == "unknown_document"
    unknown = client.get("/api/v1/who", params={"q": "task-moi"}, headers=bearer("viewer"))
    assert unknown.status_code == 404

    assert client.post("/api/v1/observations", json=OBS, headers=bearer("tc")).status_code == 201
    assert client.post("/api/v1/tasks", json=TASK, headers=bearer("admin")).status_code == 201

    assert json.loads(raw(client, "/api/v1/alerts", kind="off_track"))["count"] == 1
    after = json.loads(raw(client, "/api/v1/targets", agency="so-tai-chinh"))
    assert after["data"][0]["status"] == "off_track"
    chain = json.loads(raw(client, "/api/v1/trace/task-moi"))["chain"]
    assert "nq-hdnd-ke-hoach-2024" in [c["id"] for c in chain]
    assert json.loads(raw(client, "/api/v1/who", q="task-moi"))["count"] == 1


def test_another_process_append_moves_the_pages(client, db):
    assert json.loads(raw(client, "/api/v1/alerts", kind="off_track"))["count"] == 0
    with TestClient(create_app(make_settings(db))) as other:  # another worker process
        assert other.post("/api/v1/observations", json=OBS,
                          headers=bearer("tc")).status_code == 201
    assert json.loads(raw(client, "/api/v1/alerts", kind="off_track"))["count"] == 1


def test_a_target_says_its_percent_once():
    # issue 17: "trên 95% % kế hoạch" on the board (expression "trên 95%", unit "% kế hoạch")
    from kg.wording import plan_words

    assert plan_words("trên 95%", "% kế hoạch") == "trên 95% kế hoạch"
    assert plan_words("7 - 7,5", "%") == "7 - 7,5%"
    assert plan_words("từ 5% trở lên", "%") == "từ 5% trở lên"
    assert plan_words("4.060", "ha") == "4.060 ha"
