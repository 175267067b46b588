"""Same answers (issue 18): the stateful engine — unit facts in durable_rules, status changes and
escalation as rules, registered actions — gives on data/langson exactly what the one-event
engine of commit d67f00d gave: every outcome (id, date, status, rule, explanations, facts, in
order) and every status entry, at three as-of dates.

``fixtures/langson_outputs_d67f00d.json`` was written by ``outputs()`` below run in a checkout of
d67f00d (the engine before this change); only the counts and a SHA-256 of the outputs are kept.
A change of the data or of a rule's wording changes them on purpose: regenerate the fixture from
the commit before that change and say so in the commit.
"""

from __future__ import annotations

import collections
import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kg.dataset import DEFAULT_DATASET, load_dataset
from kg.log import open_log
from rules.replay import replay
from rules.results import ReplayResult

pytestmark = pytest.mark.slow

FIXTURE = Path(__file__).parent / "fixtures" / "langson_outputs_d67f00d.json"
DIMENSIONS = ("verdict", "task", "level", "pace", "progress")


def _project(result: ReplayResult) -> tuple[list[list[Any]], list[list[Any]]]:
    outs = [[type(o).__name__, o.id, o.as_of, getattr(o, "status", None), o.rule["id"],
             o.explanation_vi, o.explanation_en, sorted(o.facts), getattr(o, "previous", None)]
            for o in result.outcomes]
    stats = sorted([s, d, e[d].get("status"), e[d].get("rule"), e[d].get("period")]
                   for s, e in result.statuses.items() for d in DIMENSIONS
                   if isinstance(e.get(d), dict))
    return outs, stats


def outputs(log: Any) -> dict[str, Any]:
    out = {}
    for day in ("2023-12-31", "2024-07-20", "2024-12-31"):
        outs, stats = _project(replay(log, date.fromisoformat(day), persist=False))
        kinds = collections.Counter(o[0] if o[0] != "Alert" else o[1].split(":")[0]
                                    for o in outs)
        out[day] = {"outcomes": len(outs), "statuses": len(stats),
                    "by_kind": dict(sorted(kinds.items())),
                    "sha256": hashlib.sha256(json.dumps([outs, stats], ensure_ascii=False)
                                             .encode()).hexdigest()}
    return out


def test_the_stateful_engine_reproduces_the_one_event_engine_on_langson(
        tmp_path: Path) -> None:
    log = open_log(tmp_path / "kehoach.db")
    log.append(load_dataset(DEFAULT_DATASET), submitted_by="dataset")
    got = outputs(log)
    log.close()
    want = json.loads(FIXTURE.read_text(encoding="utf-8"))
    for day in want:  # counts first: a readable failure
        assert {k: v for k, v in got[day].items() if k != "sha256"} == \
            {k: v for k, v in want[day].items() if k != "sha256"}, day
    assert got == want
