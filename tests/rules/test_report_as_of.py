"""The report's date (issue 17): without ``as_of`` it is the date of the latest report in the
log, and the cover says so; today only when the log holds no report; a given date is stated
as given. Dates on the cover are dd/mm/yyyy."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kg.dataset import load_into
from kg.log import open_log
from rules.report import gather
from rules.report.data import as_of_words, latest_report_date

MINI = Path(__file__).parents[1] / "service" / "data" / "mini"


def test_as_of_defaults_to_the_latest_report_in_the_log(tmp_path):
    with open_log(tmp_path / "kh.db") as log:
        load_into(log, MINI)
        assert latest_report_date(log) == date(2024, 6, 30)
        inputs = gather(log)
        assert (inputs.as_of, inputs.as_of_basis) == (date(2024, 6, 30), "latest_report")
        given = gather(log, date(2024, 12, 31))
        assert (given.as_of, given.as_of_basis) == (date(2024, 12, 31), "given")


def test_empty_log_falls_back_to_today_and_says_so(tmp_path):
    with open_log(tmp_path / "kh.db") as log:
        assert latest_report_date(log) is None
        assert gather(log).as_of_basis == "today"


def test_cover_words():
    assert as_of_words({"as_of": "2024-06-30", "as_of_basis": "latest_report"}) == (
        "số liệu tính đến ngày 30/06/2024 (ngày của báo cáo gần nhất trong sổ dữ kiện)")
    assert as_of_words({"as_of": "2024-12-31", "as_of_basis": "given"}) == (
        "số liệu tính đến ngày 31/12/2024")
