"""What only the PostgreSQL fact log has to prove, on a real server (tests/pg.py): the grants
wall beside the triggers, writers of several processes taking turns, the URL as the choice of
backend (``--db``, ``$KEHOACH_DB``) and its errors. The behaviour both backends share is
tested once for both in test_log.py and test_log_jurisdiction.py."""

from __future__ import annotations

import threading
from datetime import date

import psycopg
import pytest
from typer.testing import CliRunner

from kg.errors import LogError, VersionConflict
from kg.log import Fact, Source, default_db_path, open_existing_log, open_log
from service.cli.app import build_app


def obs(key: str = "obs-1", value: str = "1") -> Fact:
    return Fact("observation", key, {"indicator": "grdp_growth", "value": value},
                Source("002", 3, "tăng 7,2%"), as_of=date(2024, 6, 30))


@pytest.fixture
def url(postgres_server) -> str:
    global _made
    _made += 1
    return postgres_server.new_schema(f"pgonly_{_made}")


_made = 0


def test_a_role_that_is_no_superuser_cannot_even_try_to_change_a_fact(postgres_server):
    """Grants are the second wall: the owner itself has no UPDATE/DELETE/TRUNCATE left, so a
    service role gets 'permission denied' before any trigger runs; a superuser, whom grants
    do not bind, still meets the triggers (test_log.py)."""
    with postgres_server.admin() as admin:
        admin.execute("DROP SCHEMA IF EXISTS owned CASCADE")
        admin.execute("DROP ROLE IF EXISTS office")
        admin.execute("CREATE ROLE office LOGIN")
        admin.execute("CREATE SCHEMA owned AUTHORIZATION office")
    target = postgres_server.url(schema="owned", user="office")
    with open_log(target, jurisdiction="lang-son") as log:
        assert log.append([obs()])[0].status == "new"
        assert log.database.dialect == "postgresql"
    with psycopg.connect(target, autocommit=True) as raw:
        for sql in ("UPDATE facts SET payload='{}'", "DELETE FROM facts", "TRUNCATE facts",
                    "UPDATE log_meta SET value='x'"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                raw.execute(sql)
        assert raw.execute("SELECT count(*) FROM facts").fetchone() == (1,)
    with postgres_server.admin() as admin:
        with pytest.raises(psycopg.Error, match="append-only"):
            admin.execute("TRUNCATE owned.facts")


def test_writers_in_several_connections_take_turns_on_one_fact(url):
    """Eight handles (eight connections, as eight worker processes) write versions of one
    fact at once: every write lands, versions 1..n with no gap or duplicate, and seq follows
    the versions — one jurisdiction's facts commit in seq order."""
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            with open_log(url, jurisdiction="lang-son") as log:
                for n in range(10):
                    log.append([obs(value=f"{worker}-{n}")])
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with open_log(url, jurisdiction="lang-son") as log:
        history = log.history("observation", "obs-1")
        assert [f.version for f in history] == list(range(1, 81))
        assert [f.seq for f in history] == sorted(f.seq for f in history)
        assert log.last_seq() == history[-1].seq


def test_another_jurisdiction_is_not_held_up_by_a_writer(url, postgres_server):
    """A writer of Lạng Sơn holding its turn does not stop one of Đồng Nai."""
    with open_log(url, jurisdiction="lang-son") as first:
        first.append([obs()])
    holder = psycopg.connect(url, autocommit=True)
    holder.execute("BEGIN")
    holder.execute("SELECT pg_advisory_xact_lock(27496, hashtext('lang-son'))")
    try:
        with open_log(url, jurisdiction="dong-nai") as other:
            assert other.append([obs()])[0].status == "new"
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_the_url_chooses_postgresql_from_the_environment_and_the_cli(url, monkeypatch):
    monkeypatch.setenv("KEHOACH_DB", url)
    assert default_db_path() == url
    with open_log() as log:
        assert log.database.dialect == "postgresql" and log.target == url
    runner = CliRunner()
    loaded = runner.invoke(build_app(), ["load", "--db", url])
    assert loaded.exit_code == 0, loaded.output
    monkeypatch.delenv("KEHOACH_DB")
    listed = runner.invoke(build_app(), ["jurisdictions", "--db", url, "--json"])
    assert listed.exit_code == 0, listed.output
    assert '"lang-son"' in listed.output
    with open_existing_log(url) as log:
        assert log.jurisdiction == "lang-son" and log.counts()["target"] > 100


def test_a_database_without_a_log_is_not_created_by_a_reading_command(url, postgres_server):
    with pytest.raises(LogError) as err:
        open_existing_log(url)
    assert err.value.code == "no_database" and "kehoach init" in err.value.vi
    with postgres_server.admin() as admin:
        schema = url.rsplit("%3D", 1)[-1]
        found = admin.execute("SELECT count(*) FROM information_schema.tables "
                              "WHERE table_schema = %s", [schema]).fetchone()
    assert found == (0,)


def test_an_unreachable_server_is_a_clear_error_without_the_password(postgres_server):
    target = (f"postgresql://kehoach:s3cret@/nowhere?host={postgres_server.socket}"
              f"&port={postgres_server.port}")
    with pytest.raises(LogError) as err:
        open_log(target)
    assert err.value.code == "log_open_failed"
    assert "Không mở được" in err.value.vi and "Cannot open database" in err.value.en
    assert "s3cret" not in err.value.vi + err.value.en and "***" in err.value.en


def test_a_url_folded_by_a_path_is_refused_not_made_a_file(tmp_path, monkeypatch):
    from pathlib import Path

    monkeypatch.chdir(tmp_path)
    with pytest.raises(LogError) as err:
        open_log(Path("postgresql://kehoach@/kh"))
    assert err.value.code == "bad_database_url" and "postgresql://" in err.value.en
    assert list(tmp_path.iterdir()) == []


def test_a_follower_is_woken_by_each_committed_append(url):
    """The judge LISTENs instead of polling: an append's commit notifies ``kehoach_log`` with
    the jurisdiction written; a batch rolled back notifies nothing."""
    from kg.log.postgres import LOG_CHANNEL

    with open_log(url, jurisdiction="lang-son") as follower, \
            open_log(url, jurisdiction="dong-nai") as writer:
        assert follower.database.listen(LOG_CHANNEL, 0.05) == []  # listening from now on
        writer.append([obs("a"), obs("b")])
        with pytest.raises(VersionConflict):  # "c" inserted, then the batch rolled back
            writer.within("ha-noi").append([obs("c"), Fact("observation", "a", {}, replaces=5)])
        assert follower.database.listen(LOG_CHANNEL, 5) == ["dong-nai"]
        assert follower.database.listen(LOG_CHANNEL, 0.2) == []
        writer.within("lang-son").append([obs("a")])
        writer.database.notify("kehoach_judge", "42")
        assert follower.database.listen(LOG_CHANNEL, 5) == ["lang-son"]


def test_a_statement_failing_inside_a_write_rolls_the_whole_write_back(url):
    """Writes run in pipeline mode (a statement without rows is not waited for): its error
    must still surface — at the next read, or at COMMIT — undo everything the write did, and
    leave the connection usable."""
    with open_log(url, jurisdiction="lang-son") as log:
        db = log.database
        db.execute("CREATE TABLE pipeline_probe (k TEXT PRIMARY KEY)")
        # the failing statement is the last one: its error comes at COMMIT
        with pytest.raises(psycopg.errors.UniqueViolation):
            with db.write():
                db.execute("INSERT INTO pipeline_probe (k) VALUES (?)", ("a",))
                db.execute("INSERT INTO pipeline_probe (k) VALUES (?)", ("a",))
        assert db.execute("SELECT count(*) FROM pipeline_probe") == [(0,)]
        # a read after the failing statement raises it there, and nothing is kept either
        with pytest.raises(psycopg.errors.UniqueViolation):
            with db.write():
                db.execute("INSERT INTO pipeline_probe (k) VALUES (?)", ("b",))
                db.execute("INSERT INTO pipeline_probe (k) VALUES (?)", ("b",))
                db.execute("SELECT k FROM pipeline_probe")
        assert db.execute("SELECT count(*) FROM pipeline_probe") == [(0,)]
        # the handle still writes, and a write returning rows is read back inside the write
        with db.write():
            assert db.execute("INSERT INTO pipeline_probe (k) VALUES (?) RETURNING k",
                              ("c",)) == [("c",)]
        assert log.append([obs()])[0].status == "new"
        assert db.execute("SELECT k FROM pipeline_probe") == [("c",)]


def test_a_long_lived_handle_survives_another_process_changing_a_column_type(url):
    """A judge or worker keeps its connection for days; a newer process's migration may
    change a column it reads (INTEGER → BIGINT). Its queries are not server-side prepared,
    so they do not fail with 'cached plan must not change result type'."""
    with open_log(url, jurisdiction="lang-son") as log, \
            open_log(url, jurisdiction="lang-son") as other:
        db = log.database
        db.execute("CREATE TABLE plan_probe (k TEXT PRIMARY KEY, generation INTEGER)")
        db.execute("INSERT INTO plan_probe (k, generation) VALUES (?, ?)", ("a", 1))
        for _ in range(8):  # more than psycopg's prepare threshold (5)
            assert db.execute("SELECT generation FROM plan_probe WHERE k = ?", ("a",)) == [(1,)]
        other.database.execute("ALTER TABLE plan_probe ALTER COLUMN generation TYPE BIGINT")
        assert db.execute("SELECT generation FROM plan_probe WHERE k = ?", ("a",)) == [(1,)]
