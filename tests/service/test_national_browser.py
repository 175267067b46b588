"""The national view in a real headless Chromium (Debian's /usr/bin/chromium, Playwright)
against a real uvicorn serving the national service (``viet-nam``) of a database holding three
jurisdictions: a national viewer logs in, follows the "Cả nước" link, reads the board by
province (the unjudged one says so), filters the alerts by jurisdiction and opens a trace."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from service.app import create_app
from service.settings import Settings
from tests.service.conftest import AS_OF, PASSWORD, SECRET, start_uvicorn
from tests.service.test_browser import browser  # noqa: F401 (the fixture, module-scoped)
from tests.service.test_national import build_nation

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def national_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = build_nation(tmp_path_factory.mktemp("national-browser") / "n.db")
    app = create_app(Settings(db=db, secret_key=SECRET, as_of=AS_OF, jurisdiction="viet-nam"))
    server, thread, url = start_uvicorn(app)
    yield url
    server.should_exit = True
    thread.join(timeout=10)


def test_a_national_viewer_reads_across_provinces(browser: Any,  # noqa: F811 (the fixture)
                                                  national_server: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{national_server}/login")
    page.fill("input[name=username]", "nat-viewer")
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"{national_server}/")
    page.click("#nav-national")
    page.wait_for_url(f"{national_server}/national")
    rows = page.locator("tr.jurisdiction-row")
    assert rows.count() == 3
    states = {rows.nth(i).get_attribute("data-code"): rows.nth(i).get_attribute("data-state")
              for i in range(3)}
    assert states == {"cao-bang": "not_judged", "dong-nai": "judged", "lang-son": "judged"}
    assert "chưa xét" in page.locator('tr[data-code="cao-bang"]').inner_text()
    page.locator('tr[data-code="dong-nai"] a').first.click()  # its open alerts, filtered
    page.wait_for_url("**/national/alerts?**")
    jurisdictions = {page.locator("tr.alert-row").nth(i).get_attribute("data-jurisdiction")
                     for i in range(page.locator("tr.alert-row").count())}
    assert jurisdictions == {"dong-nai"}
    page.locator("tr.alert-row a").first.click()
    page.wait_for_url("**/national/trace/dong-nai/**")
    assert page.locator("h1").inner_text().startswith("Truy nguyên · tỉnh Đồng Nai")
    assert page.locator("#trace-picture svg").count() == 1
    context.close()
