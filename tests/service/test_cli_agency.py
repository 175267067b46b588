"""``kehoach agency add / import / list`` (and ``kehoach agency NAME``, the portfolio) through the
Typer CLI against a database that starts empty (issue 16)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.log import open_log
from service.cli.app import build_app


def run(*args: object):
    return CliRunner().invoke(build_app(), [str(a) for a in args])


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "kh.db"


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_the_group_is_registered():
    from service.cli.app import COMMAND_MODULES

    assert "service.cli.agency" in COMMAND_MODULES


def test_add_then_list_in_words_and_json(db):
    r = run("agency", "add", "Ủy ban nhân dân tỉnh Đồng Nai", "--short", "UBND tỉnh",
            "--jurisdiction", "dong-nai", "--db", db)
    assert r.exit_code == 0, r.output
    assert "Ủy ban nhân dân tỉnh Đồng Nai — đã thêm" in r.stdout and "UBND tỉnh" in r.stdout
    r = run("agency", "add", "Sở Nông nghiệp và Môi trường", "--parent", "UBND tỉnh",
            "--alias", "Sở NN&MT", "--alias", "Sở NNMT", "--json", "--db", db)
    assert r.exit_code == 0, r.output
    added = json.loads(r.stdout)
    assert added["status"] == "new"
    assert added["agency"]["id"] == "so-nong-nghiep-va-moi-truong"
    assert (added["agency"]["kind"], added["agency"]["parent"]) == (
        "department", "ubnd-tinh-dong-nai")
    assert added["agency"]["aliases"] == ["Sở NN&MT", "Sở NNMT"]
    text = run("agency", "list", "--db", db).stdout
    assert text.splitlines()[0] == "2 cơ quan / agencies"
    line = next(ln for ln in text.splitlines() if "Sở Nông nghiệp" in ln)
    assert line.index("Sở Nông nghiệp") < line.index("(sở)") < line.index(
        "cấp trên: Ủy ban nhân dân tỉnh Đồng Nai") < line.index("[so-nong-nghiep-va-moi-truong]")
    listed = json.loads(run("agency", "list", "--json", "--kind", "sở", "--db", db).stdout)
    assert [a["id"] for a in listed] == ["so-nong-nghiep-va-moi-truong"]
    assert listed[0]["parent_name"] == "Ủy ban nhân dân tỉnh Đồng Nai"


def test_adding_the_same_again_changes_nothing_and_a_known_name_is_refused(db):
    assert run("agency", "add", "Sở Y tế", "--db", db).exit_code == 0
    again = run("agency", "add", "Sở Y tế", "--db", db)
    assert again.exit_code == 0 and "không đổi" in again.stdout
    other = run("agency", "add", "Sở Y tế", "--kind", "cơ quan thuộc tỉnh", "--db", db)
    assert other.exit_code == 2
    assert "[agency_exists] NAME" in other.stderr and "so-y-te" in other.stderr
    update = run("agency", "add", "Sở Y tế", "--id", "so-y-te", "--alias", "SYT", "--db", db)
    assert update.exit_code == 0 and "đã cập nhật" in update.stdout
    with open_log(db) as log:
        assert log.get("agency", "so-y-te").version == 2


@pytest.mark.parametrize(("args", "option", "code"), [
    (["Sở Y tế", "--kind", "phòng"], "--kind", "not_a_choice"),
    (["Trung tâm Y tế"], "--kind", "agency_kind_unknown"),
    (["Sở Y tế", "--parent", "UBND tỉnh Xa Lạ"], "--parent", "unknown_agency"),
    (["Sở Y tế", "--jurisdiction", "Atlantis"], "--jurisdiction", "unknown_jurisdiction"),
    (["Sở Y tế", "--valid-from", "32/1/2025"], "--valid-from", None),
    (["Sở Y tế", "--id", "Sở YT"], "--id", "agency_id"),
    (["———"], "NAME", "agency_name"),
])
def test_bad_input_exits_2_naming_the_option(db, args, option, code):
    r = run("agency", "add", *args, "--db", db)
    assert r.exit_code == 2, r.output
    first = r.stderr.splitlines()[0]
    assert first.startswith("Lỗi / Error [") and f"] {option}: " in first
    if code:
        assert f"[{code}]" in first
    assert " / " in first and "không ghi gì" in r.stderr
    with open_log(db) as log:
        assert log.last_seq() == 0


def test_bad_input_as_json(db):
    r = run("agency", "add", "Trung tâm Y tế", "--json", "--db", db)
    assert r.exit_code == 2
    body = json.loads(r.stdout)
    assert body["written"] == 0 and body["problems"][0]["field"] == "kind"
    assert body["problems"][0]["error_vi"] and body["problems"][0]["error_en"]


def test_import_agencies_csv_then_reimport(db, tmp_path):
    path = write_csv(tmp_path / "co-quan.csv", [
        ["Tên cơ quan", "Loại cơ quan", "Cơ quan cấp trên"],
        ["Bộ Tài chính", "", ""], ["Kho bạc Nhà nước khu vực XVI", "", "Bộ Tài chính"]])
    r = run("agency", "import", path, "--db", db)
    assert r.exit_code == 0, r.output
    assert "agency 2" in r.stdout and "new 2" in r.stdout
    assert "duplicate 2" in run("agency", "import", path, "--db", db).stdout
    bad = write_csv(tmp_path / "sai.csv", [["Tên cơ quan", "Cơ quan cấp trên"],
                                          ["Sở Tài chính", "Không Có"]])
    r = run("agency", "import", bad, "--db", db)
    assert r.exit_code == 2
    assert "[unknown_agency]" in r.stderr and "hàng 2" in r.stderr and "'parent'" in r.stderr


def test_import_kind_agencies_reads_a_csv_as_the_agencies_sheet(db, tmp_path):
    """`kehoach import --kind agencies` is the same import as `kehoach agency import` (a
    re-import by either adds nothing); the file read as another kind is refused."""
    path = write_csv(tmp_path / "agencies.csv", [
        ["name", "kind", "parent", "jurisdiction"],
        ["Ủy ban nhân dân tỉnh Đồng Tháp", "UBND tỉnh", "", "dong-thap"],
        ["Sở Xây dựng", "", "Ủy ban nhân dân tỉnh Đồng Tháp", "Đồng Tháp"]])
    checked = run("import", path, "--kind", "agencies", "--dry-run", "--db", db)
    assert checked.exit_code == 0, checked.output
    assert "valid, not written" in checked.stdout and "agency 2" in checked.stdout
    r = run("import", path, "--kind", "agencies", "--json", "--db", db)
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["dry_run"] is False
    with open_log(db) as log:
        so = log.get("agency", "so-xay-dung")
        assert so is not None
        assert (so.payload["kind"], so.payload["parent"], so.payload["jurisdiction"]) == (
            "department", "ubnd-tinh-dong-thap", "dong-thap")
    same = run("agency", "import", path, "--db", db)
    assert same.exit_code == 0 and "duplicate 2" in same.stdout
    wrong = run("import", path, "--kind", "tasks", "--db", db)
    assert wrong.exit_code == 2 and "[template_no_header]" in wrong.stderr


def test_agency_name_alone_is_still_the_portfolio(db):
    assert run("agency", "add", "Sở Tài chính", "--db", db).exit_code == 0
    r = run("agency", "Sở Tài chính", "--json", "--db", db)
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["agency"]["id"] == "so-tai-chinh"
    assert run("agency", "show", "so-tai-chinh", "--db", db).exit_code == 0


def test_list_without_a_database_or_with_an_unknown_kind(tmp_path, db):
    r = run("agency", "list", "--db", tmp_path / "none.db")
    assert r.exit_code == 2 and "no_database" in r.stderr
    assert not (tmp_path / "none.db").exists()
    run("agency", "add", "Sở Y tế", "--db", db)
    r = run("agency", "list", "--kind", "phòng", "--db", db)
    assert r.exit_code == 2 and "--kind" in r.stderr
