"""An official verdict (Đánh giá) sent with a figure through the API goes through the same
discrepancy rule as the curated tables and the template."""

from __future__ import annotations

from tests.service.conftest import bearer

YEAR = {"indicator": "budget_revenue", "period": "2024", "value": "9.500", "kind": "estimate",
        "as_of": "2024-10-10"}


def _verdict_alerts(body: dict) -> list[dict]:
    return [a for a in body["alerts"] if a["rule"]["id"] == "discrepancies.official_verdict"]


def test_a_verdict_contradicting_the_figures_raises_a_discrepancy(client) -> None:
    response = client.post("/api/v1/observations", json={**YEAR, "reported_verdict": "Vượt"},
                           headers=bearer("tc"))
    assert response.status_code == 201, response.text
    found = _verdict_alerts(response.json())
    assert len(found) == 1
    assert '"Vượt"' in found[0]["explanation_vi"] and "9.500" in found[0]["explanation_vi"]
    assert found[0]["subject"]["kind"] == "observation"


def test_a_verdict_agreeing_with_the_figures_raises_nothing(client) -> None:
    response = client.post("/api/v1/observations",
                           json={**YEAR, "reported_verdict": "Không đạt"}, headers=bearer("tc"))
    assert response.status_code == 201, response.text
    assert _verdict_alerts(response.json()) == []


def test_a_verdict_outside_the_three_words_is_refused(client) -> None:
    response = client.post("/api/v1/observations", json={**YEAR, "reported_verdict": "Tốt"},
                           headers=bearer("tc"))
    assert response.status_code == 422, response.text
    assert "reported_verdict" in response.text
