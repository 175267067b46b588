"""``kehoach check --replay``: the graph a rules run would leave (outcomes included) is checked
without writing anything; a misused outcome in it is reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.log import open_log
from service.cli.app import build_app

runner = CliRunner()


@pytest.fixture(scope="module")
def db(langson_db: Path) -> str:
    return str(langson_db)


def _check(db: str, *extra: str):
    return runner.invoke(build_app(), ["check", "--db", db, "--no-reasoner", "--json", *extra])


def test_replayed_outcomes_are_checked_and_nothing_is_stored(db):
    with open_log(db) as log:
        before = log.last_seq()
    r = _check(db, "--replay", "--as-of", "2024-12-31")
    assert r.exit_code == 0, r.output[-2000:]
    answer = json.loads(r.output)
    assert answer["ok"] and answer["graph"]["replayed_outcomes"] > 1000
    with open_log(db) as log:
        assert log.last_seq() == before  # nothing written
    plain = json.loads(_check(db).output)
    assert plain["graph"]["replayed_outcomes"] is None
    assert plain["graph"]["triples"] < answer["graph"]["triples"]


def test_an_outcome_status_without_a_concept_is_reported(seeded_db, monkeypatch):
    """On the mini dataset (one task overdue at 15/10/2024): its replayed status change is
    reported once its status has no concept."""
    import kg.project

    monkeypatch.delitem(kg.project.STATUSES, "overdue")  # as if a rule's new code had none
    r = _check(str(seeded_db), "--replay", "--as-of", "2024-10-15")
    assert r.exit_code == 1
    findings = json.loads(r.output)["findings"]
    assert findings and {f["field"] for f in findings} == {"status"}
    assert all(f["kind"] == "status_change" for f in findings)
