"""The fact log through its public interface: open_log, append, read, current, history — on
both backends (``log_backend``: the SQLite file and a real PostgreSQL, tests/pg.py)."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import LogError
from kg.log import Fact, Source, default_db_path, open_log
from kg.log.postgres import MIGRATIONS as POSTGRES_MIGRATIONS
from kg.log.sqlite import MIGRATIONS as SQLITE_MIGRATIONS


@pytest.fixture
def db(log_backend):
    """A new, empty database of the backend under test."""
    return log_backend.target()


@pytest.fixture
def log(db):
    with open_log(db) as opened:
        yield opened


def obs(key: str = "obs-1", value: str = "4.595,5") -> Fact:
    return Fact(
        "observation",
        key,
        {"indicator": "import_export_turnover", "value": value, "pct_of_plan": "76,6"},
        Source("002", 33, "đạt 76,6% kế hoạch"),
        as_of=date(2023, 11, 30),
    )


def test_append_same_fact_twice_stores_it_once(log):
    first = log.append([obs()])
    second = log.append([obs()])
    assert [o.status for o in first + second] == ["new", "duplicate"]
    assert len(list(log.read())) == 1
    assert second[0].fact.id == first[0].fact.id == "observation:obs-1#v1"


def test_append_changed_value_is_new_version_not_overwrite(log):
    log.append([obs(value="4.595,5")])
    outcome = log.append([obs(value="4.600")])[0]
    assert outcome.status == "version"
    history = log.history("observation", "obs-1")
    assert [h.payload["value"] for h in history] == ["4.595,5", "4.600"]
    assert log.get("observation", "obs-1").version == 2
    assert [f.payload["value"] for f in log.current("observation")] == ["4.600"]
    assert log.counts() == {"observation": 1}


def test_append_keeps_source_submitter_and_as_of(log):
    log.append([obs()], submitted_by="so-cong-thuong", batch="k-1")
    stored = log.get("observation", "obs-1")
    assert stored.source == Source("002", 33, "đạt 76,6% kế hoạch")
    assert stored.submitted_by == "so-cong-thuong"
    assert stored.as_of == date(2023, 11, 30)
    assert stored.batch == "k-1"


def test_append_batch_is_all_or_nothing(log):
    bad = Fact("no_such_kind", "x", {})
    with pytest.raises(LogError) as err:
        log.append([obs("a"), bad])
    assert err.value.code == "unknown_fact_kind"
    assert "Loại dữ kiện" in err.value.vi and "Unknown fact kind" in err.value.en
    assert list(log.read()) == []


def test_log_refuses_edits_and_deletes_at_the_database_level(log, db, log_backend):
    log.append([obs()])
    raw = log_backend.raw(db)
    with pytest.raises(log_backend.error, match="append-only"):
        raw.execute("UPDATE facts SET payload='{}'")
    with pytest.raises(log_backend.error, match="append-only"):
        raw.execute("DELETE FROM facts")
    raw.close()


def test_reopen_keeps_facts_and_does_not_rerun_migrations(db, log_backend):
    with open_log(db) as first:
        first.append([obs()])
    with open_log(db) as second:
        assert second.counts() == {"observation": 1}
        assert second.database.dialect == log_backend.name
    raw = log_backend.raw(db)
    names = [r[0] for r in raw.execute("SELECT name FROM _migrations").fetchall()]
    raw.close()
    assert len(names) == len(set(names)) >= 3


def test_read_filters_kinds_and_resumes_after_seq(log):
    log.append([obs("a"), Fact("task", "t1", {"summary": "x"}), obs("b")])
    assert [f.key for f in log.read(kinds=["observation"])] == ["a", "b"]
    first_seq = next(iter(log.read())).seq
    assert [f.key for f in log.read(after_seq=first_seq)] == ["t1", "b"]


def test_default_db_path_follows_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("KEHOACH_DB", str(tmp_path / "x.db"))
    assert default_db_path() == tmp_path / "x.db"
    monkeypatch.delenv("KEHOACH_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_db_path() == tmp_path / "kehoach" / "kehoach.db"


def test_open_log_on_a_non_database_file_is_a_clear_error(tmp_path):
    path = tmp_path / "not.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(LogError) as err:
        open_log(path)
    assert err.value.code == "log_open_failed"


def test_batch_finds_latest_versions_across_many_keys_and_repeats_in_one_batch(log):
    log.append([obs(f"obs-{i}") for i in range(1000)])
    log.append([obs("obs-7", value="1")])
    again = log.append([obs(f"obs-{i}") for i in range(1000)]
                       + [obs("obs-3", value="2"), obs("obs-3", value="2"),
                          obs("obs-3", value="3"), obs("new")])
    statuses = [o.status for o in again]
    assert statuses.count("duplicate") == 999 + 1 and statuses[7] == "version"
    assert again[7].fact.version == 3
    assert [(o.status, o.fact.version) for o in again[1000:]] == [
        ("version", 2), ("duplicate", 2), ("version", 3), ("new", 1)]
    assert again[1001].fact.seq == again[1000].fact.seq
    assert [f.version for f in log.history("observation", "obs-3")] == [1, 2, 3]


def test_append_while_another_process_holds_the_lock_is_a_clear_error(db, log_backend):
    from kg.log import PostgresFactLog, SqliteFactLog

    log = (SqliteFactLog(db, busy_timeout_ms=100) if log_backend.name == "sqlite"
           else PostgresFactLog(db, lock_timeout_ms=100))
    holder = log_backend.raw(db)
    log_backend.hold_writes(holder)
    try:
        with pytest.raises(LogError) as err:
            log.append([obs()])
        assert err.value.code == "log_busy" and "thử lại" in err.value.vi
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert log.append([obs()])[0].status == "new"
    log.close()


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=False)
    | st.decimals(allow_nan=False, allow_infinity=False) | st.dates(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                 max_size=3),
    max_leaves=10)


@settings(max_examples=200, deadline=None)
@given(payload=st.dictionaries(st.text(max_size=6), _JSON, max_size=5),
       source=st.none() | st.builds(Source, st.text(max_size=5), st.none() | st.integers(),
                                    st.none() | st.text(max_size=10)),
       as_of=st.none() | st.dates())
def test_content_hash_is_the_hash_of_the_sorted_document(payload: dict, source: Source | None,
                                                         as_of: date | None) -> None:
    """The payload is serialised once and reused in the hash: the hash must stay the SHA-256
    of the sorted {as_of, payload, source} document, or existing logs would stop seeing their
    duplicates."""
    fact = Fact("observation", "x", payload, source, as_of)
    body = {"payload": payload, "source": source.to_dict() if source else None,
            "as_of": as_of.isoformat() if as_of else None}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)
    assert fact.content_hash() == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert json.loads(fact.serialized()[0]) == json.loads(
        json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str))


def test_read_between_two_positions_skipping_kinds(log):
    first = log.append([obs("obs-1"), Fact("task", "t-1", {"summary": "x"}), obs("obs-2")])
    log.append([obs("obs-3")])
    upto = first[-1].fact.seq
    got = [f.key for f in log.read(after_seq=0, upto_seq=upto, skip_kinds=("task",))]
    assert got == ["obs-1", "obs-2"]
    assert [f.key for f in log.read(after_seq=upto)] == ["obs-3"]
    assert [f.key for f in log.read(kinds=["task"])] == ["t-1"]


@pytest.mark.parametrize("kind", ["alert", "status_change"])
def test_the_rules_conclusions_are_not_facts(log, kind):
    with pytest.raises(LogError) as err:
        log.append([obs(), Fact(kind, "x", {"kind": "off_track"})])
    assert err.value.code == "rule_output_kind"
    assert "kết luận của luật" in err.value.vi and "outcome store" in err.value.en
    assert list(log.read()) == []


def test_old_rule_outputs_move_out_of_the_facts_and_nothing_else_moves(db, log_backend):
    """A log written while alerts and status changes were facts: migrating moves exactly
    those rows to legacy_rule_outputs (same seq and content), keeps every other fact with its
    seq, and leaves both tables append-only."""
    from kg.log import connect
    from kg.log.migrations import migrate

    steps = (SQLITE_MIGRATIONS if log_backend.name == "sqlite" else POSTGRES_MIGRATIONS)
    with connect(db) as old:
        migrate(old, [s for s in steps if "rule_outputs" not in s[0]])
        for seq_kind, key in (("observation", "obs-1"), ("alert", "a-1"), ("task", "t-1"),
                              ("status_change", "s-1"), ("observation", "obs-2")):
            payload, digest = Fact(seq_kind, key, {"k": key}).serialized()
            old.execute("INSERT INTO facts (jurisdiction, kind, key, version, payload, "
                        "submitted_by, submitted_at, content_hash) VALUES (?,?,?,?,?,?,?,?)",
                        ("lang-son", seq_kind, key, 1, payload, "old",
                         "2024-01-01T00:00:00+00:00", digest))
        before = old.execute("SELECT seq, kind, key FROM facts ORDER BY seq")
    with open_log(db, jurisdiction="lang-son") as log:
        assert [(f.seq, f.kind, f.key) for f in log.read()] == \
            [row for row in before if row[1] not in ("alert", "status_change")]
        assert log.counts() == {"observation": 2, "task": 1}
        moved = log.database.execute("SELECT seq, kind, key FROM legacy_rule_outputs "
                                     "ORDER BY seq")
        assert moved == [row for row in before if row[1] in ("alert", "status_change")]
        assert log.append([obs("obs-3")])[0].fact.seq > before[-1][0]
    raw = log_backend.raw(db)
    for sql in ("DELETE FROM facts", "DELETE FROM legacy_rule_outputs",
                "UPDATE legacy_rule_outputs SET key = 'x'"):
        with pytest.raises(log_backend.error, match="append-only"):
            raw.execute(sql)
    raw.close()
