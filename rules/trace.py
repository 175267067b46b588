"""Trace anything the system shows (truy nguyên): plan items through the graph
(``PlanGraph.trace``), alerts and status changes through the evaluation that concluded them —
alert → the rule (id, version, thresholds) → the exact fact versions it used → the target or
task → the documents behind it. Lives in ``rules`` because it needs both the graph and the
evaluation; the same function answers the CLI, the API and the web page. ``plan_graph`` builds
the graph the CLI asks: the log's facts with the rules' outcomes (``kg.outcome_graph``) from
an evaluation or the outcome store.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from kg.graph import GraphError, PlanGraph
from kg.outcome_graph import OutcomeProjection
from kg.wording import kind_label, relation_label
from rules.loader import load_rules
from rules.outcomes import Alert, StatusChange
from rules.replay import ReplayResult
from rules.store import outcome_item, store_for


def plan_graph(log: Any, outcomes: Iterable[Alert | StatusChange] | None = None,
               as_of: date | None = None) -> PlanGraph:
    """The plan graph of ``log``'s facts with rule outcomes as nodes: ``outcomes`` when given
    (an evaluation's), else the outcome store's set of ``as_of`` (None: its latest) — the
    fact log holds no outcomes."""
    plan = PlanGraph.from_log(log)
    items = ([outcome_item(o) for o in outcomes] if outcomes is not None
             else [o.to_dict() for o in store_for(log).current(as_of)])
    OutcomeProjection(log.jurisdiction or None).sync(plan, items)
    return plan


def _rule_titles(evaluation: ReplayResult) -> dict[tuple[str, int], dict[str, str]]:
    """Rule titles by (id, version) of the rule set that judged ``evaluation`` (a live
    session's pinned set); the rule files in force for a result that does not say (read
    back from the stores)."""
    book = evaluation.rules or load_rules()
    return {(r.id, int(r.version)): r.title for r in book.rules}


def find_outcome(evaluation: ReplayResult, ident: str) -> Alert | StatusChange | None:
    """The alert or status change of that id in the evaluation, or None."""
    return next((o for o in evaluation.outcomes if o.id == ident), None)


def trace(plan: PlanGraph, evaluation: ReplayResult | None, ident: str) -> dict[str, Any]:
    """The trace of ``ident``: an outcome of ``evaluation``, else a node of ``plan``."""
    outcome = find_outcome(evaluation, ident.strip()) if evaluation is not None else None
    if outcome is not None and evaluation is not None:
        return _trace_outcome(plan, outcome, _rule_titles(evaluation))
    try:
        return plan.trace(ident)
    except GraphError:
        implied = _implied_by_evaluation(plan, evaluation, ident.strip())
        if implied is None:
            raise
        return plan.trace_implied(implied)


def _implied_by_evaluation(plan: PlanGraph, evaluation: ReplayResult | None,
                           ident: str) -> dict[str, Any] | None:
    """A target the rules judged that the graph has no node for (an indicator reported by
    name only): its figures are the facts the rules used for it."""
    entry = evaluation.statuses.get(ident) if evaluation is not None else None
    if not entry or entry.get("kind") != "target" or "@" not in ident:
        return None
    figures = []
    for outcome in evaluation.outcomes:
        if outcome.subject.id == ident:
            for fact_id in outcome.facts:
                kind, _, rest = fact_id.partition(":")
                node = plan.node(rest.rpartition("#v")[0], (kind,)) if kind == "observation" \
                    else None
                if node is not None and node not in figures:
                    figures.append(node)
    return plan.implied_from_figures(ident, entry.get("name") or ident,
                                     ident.rpartition("@")[2], figures)


def _step(item: dict[str, Any], relation: str, came_from: str) -> dict[str, Any]:
    return {"number": None, "date": None, "issuer": None, "title": None, **item,
            "relation": relation, "from": came_from,
            "relation_vi": relation_label(relation), "relation_en": relation_label(relation,
                                                                                    "en")}


def _rule_step(outcome: Alert | StatusChange,
               titles: dict[tuple[str, int], dict[str, str]]) -> dict[str, Any]:
    rule_id, version = outcome.rule["id"], int(outcome.rule["version"])
    title = titles.get((rule_id, version), {})
    limits = ", ".join(f"{k} = {v:g}" for k, v in sorted(outcome.thresholds.items()))
    suffix_vi = f" (ngưỡng: {limits})" if limits else ""
    suffix_en = f" (thresholds: {limits})" if limits else ""
    return _step({"id": rule_id, "name": title.get("vi") or rule_id, "kind": "rule",
                  "type": "Rule", "version": version, "thresholds": dict(outcome.thresholds),
                  "source": None,
                  "words_vi": f"Luật {rule_id} v{version}: {title.get('vi', '')}{suffix_vi}",
                  "words_en": f"Rule {rule_id} v{version}: {title.get('en', '')}{suffix_en}"},
                 "firedRule", outcome.id)


def _fact_step(plan: PlanGraph, fact_id: str, came_from: str,
               fallback: dict[str, Any] | None) -> dict[str, Any]:
    """A fact version the rule read ("observation:obs-002-001#v1")."""
    kind, _, rest = fact_id.partition(":")
    key, _, version = rest.rpartition("#v")
    node = plan.node(key, (kind,))
    if node is not None:
        step = plan.trace_step(node, "usedFact", came_from)
    else:
        words_vi = f"{(kind_label(kind) or kind).capitalize()}: {key}"
        step = _step({"id": key, "name": key, "kind": kind, "type": None, "source": fallback,
                      "words_vi": words_vi, "words_en": f"{kind_label(kind, 'en')}: {key}"},
                     "usedFact", came_from)
    return {**step, "fact": fact_id, "version": int(version) if version.isdigit() else None}


def _trace_outcome(plan: PlanGraph, outcome: Alert | StatusChange,
                   titles: dict[tuple[str, int], dict[str, str]]) -> dict[str, Any]:
    kind = "status_change" if isinstance(outcome, StatusChange) else "alert"
    sources = list(getattr(outcome, "sources", []) or [])
    subject = {"id": outcome.id, "name": outcome.explanation_vi, "kind": kind,
               "type": "StatusChange" if kind == "status_change" else "Alert",
               "as_of": outcome.as_of, "rule": dict(outcome.rule),
               "source": sources[0] if sources else None,
               "words_vi": f"{kind_label(kind).capitalize()} ngày "
                           f"{outcome.as_of[8:10]}/{outcome.as_of[5:7]}/{outcome.as_of[:4]}: "
                           f"{outcome.explanation_vi}",
               "words_en": f"{kind_label(kind, 'en').capitalize()} of {outcome.as_of}: "
                           f"{outcome.explanation_en}"}
    chain = [_rule_step(outcome, titles)]
    for i, fact_id in enumerate(outcome.facts):
        chain.append(_fact_step(plan, fact_id, outcome.id,
                                sources[i] if i < len(sources) else None))
    try:
        behind = plan.trace(outcome.subject.id)
    except GraphError:  # a subject with no plan node: say so, keep the rest
        chain.append(_step({"id": outcome.subject.id, "name": outcome.subject.name,
                            "kind": outcome.subject.kind, "type": None, "source": None,
                            "words_vi": f"{outcome.subject.name} (không có trong đồ thị kế "
                                        "hoạch)",
                            "words_en": f"{outcome.subject.name} (not in the plan graph)"},
                           "concerns", outcome.id))
        return {"subject": subject, "chain": chain}
    seen = {step["id"] for step in chain}
    head = behind["subject"]
    if head["id"] not in seen:
        chain.append({**_step(head, "concerns", outcome.id), **{
            k: head[k] for k in ("words_vi", "words_en") if k in head}})
    chain += [step for step in behind["chain"] if step["id"] not in seen]
    return {"subject": subject, "chain": chain}


def impact(plan: PlanGraph, evaluation: ReplayResult | None, document: str) -> dict[str, Any]:
    """Everything derived from a document (``PlanGraph.impact``) with the alerts of the live
    evaluation on it — not only those persisted in the log — and the targets the rules judged
    that have no document of their own but whose annual plan this document is (inferred)."""
    data = plan.impact(document)
    if evaluation is None:
        return data
    root = data["document"]["id"]
    stated = {t["id"] for t in data["targets"]} | {t["id"] for t in data["tasks"]}
    figures = {o["id"] for o in data["observations"]}
    inferred = []
    for subject_id, entry in sorted(evaluation.statuses.items()):
        if entry.get("kind") != "target" or subject_id in stated or "@" not in subject_id:
            continue
        node = plan.node(subject_id, ("target",))
        if node is not None and plan.stated_documents(node):
            continue
        plans = plan.annual_plans(subject_id.rpartition("@")[2])
        if any(doc_id == root for doc_id, _rel, _n in plans):
            inferred.append({"id": subject_id, "name": entry.get("name"), "kind": "target",
                             "inferred": True})
    touched = stated | {t["id"] for t in inferred}

    def concerns(outcome: Alert) -> bool:
        keys = {f.partition(":")[2].rpartition("#v")[0] for f in outcome.facts}
        return outcome.subject.id in touched or bool(keys & figures)

    data["inferred_targets"] = inferred
    data["alerts"] = [{"id": a.id, "name": a.explanation_vi, "kind": "alert",
                       "alert_kind": a.kind, "severity": a.severity, "as_of": a.as_of,
                       "subject": a.subject.id}
                      for a in evaluation.alerts if concerns(a)]
    return data
