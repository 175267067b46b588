"""Filters fail loudly (issue 15): agencies by id, name or short name; an unknown agency, alert
kind or source document is an error naming the close ones (CLI exit 2, HTTP 422); a read
command on a missing database says so and creates nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.cli.app import build_app
from tests.service.conftest import bearer

runner = CliRunner()


@pytest.fixture(scope="module")
def langson_db(langson_db: Path) -> str:  # the session's loaded data/langson, as a CLI argument
    return str(langson_db)


def run(*args: str):
    return runner.invoke(build_app(), list(args))


def test_alerts_agency_by_name_equals_by_id(langson_db):
    by_id = run("alerts", "--json", "--agency", "so-cong-thuong", "--as-of", "2024-12-31",
                "--db", langson_db)
    by_name = run("alerts", "--json", "--agency", "Sở Công Thương", "--as-of", "2024-12-31",
                  "--db", langson_db)
    assert by_id.exit_code == by_name.exit_code == 0, by_name.output
    assert json.loads(by_id.output) and json.loads(by_id.output) == json.loads(by_name.output)


@pytest.mark.parametrize(("args", "needle"), [
    (("alerts", "--agency", "Sở Công Thươn"), "Sở Công Thương (so-cong-thuong)"),
    (("alerts", "--agency", "sct"), "không có cơ quan 'sct'"),
    (("alerts", "--kind", "bogus"), "overdue"),
    (("observations", "--doc", "9"), "002"),
])
def test_unknown_filter_values_exit_2_naming_close_ones(langson_db, args, needle):
    r = run(*args, "--db", langson_db)
    assert r.exit_code == 2
    assert "[unknown_name]" in r.output and needle in r.output, r.output
    assert "did you mean" in r.output or "no agency" in r.output


@pytest.mark.parametrize("command", [("status",), ("alerts",), ("stats",), ("observations",),
                                     ("who", "giải ngân"), ("agency", "Sở Y tế"),
                                     ("report", "--period", "2024")])
def test_read_commands_on_a_missing_database_create_nothing(tmp_path, command):
    missing = tmp_path / "missing.db"
    r = run(*command, "--db", str(missing))
    assert r.exit_code == 2
    assert "[no_database]" in r.output and "kehoach init" in r.output
    assert not missing.exists()


def test_api_alerts_agency_by_name_and_unknown_values_422(client):
    every = client.get("/api/v1/alerts", headers=bearer("viewer")).json()["data"]
    lead = next(a["agency"] for a in every if a["agency"])
    named = client.get("/api/v1/agencies/" + lead, headers=bearer("viewer")).json()["name"]
    by_id = client.get("/api/v1/alerts", params={"agency": lead}, headers=bearer("viewer"))
    by_name = client.get("/api/v1/alerts", params={"agency": named}, headers=bearer("viewer"))
    assert by_id.json()["data"] and by_id.json() == by_name.json()
    for params in ({"agency": "no-such-agency"}, {"kind": "bogus"}, {"severity": "loud"}):
        r = client.get("/api/v1/alerts", params=params, headers=bearer("viewer"))
        assert r.status_code == 422, (params, r.text)
        assert r.json()["code"] == "unknown_name"


def test_as_of_accepts_the_vietnamese_date_form(langson_db):
    iso = run("status", "--json", "--as-of", "2024-06-30", "--db", langson_db)
    vietnamese = run("status", "--json", "--as-of", "30/06/2024", "--db", langson_db)
    assert iso.exit_code == vietnamese.exit_code == 0, vietnamese.output
    assert json.loads(iso.output) == json.loads(vietnamese.output)
    bad = run("status", "--as-of", "31/02/2024", "--db", langson_db)
    assert bad.exit_code == 2 and "dd/mm/yyyy" in bad.output


def test_agency_portfolio_alerts_and_ageing_agree_with_the_alert_list(langson_db):
    """One rule for an agency's alerts (lead or supervisor) behind the CLI's portfolio, its
    ageing and `kehoach alerts --agency` (issue 15)."""
    portfolio = json.loads(run("agency", "Sở Công Thương", "--json", "--as-of", "2024-12-31",
                               "--db", langson_db).output)
    listed = json.loads(run("alerts", "--json", "--agency", "so-cong-thuong", "--as-of",
                            "2024-12-31", "--db", langson_db).output)
    open_listed = [a["id"] for a in listed if not a.get("superseded_by")]
    assert open_listed and sorted(a["id"] for a in portfolio["alerts"]) == sorted(open_listed)
    overdue = [a for a in listed if a["kind"] == "overdue" and not a.get("superseded_by")
               and a["agency"] == "so-cong-thuong"]
    assert sum(portfolio["overdue_ageing"].values()) == len(overdue)
    text = run("agency", "Sở Công Thương", "--as-of", "2024-12-31", "--db", langson_db).output
    assert "{" not in text and "no_status" not in text and "gt_120" not in text


def test_api_agency_page_alerts_equal_the_alert_list(client):
    alerts = client.get("/api/v1/alerts", params={"limit": 500},
                        headers=bearer("viewer")).json()["data"]
    agency = next(a["agency"] for a in alerts if a["agency"])
    data = client.get(f"/api/v1/agencies/{agency}/portfolio", headers=bearer("viewer")).json()
    expected = [a["id"] for a in alerts if not a.get("superseded_by")
                and (a["agency"] == agency or (a["details"] or {}).get("supervisor") == agency)]
    assert [a["id"] for a in data["alerts"]] == expected
    buckets = [a["details"].get("bucket") for a in alerts if a["kind"] == "overdue"
               and a["agency"] == agency and not a.get("superseded_by")]
    assert sum(data["overdue_ageing"].values()) == len(buckets)


def test_who_reads_the_same_evaluation_as_the_alert_list(langson_db):
    page = json.loads(run("who", "giải ngân vốn đầu tư công", "--json", "--as-of",
                          "2024-12-31", "--limit", "50", "--db", langson_db).output)
    listed = json.loads(run("alerts", "--json", "--as-of", "2024-12-31",
                            "--db", langson_db).output)
    open_by_subject: dict[str, list[str]] = {}
    for alert in listed:
        if not alert.get("superseded_by"):
            open_by_subject.setdefault(alert["subject"]["id"], []).append(alert["id"])
    assert any(row["alerts"] for row in page["data"])
    for row in page["data"]:
        assert sorted(row["alerts"]) == sorted(open_by_subject.get(row["status_of"], []))
