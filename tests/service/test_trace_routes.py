"""Trace through the API and the web page (issue 15): any id shown, alert ids with "/" in
them included, named in words (Vietnamese, English with lang=en)."""

from __future__ import annotations

from urllib.parse import quote

from tests.service.conftest import bearer


def _an_alert(client) -> dict:
    alerts = client.get("/api/v1/alerts", headers=bearer("viewer")).json()["data"]
    return next(a for a in alerts if "/" in a["id"]) if any("/" in a["id"] for a in alerts) \
        else alerts[0]


def test_api_traces_an_alert_to_its_rule_and_facts(client):
    alert = _an_alert(client)
    r = client.get(f"/api/v1/trace/{quote(alert['id'], safe='')}", headers=bearer("viewer"))
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["subject"]["id"] == alert["id"]
    assert data["chain"][0]["kind"] == "rule" and data["chain"][0]["id"] == alert["rule"]["id"]
    assert [s["fact"] for s in data["chain"] if s["relation"] == "usedFact"] == alert["facts"]
    svg = client.get(f"/api/v1/trace/{quote(alert['id'], safe='')}",
                     params={"format": "svg", "lang": "en"}, headers=bearer("viewer"))
    assert svg.status_code == 200 and "by the rule" in svg.text


def test_web_trace_page_shows_words_not_relation_codes(client):
    targets = client.get("/api/v1/targets", headers=bearer("viewer")).json()["data"]
    target = next(t for t in targets if t["id"])
    page = client.get(f"/trace/{quote(target['id'], safe='@')}", headers=bearer("viewer"))
    assert page.status_code == 200, page.text
    assert "setBy" not in page.text and "assignedBy" not in page.text
    assert "do văn bản" in page.text or "Chuỗi không tới" in page.text
    alert = _an_alert(client)
    page = client.get(f"/trace/{alert['id']}", headers=bearer("viewer"))
    assert page.status_code == 200 and "theo luật" in page.text


def test_api_impact_of_a_document_number_lists_the_live_alerts(client):
    docs = client.get("/api/v1/documents", headers=bearer("viewer")).json()["data"]
    numbered = [d for d in docs if d.get("number") and "/" in d["number"]]
    seen_alerts = {a["id"] for a in client.get("/api/v1/alerts", params={"limit": 500},
                                                headers=bearer("viewer")).json()["data"]}
    for doc in numbered:
        r = client.get(f"/api/v1/impact/{doc['number']}", headers=bearer("viewer"))
        assert r.status_code in (200, 422), r.text  # 422: a number shared by two documents
        if r.status_code == 200:
            assert {a["id"] for a in r.json()["alerts"]} <= seen_alerts
