"""PlanGraph on the Lạng Sơn dataset: trace, who, impact, incremental updates, networkx view."""

from __future__ import annotations

import glob
from pathlib import Path

import pytest
import yaml

from kg.dataset import load_into
from kg.graph import SUBJECT_KINDS, GraphError, PlanGraph
from kg.log import Fact, Source, open_log
from kg.search import matches, search
from ontology.namespace import KH

DATA = Path(__file__).resolve().parents[2] / "data" / "langson"


def _rows(pattern: str) -> list[dict]:
    rows: list[dict] = []
    for path in sorted(glob.glob(str(DATA / pattern))):
        rows += yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    return rows


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> PlanGraph:
    log = open_log(tmp_path_factory.mktemp("graph") / "kh.db")
    load_into(log, DATA)
    return PlanGraph.from_log(log)


def _ids(trace: dict) -> list[str]:
    return [step["id"] for step in trace["chain"]]


def test_trace_grdp_2024_reaches_annual_plan_five_year_plan_and_congress(plan):
    trace = plan.trace("grdp_growth@2024")
    ids = _ids(trace)
    for doc in ("nq-hdnd-ke-hoach-2024", "ke-hoach-5-nam-2021-2025",
                "nq-dai-hoi-dang-bo-tinh-xvii"):
        assert doc in ids, ids
    assert ids.index("nq-hdnd-ke-hoach-2024") < ids.index("ke-hoach-5-nam-2021-2025") < \
        ids.index("nq-dai-hoi-dang-bo-tinh-xvii")
    step = trace["chain"][ids.index("nq-hdnd-ke-hoach-2024")]
    assert step["relation"] == "setBy" and step["from"] == "grdp_growth@2024"
    assert step["type"] == "Resolution" and step["source"]["doc"] in {"000", "001", "002",
                                                                      "003", "004"}


def test_trace_2023_target_reaches_decision_1966_and_resolution_29(plan):
    target = next(t for t in _rows("targets*.yaml") if str(t["period"]) == "2023")
    trace = plan.trace(target["id"])
    by_id = {step["id"]: step for step in trace["chain"]}
    assert by_id["qd-1966-ubnd-2022"]["number"] == "1966/QĐ-UBND"
    assert by_id["qd-1966-ubnd-2022"]["relation"] == "assignedBy"
    assert by_id["nq-29-hdnd-2022"]["number"] == "29/NQ-HĐND"
    assert by_id["nq-29-hdnd-2022"]["date"] == "2022-12-10"
    assert by_id["nq-29-hdnd-2022"]["issuer"]["id"] == "hdnd-tinh"


def test_trace_observation_reaches_its_target_and_report(plan):
    obs = next(o for o in _rows("observations/002.yaml")
               if o.get("indicator") and str(o.get("period", "")).endswith("2023"))
    trace = plan.trace(obs["id"])
    relations = {(s["relation"], s["id"]) for s in trace["chain"]}
    assert ("sourceDocument", "seed-002") in relations
    assert trace["subject"]["source"]["line"] == obs["source"]["line"]


def test_trace_unknown_id_is_a_bilingual_error(plan):
    with pytest.raises(GraphError) as err:
        plan.trace("khong-co-gi")
    assert err.value.code == "unknown_document" and err.value.vi and err.value.en


def test_impact_29_lists_the_2023_targets_and_no_2024_target(plan):
    result = plan.impact("29/NQ-HĐND")
    assert result["document"]["id"] == "nq-29-hdnd-2022"
    targets = {t["id"] for t in result["targets"]}
    expected = {t["id"] for t in _rows("targets*.yaml") if t.get("set_by") == "nq-29-hdnd-2022"}
    assert expected and expected <= targets
    assert not any(t.endswith("@2024") for t in targets)
    assert "qd-1966-ubnd-2022" in {d["id"] for d in result["documents"]}


def test_who_finds_the_stated_owner_of_a_task(plan):
    task = next(t for t in _rows("tasks/*.yaml") if not t.get("lead_implied"))
    [answer] = plan.who(task["id"])
    assert [lead["id"] for lead in answer["lead"]] == [task["lead_agency"]]
    assert answer["lead"][0]["implied"] is False
    assert answer["assigned_by"]["id"] == task["assigned_by"]
    assert answer["deadline"]["date"] == (str(task["deadline"]) if task.get("deadline")
                                          else None)


def test_who_marks_implied_owner(plan):
    task = next(t for t in _rows("tasks/*.yaml") if t.get("lead_implied"))
    [answer] = plan.who(task["id"])
    assert answer["lead"][0]["implied"] is True


def test_who_phrase_is_diacritics_insensitive(plan):
    plain = plan.who("giai ngan von dau tu cong")
    accented = plan.who("Giải ngân vốn đầu tư công")
    assert [r["subject"]["id"] for r in plain] == [r["subject"]["id"] for r in accented]
    assert plain[0]["subject"]["id"] == "public_investment_disbursement"


def _subject_texts(plan, rows) -> list[str]:
    nodes = [plan.node(r["subject"]["id"], SUBJECT_KINDS) for r in rows]
    return [" ".join(str(o) for o in plan.graph.objects(node, None)) for node in nodes]


def test_who_matches_the_phrase_not_its_words_apart(plan):
    rows = plan.who_page("giải ngân", limit=500)["data"]
    assert rows
    texts = _subject_texts(plan, rows)
    assert all("giải ngân" in t.lower() for t in texts), texts
    # "giải pháp ngăn ngừa tai nạn giao thông" and "ngân sách" matched before: words apart.
    assert not any("giải pháp ngăn ngừa" in t.lower() and "giải ngân" not in t.lower()
                   for t in texts)


def test_who_diacritics_count_when_typed(plan):
    accented = {r["subject"]["id"] for r in plan.who_page("giải ngân", limit=500)["data"]}
    folded = {r["subject"]["id"] for r in plan.who_page("giai ngan", limit=500)["data"]}
    assert accented <= folded
    # "giai ngan" folds to words that "giãi ngán"-like spellings would also give; typed with
    # diacritics only the written word matches.
    with pytest.raises(GraphError):
        plan.who_page("giãi ngán")
    assert plan.who_page("giai ngan")["total"] == len(folded)


def test_who_page_counts_everything_and_ranks_whole_names_first(plan):
    page = plan.who_page("nông thôn mới", limit=5)
    assert page["total"] > 20 and len(page["data"]) == 5
    rest = plan.who_page("nông thôn mới", limit=500, offset=5)["data"]
    assert len(rest) == page["total"] - 5
    assert not {r["subject"]["id"] for r in page["data"]} & {r["subject"]["id"] for r in rest}


def test_who_target_reports_period_end_as_deadline(plan):
    [answer] = plan.who("grdp_growth@2024")
    assert answer["deadline"]["date"] == "2024-12-31"
    assert answer["assigned_by"]["id"] == "qd-ubnd-giao-chi-tieu-2024"


def test_agency_entry_follows_the_2025_merger(plan):
    entry = plan.agency_entry(plan.agency("Sở Kế hoạch và Đầu tư"))
    assert entry["id"] == "so-ke-hoach-va-dau-tu"
    assert entry["valid_until"] == "2025-02-28"
    assert entry["current"]["id"] == "so-tai-chinh"


def test_responsibilities_of_successor_include_predecessor_work(plan):
    leads = {t["lead_agency"]: t["id"] for t in _rows("tasks/*.yaml")}
    merged = next(a for a in _rows("agencies.yaml") if a.get("succeeded_by") in {
        b["id"] for b in _rows("agencies.yaml")} and a["id"] in leads)
    items = plan.responsibilities(plan.agency(merged["succeeded_by"]))
    inherited = {item["subject"]["id"] for item in items if item["via"] == merged["id"]}
    assert leads[merged["id"]] in inherited


def test_targets_of_indicator_uses_named_query(plan):
    rows = plan.targets_of("grdp_growth")
    assert {"grdp_growth@2023", "grdp_growth@2024"} <= {r["target"] for r in rows}


def test_networkx_view_has_document_links(plan):
    view = plan.networkx()
    assert view.has_edge(plan.node("qd-1966-ubnd-2022", ["document"]),
                         plan.node("nq-29-hdnd-2022", ["document"]), key="implements")


def _task(version_lead: str, support: list[str]) -> Fact:
    return Fact("task", "task-x-001", {"id": "task-x-001", "summary": "Rà soát quy hoạch",
                                        "lead_agency": version_lead, "lead_implied": False,
                                        "support": support, "deadline": "2024-12-31",
                                        "deadline_text": "hết năm 2024"},
                Source("004", 1, "Rà soát"))


def test_apply_replaces_a_new_version_incrementally(tmp_path):
    log = open_log(tmp_path / "kh.db")
    log.append([Fact("agency", a, {"id": a, "name": a.upper(), "kind": "department"})
                for a in ("so-a", "so-b", "so-c")] + [_task("so-a", ["so-c"])])
    plan = PlanGraph.from_log(log)
    before = len(plan)
    log.append([_task("so-b", [])])
    assert plan.refresh(log) == 1
    [answer] = plan.who("task-x-001")
    assert [lead["id"] for lead in answer["lead"]] == ["so-b"] and answer["support"] == []
    assert [h["lead_agency"] for h in answer["history"]] == ["so-a", "so-b"]
    assert [h["support"] for h in answer["history"]] == [["so-c"], []]
    # the supporting-agency triple went away (-1); the roles of so-a and so-c stay, ended by
    # version 2 (+2 kh:untilVersion); so-b's role starts there (+5: link, type, agency, role,
    # kh:fromVersion); version 2 is a node (+4: type, specializationOf, number, generated by)
    # from a new write (+3 prov:Activity: type, time, agent; the agent is the first's)
    assert len(plan) == before - 1 + 2 + 5 + 4 + 3
    g = plan.graph
    held = {str(g.value(r, KH.agency)).rsplit("/", 1)[1]: g.value(r, KH.untilVersion)
            for r in g.objects(plan.node("task-x-001", ["task"]), KH.qualifiedResponsibility)}
    assert {a: v is None for a, v in held.items()} == {"so-a": False, "so-c": False,
                                                       "so-b": True}
    rebuilt = PlanGraph.from_log(log)
    assert set(rebuilt.graph) == set(plan.graph)
    assert plan.refresh(log) == 0


def test_search_matches_without_diacritics_and_in_order():
    assert matches("ke hoach dau tu", "Sở Kế hoạch và Đầu tư")
    assert not matches("dau tu ke hoach", "Sở Kế hoạch và Đầu tư")
    hits = search("tai chinh", [("a", ["Sở Tài chính"]), ("b", ["Tài chính"]), ("c", ["Y tế"])])
    assert [h.key for h in hits] == ["b", "a"]

