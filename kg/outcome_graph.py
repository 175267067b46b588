"""Rule outcomes in the plan graph (kết quả luật trên đồ thị): alerts and status changes,
projected from the plain dicts the outcome store gives (``id``, ``kind``, ``as_of``,
``payload``: the outcome's ``to_dict``) — never from the fact log, which holds only asserted
facts. kg imports nothing of the rules: whoever reads the store (the service, the CLI) hands
the dicts over.

The graph keeps what links an outcome to the plan — subject, rule, date, kind, agency, the
facts it derives from (``trace``, ``impact``, SPARQL); the explanation text stays in the store
and is served by the alerts API (a unique literal per outcome is most of its memory).

``OutcomeProjection.sync`` makes a ``PlanGraph``'s outcome nodes exactly a set of outcomes:
new and changed ones put, the ones no longer there (withdrawn) dropped — so a withdrawn alert
leaves trace, impact, SPARQL and the export at the same time as it leaves the alerts API.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any, Protocol

from rdflib import Literal, URIRef

from kg.project import (
    ALERT_KINDS,
    DCTERMS,
    KH,
    PROV,
    RDF,
    STATUSES,
    Triple,
    _concern,
    _date,
    _derived,
    _jurisdiction_node,
    _opt,
    _refs,
    _rule_activity,
    entity_iri,
)

OUTCOME_KINDS = frozenset({"alert", "status_change"})
RULES_AGENT = "rules"
"""The agent of every rule run (``prov:wasAssociatedWith``)."""


class OutcomeGraph(Protocol):
    """What the projection needs of a plan graph: nodes no log fact owns (``PlanGraph``)."""

    def put_node(self, node: URIRef, triples: list) -> None: ...
    def drop_node(self, node: URIRef) -> None: ...


def outcome_node(outcome: Mapping[str, Any]) -> URIRef:
    """The IRI of an outcome (``/id/alert/<id>``, ``/id/status_change/<id>``)."""
    return entity_iri(str(outcome["kind"]), str(outcome["id"]))


def _run_time(as_of: str) -> datetime:
    """The rules' run that concluded an outcome is dated by its as-of date (a replay is
    deterministic: the same run gives the same node whenever it is computed)."""
    return datetime.combine(date.fromisoformat(as_of), datetime.min.time(), tzinfo=UTC)


def outcome_triples(outcome: Mapping[str, Any], jurisdiction: str | None = None,
                    node: URIRef | None = None) -> list[Triple]:
    """The triples of one outcome dict: typed ``kh:Alert`` / ``kh:StatusChange``, what it
    concerns, the rule run that generated it (its ``prov:hadPlan`` is the rule at its version,
    with ``kh:ruleId`` / ``kh:ruleVersion``), date, alert kind or statuses, agency, the fact
    versions used, and its jurisdiction when given; ``node`` is its IRI when the caller has
    it already."""
    kind, p = outcome["kind"], outcome["payload"]
    node = outcome_node(outcome) if node is None else node
    # the id is unique to the outcome: not through ``_plain``'s cache of values that repeat
    # (tens of thousands of ids would only evict those)
    out: list[Triple] = [(node, RDF.type, KH.Alert if kind == "alert" else KH.StatusChange),
                         (node, DCTERMS.identifier, Literal(str(outcome["id"])))]
    rule = p.get("rule") or {}
    if rule.get("id"):
        activity, run = _rule_activity(RULES_AGENT, _run_time(str(outcome["as_of"])),
                                       str(rule["id"]), str(rule.get("version") or ""))
        out += [(node, PROV.wasGeneratedBy, activity), *run]
    out += _concern(node, p.get("subject"))
    out += _opt(node, KH.asOf, _date(p.get("as_of")))
    if kind == "alert":
        out += _opt(node, KH.alertKind, ALERT_KINDS.get(str(p.get("kind"))))
    else:
        out += _opt(node, KH.status, STATUSES.get(str(p.get("status"))))
        out += _opt(node, KH.previousStatus, STATUSES.get(str(p.get("previous"))))
    out += _refs(node, KH.responsibleAgency, "agency", p.get("agency"))
    if jurisdiction:
        place, triples = _jurisdiction_node(jurisdiction)
        if place is not None:
            out += [(node, KH.inJurisdiction, place), *triples]
    return [t for t in out + _derived(node, p.get("facts")) if t[2] is not None]


def _fingerprint(outcome: Mapping[str, Any]) -> bytes:
    """A digest of the outcome's payload as canonical JSON (sorted keys) — the text the outcome
    store keeps, so an outcome given as ``{id, kind, as_of, fingerprint}`` (the stored text, not
    decoded) compares equal to the same outcome given with its ``payload``. A digest, not the
    text: the projection holds one per outcome node (tens of thousands in a province)."""
    text = outcome.get("fingerprint")
    if text is None:
        text = json.dumps(outcome["payload"], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.blake2b(str(text).encode(), digest_size=16).digest()


def _decoded(outcome: Mapping[str, Any]) -> Mapping[str, Any]:
    """``outcome`` with its ``payload`` (decoded from the stored text when given only that)."""
    if "payload" in outcome:
        return outcome
    return {**outcome, "payload": json.loads(outcome["fingerprint"])}


class OutcomeProjection:
    """The outcome nodes one plan graph holds, kept equal to a set of outcome dicts."""

    def __init__(self, jurisdiction: str | None = None) -> None:
        self.jurisdiction = jurisdiction
        self._held: dict[URIRef, bytes] = {}  # node → fingerprint of the outcome put there
        self.version: Any = None  # the caller's marker of the set last synced (a generation)

    def __len__(self) -> int:
        return len(self._held)

    def sync(self, plan: OutcomeGraph, outcomes: Iterable[Mapping[str, Any]],
             version: Any = None) -> int:
        """Make ``plan``'s outcome nodes exactly ``outcomes``; how many nodes changed."""
        wanted: dict[URIRef, Mapping[str, Any]] = {}
        for outcome in outcomes:
            if outcome["kind"] in OUTCOME_KINDS:
                wanted[outcome_node(outcome)] = outcome
        changed = 0
        for node in [n for n in self._held if n not in wanted]:
            plan.drop_node(node)
            del self._held[node]
            changed += 1
        for node, outcome in wanted.items():
            mark = _fingerprint(outcome)
            if self._held.get(node) == mark:
                continue
            plan.put_node(node, outcome_triples(_decoded(outcome), self.jurisdiction, node))
            self._held[node] = mark
            changed += 1
        self.version = version
        return changed

    def follow(self, plan: OutcomeGraph, store: Any, when: date) -> None:
        """Keep ``plan``'s outcome nodes equal to ``store``'s set of ``when`` (a
        ``rules.store.OutcomeStore``, read through ``catch_up``): what changed since the state
        last seen — a write's few rows, or a date move's difference when the new date's set
        started from the one held — and the whole set only when the store cannot tell (first
        read, another branch), so a withdrawn outcome leaves the graph when it leaves the store."""
        caught = store.catch_up(when, self.version)
        if caught.mark == self.version and not caught.whole:
            return
        if caught.whole:
            self.sync(plan, caught.put, caught.mark)
        else:
            self.update(plan, caught.put, caught.drop, caught.mark)

    def update(self, plan: OutcomeGraph, put: Iterable[Mapping[str, Any]],
               drop: Iterable[Mapping[str, Any]], version: Any = None) -> int:
        """Apply one write's changes: ``put`` new and revised outcomes (with ``payload``, or
        as stored with only the ``fingerprint`` text: decoded only when not held already),
        ``drop`` withdrawn ones (dicts with ``kind`` and ``id``); how many nodes changed."""
        changed = 0
        for outcome in drop:
            node = outcome_node(outcome)
            if self._held.pop(node, None) is not None:
                plan.drop_node(node)
                changed += 1
        for outcome in put:
            if outcome["kind"] in OUTCOME_KINDS:
                node, mark = outcome_node(outcome), _fingerprint(outcome)
                if self._held.get(node) != mark:
                    plan.put_node(node, outcome_triples(_decoded(outcome), self.jurisdiction, node))
                    self._held[node] = mark
                    changed += 1
        self.version = version
        return changed
