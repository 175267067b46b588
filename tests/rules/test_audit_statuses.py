"""An auditor's walk over every status and alert of data/langson (issue 14, "Done when").

The dataset is loaded once per module and one ``RuleSession`` is advanced through the four
as-of dates; each assertion is its own test, parametrized over the dates, so a failure names
the rule of the audit it breaks and the subjects that break it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from kg.dataset import DEFAULT_DATASET, load_dataset
from kg.errors import KehoachError
from kg.log import StoredFact, open_log
from kg.matching import matcher_from_facts
from kg.notation.numbers import parse_number
from rules.session import RuleSession

AS_OF = [date(2023, 6, 30), date(2023, 12, 31), date(2024, 6, 30), date(2024, 12, 31)]
CUMULATIVE_KINDS = {"cumulative"}
COMPLETED = {"completed", "done", "hoàn thành"}
# A shown share of the plan: "đạt 73,4% kế hoạch", "6.660,0% kế hoạch năm", "61,3% of plan".
SHOWN_PCT = re.compile(r"(-?\d[\d.]*(?:,\d+)?)\s*%\s*(?:kế hoạch|of (?:the )?(?:annual )?plan)")


@dataclass
class View:
    """What the session shows on one as-of date."""

    as_of: date
    statuses: dict[str, dict[str, Any]]
    alerts: list[dict[str, Any]]


@dataclass
class Audit:
    views: dict[date, View]
    facts: list[StoredFact]

    def current(self, kind: str) -> dict[str, StoredFact]:
        return {f.key: f for f in self.facts if f.kind == kind}


@pytest.fixture(scope="module")
def audit(tmp_path_factory: pytest.TempPathFactory) -> Audit:
    log = open_log(Path(tmp_path_factory.mktemp("audit")) / "kehoach.db")
    log.append(load_dataset(DEFAULT_DATASET), submitted_by="dataset")
    facts = list(log.read())
    session = RuleSession.start(log, AS_OF[0])
    views = {}
    for when in AS_OF:
        session.advance(when)
        views[when] = View(when, session.statuses(), session.alerts())
        assert views[when].statuses and views[when].alerts, f"nothing to audit on {when}"
    log.close()
    return Audit(views, facts)


def _entries(entry: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The current status of each dimension of a status entry (superseded ones left out)."""
    return {dim: value for dim, value in entry.items()
            if isinstance(value, dict) and value.get("status")
            and not value.get("superseded") and not value.get("superseded_by")}


def _fail(problems: list[str], what: str) -> None:
    assert not problems, f"{len(problems)} {what}:\n" + "\n".join(problems[:40])


@pytest.mark.parametrize("as_of", AS_OF, ids=str)
def test_no_target_has_two_current_statuses(audit: Audit, as_of: date) -> None:
    problems = [sid + ": " + ", ".join(f"{d}={v['status']}" for d, v in current.items())
                for sid, entry in sorted(audit.views[as_of].statuses.items())
                if len(current := _entries(entry)) > 1]
    _fail(problems, "subjects with two current statuses")


@pytest.mark.parametrize("as_of", AS_OF, ids=str)
def test_no_free_text_twin_of_a_curated_target(audit: Audit, as_of: date) -> None:
    """A free-text subject ("text:<as written>@year") naming a curated indicator that has a
    target for that year is the same target twice."""
    indicators = audit.current("indicator")
    matcher = matcher_from_facts("indicator", indicators.values())
    targets = set(audit.current("target"))
    problems = []
    for sid in audit.views[as_of].statuses:
        if not sid.startswith("text:"):
            continue
        text, _, year = sid.removeprefix("text:").rpartition("@")
        twins = [k for k in matcher.candidates(text) if f"{k}@{year}" in targets]
        if twins:
            problems.append(f"{sid} twins {twins}")
    _fail(problems, "free-text twins of curated targets")


def _indicator_of(subject_id: str) -> str | None:
    if subject_id.startswith("text:") or "@" not in subject_id:
        return None
    return subject_id.rpartition("@")[0]


@pytest.mark.parametrize("as_of", AS_OF, ids=str)
def test_no_pace_status_on_a_non_cumulative_kind(audit: Audit, as_of: date) -> None:
    indicators = audit.current("indicator")
    view = audit.views[as_of]

    def kind(subject_id: str) -> str | None:
        ind = indicators.get(_indicator_of(subject_id) or "")
        return ind.payload.get("measure") if ind else None

    problems = [f"{sid}: pace {entry['pace']['status']} on a {kind(sid)}"
                for sid, entry in sorted(view.statuses.items())
                if "pace" in _entries(entry) and kind(sid) not in (None, *CUMULATIVE_KINDS)]
    problems += [f"alert {a['id']} ({a['rule']['id']}) on a {kind(a['subject']['id'])}"
                 for a in view.alerts if a["rule"]["id"].startswith("pace.")
                 and kind(a["subject"]["id"]) not in (None, *CUMULATIVE_KINDS)]
    _fail(problems, "pace statuses on non-cumulative indicators")


def _shown_pcts(text: str | None) -> list[Decimal]:
    out = []
    for match in SHOWN_PCT.finditer(text or ""):
        try:
            out.append(parse_number(match.group(1)))
        except KehoachError:
            continue
    return out


@pytest.mark.parametrize("as_of", AS_OF, ids=str)
def test_no_shown_percent_of_plan_above_300_or_below_0(audit: Audit, as_of: date) -> None:
    """Statuses and status alerts never show a share of the plan outside 0–300 % (such a
    figure is a data-quality finding, not a status)."""
    view = audit.views[as_of]
    shown = [(sid, dim, value.get("explanation_vi"), value.get("explanation_en"))
             for sid, entry in view.statuses.items() for dim, value in _entries(entry).items()]
    shown += [(a["subject"]["id"], a["kind"], a["explanation_vi"], a["explanation_en"])
              for a in view.alerts if a.get("status")]
    problems = [f"{sid} ({dim}): {vi}" for sid, dim, vi, en in sorted(shown, key=str)
                if any(p > 300 or p < 0 for p in _shown_pcts(vi) + _shown_pcts(en))]
    _fail(problems, "statuses showing a % of plan above 300 or below 0")


def _completions(facts: list[StoredFact]) -> dict[str, date]:
    """Task id → the earliest date a task update says it was completed."""
    done: dict[str, date] = {}
    for fact in facts:
        up = fact.payload
        if fact.kind != "task_update" or str(up.get("status") or "").lower() not in COMPLETED:
            continue
        when = up.get("completed_on") or up.get("completed_at") or up.get("as_of") or fact.as_of
        when = when if isinstance(when, date) else date.fromisoformat(str(when)[:10])
        task = str(up.get("task") or up.get("task_id"))
        done[task] = min(when, done.get(task, when))
    return done


@pytest.mark.parametrize("as_of", AS_OF, ids=str)
def test_no_overdue_task_with_completion_evidence(audit: Audit, as_of: date) -> None:
    done = _completions(audit.facts)
    # the later reports say some tasks are done (issue 14: task-003-038 "đã khởi công",
    # task-003-036 "biểu quyết công nhận"): without such evidence this walk proves nothing
    assert done, "data/langson records no task completion (task_update completed)"
    problems = [f"{sid}: {entry['task']['status']} but completed on {done[sid]}"
                for sid, entry in sorted(audit.views[as_of].statuses.items())
                if "overdue" in str(_entries(entry).get("task", {}).get("status"))
                and sid in done and done[sid] <= as_of]
    problems += [f"alert {a['id']} raised {a['as_of']}, completed on {done[a['subject']['id']]}"
                 for a in audit.views[as_of].alerts if a["kind"] == "overdue"
                 and a["subject"]["id"] in done
                 and done[a["subject"]["id"]] <= date.fromisoformat(a["as_of"])]
    _fail(problems, "overdue tasks with completion evidence")


def _existed(agency: StoredFact | None, on: date) -> bool:
    if agency is None:
        return False
    start, end = agency.payload.get("valid_from"), agency.payload.get("valid_until")
    return ((start is None or date.fromisoformat(str(start)) <= on)
            and (end is None or on <= date.fromisoformat(str(end))))


@pytest.mark.parametrize("as_of", AS_OF, ids=str)
def test_no_alert_to_an_agency_that_did_not_exist(audit: Audit, as_of: date) -> None:
    """Lead agency and supervisor existed on the alert's date (and a missing report's agency
    on its due date)."""
    agencies = audit.current("agency")
    problems = []
    for alert in audit.views[as_of].alerts:
        days = [date.fromisoformat(alert["as_of"])]
        if alert["kind"] == "missing_report" and alert["details"].get("due"):
            days.append(date.fromisoformat(alert["details"]["due"]))
        for agency in (alert["agency"], alert["details"].get("supervisor")):
            if agency and not all(_existed(agencies.get(agency), d) for d in days):
                problems.append(f"{alert['id']} → {agency} on {', '.join(map(str, days))}")
    _fail(problems, "alerts addressed to agencies that did not exist")


@pytest.mark.parametrize("as_of", AS_OF, ids=str)
def test_every_alert_quotes_a_source(audit: Audit, as_of: date) -> None:
    problems = [f"{a['id']} ({a['rule']['id']})" for a in audit.views[as_of].alerts
                if not any(str(s.get("quote") or "").strip() for s in a["sources"])]
    _fail(problems, "alerts without a source quote")


@pytest.mark.parametrize("as_of", AS_OF, ids=str)
def test_every_missing_report_alert_names_its_calendar_basis(audit: Audit, as_of: date) -> None:
    problems = []
    for alert in audit.views[as_of].alerts:
        if alert["kind"] != "missing_report":
            continue
        basis = alert["details"].get("basis") or {}
        if not (basis.get("kind") and basis.get("vi") and basis.get("en")
                and basis["vi"] in alert["explanation_vi"]
                and basis["en"] in alert["explanation_en"]):
            problems.append(f"{alert['id']}: basis {basis or 'missing'}")
    _fail(problems, "missing-report alerts without a calendar basis")
