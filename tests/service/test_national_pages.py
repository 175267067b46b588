"""The national view's pages (issue 19 part 3): the board by jurisdiction, alerts across
jurisdictions, who and trace — Vietnamese by default, English on ``?lang=en``; a jurisdiction
not judged says so; a reporter gets the error page (403) and no national link."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.service.test_national import VIEWER, build_nation, client_on, token

ALERT = "off_track:budget_revenue@2024:9T/2024"


def words(html: str) -> str:
    """The page's main text, tags dropped, spaces folded."""
    main = html.split("<main>", 1)[-1].split("</main>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = build_nation(tmp_path_factory.mktemp("national-pages") / "n.db")
    yield from client_on(Path(db), "viet-nam")


def test_board_page_names_each_jurisdiction_and_the_unjudged(pages: TestClient) -> None:
    page = pages.get("/national", headers=VIEWER, params={"lang": "vi"})
    assert page.status_code == 200
    text = words(page.text)
    assert "Cả nước: bảng theo địa bàn tại ngày 15/10/2024" in text
    rows = re.findall(r'data-code="([a-z-]+)" data-state="([a-z_]+)"', page.text)
    assert rows == [("cao-bang", "not_judged"), ("dong-nai", "judged"), ("lang-son", "judged")]
    assert "tỉnh Cao Bằng cao-bang chưa xét (chưa từng xét)" in text
    assert "trạng thái và cảnh báo chưa biết" in text
    assert 'id="nav-national"' in page.text
    english = words(pages.get("/national", headers=VIEWER, params={"lang": "en"}).text)
    assert "National view: the board by jurisdiction as of 15/10/2024" in english
    assert "Cao Bang cao-bang not judged yet (never judged)" in english


def test_alerts_page_rows_carry_their_jurisdiction(pages: TestClient) -> None:
    page = pages.get("/national/alerts", headers=VIEWER, params={"lang": "vi"})
    assert page.status_code == 200
    assert set(re.findall(r'data-jurisdiction="([a-z-]+)"', page.text)) == {"dong-nai",
                                                                             "lang-son"}
    text = words(page.text)
    assert "Chưa xét: tỉnh Cao Bằng — cảnh báo của các địa bàn này chưa biết" in text
    assert "tỉnh Đồng Nai nghiêm trọng Chậm tiến độ" in text
    assert "Sở Tài chính tỉnh Đồng Nai" in text  # the agency named as Đồng Nai names it
    assert f'href="/national/trace/dong-nai/{ALERT.replace(":", "%3A").replace("@", "%40")}' \
        in page.text
    one = pages.get("/national/alerts", headers=VIEWER,
                    params={"jurisdiction": "lang-son", "lang": "vi"})
    assert set(re.findall(r'data-jurisdiction="([a-z-]+)"', one.text)) == {"lang-son"}


def test_who_and_trace_pages(pages: TestClient) -> None:
    who = words(pages.get("/national/who", headers=VIEWER,
                          params={"agency": "so-tai-chinh", "lang": "vi"}).text)
    assert "tỉnh Đồng Nai: Sở Tài chính tỉnh Đồng Nai so-tai-chinh" in who
    assert "tỉnh Cao Bằng: Sở Tài chính so-tai-chinh Chưa xét" in who
    trace = pages.get(f"/national/trace/dong-nai/{ALERT}", headers=VIEWER,
                      params={"lang": "vi"})
    assert trace.status_code == 200
    text = words(trace.text)
    assert text.startswith("Truy nguyên · tỉnh Đồng Nai: Cảnh báo ngày 30/09/2024")
    assert "tổng thu ngân sách ước 5.000 tỷ đồng, đạt 20% dự toán" in text
    missing = pages.get(f"/national/trace/lang-son/{ALERT}", headers=VIEWER)
    assert missing.status_code == 404


def test_a_reporter_gets_the_error_page_and_no_link(pages: TestClient) -> None:
    reporter = token("nat-reporter", "reporter", "so-tai-chinh")
    page = pages.get("/national", headers=reporter, params={"lang": "vi"})
    assert page.status_code == 403
    assert "vai trò &#39;reporter&#39; không được xem số liệu các địa bàn" in page.text
    assert 'id="nav-national"' not in pages.get("/", headers=reporter).text
