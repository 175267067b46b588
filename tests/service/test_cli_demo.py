"""``kehoach demo`` as a reader sees it (issue 17): the timeline in date order with task lines
among the others, dates dd/mm/yyyy, statuses and alert kinds in words, agencies by name; it
says where its database is, and how to remove a temporary one."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from service.cli.app import build_app
from tests.service.conftest import MINI


def run_demo(*args: str) -> str:
    result = CliRunner().invoke(build_app(), ["demo", "--dataset", str(MINI),
                                              "--as-of", "15/10/2024", *args],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def test_timeline_in_date_order_and_in_words(tmp_path: Path):
    out = run_demo("--db", str(tmp_path / "demo.db"))
    timeline = out.split("timeline", 1)[1].split("alerts by kind", 1)[0]
    days = [(d[6:], d[3:5], d[:2]) for d in re.findall(r"^(\d\d/\d\d/\d{4}) ", timeline, re.M)]
    assert len(days) >= 5 and days == sorted(days)
    assert "nhiệm vụ / tasks → Quá hạn: 1" in timeline
    assert "Thiếu báo cáo: Khách du lịch 6T/2024 — Sở Y tế" in timeline
    assert not re.search(r"\d{4}-\d\d-\d\d|\b[a-z]+_[a-z_]+\b|\bso-[a-z-]+", out.replace(
        str(tmp_path), ""))
    assert f"CSDL / db: {tmp_path / 'demo.db'}" in out and "temporary" not in out


def test_temporary_db_is_named_with_how_to_remove_it():
    out = run_demo()
    found = re.search(r"xoá / remove: rm -r (\S+)", out)
    assert found and "kehoach-demo-" in found[1]
    folder = Path(found[1])
    assert (folder / "kehoach.db").exists()
    for item in folder.iterdir():
        item.unlink()
    folder.rmdir()


def test_status_and_alerts_text_read_in_words(tmp_path: Path):
    db = str(tmp_path / "demo.db")
    run_demo("--db", db)
    runner = CliRunner()
    for command in ("status", "alerts"):
        result = runner.invoke(build_app(), [command, "--db", db, "--as-of", "15/10/2024"],
                               env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        text = re.sub(r"\[[^\]]+\]$", "", result.output, flags=re.M)  # the id, a key, last
        assert not re.search(r"\d{4}-\d\d-\d\d|\b[a-z]+_[a-z_]+\b|\bso-[a-z-]+|\bNone\b", text)
    status = runner.invoke(build_app(), ["status", "--db", db, "--as-of", "15/10/2024"]).output
    assert "Quảng bá du lịch Lạng Sơn\t30/09/2024\tQuá hạn\t—\tSở Y tế\t[task-001-002]" in status
