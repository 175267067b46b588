"""The national view (issue 19 part 3) through the API, on SQLite and on a real PostgreSQL: one
database holding Lạng Sơn (the mini dataset), Đồng Nai (its own figures under the same keys) and
Cao Bằng (facts, never judged); a national service (``viet-nam``) reads across them what each
jurisdiction's judge stored — and never shows one's outcomes under another's code."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kg.dataset import load_into
from kg.log import Fact, open_log
from service.app import create_app
from service.cli.national import jurisdiction_summary
from service.judge import Judge
from service.security import hash_password, issue_token
from service.settings import Settings
from service.store import ServiceStore, User
from tests.kg.test_log_jurisdiction import dong_nai_facts
from tests.service.conftest import AS_OF, MINI, PASSWORD, SECRET

NATIONAL_USERS = {"nat-admin": ("admin", None), "nat-viewer": ("viewer", None),
                  "nat-auditor": ("auditor", None), "nat-reporter": ("reporter", "so-tai-chinh")}
JUDGED = ("lang-son", "dong-nai")


def token(username: str, role: str, agency: str | None = None) -> dict[str, str]:
    signed, _ = issue_token(User(username, role, agency, False), SECRET, 60)
    return {"Authorization": f"Bearer {signed}"}


def judge_once(db: Any, code: str) -> None:
    """What a running ``kehoach judge --jurisdiction code`` stores when it starts."""
    with open_log(db, jurisdiction=code) as log:
        judging = Judge(log, lambda: AS_OF, poll=0.05)
        try:
            judging.start()
        finally:
            judging.close()


def build_nation(db: Any) -> Any:
    with open_log(db, jurisdiction="lang-son") as log:
        load_into(log, MINI)
    with open_log(db, jurisdiction="dong-nai") as log:
        log.append(dong_nai_facts())
    with open_log(db, jurisdiction="cao-bang") as log:
        load_into(log, MINI)  # facts, but no judge ever ran for it
    for code in JUDGED:
        judge_once(db, code)
    for code, users in (("viet-nam", NATIONAL_USERS), ("lang-son", {"ls-admin": ("admin", None)})):
        store = ServiceStore(db, jurisdiction=code)
        for username, (role, agency) in users.items():
            store.add_user(username, hash_password(PASSWORD), role, agency)
        store.close()
    return db


def client_on(db: Any, code: str) -> Iterator[TestClient]:
    app = create_app(Settings(db=db, secret_key=SECRET, as_of=AS_OF, jurisdiction=code))
    with TestClient(app) as client:
        yield client
    app.state.runtime.close()


@pytest.fixture
def nation_db(log_backend: Any) -> Any:
    return build_nation(log_backend.target("nation"))


@pytest.fixture
def national(nation_db: Any) -> Iterator[TestClient]:
    yield from client_on(nation_db, "viet-nam")


VIEWER = token("nat-viewer", "viewer")


def test_board_by_jurisdiction_is_each_judges_own(national: TestClient, nation_db: Any) -> None:
    answer = national.get("/api/v1/national/board", headers=VIEWER)
    assert answer.status_code == 200, answer.text
    board = answer.json()
    rows = {r["code"]: r for r in board["data"]}
    assert set(rows) == {"lang-son", "dong-nai", "cao-bang"}
    assert board["as_of"] == AS_OF.isoformat()
    for code in JUDGED:  # what the judge stored equals a clean replay of that jurisdiction
        row, replayed = rows[code], jurisdiction_summary(nation_db, code, AS_OF)
        assert row["judgement"]["state"] == "judged"
        assert row["judgement"]["pending_facts"] is False
        assert row["open_alerts"] == replayed["open_alerts"], code
        assert row["open_alert_count"] == replayed["open_alert_count"] > 0
        judged = Counter()
        for counts in row["statuses"].values():
            judged.update(counts)
        judged["no_data"] -= row["targets"] + row["tasks"] - sum(replayed["statuses"].values())
        expected = Counter({("no_data" if k == "no_status" else k): v
                            for k, v in replayed["statuses"].items()})
        assert +judged == +expected, code
    assert rows["dong-nai"]["open_alerts"] != rows["lang-son"]["open_alerts"]
    # never judged: said so, with no counts that could read as "no alerts"
    cao = rows["cao-bang"]
    assert cao["judgement"] == {"state": "not_judged", "as_of": AS_OF.isoformat(),
                                "judged_as_of": None, "upto_seq": None, "pending_facts": None}
    assert cao["open_alerts"] is None and cao["statuses"] is None
    assert cao["open_alert_count"] is None and cao["targets"] > 0
    assert board["not_judged"] == ["cao-bang"]


def test_alerts_carry_their_jurisdiction_and_never_cross(national: TestClient,
                                                          nation_db: Any) -> None:
    every = national.get("/api/v1/national/alerts", headers=VIEWER,
                         params={"limit": 500}).json()
    assert every["count"] == len(every["data"]) > 0
    assert {a["jurisdiction"] for a in every["data"]} == set(JUDGED)
    assert [n["code"] for n in every["not_judged"]] == ["cao-bang"]
    assert every["not_judged"][0]["state"] == "not_judged"
    for code in JUDGED:
        mine = national.get("/api/v1/national/alerts", headers=VIEWER,
                            params={"jurisdiction": code, "state": "all", "limit": 500}).json()
        assert {a["jurisdiction"] for a in mine["data"]} == {code}
        assert {a["id"] for a in mine["data"] if not a["superseded_by"]} == \
            {a["id"] for a in every["data"] if a["jurisdiction"] == code}
        # the same alerts as the jurisdiction's own service judges them, no more, no fewer
        if code != "lang-son":
            continue
        for own in client_on(nation_db, code):
            theirs = own.get("/api/v1/alerts", params={"limit": 500},
                             headers=token("ls-admin", "admin")).json()
            assert {(a["id"], a["explanation_vi"], a["superseded_by"] is None)
                    for a in theirs["data"]} == \
                {(a["id"], a["explanation_vi"], a["superseded_by"] is None)
                 for a in mine["data"]}
    dong_nai = [a for a in every["data"] if a["jurisdiction"] == "dong-nai"]
    assert dong_nai and all("20" in a["explanation_vi"] for a in dong_nai), dong_nai
    assert all(a["jurisdiction_name"] == "Tỉnh Đồng Nai" or "Đồng Nai" in
               a["jurisdiction_name"] for a in dong_nai)


def test_alert_filters(national: TestClient) -> None:
    high = national.get("/api/v1/national/alerts", headers=VIEWER,
                        params={"severity": "high", "limit": 500}).json()
    assert high["data"] and {a["severity"] for a in high["data"]} == {"high"}
    by_agency = national.get("/api/v1/national/alerts", headers=VIEWER,
                             params={"agency": "so-tai-chinh", "limit": 500}).json()
    assert by_agency["data"]
    assert all("so-tai-chinh" in (a["agency"], (a["details"] or {}).get("supervisor"))
               for a in by_agency["data"])
    unknown = national.get("/api/v1/national/alerts", headers=VIEWER,
                           params={"agency": "so-khong-co"})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "agency"
    bad_kind = national.get("/api/v1/national/alerts", headers=VIEWER,
                            params={"kind": "khong-co"})
    assert bad_kind.status_code in (404, 422) and bad_kind.json()["error_vi"]


def test_who_answers_per_jurisdiction(national: TestClient) -> None:
    answer = national.get("/api/v1/national/who", headers=VIEWER,
                          params={"agency": "so-tai-chinh"})
    assert answer.status_code == 200, answer.text
    rows = {r["jurisdiction"]: r for r in answer.json()["data"]}
    assert set(rows) == {"lang-son", "dong-nai", "cao-bang"}
    assert rows["dong-nai"]["agency"]["name"] == "Sở Tài chính tỉnh Đồng Nai"
    assert rows["lang-son"]["agency"]["name"] == "Sở Tài chính"
    assert [t["id"] for t in rows["dong-nai"]["targets"]] == ["budget_revenue@2024"]
    assert rows["dong-nai"]["targets"][0]["status"] == "off_track"
    assert rows["dong-nai"]["targets"][0]["expression"] == "25.000"  # its own plan
    assert rows["lang-son"]["targets"][0]["expression"] != "25.000"
    assert rows["dong-nai"]["tasks"] == []  # Đồng Nai gave it no task
    assert {t["role"] for t in rows["lang-son"]["tasks"]} == {"lead", "support"}
    assert [a["id"] for a in rows["dong-nai"]["open_alerts"]] == [
        "off_track:budget_revenue@2024:9T/2024"]
    # not judged: statuses and alerts unknown (None), never "none"
    assert rows["cao-bang"]["open_alerts"] is None
    assert {t["status"] for t in rows["cao-bang"]["targets"]} == {None}
    by_name = national.get("/api/v1/national/who", headers=VIEWER,
                           params={"agency": "Sở Tài chính tỉnh Đồng Nai"}).json()
    assert [r["jurisdiction"] for r in by_name["data"]] == ["dong-nai"]
    nobody = national.get("/api/v1/national/who", headers=VIEWER,
                          params={"agency": "Sở Không Có"})
    assert nobody.status_code == 404
    assert nobody.json()["error_vi"].startswith("trường 'agency'")


def test_trace_in_a_named_jurisdiction(national: TestClient) -> None:
    ident = "off_track:budget_revenue@2024:9T/2024"
    there = national.get(f"/api/v1/national/trace/dong-nai/{ident}", headers=VIEWER)
    assert there.status_code == 200, there.text
    data = there.json()
    assert data["jurisdiction"] == "dong-nai" and data["subject"]["id"] == ident
    assert "20,0%" in data["subject"]["name"]
    assert data["subject"]["source"]["doc"] == "dong-nai-bc"
    target = national.get("/api/v1/national/trace/lang-son/budget_revenue@2024",
                          headers=VIEWER).json()
    assert target["jurisdiction"] == "lang-son"
    assert target["chain"] and "dong-nai" not in json.dumps(target, ensure_ascii=False)
    assert "Đồng Nai" not in json.dumps(target, ensure_ascii=False)
    # Lạng Sơn raised no such alert: not found there, not borrowed from Đồng Nai
    absent = national.get(f"/api/v1/national/trace/lang-son/{ident}", headers=VIEWER)
    assert absent.status_code == 404
    by_name = national.get("/api/v1/national/trace/Đồng Nai/" + ident, headers=VIEWER)
    assert by_name.status_code == 200 and by_name.json()["jurisdiction"] == "dong-nai"


def test_unknown_jurisdiction_is_named_vietnamese_first(national: TestClient) -> None:
    path = national.get("/api/v1/national/trace/ha-giang-cu/x", headers=VIEWER)
    assert path.status_code == 404
    body = path.json()
    assert body["code"] == "unknown_jurisdiction" and body["ok"] is False
    assert body["error_vi"].startswith("trường 'jurisdiction': cơ sở dữ liệu không có địa bàn")
    assert "cao-bang, dong-nai, lang-son" in body["error_vi"]
    assert body["error_en"].startswith("field 'jurisdiction'")
    query = national.get("/api/v1/national/alerts", headers=VIEWER,
                         params={"jurisdiction": "khong-co"})
    assert query.status_code == 422
    assert query.json()["errors"][0]["field"] == "jurisdiction"


def test_a_date_not_judged_is_said_so(national: TestClient) -> None:
    later = national.get("/api/v1/national/board", headers=VIEWER,
                         params={"as_of": "2024-12-31"}).json()
    for row in later["data"]:
        assert row["judgement"]["state"] == "not_judged"
        assert row["open_alerts"] is None and row["statuses"] is None
    rows = {r["code"]: r for r in later["data"]}
    assert rows["lang-son"]["judgement"]["judged_as_of"] == AS_OF.isoformat()
    assert rows["cao-bang"]["judgement"]["judged_as_of"] is None
    alerts = national.get("/api/v1/national/alerts", headers=VIEWER,
                          params={"as_of": "2024-12-31"}).json()
    assert alerts["data"] == [] and alerts["count"] == 0
    assert {n["code"] for n in alerts["not_judged"]} == {"lang-son", "dong-nai", "cao-bang"}


def test_who_may_read_across_jurisdictions(national: TestClient, nation_db: Any) -> None:
    for path in ("/api/v1/national/board", "/api/v1/national/alerts",
                 "/api/v1/national/who?agency=so-tai-chinh",
                 "/api/v1/national/trace/dong-nai/budget_revenue@2024"):
        for username in ("nat-admin", "nat-auditor", "nat-viewer"):
            role = NATIONAL_USERS[username][0]
            assert national.get(path, headers=token(username, role)).status_code == 200, path
        refused = national.get(path, headers=token("nat-reporter", "reporter", "so-tai-chinh"))
        assert refused.status_code == 403, path
        body = refused.json()
        assert body["code"] == "national_forbidden" and body["status"] == 403
        assert body["error_vi"].startswith("vai trò 'reporter'") and body["error_en"]
        assert national.get(path).status_code == 401
    # a province's service: even its admin reads only its own jurisdiction
    for province in client_on(nation_db, "lang-son"):
        refused = province.get("/api/v1/national/board", headers=token("ls-admin", "admin"))
        assert refused.status_code == 403
        assert refused.json()["error_vi"].startswith("dịch vụ này phục vụ địa bàn 'lang-son'")


def test_facts_after_the_judge_are_said_pending(national: TestClient, nation_db: Any) -> None:
    """A fact appended after the judge's pass: the board says the judged state is behind
    (``pending_facts``) instead of presenting it as the log's, and the trace — built from the
    log as it is now — finds the new task."""
    before = national.get("/api/v1/national/trace/lang-son/task-001-001", headers=VIEWER)
    assert before.status_code == 200
    assert national.get("/api/v1/national/trace/lang-son/task-moi-001",
                        headers=VIEWER).status_code == 404
    with open_log(nation_db, jurisdiction="lang-son") as log:
        task = log.get("task", "task-001-001")
        log.append([Fact("task", "task-moi-001", {**task.payload, "summary": "Nhiệm vụ mới"},
                         task.source)])
    rows = {r["code"]: r for r in national.get("/api/v1/national/board",
                                                headers=VIEWER).json()["data"]}
    assert rows["lang-son"]["judgement"]["state"] == "judged"
    assert rows["lang-son"]["judgement"]["pending_facts"] is True
    assert rows["dong-nai"]["judgement"]["pending_facts"] is False
    assert rows["lang-son"]["tasks"] == 3 and rows["lang-son"]["statuses"]["task"][
        "no_data"] == 1  # the new task: no rule has judged it yet
    after = national.get("/api/v1/national/trace/lang-son/task-moi-001", headers=VIEWER)
    assert after.status_code == 200 and after.json()["jurisdiction"] == "lang-son"
    judge_once(nation_db, "lang-son")  # the judge's next pass: the board follows it
    row = {r["code"]: r for r in national.get("/api/v1/national/board",
                                               headers=VIEWER).json()["data"]}["lang-son"]
    assert row["judgement"]["pending_facts"] is False
    assert "no_data" not in row["statuses"]["task"]
    assert sum(row["statuses"]["task"].values()) == 3


def test_kehoach_judge_all_jurisdictions_feeds_the_national_view(national: TestClient,
                                                                 nation_db: Any) -> None:
    """The command a national deployment runs: one ``kehoach judge --all-jurisdictions``
    process judges Cao Bằng too (never judged before), and the national board reads it."""
    command = [str(Path(sys.executable).parent / "kehoach"), "judge", "--db", str(nation_db),
               "--all-jurisdictions", "--as-of", AS_OF.isoformat(), "--poll", "0.05"]
    env = {k: v for k, v in os.environ.items() if k != "KEHOACH_JURISDICTION"}
    judge = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            rows = {r["code"]: r for r in national.get("/api/v1/national/board",
                                                        headers=VIEWER).json()["data"]}
            if rows["cao-bang"]["judgement"]["state"] == "judged":
                break
            assert judge.poll() is None, judge.communicate()
            assert time.monotonic() < deadline, "cao-bang never judged"
            time.sleep(0.2)
    finally:
        judge.send_signal(signal.SIGTERM)
        out, err = judge.communicate(timeout=60)
    assert judge.returncode == 0, err
    assert "judging every jurisdiction: cao-bang, dong-nai, lang-son" in out
    # Cao Bằng holds the mini dataset Lạng Sơn holds: judged alike, each on its own facts
    assert rows["cao-bang"]["open_alerts"] == rows["lang-son"]["open_alerts"]
    assert rows["cao-bang"]["statuses"] == rows["lang-son"]["statuses"]
    assert all(r["judgement"]["state"] == "judged" for r in rows.values())
