"""The judge's status snapshot (rules.status_store) and reading the judge's evaluation back
(rules.judged): rows written only when an entry changed, a status gone is dropped by readers
catching up, and a read that catches the judge between its outcome and status writes is not
taken as whole."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kg.log import open_log
from rules.judged import JudgedReader, NotJudged, outcome_tag
from rules.status_store import StatusStore
from rules.store import OutcomeStore

DAY = date(2024, 10, 15)


def _entry(status: str, explanation: str) -> dict:
    return {"id": "t1", "kind": "target", "name": "T1", "agency": "a",
            "pace": {"status": status, "period": "9T/2024", "rule": "r",
                     "explanation_vi": explanation, "explanation_en": explanation,
                     "expected": None}}


def test_the_snapshot_writes_changes_only_and_readers_drop_a_gone_status(tmp_path: Path):
    with open_log(tmp_path / "k.db") as log, StatusStore(log, "rs") as store:
        assert store.meta(DAY) is None
        assert store.write(DAY, {"t1": _entry("at_risk", "45 %"),
                                 "t2": {**_entry("on_track", "90 %"), "id": "t2"}}, 5, "-") == 2
        first = store.meta(DAY)
        assert first is not None and (first.upto_seq, first.generation) == (5, first.base + 1)
        # the same statuses judged further: nothing rewritten, only how far it judged
        assert store.write(DAY, {"t1": _entry("at_risk", "45 %"),
                                 "t2": {**_entry("on_track", "90 %"), "id": "t2"}}, 7, "-") == 0
        assert store.meta(DAY).upto_seq == 7 and store.meta(DAY).generation == first.generation
        # same status, new explanation (a new report): written — a status change would not be
        assert store.write(DAY, {"t1": _entry("at_risk", "48 %")}, 9, "-") == 2
        assert store.changed(DAY, first.generation) == {"t1": _entry("at_risk", "48 %"),
                                                         "t2": None}
        assert store.current(DAY) == {"t1": _entry("at_risk", "48 %")}
    with open_log(tmp_path / "k.db") as log, StatusStore(log, "rs") as again:
        # a restarted judge compares with what is stored, not with nothing
        assert again.write(DAY, {"t1": _entry("at_risk", "48 %")}, 10, "-") == 0
        # a new date replaces the old one (only the judge's date is read from here)
        assert again.write(date(2024, 10, 16), {}, 11, "-") == 0
        assert again.meta(DAY) is None and again.current(date(2024, 10, 16)) == {}


def test_a_reader_gets_the_stored_evaluation_and_never_a_half_written_one(tmp_path: Path):
    with open_log(tmp_path / "k.db") as log:
        outcomes, statuses = OutcomeStore(log, "rs"), StatusStore(log, "rs")
        reader = JudgedReader(outcomes, StatusStore(log, "rs"))
        with pytest.raises(NotJudged) as early:
            reader.read(DAY)
        assert early.value.code == "not_judged" and DAY.isoformat() in early.value.en
        statuses.write(DAY, {"t1": _entry("at_risk", "45 %")}, 3, outcome_tag(outcomes, DAY))
        judged = reader.read(DAY)
        assert judged.upto_seq == 3 and judged.result.statuses == {"t1": _entry("at_risk",
                                                                                 "45 %")}
        assert [r["status"] for r in judged.rows] == ["at_risk"]
        # the status set claims an outcome state the outcome store does not hold: a judge
        # caught between its two writes — the reader keeps its last whole read
        statuses.write(DAY, {"t1": _entry("off_track", "20 %")}, 4, "2024-10-15:999")
        held = reader.read(DAY)
        assert held.upto_seq == 3 and held.result.statuses["t1"]["pace"]["status"] == "at_risk"
        statuses.write(DAY, {"t1": _entry("off_track", "20 %")}, 4, outcome_tag(outcomes, DAY))
        assert reader.read(DAY).result.statuses["t1"]["pace"]["status"] == "off_track"
        # the judge moved to another date (the set of DAY dropped), then back with other
        # subjects: the reader re-reads the set made again, keeping nothing of the old one
        statuses.write(date(2024, 10, 16), {}, 5, outcome_tag(outcomes, date(2024, 10, 16)))
        fresh = {"t2": {**_entry("on_track", "90 %"), "id": "t2"}}
        statuses.write(DAY, fresh, 6, outcome_tag(outcomes, DAY))
        assert reader.read(DAY).result.statuses == fresh
        for store in (outcomes, statuses, reader.statuses):
            store.close()
