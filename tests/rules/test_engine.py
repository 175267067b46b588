"""The engine judges a unit's facts in durable_rules (joins, sequences, the clock as a fact)
and keeps durable_rules' answer per distinct key of what the rules read: a reused answer must be
the answer durable_rules gives for those facts asked afresh."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from rules.engine import ENGINES, Engine, EngineRegistry, as_of_fields, clock_fact
from rules.loader import DEFINITIONS_DIR, load_rules

BOOK = load_rules()
CACHED, FRESH = Engine(BOOK), Engine(BOOK)
STATUSES = ["on_track", "at_risk", "off_track", "superseded"]
BADNESS = {"on_track": 0, "at_risk": 1, "off_track": 2, "superseded": -1}


def _pace(ratio: float, complete: bool, day: date) -> dict:
    return {"kind": "pace", "subject_id": "x@2025", "subject_name": "x", "subject_kind": "target",
            "period": "6T/2025", "agency": "", "ratio": ratio, "annual_share": ratio / 2,
            "period_complete": complete, "months": 6, "method": "direct", "pct": "1",
            "expected_pct": "1", **as_of_fields(day)}


def _history(statuses: list[str]) -> list[dict]:
    """A subject's period history, latest first (rank 0)."""
    return [{"kind": "period_status", "dimension": "pace", "period": f"{m}T/2025",
             "status": s, "rank": rank, "badness": BADNESS[s]}
            for rank, (m, s) in enumerate(zip(range(12, 0, -1), statuses, strict=False))]


def _unit(day: date, measures: list[dict], history: list[str], held: str | None,
          new: str | None) -> list[dict]:
    facts = [clock_fact(day), *_history(history), *measures]
    facts.append({"kind": "lagging", "subject_id": "x@2025", "period": "12T/2025"})
    if held is not None:
        facts.append({"kind": "status", "dimension": "pace", "status": held})
    if new is not None:
        facts.append({"kind": "status_set", "dimension": "pace", "status": new})
    return facts


_UNITS = st.builds(
    _unit, st.dates(date(2020, 6, 1), date(2026, 6, 1)),
    st.lists(st.builds(_pace, st.sampled_from([0.5, 0.79, 0.8, 0.949, 0.95, 1.0, 1.2, 2.5]),
                       st.booleans(), st.just(date(2025, 6, 30))), max_size=2),
    st.lists(st.sampled_from(STATUSES), max_size=4),
    st.sampled_from([None, "none", "on_track", "at_risk"]),
    st.sampled_from([None, "on_track", "at_risk"]))


def _names(firings: list) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    return [(f.rule.id, tuple(sorted((n, str(sorted(v.items()))) for n, v in f.facts.items())))
            for f in firings]


@settings(max_examples=60, deadline=None)
@given(units=st.lists(_UNITS, min_size=1, max_size=6))
def test_reused_answers_equal_durable_rules_asked_afresh(units: list[list[dict]]) -> None:
    """Joins, sequences and the clock included: the same units twice through the cached
    engine (the second time from the cache) equal a fresh engine asked with an empty cache."""
    reused = CACHED.reused
    for facts in units + units:
        FRESH.decided.clear()  # an empty cache: every unit goes to durable_rules
        assert _names(CACHED.run(facts)) == _names(FRESH.run(facts))
    assert CACHED.reused - reused >= len(units)


def test_rules_not_yet_in_force_do_not_fire_from_a_reused_answer() -> None:
    engine = Engine(BOOK)
    before = engine.run([clock_fact(date(2020, 6, 1)), _pace(0.5, False, date(2020, 6, 1))])
    after = engine.run([clock_fact(date(2024, 6, 1)), _pace(0.5, False, date(2024, 6, 1))])
    assert before == [] and [f.rule.id for f in after] == ["pace.off_track"]


def test_the_status_change_rule_joins_the_status_set_with_the_status_held() -> None:
    engine = Engine(BOOK)
    day = date(2025, 7, 1)

    def fired(held: str, new: str) -> list[str]:
        return [f.rule.id for f in engine.run(_unit(day, [], [], held, new))
                if f.rule.fact == "status_set"]

    assert fired("none", "at_risk") == ["status.changed"]  # the first status
    assert fired("on_track", "at_risk") == ["status.changed"]
    assert fired("at_risk", "at_risk") == []  # the same status: no change


def test_escalation_is_a_sequence_of_the_latest_lagging_periods() -> None:
    engine = Engine(BOOK)
    day = date(2025, 12, 1)

    def escalated(history: list[str]) -> bool:
        return "escalation.consecutive_lagging" in [f.rule.id for f in engine.run(
            _unit(day, [], history, None, None))]

    assert escalated(["at_risk", "off_track"])  # latest first
    assert escalated(["off_track", "at_risk", "on_track"])
    assert not escalated(["at_risk", "on_track", "off_track"])  # not the latest two
    assert not escalated(["at_risk", "superseded"])  # a superseded pace is no lagging period
    assert not escalated(["off_track"])


def test_slipping_needs_each_period_worse_than_the_one_before() -> None:
    engine = Engine(BOOK)
    day = date(2025, 12, 1)

    def slipping(history: list[str]) -> bool:
        return "pace.slipping" in [f.rule.id for f in engine.run(
            _unit(day, [], history, None, None))]

    assert slipping(["off_track", "at_risk", "on_track"])
    assert not slipping(["off_track", "off_track", "on_track"])
    assert not slipping(["off_track", "at_risk", "superseded"])
    assert not slipping(["off_track", "at_risk"])


def test_a_fact_no_rule_reads_does_not_change_the_answer_or_the_key() -> None:
    engine = Engine(BOOK)
    facts = [clock_fact(date(2025, 7, 1)), _pace(0.5, False, date(2025, 7, 1))]
    first = _names(engine.run(facts))
    posts = engine.posts
    again = _names(engine.run([*facts, {"kind": "status", "dimension": "task",
                                        "status": "overdue"}]))
    assert first == again and engine.posts == posts  # the status fact is not read: same key


def test_the_registry_builds_one_engine_per_rules_version_across_threads() -> None:
    registry = EngineRegistry()
    got: list[Engine] = []
    threads = [threading.Thread(target=lambda: got.append(registry.get(BOOK)))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 8 and all(e is got[0] for e in got)
    assert ENGINES.get(load_rules(Path(DEFINITIONS_DIR))) is ENGINES.get(BOOK)


ABSENT_RULE = """
family: status
rules:
  - id: status.first
    version: 1
    title: {vi: Trạng thái đầu tiên, en: First status}
    description: {vi: Chưa có trạng thái nào cùng chiều., en: No status held on that dimension.}
    basis: {document: quy định của Văn phòng, clause: kiểm thử}
    effective_from: 2021-01-01
    effective_until: null
    severity: info
    fact: status_set
    when: []
    absent:
      - fact: status
        when:
          - {field: dimension, op: eq, ref: status_set.dimension}
    then: {action: record_status_change}
    explanation: {vi: "Trạng thái đầu tiên.", en: "The first status."}
"""


def test_an_absent_fact_is_a_negated_pattern(tmp_path: Path) -> None:
    """``absent:`` compiles to durable's ``<name>$not``: the rule fires only while no fact of
    the unit matches, the clock still joined."""
    (tmp_path / "status.yaml").write_text(ABSENT_RULE, encoding="utf-8")
    engine = Engine(load_rules(tmp_path))
    day = date(2025, 7, 1)
    new = {"kind": "status_set", "dimension": "pace", "status": "at_risk"}

    def fired(*held: dict) -> list[str]:
        return [f.rule.id for f in engine.run([clock_fact(day), *held, new])]

    assert fired() == ["status.first"]
    assert fired({"kind": "status", "dimension": "task", "status": "overdue"}) == [
        "status.first"]
    assert fired({"kind": "status", "dimension": "pace", "status": "on_track"}) == []
    assert engine.run([clock_fact(date(2020, 1, 1)), new]) == []  # not yet in force
