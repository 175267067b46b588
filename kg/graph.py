"""The plan graph (đồ thị kế hoạch): an rdflib graph built from the fact log, typed by the
ontology, updated incrementally as facts arrive, and the domain questions asked of it.

``PlanGraph.from_log(log)`` projects every stored fact (``kg.project``) into a compact store
(``kg.store.CompactStore``, ≈ 0.2 KB per triple instead of rdflib Memory's ≈ 1.1 KB);
``apply(facts)`` adds new facts or versions — a replaced version's own triples are replaced and
shared ones released by reference count, not by rebuilding. Questions: ``who`` (chủ trì /
phối hợp, giao bởi, thời hạn, history through mergers), ``responsibilities`` of an agency,
``trace`` (up to the root document), ``impact`` (down from a document), ``targets_of``;
``networkx()`` gives a MultiDiGraph view.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable
from typing import Any

import networkx as nx
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from kg.errors import KehoachError, Place
from kg.log import StoredFact
from kg.matching import fold
from kg.project import UNLABELLED_KINDS, entity_iri, fact_triples, split_iri
from kg.search import Index
from kg.store import CompactStore
from ontology.namespace import DCTERMS, KH, PREFIXES, PROV, SKOS

SUBJECT_KINDS = ("task", "target", "indicator")
TRACE_UP = (KH.concerns, KH.assignedBy, KH.setBy, KH.basedOn, KH.implements)
DERIVES = (KH.basedOn, KH.implements)
LEAD_PROPS = {KH.leadAgency: False, KH.impliedLeadAgency: True}
HISTORY_KINDS = frozenset(SUBJECT_KINDS)  # kinds whose versions ``who`` reports


class GraphError(KehoachError):
    """A graph question could not be answered (unknown id, ambiguous name, bad query)."""

    code = "graph_error"


def _local(node: Any) -> str:
    text = str(node)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rsplit("/", 1)[-1]


class PlanGraph:
    """Wraps an rdflib ``Graph`` (``.graph``) of the plan; answers domain questions.

    Bookkeeping is sized for national volumes (≈ 2 M observations and rule outcomes a year):
    the triples about a fact's own node are *owned* by that fact and are not counted — a new
    version removes whatever its node had that no other fact shares; triples about other
    nodes (periods, an indicator's ``kh:hasTarget``, a task's deadline) are *shared* and
    reference-counted. Only the latest version number of each fact is kept, and of the kinds
    ``who`` reports history for (``HISTORY_KINDS``) only the versions where the lead or
    supporting agencies changed.
    """

    def __init__(self) -> None:
        self.store = CompactStore()
        self.graph = Graph(store=self.store)
        for prefix, ns in PREFIXES.items():
            self.graph.bind(prefix, ns)
        self.graph.bind("khd", "https://kehoach.dev/id/")
        self._shared: Counter = Counter()  # shared triple → how many facts add it
        self._shared_by: dict[URIRef, tuple] = {}  # fact node → the shared triples it adds
        self._versions: dict[URIRef, int] = {}  # fact node → latest version applied
        self._interned: dict[tuple, tuple] = {}  # one copy of each shared-triple set
        # (kind, key) → [(version, lead agency, supporting agencies, submitted at)], one entry
        # per change of responsibility (HISTORY_KINDS only)
        self.history: dict[tuple[str, str], list[tuple]] = {}
        self.last_seq = 0
        self._indexes: dict[tuple[str, ...], Index] = {}  # name search, reset on change

    @classmethod
    def from_log(cls, log: Any) -> PlanGraph:
        plan = cls()
        plan.apply(log.read())
        return plan

    def refresh(self, log: Any) -> int:
        """Apply the facts appended to ``log`` since the last one seen."""
        return self.apply(log.read(after_seq=self.last_seq))

    def apply(self, facts: Iterable[StoredFact]) -> int:
        """Add facts (new kinds/keys or new versions) incrementally; returns how many changed."""
        changed = 0
        for fact in facts:
            node = entity_iri(fact.kind, fact.key)
            seen = self._versions.get(node, 0)
            if seen >= fact.version:
                continue
            self._versions[node] = fact.version
            if fact.kind in HISTORY_KINDS:
                self._record_owners(fact)
            self._project(node, fact_triples(fact, node), replacing=seen > 0)
            self.last_seq = max(self.last_seq, fact.seq)
            changed += 1
        if changed:
            self._indexes.clear()
        return changed

    def _project(self, node: URIRef, triples: list, replacing: bool) -> None:
        owned: list = []
        shared: list = []
        for t in triples:
            (owned if t[0] is node or t[0] == node else shared).append(t)
        if replacing:
            keep = set(owned)
            for t in list(self.store.triples((node, None, None))):
                if t[0] not in keep and t[0] not in self._shared:
                    self.store.remove_triple(t[0])
            for t in self._shared_by.pop(node, ()):
                self._shared[t] -= 1
                if self._shared[t] <= 0:
                    del self._shared[t]
                    self.store.remove_triple(t)
        self.store.add_subject(node, owned)
        if shared:
            self._shared_by[node] = self._interned.setdefault(key := tuple(shared), key)
            for t in shared:
                if t not in self._shared:
                    self.store.add_triple(t)
                self._shared[t] += 1

    def __len__(self) -> int:
        return len(self.graph)

    # --- looking things up -------------------------------------------------------------
    def exists(self, node: URIRef) -> bool:
        return (node, RDF.type, None) in self.graph

    def label(self, node: Any) -> str | None:
        for prop in (RDFS.label, DCTERMS.title):
            for value in self.graph.objects(node, prop):
                return str(value)
        return None

    def value(self, node: Any, prop: URIRef) -> str | None:
        found = self.graph.value(node, prop)
        return None if found is None else str(found)

    def name(self, node: Any) -> str | None:
        """The label, or the id for the kinds named by their id (``UNLABELLED_KINDS``)."""
        found = self.label(node)
        parts = split_iri(node) if found is None else None
        return parts[1] if parts and parts[0] in UNLABELLED_KINDS else found

    def info(self, node: Any) -> dict[str, Any]:
        parts = split_iri(node)
        return {"id": parts[1] if parts else str(node), "name": self.name(node),
                "kind": parts[0] if parts else None}

    def source(self, node: Any) -> dict[str, Any] | None:
        doc = self.graph.value(node, KH.sourceDocument)
        quote, line = self.value(node, KH.sourceQuote), self.graph.value(node, KH.sourceLine)
        if doc is None and quote is None:
            return None
        code = split_iri(doc)[1].removeprefix("seed-") if doc is not None else "basis"
        return {"doc": code, "line": None if line is None else int(line), "quote": quote}

    def node(self, ident: str, kinds: Iterable[str]) -> URIRef | None:
        """The node of an id among ``kinds`` (first kind that has it), or None."""
        for kind in kinds:
            candidate = entity_iri(kind, ident)
            if self.exists(candidate):
                return candidate
        return None

    def find(self, text: str, kinds: Iterable[str] = SUBJECT_KINDS,
             limit: int = 20) -> list[URIRef]:
        """Nodes whose id is ``text`` or whose names contain it as a phrase (best first)."""
        return self.search(text, kinds, limit)[0]

    def search(self, text: str, kinds: Iterable[str] = SUBJECT_KINDS, limit: int = 20,
               offset: int = 0) -> tuple[list[URIRef], int]:
        """One page of the nodes matching ``text`` (an id, or a phrase: ``kg.search``) and how
        many match in all — so a caller can say "20 of 37" instead of dropping the rest."""
        kinds = tuple(kinds)
        exact = self.node(text.strip(), kinds)
        if exact is not None:
            return ([exact] if offset == 0 else []), 1
        if kinds not in self._indexes:
            items = []
            for kind in kinds:
                for node in self._of_kind(kind):
                    names = [str(o) for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel)
                             for o in self.graph.objects(node, p)]
                    items.append((str(node), [*names, split_iri(node)[1]]))
            self._indexes[kinds] = Index(items)
        hits = self._indexes[kinds].search(text, as_phrase=True)
        return [URIRef(hit.key) for hit in hits[offset:offset + limit]], len(hits)

    def _of_kind(self, kind: str) -> list[URIRef]:
        prefix = str(entity_iri(kind, ""))
        return sorted({s for s in self.graph.subjects(DCTERMS.identifier, None)
                       if isinstance(s, URIRef) and str(s).startswith(prefix)})

    def document(self, text: str) -> URIRef:
        """A document by id or by number as written ("29/NQ-HĐND", diacritics ignored)."""
        node = self.node(text.strip(), ("document",))
        if node is not None:
            return node
        wanted = fold(text)
        found = sorted({s for s, _, o in self.graph.triples((None, KH.documentNumber, None))
                        if fold(str(o)) == wanted})
        if len(found) == 1:
            return found[0]
        if found:
            ids = ", ".join(split_iri(n)[1] for n in found)
            raise GraphError(f"Số văn bản '{text}' trùng nhiều văn bản: {ids}; hãy dùng mã",
                             f"Document number '{text}' names several documents: {ids}; "
                             "use an id", code="ambiguous_document", text=text)
        raise GraphError(f"Không tìm thấy văn bản '{text}'", f"No document '{text}'",
                         code="unknown_document", text=text, place=Place(field="document"))

    def agency(self, text: str) -> URIRef:
        """An agency by id, name, short name or alias (diacritics ignored)."""
        hits = self.find(text, ("agency",), limit=5)
        if not hits:
            raise GraphError(f"Không tìm thấy cơ quan '{text}'", f"No agency '{text}'",
                             code="unknown_agency", text=text, place=Place(field="agency"))
        return hits[0]

    # --- questions ---------------------------------------------------------------------
    def document_info(self, node: Any) -> dict[str, Any]:
        issuer = self.graph.value(node, KH.issuedBy)
        kinds = [o for o in self.graph.objects(node, RDF.type) if str(o).startswith(str(KH))]
        return {**self.info(node), "type": _local(kinds[0]) if kinds else None,
                "number": self.value(node, KH.documentNumber),
                "date": self.value(node, KH.issuedOn),
                "issuer": None if issuer is None else self.info(issuer),
                "title": self.value(node, DCTERMS.title)}

    def agency_entry(self, node: Any, implied: bool = False) -> dict[str, Any]:
        """An agency with its validity and where its duties went after mergers."""
        entry = {**self.info(node), "implied": implied,
                 "valid_from": self.value(node, KH.validFrom),
                 "valid_until": self.value(node, KH.validUntil), "succeeded_by": []}
        current, seen = node, {node}
        while (nxt := self.graph.value(current, KH.succeededBy)) is not None and nxt not in seen:
            entry["succeeded_by"].append({**self.info(nxt), "from_after": self.value(
                current, KH.validUntil)})
            seen.add(nxt)
            current = nxt
        entry["current"] = self.info(current)
        return entry

    def who(self, text: str, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        """Who is responsible for a task, target or indicator (id or Vietnamese phrase): one
        page of ``who_page``."""
        return self.who_page(text, limit, offset)["data"]

    def who_page(self, text: str, limit: int = 20, offset: int = 0) -> dict[str, Any]:
        """``{data, total, limit, offset}``: the responsibilities of the matching tasks,
        targets and indicators, best match first, and how many match in all."""
        nodes, total = self.search(text, SUBJECT_KINDS, limit, offset)
        if not total:
            raise GraphError(f"Không tìm thấy nhiệm vụ/chỉ tiêu '{text}'",
                             f"No task, target or indicator matches '{text}'",
                             code="not_found", text=text)
        return {"data": [self.responsibility(n) for n in nodes], "total": total,
                "limit": limit, "offset": offset}

    def responsibility(self, node: URIRef) -> dict[str, Any]:
        kind = split_iri(node)[0]
        g = self.graph
        owner = node
        if kind == "target":
            owner = g.value(node, KH.forIndicator)
        lead = [self.agency_entry(a, implied) for prop, implied in LEAD_PROPS.items()
                for a in sorted(g.objects(node, prop))]
        if kind in ("target", "indicator") and owner is not None:
            lead += [self.agency_entry(a) for a in sorted(g.objects(owner, PROV.wasAttributedTo))]
        doc = g.value(node, KH.assignedBy) or g.value(node, KH.setBy)
        return {"subject": self.info(node), "lead": lead,
                "support": [self.agency_entry(a) for a in
                            sorted(g.objects(node, KH.supportingAgency))],
                "assigned_by": None if doc is None else self.document_info(doc),
                "deadline": self._deadline(node, kind),
                "history": self._responsibility_history(kind, split_iri(node)[1])}

    def _deadline(self, node: URIRef, kind: str) -> dict[str, Any] | None:
        if kind == "target":
            period = self.graph.value(node, KH.forPeriod)
            return None if period is None else {
                "text": self.label(period), "date": self.value(period, KH.endDate),
                "condition": None}
        deadline = self.graph.value(node, KH.hasDeadline)
        if deadline is None:
            return None
        conditional = self.graph.value(deadline, KH.conditional)
        return {"text": self.value(deadline, KH.expression),
                "date": self.value(deadline, KH.dueOn),
                "condition": self.value(deadline, RDFS.comment)
                if conditional is not None and conditional.toPython() else None}

    def _record_owners(self, fact: StoredFact) -> None:
        p = fact.payload
        lead, support = p.get("lead_agency"), tuple(p.get("support") or ())
        changes = self.history.setdefault((fact.kind, fact.key), [])
        if not changes or changes[-1][1:3] != (lead, support):
            changes.append((fact.version, lead, support, fact.submitted_at.isoformat()))

    def _responsibility_history(self, kind: str, key: str) -> list[dict[str, Any]]:
        out = [{"version": version, "lead_agency": lead, "support": list(support),
                "submitted_at": at} for version, lead, support, at in
               self.history.get((kind, key), [])]
        return out if len(out) > 1 else []

    def responsibilities(self, agency: URIRef) -> list[dict[str, Any]]:
        """Tasks, targets and indicators an agency leads or supports, including those of the
        agencies it succeeded (``via`` names the predecessor)."""
        g = self.graph
        agencies = [agency] + sorted(s for s in g.subjects(KH.succeededBy, None)
                                     if agency in g.transitive_objects(s, KH.succeededBy))
        roles = {KH.leadAgency: "lead", KH.impliedLeadAgency: "implied_lead",
                 KH.supportingAgency: "support", PROV.wasAttributedTo: "lead"}
        out = []
        for via in agencies:
            for prop, role in roles.items():
                for item in sorted(g.subjects(prop, via)):
                    out.append({**self.responsibility(item), "role": role,
                                "via": None if via == agency else split_iri(via)[1]})
        return out

    def trace(self, ident: str) -> dict[str, Any]:
        """From a target, task, observation, alert or document up to the root documents."""
        start = self.node(ident, ("target", "observation", "alert", "status_change", "task",
                                  "verdict", "document")) or self.document(ident)
        chain, seen = [], {start}
        queue: deque[URIRef] = deque([start])
        while queue:
            here = queue.popleft()
            for relation, there in self._up_edges(here):
                if there in seen:
                    continue
                seen.add(there)
                queue.append(there)
                item = self.document_info(there) if split_iri(there)[0] == "document" \
                    else {**self.info(there), "type": self._type(there), "number": None,
                          "date": None, "issuer": None, "title": self.label(there)}
                chain.append({**item, "relation": relation, "from": split_iri(here)[1],
                              "source": self.source(there)})
        return {"subject": {**self.info(start), "type": self._type(start),
                            "source": self.source(start)}, "chain": chain}

    def _type(self, node: URIRef) -> str | None:
        kinds = sorted(_local(o) for o in self.graph.objects(node, RDF.type)
                       if str(o).startswith(str(KH)))
        return kinds[0] if kinds else None

    def _up_edges(self, node: URIRef) -> list[tuple[str, URIRef]]:
        g = self.graph
        edges = [(_local(p), o) for p in TRACE_UP for o in sorted(g.objects(node, p))]
        if split_iri(node)[0] in ("observation", "verdict"):
            edges += [("measuredAgainst", t) for t in self._targets_measured(node)]
            edges += [("sourceDocument", d) for d in g.objects(node, KH.sourceDocument)]
        return [(rel, o) for rel, o in edges if isinstance(o, URIRef) and self.exists(o)]

    def _targets_measured(self, obs: URIRef) -> list[URIRef]:
        g = self.graph
        indicator, period = g.value(obs, KH.forIndicator), g.value(obs, KH.forPeriod)
        if indicator is None or period is None:
            return []
        end = g.value(period, KH.endDate)
        year = str(end)[:4] if end is not None else None
        return sorted(t for t in g.objects(indicator, KH.hasTarget)
                      if year and self._covers(g.value(t, KH.forPeriod), year))

    def _covers(self, period: Any, year: str) -> bool:
        if period is None:
            return False
        start, end = self.value(period, KH.startDate), self.value(period, KH.endDate)
        return bool(start and end and start[:4] <= year <= end[:4])

    def impact(self, text: str) -> dict[str, Any]:
        """Everything derived from a document: documents based on / implementing it, targets
        it sets or assigns, tasks, observations reported under it, alerts on those."""
        root = self.document(text)
        g = self.graph
        view = self._document_graph()
        docs = [root] + (list(nx.ancestors(view, root)) if root in view else [])
        doc_set = set(docs)
        def items(props: tuple, kind: str) -> list[URIRef]:
            return sorted({s for d in doc_set for p in props for s in g.subjects(p, d)
                           if split_iri(s)[0] == kind})
        targets, tasks = items((KH.setBy, KH.assignedBy), "target"), items((KH.assignedBy,),
                                                                           "task")
        observations = items((KH.sourceDocument,), "observation")
        touched = set(targets) | set(tasks) | set(observations)
        alerts = sorted({a for a, _, o in g.triples((None, KH.concerns, None)) if o in touched}
                        | {a for a, _, o in g.triples((None, PROV.wasDerivedFrom, None))
                           if o in touched and (a, RDF.type, KH.Alert) in g})
        return {"document": self.document_info(root),
                "documents": [self.document_info(d) for d in sorted(doc_set - {root})],
                "targets": [self.info(t) for t in targets],
                "tasks": [self.info(t) for t in tasks],
                "observations": [self.info(o) for o in observations],
                "alerts": [self.info(a) for a in alerts if (a, RDF.type, KH.Alert) in g]}

    def _document_graph(self) -> nx.DiGraph:
        """Documents and their basedOn/implements links (edge from the derived document)."""
        view = nx.DiGraph()
        for prop in DERIVES:
            for s, _, o in self.graph.triples((None, prop, None)):
                view.add_edge(s, o, relation=_local(prop))
        return view

    def targets_of(self, ident: str) -> list[dict[str, Any]]:
        """Targets of an indicator (by id or name) or set/assigned by a document."""
        from kg.queries import run_query

        node = self.node(ident, ("indicator",))
        if node is not None:
            rows = run_query(self, "targets_of_indicator", indicator=node)
        else:
            rows = run_query(self, "targets_of_document", document=self.document(ident))
        return rows

    def networkx(self) -> nx.MultiDiGraph:
        """Data nodes and the object properties between them (edge key = relation name)."""
        view = nx.MultiDiGraph()
        for s, p, o in self.graph:
            if p == RDF.type or isinstance(o, Literal):
                continue
            sp, op = split_iri(s), split_iri(o)
            if sp and op:
                for node, parts in ((s, sp), (o, op)):
                    if node not in view:
                        view.add_node(node, kind=parts[0], id=parts[1], label=self.name(node))
                view.add_edge(s, o, key=_local(p), relation=_local(p))
        return view
