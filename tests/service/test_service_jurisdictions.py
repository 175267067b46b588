"""Jurisdictions through the CLI (global --jurisdiction, $KEHOACH_JURISDICTION, ``kehoach
jurisdictions``) and the API (``GET /api/v1/jurisdictions``, a service confined to one)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from kg.log import chosen_jurisdiction, open_log
from service.app import create_app
from service.cli.app import build_app
from service.security import hash_password, issue_token
from service.settings import Settings
from service.store import ServiceStore, User
from tests.kg.test_log_jurisdiction import dong_nai_facts
from tests.service.conftest import PASSWORD, SECRET, bearer

runner = CliRunner()
ALERTS = ["alerts", "--as-of", "2024-12-31", "--json"]


def cli(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = runner.invoke(build_app(), list(args), env=env)
    return result.exit_code, result.output


def flat(output: str) -> str:
    """A usage error's text without the box it is drawn in (its lines wrapped)."""
    return " ".join(output.replace("│", " ").split())


def test_lang_son_alerts_are_the_same_with_another_jurisdiction_beside_it(both, langson_db):
    code, alone = cli(*ALERTS, "--db", str(langson_db))
    assert code == 0 and json.loads(alone)
    assert cli(*ALERTS, "--db", str(both)) == (0, alone)
    assert cli("--jurisdiction", "lang-son", *ALERTS, "--db", str(both)) == (0, alone)


def test_the_global_option_and_the_environment_scope_every_command(both):
    code, out = cli("--jurisdiction", "dong-nai", *ALERTS, "--db", str(both))
    assert code == 0
    assert "off_track:budget_revenue@2024:9T/2024" in {a["id"] for a in json.loads(out)}
    expected = {"agencies": 1, "documents": 0, "indicators": 1, "targets": 1, "tasks": 0,
                "observations": 1}
    code, out = cli("--jurisdiction", "dong-nai", "stats", "--json", "--db", str(both))
    assert code == 0 and json.loads(out) == expected
    code, out = cli("stats", "--json", "--db", str(both),
                    env={"KEHOACH_JURISDICTION": "dong-nai"})
    assert code == 0 and json.loads(out) == expected
    assert chosen_jurisdiction() is None  # the choice ends with the command
    code, out = cli("stats", "--json", "--db", str(both))
    assert json.loads(out)["targets"] == 127


def test_a_jurisdiction_is_a_code_or_a_name_of_the_reference_list(both):
    by_name = cli("--jurisdiction", "tỉnh Đồng Nai", "stats", "--json", "--db", str(both))
    assert by_name == cli("--jurisdiction", "dong-nai", "stats", "--json", "--db", str(both))
    assert json.loads(by_name[1])["targets"] == 1


def test_a_bad_or_unknown_jurisdiction_is_a_clear_error(both):
    code, out = cli("--jurisdiction", "Atlantis", "stats", "--db", str(both))
    assert code == 2 and "không có địa bàn" in flat(out) and "no jurisdiction" in flat(out)
    code, out = cli("--jurisdiction", "lang-sn", "load", "data/langson", "--db", str(both))
    assert code == 2 and "(lang-son)" in flat(out)  # the closest, never a new jurisdiction
    code, out = cli("--jurisdiction", "dong-thap", "stats", "--db", str(both))
    assert code == 2 and "unknown_jurisdiction" in out and "dong-nai, lang-son" in out


def test_loading_a_dataset_into_another_jurisdiction_is_refused(tmp_path):
    path = str(tmp_path / "kh.db")
    code, out = cli("--jurisdiction", "dong-nai", "load", "data/langson", "--db", path)
    assert code == 2 and "jurisdiction_mismatch" in out
    assert "Bộ dữ liệu thuộc địa bàn 'lang-son'" in out and "belongs to jurisdiction" in out
    code, out = cli("load", "data/langson", "--db", path)
    assert code == 0 and "jurisdiction: lang-son" in out


def test_jurisdictions_command_lists_codes_with_counts(both):
    code, out = cli("jurisdictions", "--json", "--db", str(both))
    data = json.loads(out)
    assert code == 0 and data["current"] == data["default"] == "lang-son"
    rows = {row["code"]: row for row in data["data"]}
    assert list(rows) == ["dong-nai", "lang-son"]
    assert rows["dong-nai"] == {
        "code": "dong-nai", "name": "tỉnh Đồng Nai", "name_en": rows["dong-nai"]["name_en"],
        "kind": "province", "total": 4,
        "facts": {"agency": 1, "indicator": 1, "observation": 1, "target": 1}}
    assert "Dong Nai" in rows["dong-nai"]["name_en"]
    assert rows["lang-son"]["facts"]["target"] == 127
    code, out = cli("--jurisdiction", "dong-nai", "jurisdictions", "--db", str(both))
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2
    assert lines[0].startswith("dong-nai") and "current" in lines[0] and "default" not in lines[0]
    assert lines[1].startswith("lang-son") and "default" in lines[1]
    assert "tỉnh Lạng Sơn" in lines[1]


def test_set_default_claims_an_unscoped_database_once(tmp_path):
    path = tmp_path / "kh.db"
    with open_log(path) as log:  # facts written without any jurisdiction
        log.append(dong_nai_facts())
    code, out = cli("jurisdictions", "--json", "--db", str(path))
    assert [row["code"] for row in json.loads(out)["data"]] == [""]
    code, out = cli("jurisdictions", "--set-default", "dong-nai", "--json", "--db", str(path))
    assert code == 0 and json.loads(out)["default"] == "dong-nai"
    assert [row["code"] for row in json.loads(out)["data"]] == ["dong-nai"]
    code, out = cli("jurisdictions", "--set-default", "lang-son", "--db", str(path))
    assert code == 2 and "default_jurisdiction_set" in out


# -- the service -------------------------------------------------------------------------------

def client_on(path: Path, jurisdiction: str | None = None) -> TestClient:
    """A client of a service on ``jurisdiction``; its accounts are made in that jurisdiction
    (an account belongs to one: ``admin``/``tc`` for the default, ``admin-<code>``/``tc-<code>``
    for another)."""
    store = ServiceStore(path, jurisdiction=jurisdiction)
    if not store.users():
        suffix = f"-{jurisdiction}" if jurisdiction else ""
        store.add_user(f"admin{suffix}", hash_password(PASSWORD), "admin", None)
        store.add_user(f"tc{suffix}", hash_password(PASSWORD), "reporter", "so-tai-chinh")
    store.close()
    settings = Settings(db=path, secret_key=SECRET, as_of=date(2024, 12, 31),
                        jurisdiction=jurisdiction)
    return TestClient(create_app(settings))


def test_api_lists_jurisdictions_for_any_logged_in_role(both):
    with client_on(both) as client:
        for user in ("admin", "tc"):
            response = client.get("/api/v1/jurisdictions", headers=bearer(user))
            assert response.status_code == 200
            data = response.json()
            assert data["current"] == data["default"] == "lang-son"
            assert [row["code"] for row in data["data"]] == ["dong-nai", "lang-son"]
            assert data["data"][0]["total"] == 4
            assert [row["kind"] for row in data["data"]] == ["province", "province"]
        refused = client.get("/api/v1/jurisdictions")
        assert refused.status_code == 401 and refused.json()["code"]
        documented = client.get("/openapi.json").json()["paths"]["/api/v1/jurisdictions"]["get"]
        assert {"200", "401", "403", "422"} <= set(documented["responses"])


def test_a_service_confined_to_one_jurisdiction_sees_only_its_facts(both):
    with client_on(both, "dong-nai") as client:
        headers = bearer_of("admin-dong-nai", "admin")
        targets = client.get("/api/v1/targets", headers=headers).json()["data"]
        assert [(t["id"], t.get("expression")) for t in targets] == \
            [("budget_revenue@2024", "25.000")]
        alerts = client.get("/api/v1/alerts", headers=headers).json()["data"]
        assert "off_track:budget_revenue@2024:9T/2024" in {a["id"] for a in alerts}
        agencies = client.get("/api/v1/agencies", headers=headers).json()
        assert agencies["count"] == 1
        assert client.get("/api/v1/jurisdictions", headers=headers).json()["current"] == \
            "dong-nai"
    with client_on(both) as client:
        alerts = client.get("/api/v1/alerts", headers=bearer("admin")).json()["data"]
        assert "off_track:budget_revenue@2024:9T/2024" not in {a["id"] for a in alerts}


def test_settings_take_the_jurisdiction_from_the_environment(monkeypatch):
    monkeypatch.setenv("KEHOACH_JURISDICTION", "bo-tai-chinh")
    assert Settings().jurisdiction == "bo-tai-chinh"
    monkeypatch.setenv("KEHOACH_JURISDICTION", "Bộ Tài chính")
    assert Settings().jurisdiction == "bo-tai-chinh"
    monkeypatch.setenv("KEHOACH_JURISDICTION", "Bộ Atlantis")
    with pytest.raises(Exception, match="không có địa bàn"):
        Settings()


def bearer_of(username: str, role: str, agency: str | None = None) -> dict[str, str]:
    token, _ = issue_token(User(username, role, agency, False), SECRET, 10)
    return {"Authorization": f"Bearer {token}"}


def test_an_account_of_one_jurisdiction_does_not_exist_in_another(both):
    # agency keys repeat across provinces (so-tai-chinh): Lạng Sơn's reporter must never
    # write or read Đồng Nai's figures as Đồng Nai's so-tai-chinh — nor log in there
    with client_on(both) as client:  # the default, lang-son: admin, tc
        pass
    with client_on(both, "dong-nai") as client:
        for user, role, agency in (("tc", "reporter", "so-tai-chinh"), ("admin", "admin", None)):
            headers = bearer_of(user, role, agency)
            assert client.get("/api/v1/targets", headers=headers).status_code == 401
            posted = client.post("/api/v1/observations", headers=headers, json={
                "indicator": "budget_revenue", "period": "9T/2024", "value": "1",
                "kind": "actual", "as_of": "2024-09-30"})
            assert posted.status_code == 401
        login = client.post("/api/v1/auth/token",
                            data={"username": "tc", "password": PASSWORD})
        assert login.status_code == 401
        own = client.post("/api/v1/auth/token",
                          data={"username": "tc-dong-nai", "password": PASSWORD})
        assert own.status_code == 200
    lang_son = ServiceStore(both)
    assert {u.username for u in lang_son.users()} == {"admin", "tc"}
    with pytest.raises(Exception, match="user_not_found|không có người dùng"):
        lang_son.set_disabled("tc-dong-nai")
    lang_son.close()


def test_serve_works_on_the_chosen_jurisdiction(both, monkeypatch):
    import importlib
    import os

    import uvicorn

    served: list[str] = []

    def fake_run(target: str, **options: Any) -> None:
        """What a uvicorn worker does: build the app from the factory serve names (it reads
        the KEHOACH_* environment serve set), then exit — each serve a new process, so the
        environment is left as it was."""
        assert options.get("factory")
        module, name = target.split(":")
        app = getattr(importlib.import_module(module), name)()
        served.append(app.state.runtime.log.jurisdiction)
        app.state.runtime.close()
        for key in [k for k in os.environ if k.startswith("KEHOACH_")]:
            del os.environ[key]

    monkeypatch.setattr(os, "environ", {**os.environ})  # serve writes KEHOACH_* into it
    monkeypatch.setattr(uvicorn, "run", fake_run)
    code, out = cli("serve", "--jurisdiction", "dong-nai", "--db", str(both))
    assert code == 0 and "jurisdiction: dong-nai" in out
    assert cli("--jurisdiction", "dong-nai", "serve", "--db", str(both))[0] == 0
    assert cli("serve", "--db", str(both))[0] == 0
    assert served == ["dong-nai", "dong-nai", "lang-son"]
    code, out = cli("serve", "--jurisdiction", "DN", "--db", str(both))
    assert code == 2 and "không có địa bàn" in flat(out)
    assert served == ["dong-nai", "dong-nai", "lang-son"]
