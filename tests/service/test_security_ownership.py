"""Issue 13, items 1, 6 and 7: ownership checked on the stored object a write lands on, one
Unicode form (NFC) at every boundary, plausibility of figures and dates, a reporter's
citation kept as their claim, and ``user add`` checking the agency."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qsl

import pytest
import typer
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from kg.log import Fact, Source, open_log
from service.app import create_app
from service.cli.options import command
from service.nfc import nfc_query
from tests.service.conftest import BACKENDS, PASSWORD, bearer, make_settings

STORAGE = BACKENDS  # tests that reach the database: on SQLite and PostgreSQL (conftest)
# on SQLite only — field checks and search: refused or answered before any storage:
SQLITE_ONLY = {
    "test_implausible_figures_and_dates_are_refused_naming_the_field",
    "test_implausible_task_updates_are_refused",
    "test_as_of_must_be_a_plausible_iso_date",
    "test_plan_span_is_configurable",
    "test_search_finds_the_same_item_in_nfd_and_nfc",
}

OBS = {"indicator": "budget_revenue", "period": "9T/2024", "value": "5.900",
       "pct_of_plan": "59", "as_of": "2024-09-30"}
# so-y-te leads "tourists"; obs-001-001 (the mini dataset's) is so-tai-chinh's budget_revenue.
FOREIGN_ID = {"indicator": "tourists", "period": "9T/2024", "value": "9.999", "kind": "actual",
              "as_of": "2024-09-30", "id": "obs-001-001"}


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def stored(client: TestClient, key: str) -> dict[str, Any]:
    return client.get(f"/api/v1/observations/{key}", headers=bearer("admin")).json()


def last_refusal(client: TestClient) -> dict[str, Any]:
    return client.get("/api/v1/audit", params={"outcome": "refused"},
                      headers=bearer("auditor")).json()["data"][-1]


def count(client: TestClient, **params: str) -> int:
    return client.get("/api/v1/observations", params=params,
                      headers=bearer("admin")).json()["count"]


# -- 1. ownership on the stored object -------------------------------------------------------

def test_reporter_cannot_version_another_agencys_observation_through_its_id(client):
    before = stored(client, "obs-001-001")
    response = client.post("/api/v1/observations", json=FOREIGN_ID, headers=bearer("yte"))
    assert response.status_code == 403, response.text
    body = response.json()
    assert body["code"] == "not_owner" and "so-tai-chinh" in body["error_vi"]
    assert body["errors"][0]["field"] == "id"
    assert stored(client, "obs-001-001") == before
    assert count(client, indicator="tourists") == 0
    record = last_refusal(client)
    assert (record["username"], record["status"], record["target"]) == (
        "yte", 403, "observation:obs-001-001")


def test_batch_through_another_agencys_id_writes_nothing(client):
    own = {**FOREIGN_ID, "id": "obs-yte-moi"}
    response = client.post("/api/v1/observations/batch", json={"items": [own, FOREIGN_ID]},
                           headers=bearer("yte"))
    assert response.status_code == 403, response.text
    assert response.json()["errors"][0]["field"] == "items.1.id"
    assert count(client, indicator="tourists") == 0
    assert stored(client, "obs-001-001")["indicator"] == "budget_revenue"
    assert last_refusal(client)["action"] == "POST /api/v1/observations/batch"


def test_an_id_is_never_re_pointed_to_another_indicator_even_by_the_admin(client):
    response = client.post("/api/v1/observations", json=FOREIGN_ID, headers=bearer("admin"))
    assert response.status_code == 409, response.text
    body = response.json()
    assert body["code"] == "id_other_indicator" and body["errors"][0]["field"] == "id"
    assert "budget_revenue" in body["error_vi"] and "tourists" in body["error_en"]
    assert stored(client, "obs-001-001")["version"] == 1
    twice = [{**FOREIGN_ID, "id": "obs-moi"}, {**OBS, "id": "obs-moi"}]
    batch = client.post("/api/v1/observations/batch", json={"items": twice},
                        headers=bearer("admin"))
    assert batch.status_code == 409 and batch.json()["errors"][0]["field"] == "items.1.id"
    assert client.get("/api/v1/observations/obs-moi", headers=bearer("admin")).status_code == 404


def test_the_owner_may_version_their_own_observation_through_its_id(client):
    mine = {**OBS, "period": "6T/2024", "value": "5.300", "pct_of_plan": "53",
            "as_of": "2024-07-05", "id": "obs-001-001"}
    response = client.post("/api/v1/observations", json=mine, headers=bearer("tc"))
    assert response.status_code == 201, response.text
    assert response.json()["facts"][0]["outcome"] == "version"
    assert stored(client, "obs-001-001")["value"] == "5.300"


@pytest.fixture
def unmatched(db: Path) -> Iterator[TestClient]:
    """The app on a log holding a figure of a report not yet matched to any indicator."""
    with open_log(db) as log:
        log.append([Fact("observation", "obs-chua-khop", {
            "id": "obs-chua-khop", "indicator": None, "indicator_text": "diện tích gieo trồng",
            "period": "9T/2024", "value": "94.375", "unit": "ha", "kind": "actual",
            "plan_basis": "ke_hoach", "footnote": False}, Source("001", 3, "94.375 ha"),
            as_of=date(2024, 9, 30))])
    application = create_app(make_settings(db))
    with TestClient(application) as c:
        yield c
    application.state.runtime.close()


def test_a_figure_without_indicator_is_nobodys_but_the_admin_may_match_it(unmatched):
    claim = {**OBS, "id": "obs-chua-khop", "value": "94.375 ha", "pct_of_plan": None}
    refused = unmatched.post("/api/v1/observations", json=claim, headers=bearer("tc"))
    assert refused.status_code == 403 and refused.json()["errors"][0]["field"] == "id"
    assert stored(unmatched, "obs-chua-khop")["indicator"] is None
    matched = unmatched.post("/api/v1/observations", json={**claim, "indicator": "forest_cover"},
                             headers=bearer("admin"))
    assert matched.status_code == 201, matched.text
    assert stored(unmatched, "obs-chua-khop")["indicator"] == "forest_cover"


def test_report_form_never_lands_on_another_agencys_observation(app):
    with TestClient(app, base_url="https://testserver") as client:  # the cookie is Secure
        client.post("/login", data={"username": "yte", "password": PASSWORD})
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/report").text)
        form = dict(FOREIGN_ID) | ({"csrf_token": token[1]} if token else {})
        response = client.post("/report", data=form)
        assert response.status_code == 201, response.text
        assert stored(client, "obs-001-001")["indicator"] == "budget_revenue"
        assert count(client, indicator="tourists") == 1  # their own figure, under a new key


def test_template_import_is_for_the_planning_office_only(client):
    csv = (b"indicator;period;value;kind;as_of\n"
           b"budget_revenue;9T/2024;5.900;actual;30/09/2024\n")
    response = client.post("/api/v1/imports", files={"file": ("so-lieu.csv", csv)},
                           headers=bearer("tc"))
    assert response.status_code == 403 and response.json()["code"] == "role_forbidden"
    assert last_refusal(client)["action"] == "POST /api/v1/imports"
    assert count(client, period="9T/2024") == 0


# -- 6. one Unicode form ---------------------------------------------------------------------

@pytest.mark.parametrize(("path", "q", "expected"), [
    ("/api/v1/agencies", "Sở Y tế", "so-y-te"),
    ("/api/v1/indicators", "Khách du lịch", "tourists"),
    ("/api/v1/documents", "kế hoạch phát triển kinh tế", "nq-hdnd-ke-hoach-2024"),
])
def test_search_finds_the_same_item_in_nfd_and_nfc(client, path, q, expected):
    assert nfd(q) != q
    for text in (q, nfd(q)):
        found = client.get(path, params={"q": text}, headers=bearer("viewer")).json()["data"]
        assert expected in [item["id"] for item in found], text


def test_an_observation_resent_with_its_unit_in_nfd_is_a_duplicate(client):
    body = {**OBS, "value": "5.900 tỷ đồng", "unit": "tỷ đồng", "note": "ước tính"}
    first = client.post("/api/v1/observations", json=body, headers=bearer("tc"))
    again = client.post("/api/v1/observations",
                        json={**body, "unit": nfd("tỷ đồng"), "note": nfd("ước tính"),
                              "value": nfd("5.900 tỷ đồng")}, headers=bearer("tc"))
    assert first.status_code == again.status_code == 201
    assert [f["outcome"] for f in again.json()["facts"]] == ["duplicate"]


@given(st.text(alphabet="aăâeêoôơuưySởđ ỳỹẫ&=+%", max_size=12),
       st.text(alphabet="aăâeêoôơuưySởđ ỳỹẫ&=+%", max_size=12))
def test_query_strings_come_out_in_nfc_with_the_same_meaning(name, value):
    from urllib.parse import quote, urlencode

    raw = urlencode([(nfd(name), nfd(value))], quote_via=quote).encode()
    pairs = parse_qsl(nfc_query(raw).decode("ascii"), keep_blank_values=True)
    assert pairs == parse_qsl(urlencode([(unicodedata.normalize("NFC", name),
                                          unicodedata.normalize("NFC", value))],
                                        quote_via=quote), keep_blank_values=True)


def test_cli_arguments_reach_commands_in_nfc():
    seen: list[str] = []
    app = typer.Typer()

    @app.command()
    @command
    def echo(text: Annotated[str, typer.Argument()]) -> None:
        seen.append(text)

    result = CliRunner().invoke(app, [nfd("Sở Y tế")])
    assert result.exit_code == 0, result.output
    assert seen == ["Sở Y tế"] and unicodedata.is_normalized("NFC", seen[0])


# -- 7. plausibility at the boundary ---------------------------------------------------------

@pytest.mark.parametrize(("change", "field", "code"), [
    ({"value": "1e309"}, "value", "number_notation"),
    ({"value": "0x1F"}, "value", "number_notation"),
    ({"pct_of_plan": "-500"}, "pct_of_plan", "implausible_pct_of_plan"),
    ({"pct_of_plan": "99999999999999"}, "pct_of_plan", "implausible_pct_of_plan"),
    ({"as_of": "9999-12-31"}, "as_of", "implausible_year"),
    ({"as_of": "0001-01-01"}, "as_of", "implausible_year"),
    ({"as_of": 0}, "as_of", "date_strict"),
    ({"as_of": 1727654400}, "as_of", "date_strict"),
    ({"period": "2999"}, "period", "implausible_year"),
])
def test_implausible_figures_and_dates_are_refused_naming_the_field(client, change, field,
                                                                   code):
    response = client.post("/api/v1/observations", json={**OBS, **change},
                           headers=bearer("admin"))
    assert response.status_code == 422, response.text
    error = next(e for e in response.json()["errors"] if e["field"] == field)
    assert error["code"] == code and field in error["error_vi"]
    assert count(client) == 1  # only the dataset's


@pytest.mark.parametrize(("change", "field", "code"), [
    ({"progress": True}, "progress", "int_type"),
    ({"progress": "40"}, "progress", "int_type"),
    ({"status": "completed", "completed_on": "0001-01-01"}, "completed_on", "implausible_year"),
    ({"status": "completed", "completed_on": "2024-12-01"}, "completed_on",
     "completed_after_as_of"),
])
def test_implausible_task_updates_are_refused(client, change, field, code):
    body = {"status": "in_progress", "as_of": "2024-10-01", **change}
    response = client.post("/api/v1/tasks/task-001-001/updates", json=body,
                           headers=bearer("tc"))
    assert response.status_code == 422, response.text
    assert (response.json()["errors"][0]["field"], response.json()["errors"][0]["code"]) == (
        field, code)


@pytest.mark.parametrize("as_of", ["0", "1727654400", "9999-12-31", "0001-01-01"])
def test_as_of_must_be_a_plausible_iso_date(client, as_of):
    response = client.get("/api/v1/alerts", params={"as_of": as_of}, headers=bearer("viewer"))
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "as_of"
    assert client.get("/api/v1/alerts", params={"as_of": "2024-10-01"},
                      headers=bearer("viewer")).status_code == 200


def test_plan_span_is_configurable(client, monkeypatch):
    monkeypatch.setenv("KEHOACH_PLAN_YEARS", "1990-2150")
    response = client.post("/api/v1/observations", json={**OBS, "period": "2120"},
                           headers=bearer("admin"))
    assert response.status_code == 201, response.text


def test_a_reporters_source_is_kept_as_their_claim_not_as_provenance(client):
    cited = {"doc": "004", "line": 79, "quote": "thu ngân sách đạt 5.900 tỷ đồng"}
    response = client.post("/api/v1/observations", json={**OBS, "source": cited},
                           headers=bearer("tc"))
    assert response.status_code == 201, response.text
    record = stored(client, response.json()["facts"][0]["key"])
    assert record["source"]["doc"] == "api:tc" and record["source"].get("line") is None
    assert record["submitted_by"] == "tc"
    assert record["claimed_source"] == cited
