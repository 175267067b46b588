"""The service's plan graph across date moves (issue 18): the service's date moves (a new
outcome set, started from the one before, followed by difference), then a backdated correction
withdraws an alert — the graph ``Runtime.graph()`` serves, refreshed after each write, is exactly
the one built whole at that moment: the log's facts (``PlanGraph.from_log``) and the outcome
store's current set of the service's date, the withdrawn alert nowhere in it — also the facts'
history that a withdrawn alert shared (a version node) stays."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kg.dataset import load_into
from kg.graph import PlanGraph
from kg.log import open_log
from kg.outcome_graph import OutcomeProjection, outcome_node
from service.runtime import Runtime
from service.settings import Settings
from tests.rules.test_outcome_store import _report
from tests.service.conftest import MINI, SECRET

SEPTEMBER_ALERT = "budget_revenue@2024:9T/2024"


def _expected(rt: Runtime, when: date) -> set:
    """The graph built whole: the log's facts and the store's current set of ``when``."""
    plan = PlanGraph.from_log(rt.log)
    OutcomeProjection(rt.log.jurisdiction or None).sync(
        plan, [o.to_dict() for o in rt.live.outcomes.current(when)])
    return set(plan.graph)


def test_a_date_move_then_a_backdated_correction_leaves_the_graph_equal_to_the_store(
        tmp_path: Path) -> None:
    with open_log(tmp_path / "kehoach.db") as log:
        load_into(log, MINI)
    october, november = date(2024, 10, 31), date(2024, 11, 30)
    rt = Runtime(Settings(db=tmp_path / "kehoach.db", secret_key=SECRET, as_of=october))
    try:
        rt.start()
        rt.write([_report(40, date(2024, 9, 30))], "tc", None)
        lagging = {o.id for o in rt.live.outcomes.current(october)
                   if o.kind == "alert" and SEPTEMBER_ALERT in o.id}
        assert lagging
        assert set(rt.graph().graph) == _expected(rt, october)

        rt.settings.as_of = november  # the service's date moves: a new set for November
        rt.write([_report(45, date(2024, 10, 31), "10T/2024")], "tc", None)
        assert set(rt.graph().graph) == _expected(rt, november)
        assert rt.live.outcomes.holding(november) == november

        # September's figure corrected, dated the same day: its alert is withdrawn
        rt.write([_report(95, date(2024, 9, 30))], "tc", None)
        graph = set(rt.graph().graph)
        assert graph == _expected(rt, november)
        assert not lagging & {o.id for o in rt.live.outcomes.current(november)}
        nodes = {outcome_node({"kind": "alert", "id": i}) for i in lagging}
        assert not {t for t in graph if t[0] in nodes}
    finally:
        rt.close()
