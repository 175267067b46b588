"""The pages as an official reads them (issue 17): the board of the plan year sorted by
severity then agency, each tile with its agency by name, latest figure and next step; the
alerts list with agency and date columns and overdue age as of the page's date; and every
page of the demo data free of leaked codes (snake_case words, ISO dates, agency ids, "None").
Ids shown on purpose as secondary keys sit in ``<code>`` and are not read as text."""

from __future__ import annotations

import re
from html import unescape

import pytest

from service.web.wording import agency_names, date_words, number_words, text_words
from tests.service.conftest import bearer

STRIP = re.compile(r"<script.*?</script>|<svg.*?</svg>|<code.*?</code>", re.S)
LEAKS = {
    "ISO date": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    "None": re.compile(r"\bNone\b"),
    "snake_case code": re.compile(r"\b[a-z]+_[a-z_]+\b"),
    "agency id": re.compile(r"\b(?:so|ubnd)-[a-z-]+\b"),
    "document id": re.compile(r"\bseed-\d+\b"),
}


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", STRIP.sub(" ", html))))


@pytest.fixture
def admin(client):
    client.headers.update(bearer("admin"))
    return client


def every_page(client) -> list[str]:
    paths = ["/", "/?period=2024&status=no_data", "/alerts", "/report"]
    paths += [f"/agencies/{a['id']}" for a in client.get("/api/v1/agencies").json()["data"]]
    paths += [f"/indicators/{i['id']}" for i in client.get("/api/v1/indicators").json()["data"]]
    paths += [f"/alerts/{a['id']}" for a in client.get("/api/v1/alerts").json()["data"]]
    for kind in ("targets", "tasks"):
        paths += [f"/trace/{t['id']}" for t in client.get(f"/api/v1/{kind}").json()["data"]]
    return paths


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_page_leaks_codes(admin, lang):
    pages = every_page(admin)
    assert len(pages) > 12
    for path in pages:
        reply = admin.get(path, params={"lang": lang})
        assert reply.status_code == 200, path
        text = text_of(reply.text)
        for what, pattern in LEAKS.items():
            assert not pattern.search(text), f"{path} ({lang}): {what} {pattern.findall(text)}"


def test_board_is_the_plan_year_sorted_with_agency_figure_and_next_step(admin):
    board = admin.get("/api/v1/board").json()
    assert board["period"] == "2024" and "2024" in board["periods"]
    order = [(t["status_key"], t["indicator"]) for t in board["tiles"]]
    # no data (with a report owed) before on track; within a status, by agency
    assert order == [("no_data", "tourists"), ("no_data", "forest_cover"),
                     ("on_track", "budget_revenue")]
    budget = board["tiles"][2]
    assert budget["latest"]["period"] == "6T/2024" and budget["latest"]["pct_of_plan"] == 52.0
    assert budget["next_step"] is None  # nothing the data says: nothing invented
    tourists = board["tiles"][0]
    assert tourists["next_step"] == {"kind": "report", "agency": "so-y-te", "period": "6T/2024",
                                     "due": "2024-07-15",
                                     "alert": "missing_report:tourists:6T/2024"}
    page = text_of(admin.get("/").text)
    assert "Sở Y tế báo cáo kỳ 6T/2024 (hạn 15/07/2024)" in page
    assert "Mới nhất 6T/2024: 5.200 tỷ đồng · 52% kế hoạch" in page
    assert "tại ngày 15/10/2024" in page and "kỳ 2024" in page


def test_board_filters(admin):
    def shown(**query):
        return [t["indicator"] for t in admin.get("/api/v1/board").json()["tiles"]] \
            if not query else re.findall(r'href="/indicators/([a-z_]+)"', admin.get(
                "/", params=query).text)

    assert shown() == ["tourists", "forest_cover", "budget_revenue"]
    assert shown(agency="so-tai-chinh") == ["budget_revenue"]
    assert shown(group="environment") == ["forest_cover"]
    assert shown(status="no_data") == ["tourists", "forest_cover"]
    assert shown(period="2023") == []


def test_alerts_page_has_agency_date_and_age_as_of_the_page(admin):
    rows = re.findall(r'<tr class="alert-row">(.*?)</tr>', admin.get("/alerts").text, re.S)
    overdue = [text_of(r) for r in rows if "Nhiệm vụ quá hạn" in r]
    assert len(overdue) == 1  # one line per overdue task
    line = overdue[0]
    assert "Sở Y tế" in line and "01/10/2024" in line
    # raised 01/10/2024 at 1 day; the page is as of 15/10/2024: 15 days, not the stale 1
    assert "Quá hạn 15 ngày tính đến 15/10/2024" in line and "quá hạn 1 ngày" not in line
    closed = [text_of(r) for r in rows if "sắp đến hạn" in r.lower()]
    assert closed and all("Đã đóng" in r for r in closed)


def test_wording_helpers():
    assert date_words("2024-07-15") == "15/07/2024" and date_words(None) == ""
    assert number_words("1234.5") == "1.234,5" and number_words(10000) == "10.000"
    assert number_words(None) == ""
    names = agency_names([{"id": "so-a", "name": "Sở A", "succeeded_by": "so-b"},
                          {"id": "so-b", "name": "Sở B"}])
    assert names == {"so-a": "Sở B (trước đây Sở A)", "so-b": "Sở B"}
    assert text_words("so-a chưa báo cáo (hạn 2024-07-15)", names) == \
        "Sở B (trước đây Sở A) chưa báo cáo (hạn 15/07/2024)"
    assert text_words("kỳ 11T/2023: off_track", {}) == "kỳ 11T/2023: Chậm tiến độ"
    assert text_words('số liệu cho "achieved" (tỷ lệ 0.870)', {}) == \
        'số liệu cho "Đạt" (tỷ lệ 0,870)'
    assert text_words("11T/2023: at_risk", {}, "en") == "11T/2023: at risk"


def test_tile_never_invents_a_share_or_a_stale_next_step():
    from datetime import date

    from service.views.board import _latest_figure, _next_step

    rate = {"indicator": "accidents", "period": "2024", "expression": "≥5", "unit": "%"}
    obs = [{"id": "o1", "indicator": "accidents", "period": "9T/2024", "value": "333",
            "unit": "vụ", "as_of": "2024-10-01"}]
    latest = _latest_figure(obs, rate, date(2024, 12, 31))
    assert latest and latest["period"] == "9T/2024" and latest["pct_of_plan"] is None
    old = {"kind": "missing_report", "subject": {"id": "accidents"}, "period": "2023",
           "agency": "cong-an", "details": {"due": "2023-12-15"}, "id": "m"}
    assert _next_step(rate, [old]) is None  # a 2023 report is not the 2024 board's next step
    assert _next_step({**rate, "period": "2023"}, [old])["due"] == "2023-12-15"


def test_reporter_result_in_words(client):
    client.headers.update(bearer("tc"))
    page = client.get("/report").text
    token = re.search(r'name="csrf-token" content="([^"]+)"', page)
    fields = {"indicator": "budget_revenue", "period": "9T/2024", "value": "5.595,5",
              "as_of": "2024-09-30"}
    if token:
        fields["csrf_token"] = token[1]
    reply = client.post("/report", data=fields)
    assert reply.status_code == 201, reply.text[:500]
    text = text_of(reply.text)
    assert "(mới)" in text and "(new)" not in text
    for what, pattern in LEAKS.items():
        assert not pattern.search(text), f"{what} {pattern.findall(text)}"


@pytest.fixture(scope="module")
def langson_explanations(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str, str]]:
    """(rule, Vietnamese, English) of every alert and status change of data/langson replayed
    to 31/12/2024."""
    from datetime import date

    from kg.dataset import DEFAULT_DATASET, load_dataset
    from kg.log import open_log
    from rules.replay import replay

    log = open_log(tmp_path_factory.mktemp("langson") / "kehoach.db")
    log.append(load_dataset(DEFAULT_DATASET), submitted_by="dataset")
    result = replay(log, date(2024, 12, 31), persist=False)
    log.close()
    return [(o.rule["id"], o.explanation_vi, o.explanation_en) for o in result.outcomes]


def _agency_ids() -> re.Pattern[str]:
    from pathlib import Path

    import yaml

    path = Path(__file__).resolve().parents[2] / "data" / "langson" / "agencies.yaml"
    ids = sorted((a["id"] for a in yaml.safe_load(path.read_text(encoding="utf-8"))),
                 key=len, reverse=True)
    words = "|".join(map(re.escape, ids))
    return re.compile(rf"(?<![\w-])(?:{words})(?![\w-])")


@pytest.mark.slow
def test_no_explanation_of_the_langson_data_leaks_codes(langson_explanations):
    """Every alert and status change of the Lạng Sơn data at 31/12/2024 speaks in names and
    Vietnamese formats, in both languages: no agency id (a key of agencies.yaml), no ISO date,
    no snake_case status, no "None", no "1 days", no "{placeholder}", no English decimal point
    in the Vietnamese text."""
    ids = _agency_ids()
    leaks = {**LEAKS, "agency id": ids, "placeholder": re.compile(r"[{}]")}
    rules = {rule for rule, _vi, _en in langson_explanations}
    assert len(langson_explanations) > 1000 and {
        "missing_reports.overdue_report", "escalation.consecutive_lagging",
        "tasks.overdue_gt_120", "discrepancies.official_verdict", "pace.at_risk"} <= rules
    found = []
    for rule, vi, en in langson_explanations:
        for what, pattern in leaks.items():
            found += [(rule, lang, what, text) for lang, text in (("vi", vi), ("en", en))
                      if pattern.search(text)]
        if re.search(r"(?<![\d.,])1 days\b", en):
            found.append((rule, "en", "1 days", en))
        if re.search(r"(?:tỷ lệ|lệch) \d+\.\d", vi):
            found.append((rule, "vi", "decimal point", vi))
    assert not found, found[:5]

