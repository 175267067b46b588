"""One database, several jurisdictions: the fact log confined to one of them (kg.log)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.dataset import DEFAULT_DATASET, Manifest, load_dataset, load_into, read_manifest
from kg.errors import DatasetError, LogError, VersionConflict
from kg.log import (
    Fact,
    Source,
    check_code,
    jurisdiction_chosen,
    open_existing_log,
    open_log,
)
from kg.log.migrations import MIGRATIONS, migrate
from rules.replay import alerts, current_statuses, replay

AS_OF = date(2024, 12, 31)


def obs(key: str = "obs-1", value: str = "4.595,5") -> Fact:
    return Fact("observation", key, {"indicator": "import_export_turnover", "value": value},
                Source("002", 33, "đạt 76,6% kế hoạch"), as_of=date(2023, 11, 30))


def dong_nai_facts() -> list[Fact]:
    """Facts of Đồng Nai under the keys Lạng Sơn uses: its finance department, the budget
    revenue indicator, a 2024 target and a 9-month figure far behind it (an alert)."""
    langson = {(f.kind, f.key): f for f in load_dataset(DEFAULT_DATASET)}
    agency = langson[("agency", "so-tai-chinh")]
    indicator = langson[("indicator", "budget_revenue")]
    target = langson[("target", "budget_revenue@2024")]
    seen = langson[("observation", "obs-001-036")]
    quote = Source("dong-nai-bc", 12, "tổng thu ngân sách ước 5.000 tỷ đồng, đạt 20% dự toán")
    return [
        Fact("agency", agency.key, {**agency.payload, "name": "Sở Tài chính tỉnh Đồng Nai"},
             Source("dong-nai-bc", 1, "Sở Tài chính tỉnh Đồng Nai")),
        Fact("indicator", indicator.key, indicator.payload, indicator.source),
        Fact("target", target.key, {**target.payload, "expression": "25.000"},
             Source("dong-nai-kh", 40, "thu ngân sách 25.000 tỷ đồng")),
        Fact("observation", seen.key,
             {**seen.payload, "value": "5.000", "pct_of_plan": "20"}, quote, as_of=seen.as_of),
    ]


@pytest.fixture
def langson_at(log_backend, langson_db: Path):
    """A new database of the backend under test holding data/langson (a copy of the session's
    SQLite file, or loaded into a new PostgreSQL schema), one per call."""
    def make(name: str = "langson") -> Path | str:
        target = log_backend.target(name)
        if log_backend.name == "sqlite":
            shutil.copy(langson_db, target)
        else:
            with open_log(target) as log:
                load_into(log, DEFAULT_DATASET)
        return target
    return make


@pytest.fixture
def two_dbs(langson_at) -> tuple[Path | str, Path | str]:
    """Lạng Sơn alone, and the same database with Đồng Nai's facts beside it."""
    alone, both = langson_at("alone"), langson_at("both")
    with open_log(both, jurisdiction="dong-nai") as log:
        assert {o.status for o in log.append(dong_nai_facts())} == {"new"}
    return alone, both


def evaluation(path: Path | str, jurisdiction: str | None = None) -> tuple[list, list]:
    with open_log(path, jurisdiction=jurisdiction) as log:
        result = replay(log, AS_OF, persist=False)
    return current_statuses(result), alerts(result)


def test_dataset_declares_its_jurisdiction_and_becomes_the_default(langson_at):
    with open_log(langson_at()) as log:
        assert log.jurisdiction == "lang-son"
        assert log.default_jurisdiction() == "lang-son"
        assert set(log.jurisdictions()) == {"lang-son"}
        assert log.jurisdictions()["lang-son"] == log.counts()
        assert {f.jurisdiction for f in log.read(kinds=["agency"])} == {"lang-son"}


def test_same_keys_in_another_jurisdiction_do_not_touch_lang_son(two_dbs):
    alone, both = two_dbs
    assert evaluation(both) == evaluation(alone)
    assert evaluation(both, "lang-son") == evaluation(alone)
    with open_log(both) as log:
        assert log.get("target", "budget_revenue@2024").payload["expression"] == "7.485"
        assert set(log.jurisdictions()) == {"dong-nai", "lang-son"}
        assert log.jurisdictions()["dong-nai"] == {"agency": 1, "indicator": 1,
                                                    "observation": 1, "target": 1}


def test_the_other_jurisdiction_sees_only_its_own_facts_and_alerts(two_dbs):
    _alone, both = two_dbs
    with open_log(both, jurisdiction="dong-nai") as log:
        assert log.get("target", "budget_revenue@2024").payload["expression"] == "25.000"
        assert log.counts() == {"agency": 1, "indicator": 1, "observation": 1, "target": 1}
        assert [f.key for f in log.current("agency")] == ["so-tai-chinh"]
    statuses, fired = evaluation(both, "dong-nai")
    assert [(row["id"], row["status"]) for row in statuses] == \
        [("budget_revenue@2024", "off_track")]
    assert "off_track:budget_revenue@2024:9T/2024" in {a["id"] for a in fired}
    langson_statuses, langson_alerts = evaluation(both)
    assert "off_track:budget_revenue@2024:9T/2024" not in {a["id"] for a in langson_alerts}
    row = next(r for r in langson_statuses if r["id"] == "budget_revenue@2024")
    assert row["status"] != "off_track" and "20,0%" not in row["explanation"]


def test_idempotency_versions_and_replaces_are_per_jurisdiction(log_backend):
    path = log_backend.target()
    with open_log(path, jurisdiction="lang-son") as ls, \
            open_log(path, jurisdiction="dong-nai") as dn:
        assert ls.append([obs()])[0].status == "new"
        assert dn.append([obs()])[0].status == "new"  # same content, other jurisdiction
        assert ls.append([obs()])[0].status == "duplicate"
        assert dn.append([obs()])[0].status == "duplicate"
        assert dn.append([obs(value="1")])[0].fact.version == 2
        assert ls.get("observation", "obs-1").version == 1
        with pytest.raises(VersionConflict):
            ls.append([Fact("observation", "obs-1", {"v": 2}, replaces=2)])
        edited = ls.append([Fact("observation", "obs-1", {"v": 2}, replaces=1)])
        assert edited[0].fact.version == 2 and edited[0].fact.jurisdiction == "lang-son"
        assert [h.payload.get("value") for h in dn.history("observation", "obs-1")] == \
            ["4.595,5", "1"]
        assert ls.last_seq() > dn.last_seq()


def test_append_only_per_database_after_the_migration(log_backend):
    path = log_backend.target()
    with open_log(path, jurisdiction="dong-nai") as log:
        log.append([obs()])
        log.set_default_jurisdiction("dong-nai")
    raw = log_backend.raw(path)
    for sql in ("UPDATE facts SET jurisdiction='lang-son'", "DELETE FROM facts",
                "UPDATE log_meta SET value='x'", "DELETE FROM log_meta"):
        with pytest.raises(log_backend.error, match="append-only|written once"):
            raw.execute(sql)
    raw.close()


def test_environment_and_command_choice_scope_handles(log_backend, monkeypatch):
    path = log_backend.target()
    monkeypatch.setenv("KEHOACH_JURISDICTION", "dong-nai")
    with open_log(path) as log:
        assert log.jurisdiction == "dong-nai"
        log.append([obs()])
    with jurisdiction_chosen("ha-noi"), open_log(path) as log:
        assert log.jurisdiction == "ha-noi" and log.counts() == {}
    with open_log(path, jurisdiction="lang-son") as log:  # the argument wins
        assert log.jurisdiction == "lang-son" and log.counts() == {}
    monkeypatch.delenv("KEHOACH_JURISDICTION")
    with open_log(path) as log:  # no choice, no default: the unscoped log
        assert log.jurisdiction == "" and log.counts() == {}
        assert log.within("dong-nai").counts() == {"observation": 1}
        assert log.jurisdiction == ""  # within() leaves the handle as it was


@pytest.mark.parametrize("code", ["Lạng Sơn", "lang_son", "LANG-SON", "-x", "a--b", "x" * 65])
def test_a_malformed_code_is_a_clear_error(tmp_path, code):
    with pytest.raises(LogError) as err:
        open_log(tmp_path / "kh.db", jurisdiction=code)
    assert err.value.code == "bad_jurisdiction"
    assert "Mã địa bàn" in err.value.vi and "jurisdiction code" in err.value.en


def test_reading_a_jurisdiction_the_database_does_not_hold_is_an_error(langson_at):
    target = langson_at()
    with pytest.raises(LogError) as err:
        open_existing_log(target, jurisdiction="lang-sn")
    assert err.value.code == "unknown_jurisdiction" and "lang-son" in err.value.en
    with open_existing_log(target, jurisdiction="lang-son") as log:
        assert log.counts()


def test_a_dataset_refuses_a_log_of_another_jurisdiction(log_backend):
    path = log_backend.target()
    with open_log(path, jurisdiction="dong-nai") as log:
        with pytest.raises(DatasetError) as err:
            load_into(log, DEFAULT_DATASET)
        assert err.value.code == "jurisdiction_mismatch"
        assert "lang-son" in err.value.vi and "dong-nai" in err.value.en
        assert log.last_seq() == 0 and log.jurisdictions() == {}


def test_a_dataset_goes_to_its_jurisdiction_when_the_default_is_another(log_backend):
    path = log_backend.target()
    with open_log(path) as log:
        log.set_default_jurisdiction("dong-nai")
        assert log.jurisdiction == "dong-nai"
        load_into(log, DEFAULT_DATASET)
        assert log.counts() == {}
        assert log.default_jurisdiction() == "dong-nai"
        assert log.jurisdictions()["lang-son"]["target"] > 100


def test_the_default_is_set_once(log_backend):
    with open_log(log_backend.target()) as log:
        log.set_default_jurisdiction("lang-son")
        log.set_default_jurisdiction("lang-son")  # the same again: nothing to do
        with pytest.raises(LogError) as err:
            log.set_default_jurisdiction("dong-nai")
        assert err.value.code == "default_jurisdiction_set"


# -- a database written before jurisdictions --------------------------------------------------

def legacy_db(path: Path, facts: list[Fact]) -> None:
    """A database as the schema before 0004 wrote it (its migrations, its INSERT)."""
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, [m for m in MIGRATIONS if m[0] < "0004"])
    versions: dict[tuple[str, str], int] = {}
    for fact in facts:
        payload, digest = fact.serialized()
        version = versions[(fact.kind, fact.key)] = versions.get((fact.kind, fact.key), 0) + 1
        src = fact.source
        conn.execute(
            "INSERT INTO facts (kind, key, version, payload, source_doc, source_line, "
            "source_quote, submitted_by, submitted_at, as_of, content_hash, batch) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (fact.kind, fact.key, version, payload, src.doc if src else None,
             src.line if src else None, src.quote if src else None, "dataset",
             datetime(2024, 1, 1, tzinfo=UTC).isoformat(),
             fact.as_of.isoformat() if fact.as_of else None, digest, None))
    conn.close()


def test_a_legacy_database_keeps_every_fact_after_migrating(tmp_path, langson_db):
    path = tmp_path / "old.db"
    facts = load_dataset(DEFAULT_DATASET)
    legacy_db(path, [*facts, obs("obs-extra"), obs("obs-extra", value="2")])
    raw = sqlite3.connect(path)
    before = raw.execute("SELECT seq, kind, key, version, payload FROM facts ORDER BY seq")
    before = before.fetchall()
    raw.close()
    with open_log(path) as log:  # migrated; no default yet: the unscoped log
        assert log.jurisdiction == "" and log.jurisdictions().keys() == {""}
        stored = list(log.read())
        assert [(f.seq, f.kind, f.key, f.version, json.dumps(f.payload, sort_keys=True,
                 ensure_ascii=False)) for f in stored] == before
        assert evaluation(path) == evaluation(langson_db)
        outcomes = load_into(log, DEFAULT_DATASET)  # claims the legacy rows for lang-son
        assert {o.status for o in outcomes} == {"duplicate"}
        assert log.jurisdiction == "lang-son"
        assert log.jurisdictions().keys() == {"lang-son"}
        assert [f.seq for f in log.read()] == [seq for seq, *_ in before]
        assert log.get("observation", "obs-extra").version == 2
        new = log.append([obs("obs-extra", value="3")])[0].fact
        assert new.version == 3 and new.seq > before[-1][0]
    assert evaluation(path) == evaluation(langson_db)
    with open_log(path, jurisdiction="lang-son") as log:
        assert [h.version for h in log.history("observation", "obs-extra")] == [1, 2, 3]


def test_legacy_rows_are_not_claimed_over_facts_of_the_same_keys(tmp_path):
    path = tmp_path / "old.db"
    legacy_db(path, [obs()])
    with open_log(path, jurisdiction="lang-son") as log:
        log.append([obs(value="9")])
        with pytest.raises(LogError) as err:
            log.set_default_jurisdiction("lang-son")
        assert err.value.code == "default_jurisdiction_conflict"
    with open_log(path) as log:  # still there, in the unscoped log
        assert log.jurisdiction == "" and log.get("observation", "obs-1").version == 1


def test_routed_append_writes_every_jurisdiction_or_none(log_backend):
    path = log_backend.target()
    with open_log(path, jurisdiction="lang-son") as log:
        log.set_default_jurisdiction("lang-son")
        task = Fact("task", "task-1", {"summary": "Hoàn thiện hồ sơ"})
        done = log.append_routed({"bo-tai-chinh": [task, obs()], "dong-nai": [task]},
                                 submitted_by="ingest")
        assert {code: [o.status for o in outs] for code, outs in done.items()} == \
            {"bo-tai-chinh": ["new", "new"], "dong-nai": ["new"]}
        assert done["dong-nai"][0].fact.jurisdiction == "dong-nai"
        assert log.counts() == {}  # the handle's own jurisdiction is untouched
        before = log.jurisdictions()
        with pytest.raises(LogError) as err:
            log.append_routed({"ha-noi": [task], "dong-nai": [Fact("no_such_kind", "x", {})]})
        assert err.value.code == "unknown_fact_kind"
        with pytest.raises(VersionConflict):
            log.append_routed({"ha-noi": [task], "dong-nai": [Fact("task", "task-1", {},
                                                                   replaces=5)]})
        assert log.jurisdictions() == before  # nothing of either batch was written
        again = log.append_routed({"dong-nai": [task], "lang-son": [task]})
        assert [o.status for o in again["dong-nai"]] == ["duplicate"]
        assert [o.status for o in again["lang-son"]] == ["new"]
        assert log.get("task", "task-1").jurisdiction == "lang-son"
        with pytest.raises(LogError) as err:
            log.append_routed({"Đồng Nai": [task]})
        assert err.value.code == "bad_jurisdiction"


# -- properties --------------------------------------------------------------------------------

@given(st.one_of(st.text(max_size=70), st.from_regex(r"[a-z0-9-]{1,70}", fullmatch=True)))
@settings(max_examples=300, deadline=None)
def test_a_code_is_kebab_case_ascii_or_a_clear_error(text):
    try:
        code = check_code(text)
    except LogError as err:
        assert err.code == "bad_jurisdiction" and err.vi and err.en
        return
    assert code == text and code.isascii() and code == code.lower()
    assert all(part and part.isalnum() for part in code.split("-"))


WRITES = st.lists(st.tuples(st.sampled_from(["lang-son", "dong-nai", "bo-tai-chinh"]),
                            st.sampled_from(["a", "b", "c"]), st.sampled_from(["1", "2"])),
                  max_size=25)


@given(WRITES)
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_each_jurisdiction_of_a_shared_database_is_a_database_of_its_own(log_backend, writes):
    """Appending to several jurisdictions of one database gives each of them exactly the
    outcomes, versions and history of a database holding that jurisdiction alone."""
    shared = log_backend.target("shared")  # new databases for each example
    apart = {code: log_backend.target(code) for code in {code for code, _k, _v in writes}}
    for code, key, value in writes:
        with open_log(shared, jurisdiction=code) as log:
            together = log.append([obs(key, value)])[0]
        with open_log(apart[code], jurisdiction=code) as alone_log:
            alone = alone_log.append([obs(key, value)])[0]
        assert (together.status, together.fact.version) == (alone.status, alone.fact.version)
    for code in {code for code, _key, _value in writes}:
        with open_log(shared, jurisdiction=code) as log, \
                open_log(apart[code], jurisdiction=code) as alone_log:
            assert log.counts() == alone_log.counts()
            assert [(f.key, f.version, f.content_hash) for f in log.read()] == \
                [(f.key, f.version, f.content_hash) for f in alone_log.read()]


@pytest.mark.parametrize(("text", "field"), [
    ("jurisdiction: atlantis\n", "jurisdiction"),
    ("name: Tỉnh X\n", "jurisdiction"),
    ("jurisdiction: lang-son\nplan_years: [hai nghìn]\n", "plan_years"),
    ("jurisdiction: lang-son\nname: [a]\n", "name"),
    ("- lang-son\n", None),
])
def test_a_malformed_dataset_yaml_names_its_field(tmp_path, text, field):
    (tmp_path / "dataset.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DatasetError) as err:
        read_manifest(tmp_path)
    assert err.value.code == "bad_manifest" and err.value.place.field == field
    assert err.value.place.document == "dataset.yaml" and err.value.vi and err.value.en


def test_dataset_yaml_takes_a_code_or_a_name(tmp_path):
    assert read_manifest(DEFAULT_DATASET) == Manifest("lang-son", "Tỉnh Lạng Sơn",
                                                      (2023, 2024, 2025))
    assert read_manifest(tmp_path) is None  # a dataset of the unscoped log
    (tmp_path / "dataset.yaml").write_text("jurisdiction: tỉnh Đồng Nai\n", encoding="utf-8")
    assert read_manifest(tmp_path) == Manifest("dong-nai")
