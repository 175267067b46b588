"""Numbers for machines (issue 20): every figure in API JSON keeps the text as written and
carries the parsed number — and, for a target expression, its bounds — beside it."""

from __future__ import annotations

from tests.service.conftest import bearer

OBS = {"indicator": "budget_revenue", "period": "9T/2024", "value": "4.595,5",
       "pct_of_plan": "102,3", "yoy_change_pct": "7,5", "as_of": "2024-09-30"}


def test_an_observation_carries_its_numbers_beside_the_text(client):
    assert client.post("/api/v1/observations", json=OBS, headers=bearer("tc")).status_code == 201
    rows = client.get("/api/v1/observations", params={"period": "9T/2024"},
                      headers=bearer("viewer")).json()["data"]
    row = next(r for r in rows if r["value"] == "4.595,5")
    assert row["value_number"] == 4595.5
    assert row["pct_of_plan"] == "102,3" and row["pct_of_plan_number"] == 102.3
    assert row["yoy_change_pct_number"] == 7.5
    assert row["same_period_last_year_pct_number"] is None
    one = client.get(f"/api/v1/observations/{row['id']}", headers=bearer("viewer")).json()
    assert one["value_number"] == 4595.5


def test_a_target_expression_carries_its_number_and_bounds(client):
    new = {"indicator": "forest_cover", "period": "2025", "expression": "7 - 7,5"}
    assert client.post("/api/v1/targets", json=new, headers=bearer("admin")).status_code == 201
    at_least = {"indicator": "tourists", "period": "2025", "expression": "≥5"}
    assert client.post("/api/v1/targets", json=at_least,
                       headers=bearer("admin")).status_code == 201
    rows = client.get("/api/v1/targets", params={"period": "2025"},
                      headers=bearer("viewer")).json()["data"]
    by_text = {r["expression"]: r for r in rows}
    ranged = by_text["7 - 7,5"]
    assert (ranged["expression_low"], ranged["expression_high"]) == (7.0, 7.5)
    assert ranged["expression_number"] == 7.25
    open_ended = by_text["≥5"]
    assert (open_ended["expression_low"], open_ended["expression_high"]) == (5.0, None)
    assert open_ended["expression_number"] == 5.0


def test_board_and_indicator_figures_carry_numbers(client):
    board = client.get("/api/v1/board", headers=bearer("viewer")).json()
    tile = next(t for t in board["tiles"] if t["indicator"] == "budget_revenue")
    assert tile["expression"] == "10.000" and tile["expression_number"] == 10000.0
    indicator = client.get("/api/v1/indicators/budget_revenue", headers=bearer("viewer")).json()
    assert all(o["value_number"] is not None for o in indicator["observations"] if o["value"])
    assert indicator["targets"][0]["expression_low"] == 10000.0


def test_the_schema_declares_the_numbers(client):
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    for model, field in (("ObservationPublic", "value_number"),
                         ("ObservationPublic", "pct_of_plan_number"),
                         ("TargetPublic", "expression_low"), ("TargetPublic", "expression_high")):
        kinds = {a.get("type") for a in schemas[model]["properties"][field]["anyOf"]}
        assert kinds == {"number", "null"}, (model, field)
