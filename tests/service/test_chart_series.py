"""The indicator chart tells the truth (issue 17): cumulative, one-month and whole-period
figures are separate series; one x label per period, in period order, even when a period was
reported twice; only figures inside the target's period; the expected path only for the
cumulative series; a range target drawn as a band."""

from __future__ import annotations

from tests.service.conftest import bearer


def post(client, **obs):
    reply = client.post("/api/v1/observations", headers=bearer("tc"),
                        json={"indicator": "budget_revenue", **obs})
    assert reply.status_code == 201, reply.text


def test_series_apart_one_label_per_period(client):
    post(client, period="T11/2023", value="1.300", as_of="2023-12-05")  # before 2024: out
    post(client, period="T8/2024", value="900", as_of="2024-09-05")  # one month
    post(client, period="9T/2024", value="5.600", pct_of_plan="56", kind="estimate",
         as_of="2024-09-20")
    post(client, period="9T/2024", value="5.700", pct_of_plan="57", as_of="2024-10-05")
    data = client.get("/api/v1/indicators/budget_revenue", headers=bearer("admin")).json()
    (series,) = [s for s in data["series"] if s["period"] == "2024"]
    points = series["points"]
    assert [p["period"] for p in points] == ["6T/2024", "T8/2024", "9T/2024"]
    assert [p["series"] for p in points] == ["cumulative", "single", "cumulative"]
    assert points[2]["actual_pct"] == 57.0  # the latest report of 9T/2024, once
    assert points[1]["expected_pct"] is None and points[0]["expected_pct"] == 50.0
    assert series["band"] is None


def test_range_target_is_a_band_and_a_point_target_a_line(client):
    admin = bearer("admin")
    created = client.post("/api/v1/targets", headers=admin, json={
        "indicator": "tourists", "period": "2025", "expression": "4.000 - 5.000",
        "unit": "nghìn lượt", "set_by": "nq-hdnd-ke-hoach-2024"})
    assert created.status_code == 201, created.text
    data = client.get("/api/v1/indicators/tourists", headers=admin).json()
    bands = {s["period"]: s["band"] for s in data["series"]}
    assert bands["2024"] is None  # a point target: the 100 % line
    assert bands["2025"] == {"low_pct": 88.89, "high_pct": 111.11}  # of the midpoint 4.500
