"""The engine keeps durable_rules' answer per distinct decision: a reused answer must be the
answer durable_rules gives for that event."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from rules.engine import Engine, as_of_fields
from rules.loader import load_rules


def _pace(ratio: float, complete: bool, day: date) -> dict:
    return {"kind": "pace", "subject_id": "x@2025", "subject_name": "x", "subject_kind": "target",
            "period": "6T/2025", "agency": "", "ratio": ratio, "annual_share": ratio / 2,
            "period_complete": complete, "months": 6, "method": "direct", "pct": "1",
            "expected_pct": "1", **as_of_fields(day)}


_EVENTS = st.lists(st.builds(_pace, st.sampled_from([0.5, 0.79, 0.8, 0.949, 0.95, 1.0, 1.2]),
                             st.booleans(), st.dates(date(2020, 6, 1), date(2026, 6, 1))),
                   min_size=1, max_size=12)


BOOK = load_rules()
CACHED, FRESH = Engine(BOOK), Engine(BOOK)


@settings(max_examples=30, deadline=None)
@given(events=_EVENTS)
def test_reused_decisions_equal_durable_rules_asked_afresh(events: list[dict]) -> None:
    reused = CACHED.reused
    got = [(f.rule.id, f.measure["id"]) for f in CACHED.evaluate(events + events)]
    expected = []
    for n, event in enumerate(events + events):
        FRESH.decided.clear()  # an empty cache: every event goes to durable_rules
        expected += [(f.rule.id, f"m{n}") for f in FRESH.evaluate([event])]
    assert got == expected
    assert CACHED.reused - reused >= len(events)


def test_rules_not_yet_in_force_do_not_fire_from_a_reused_decision() -> None:
    engine = Engine(BOOK)
    before = engine.evaluate([_pace(0.5, False, date(2020, 6, 1))])
    after = engine.evaluate([_pace(0.5, False, date(2024, 6, 1))])
    assert before == [] and [f.rule.id for f in after] == ["pace.off_track"]
