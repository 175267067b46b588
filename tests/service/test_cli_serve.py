"""``kehoach user add | list | disable`` through the CLI (CliRunner on ``build_app()``)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from service.cli.app import build_app
from service.security import authenticate
from service.store import ServiceStore
from tests.service.conftest import MINI

runner = CliRunner()


def test_user_add_list_disable(tmp_path):
    db = str(tmp_path / "k.db")
    app = build_app()
    assert runner.invoke(app, ["load", str(MINI), "--db", db]).exit_code == 0
    added = runner.invoke(app, ["user", "add", "lan", "--role", "reporter", "--agency",
                                "so-y-te", "--db", db], input="mat-khau-dai\nmat-khau-dai\n")
    assert added.exit_code == 0, added.output
    listed = runner.invoke(app, ["user", "list", "--json", "--db", db])
    assert json.loads(listed.output) == [
        {"username": "lan", "role": "reporter", "agency": "so-y-te", "disabled": False}]
    store = ServiceStore(tmp_path / "k.db")
    assert authenticate(store, "lan", "mat-khau-dai") is not None
    disabled = runner.invoke(app, ["user", "disable", "lan", "--db", db])
    assert disabled.exit_code == 0, disabled.output
    assert authenticate(store, "lan", "mat-khau-dai") is None


def test_user_add_refuses_bad_input(tmp_path):
    db = str(tmp_path / "k.db")
    app = build_app()
    short = runner.invoke(app, ["user", "add", "a", "--role", "admin", "--db", db],
                          env={"KEHOACH_NEW_PASSWORD": "ngan"})
    assert short.exit_code == 2
    no_agency = runner.invoke(app, ["user", "add", "b", "--role", "reporter", "--db", db],
                              env={"KEHOACH_NEW_PASSWORD": "mat-khau-dai"})
    assert no_agency.exit_code == 2 and "reporter" in no_agency.output
    unknown = runner.invoke(app, ["user", "disable", "nobody", "--db", db])
    assert unknown.exit_code == 2
    no_such = runner.invoke(app, ["user", "add", "c", "--role", "reporter", "--agency",
                                  "no-such-agency", "--db", db],
                            env={"KEHOACH_NEW_PASSWORD": "mat-khau-dai"})
    assert no_such.exit_code == 2
    assert "[unknown_agency]" in no_such.output and "không có cơ quan 'no-such-agency'" in \
        no_such.output and "no agency 'no-such-agency'" in no_such.output
    assert json.loads(runner.invoke(app, ["user", "list", "--json", "--db", db]).output) == []


def test_serve_help_documents_demo():
    result = runner.invoke(build_app(), ["serve", "--help"])
    assert result.exit_code == 0 and "--demo" in result.output
