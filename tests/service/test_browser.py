"""End to end in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright)
against the shared uvicorn server: log in, open the board, submit a figure as a reporter and
see the alert appear (in the reply and live on the board), open a trace picture.
Screenshots of the demo data come from ``docs/make_screenshots.py``, not from this test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import playwright.sync_api as playwright_api  # a dev dependency: missing must fail, not skip
import pytest

from tests.service.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")  # closed after this file: Playwright's event loop and the
def browser() -> Iterator[Any]:    # browser's processes must not outlive it (later tests)
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} missing: apt-get install -y chromium")
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


def login(browser: Any, live_server: str, username: str) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server}/")
    assert "/login" in page.url
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"{live_server}/")
    return page


def test_wrong_password_stays_on_login(browser, live_server):
    page = browser.new_page()
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", "yte")
    page.fill("input[name=password]", "sai-mat-khau")
    page.click("#login-submit")
    assert "Sai tên đăng nhập" in page.locator("p.error").inner_text()
    page.close()


RANK = {"no_data": 4, "on_track": 6}


def test_board_reads_as_an_official_reads_it(browser, live_server):
    page = login(browser, live_server, "viewer")
    assert page.locator("#board-period").inner_text() == "2024"
    assert page.locator("#board-as-of").inner_text() == "15/10/2024"
    tiles = page.locator("#tiles .tile")
    statuses = [tiles.nth(i).get_attribute("data-status") for i in range(tiles.count())]
    assert statuses == sorted(statuses, key=lambda s: RANK.get(s or "", 9))  # worst first
    budget = page.locator(".tile", has_text="Tổng thu ngân sách")
    assert "Sở Tài chính" in budget.locator(".agency").inner_text()
    assert "6T/2024" in budget.locator(".latest").inner_text()
    assert "52% kế hoạch" in budget.locator(".latest").inner_text()
    next_step = page.locator(".tile", has_text="Khách du lịch").locator(".next-step")
    assert "Sở Y tế" in next_step.inner_text() and "15/07/2024" in next_step.inner_text()
    page.select_option("#board-filters select[name=agency]", "so-tai-chinh")
    page.click("#board-filters button")
    page.wait_for_url("**agency=so-tai-chinh**")
    assert page.locator("#tiles .tile").count() == 1
    page.goto(f"{live_server}/alerts?kind=overdue")
    row = page.locator("tr.alert-row").first
    assert row.locator("td.agency").inner_text() == "Sở Y tế"
    assert row.locator("td.date").inner_text() == "01/10/2024"
    assert "tính đến 15/10/2024" in row.inner_text()
    page.context.close()


def test_board_numbers_open_the_lists_they_count(browser, live_server):
    page = login(browser, live_server, "viewer")
    overdue = page.locator("#counts a[href='/tasks?status=overdue']")
    number = int(overdue.inner_text())
    overdue.click()
    page.wait_for_url("**/tasks?status=overdue")
    assert page.locator("tr.task-row").count() == number == int(
        page.locator("#tasks-total").inner_text())
    assert "Sở Y tế" in page.locator("tr.task-row td.agency").first.inner_text()
    assert "(≤ 30 ngày)" in page.locator("tr.task-row td.age").first.inner_text()
    page.go_back()
    ageing = page.locator("#tasks-by-agency tr.agency-tasks", has_text="Sở Y tế")
    assert ageing.locator("td").nth(3).inner_text() == "1"  # ≤ 30 ngày
    assert page.locator("#tasks-by-agency th").nth(3).inner_text() == "≤ 30 ngày"
    ageing.locator("td").nth(3).locator("a").click()
    page.wait_for_url("**bucket=le_30**")
    assert page.locator("tr.task-row").count() == 1
    page.go_back()
    warning = page.locator("#counts a[href*='severity=warning']")
    number = int(warning.inner_text())
    warning.click()
    page.wait_for_url("**state=open**")
    rows = page.locator("tr.alert-row")
    assert rows.count() == number and "Đã đóng" not in page.locator("table.alerts").inner_text()
    page.context.close()


def test_reporter_submits_figure_and_sees_alert(browser, live_server):
    board = login(browser, live_server, "yte")
    assert "Bảng theo dõi mục tiêu" in board.locator("h1").inner_text()
    board.wait_for_selector("#live-state[data-state=ready]")
    assert board.locator(".tile").count() == 3

    form = board.context.new_page()
    form.goto(f"{live_server}/report")
    form.fill("input[name=period]", "9T/2024")
    form.fill("input[name=value]", "1,0.00")
    form.fill("input[name=as_of]", "2024-09-30")
    form.click("#report-submit")
    error = form.locator(".field-error[data-field=value]").inner_text()
    assert "dấu thập phân" in error  # Vietnamese, naming what is wrong with the figure

    form.fill("input[name=value]", "1.000")
    form.click("#report-submit")
    caused = form.locator("#caused-alerts li").first.inner_text()
    assert "Chậm tiến độ" in caused and "Khách du lịch" in caused
    live = board.locator("#live-alerts li", has_text="Khách du lịch").first
    live.wait_for(timeout=10000)
    assert "25,0%" in live.inner_text()

    form.goto(f"{live_server}/indicators/tourists")
    canvas = form.locator("canvas.series-chart[data-ready=true]").first
    canvas.wait_for()
    labels = canvas.get_attribute("data-labels")
    assert labels == '["9T/2024"]'  # one x label per period
    series = canvas.get_attribute("data-series") or ""
    assert "Lũy kế từ đầu năm" in series and "Mục tiêu (100%)" in series
    assert "Một tháng" not in series  # no one-month figure: no such series drawn
    form.context.close()


def test_alert_opens_explanation_and_trace_picture(browser, live_server):
    page = login(browser, live_server, "auditor")
    page.goto(f"{live_server}/alerts?kind=overdue")
    page.locator("table.alerts a").first.click()
    assert page.locator("#explanation .explain").inner_text()
    page.click("#trace-link")
    picture = page.locator("#trace-picture svg")
    picture.wait_for()
    # the alert's own trace: its rule, the facts it used, the task and the documents, in words
    assert picture.locator("text", has_text="theo luật").count() >= 1
    assert picture.locator("title", has_text="[seed-").count() >= 1  # ids stay secondary
    chain = page.locator("table").last.inner_text()
    assert "theo luật" in chain and "dựa trên dữ kiện" in chain and "Nghị quyết" in chain
    page.goto(f"{live_server}/trace/budget_revenue@2024?lang=en")
    assert "Trace" in page.locator("h1").inner_text()
    english = page.locator("table").last.inner_text()
    assert "set by" in english and "setBy" not in english
    page.context.close()
