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
from rdflib import Graph, Literal, URIRef

from kg.errors import KehoachError, Place
from kg.log import StoredFact
from kg.matching import fold
from kg.notation import Period
from kg.project import (
    DCTERMS,
    HISTORY_PREDICATES,
    KH,
    OA,
    PROV,
    RDF,
    RDFS,
    SKOS,
    UNLABELLED_KINDS,
    entity_iri,
    fact_triples,
    responsibility_triples,
    roles_of,
    split_iri,
    version_triples,
)
from kg.search import Index
from kg.store import CompactStore
from kg.wording import document_words, item_words, relation_label
from ontology.namespace import PREFIXES

SUBJECT_KINDS = ("task", "target", "indicator")
TRACE_UP = (KH.concerns, KH.assignedBy, KH.setBy, KH.basedOn, KH.implements)
DERIVES = (KH.basedOn, KH.implements)
RESOLUTION_TYPES = ("Resolution", "PartyResolution")
"""Where an auditor's chain should end: a resolution of the People's Council or the Party."""
LEAD_PROPS = {KH.leadAgency: False, KH.impliedLeadAgency: True}
HISTORY_KINDS = frozenset(SUBJECT_KINDS)  # kinds whose versions ``who`` reports
_TYPE = RDF.type
_TYPE_HASH = hash(_TYPE)


def _worded(item: dict[str, Any]) -> dict[str, Any]:
    """``item`` with its words and its relation's label, in Vietnamese and English."""
    out = {**item, "words_vi": item_words(item), "words_en": item_words(item, "en")}
    if item.get("relation"):
        out["relation_vi"] = relation_label(item["relation"])
        out["relation_en"] = relation_label(item["relation"], "en")
    return out


class GraphError(KehoachError):
    """A graph question could not be answered (unknown id, ambiguous name, bad query)."""

    code = "graph_error"


ROLE_ORDER = ("lead", "implied_lead", "support")
"""How ``responsibilities`` lists an agency's roles."""


def _role_code(g: Graph, responsibility: Any) -> str:
    """The role code of a ``kh:Responsibility`` (``lead``, ``implied_lead``, ``support``): the
    role concept's local name after ``role_`` (its notation lives in the ontology, not the data)."""
    return _local(g.value(responsibility, KH.role)).removeprefix("role_")


def _local(node: Any) -> str:
    text = str(node)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rsplit("/", 1)[-1]


class PlanGraph:
    """Wraps an rdflib ``Graph`` (``.graph``) of the plan; answers domain questions.

    Bookkeeping is sized for national volumes (≈ 2 M observations and rule outcomes a year):
    the triples about a fact's own node are *owned* by that fact and are not counted — a new
    version removes whatever its node had that no other fact shares; triples about other
    nodes (periods, an indicator's ``kh:hasTarget``, a task's deadline) are *shared* and
    reference-counted. Only the latest version number of each fact is kept in Python; who held
    which role when (``HISTORY_KINDS``) is in the graph itself, as dated ``kh:Responsibility``
    nodes from the version that stated the role to the one that dropped it (``_date_roles``).
    """

    def __init__(self) -> None:
        self.store = CompactStore()
        self.graph = Graph(store=self.store)
        for prefix, ns in PREFIXES.items():
            self.graph.bind(prefix, ns)
        self.graph.bind("khd", "https://kehoach.dev/id/")
        self._shared: Counter = Counter()  # shared triple → how many facts add it
        self._shared_by: dict[URIRef, tuple] = {}  # fact node → the shared triples it adds
        self._shared_types: set[URIRef] = set()  # nodes others type (implied targets)
        self._versions: dict[URIRef, int] = {}  # fact node → latest version applied
        self._interned: dict[tuple, tuple] = {}  # one copy of each shared-triple set
        self._outside: set[URIRef] = set()  # nodes no log fact owns (rule outcomes: put_node)
        # triples the roles' history asserted (``_date_roles``): never released, even when the
        # last fact or outcome that also shares one (a version node an alert used) goes
        self._history: set[tuple] = set()
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
                self._date_roles(node, fact)
            self._project(node, fact_triples(fact, node), replacing=seen > 0)
            self.last_seq = max(self.last_seq, fact.seq)
            changed += 1
        if changed:
            self._indexes.clear()
        return changed

    def put_node(self, node: URIRef, triples: list) -> None:
        """Add or replace a node that no fact of the log owns (a rule outcome from the outcome
        store, ``kg.outcome_graph``): its own triples replaced, shared ones reference-counted
        as for facts. A node put again with the very triples it holds is left as it is (an
        outcome whose payload changed in what the graph does not keep, e.g. its wording)."""
        owned, shared = self._split(node, triples)
        replacing = node in self._outside
        if replacing and self._holds(node, owned, shared):
            return
        self._place(node, owned, shared, replacing)
        self._outside.add(node)
        self._indexes.clear()

    def drop_node(self, node: URIRef) -> None:
        """Remove a node ``put_node`` added (a withdrawn outcome): its own triples and its
        share of the shared ones; a node it did not add is left alone."""
        if node in self._outside:
            self._place(node, [], [], replacing=True)
            self._outside.discard(node)
            self._indexes.clear()

    @staticmethod
    def _split(node: URIRef, triples: list) -> tuple[list, list]:
        """``triples`` as (owned: about ``node``, shared: about other nodes). Equal terms have
        equal hashes, and an IRI's hash is its cached string hash: comparing hashes first
        spares the Python-level ``Node.__eq__`` for every shared triple."""
        owned: list = []
        shared: list = []
        key = hash(node)
        for t in triples:
            s = t[0]
            (owned if s is node or (hash(s) == key and s == node) else shared).append(t)
        return owned, shared

    def _holds(self, node: URIRef, owned: list, shared: list) -> bool:
        """Whether ``node`` holds exactly these triples already: its own are all the store has
        about it and its shared ones are the ones it added last — replacing it would remove
        nothing and add nothing (only count the shared ones down and up again)."""
        if node in self._shared_types or tuple(shared) != self._shared_by.get(node, ()):
            return False
        held = list(self.store.pairs(node))
        return len(held) == len(owned) and set(owned) == {(node, p, o) for p, o in held}

    def _project(self, node: URIRef, triples: list, replacing: bool) -> None:
        self._place(node, *self._split(node, triples), replacing)

    def _place(self, node: URIRef, owned: list, shared: list, replacing: bool) -> None:
        """Put ``node``'s own triples (replacing what it had) and count its shared ones."""
        counts = self._shared
        if replacing:
            self._release(node, owned)
        if node in self._shared_types:  # a type shared by others (an implied target) is
            for t in owned:              # now owned by its fact
                if t in counts:
                    del counts[t]
        self.store.add_subject(node, owned)
        if not shared:
            return
        self._shared_by[node] = self._interned.setdefault(key := tuple(shared), key)
        for t in shared:
            n = counts.get(t)
            if n is None:
                p = t[1]
                if p is _TYPE or (hash(p) == _TYPE_HASH and p == _TYPE):
                    if t[0] in self._versions and self.store.has(t):
                        continue  # the node's own fact asserts this type: it owns it
                    self._shared_types.add(t[0])
                self.store.add_triple(t)
                n = 0
            counts[t] = n + 1

    def _release(self, node: URIRef, owned: list) -> None:
        """Before ``node`` is put again: remove its own triples the new ones do not repeat
        (unless shared or history) and release its share of the shared ones."""
        counts, store = self._shared, self.store
        keep = set(owned)
        for p, o in list(store.pairs(node)):
            t = (node, p, o)
            if t not in keep and t not in counts and p not in HISTORY_PREDICATES:
                store.remove_triple(t)
        for t in self._shared_by.pop(node, ()):
            n = counts.get(t)
            if n is None:  # a type its own fact has taken over (``_place``)
                continue
            if n > 1:
                counts[t] = n - 1
            else:
                del counts[t]
                if t not in self._history:
                    store.remove_triple(t)

    def __len__(self) -> int:
        return len(self.graph)

    # --- looking things up -------------------------------------------------------------
    def exists(self, node: URIRef) -> bool:
        return (node, RDF.type, None) in self.graph

    def label(self, node: Any) -> str | None:
        """A node's name, Vietnamese first: ``skos:prefLabel`` (named facts), ``rdfs:label``
        (periods, rule plans), ``dcterms:title``."""
        other = None
        for prop in (SKOS.prefLabel, RDFS.label, DCTERMS.title):
            for value in self.graph.objects(node, prop):
                if getattr(value, "language", None) in ("vi", None):
                    return str(value)
                other = other or str(value)
        return other

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
        """Where a fact was read (document code, line, quote): a sourced fact's quote and line
        are on its passage's text-quote selector; a mention's are on the node itself."""
        g = self.graph
        doc = g.value(node, KH.sourceDocument) or g.value(node, KH.mentionedIn)
        passage = g.value(node, KH.sourcePassage)
        at = node if passage is None else g.value(passage, OA.hasSelector)
        quote = self.value(at, KH.sourceQuote if passage is None else OA.exact)
        line = g.value(at, KH.sourceLine)
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
        if kind == "target" and owner is not None:
            lead += [self.agency_entry(a) for a in sorted(g.objects(owner, KH.leadAgency))]
        doc = g.value(node, KH.assignedBy) or g.value(node, KH.setBy)
        return {"subject": self.info(node), "lead": lead,
                "support": [self.agency_entry(a) for a in
                            sorted(g.objects(node, KH.supportingAgency))],
                "assigned_by": None if doc is None else self.document_info(doc),
                "deadline": self._deadline(node, kind),
                "history": self._responsibility_history(node)}

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

    def _date_roles(self, node: URIRef, fact: StoredFact) -> None:
        """Keep the roles of a task, indicator or target as dated ``kh:Responsibility`` nodes:
        a role the version states that none open holds starts at this version
        (``kh:fromVersion``); an open role it no longer states ends at it (``kh:untilVersion``).
        The version node (time and agent of its write) is added only when a role changes, and
        none of these triples is released by a later version: the history is in the graph."""
        wanted = roles_of(fact.payload)
        held = self._open_roles(node)
        if set(wanted) == set(held):
            return
        version, triples = version_triples(fact, node)
        triples += [(held[k], KH.untilVersion, version) for k in held if k not in wanted]
        for role, agency in wanted:
            if (role, agency) not in held:
                triples += responsibility_triples(node, role, agency, version, fact.version)
        self._history.update(triples)
        for t in triples:
            self.store.add_triple(t)

    def _open_roles(self, node: URIRef) -> dict[tuple[str, URIRef], URIRef]:
        """(role code, agency) → the responsibility node still held (no ``kh:untilVersion``)."""
        g = self.graph
        return {(_role_code(g, r), g.value(r, KH.agency)): r
                for r in g.objects(node, KH.qualifiedResponsibility)
                if g.value(r, KH.untilVersion) is None}

    def _responsibility_history(self, node: URIRef) -> list[dict[str, Any]]:
        """Who held the roles at each version that changed them, read from the dated
        ``kh:Responsibility`` nodes: version, lead, supporting agencies, when it was written.
        Empty when the roles never changed."""
        g = self.graph
        spans = [(r, g.value(r, KH.fromVersion), g.value(r, KH.untilVersion))
                 for r in g.objects(node, KH.qualifiedResponsibility)]
        number = {v: int(g.value(v, KH.version)) for _, *ends in spans for v in ends
                  if v is not None}
        out = []
        for version in sorted(number, key=number.get):
            held = [r for r, start, end in spans if number[start] <= number[version]
                    and (end is None or number[end] > number[version])]
            roles = {r: _role_code(g, r) for r in held}
            lead = [split_iri(g.value(r, KH.agency))[1] for r in held if roles[r] != "support"]
            at = g.value(g.value(version, PROV.wasGeneratedBy), PROV.startedAtTime)
            out.append({"version": number[version], "lead_agency": lead[0] if lead else None,
                        "support": sorted(split_iri(g.value(r, KH.agency))[1] for r in held
                                          if roles[r] == "support"),
                        "submitted_at": None if at is None else at.toPython().isoformat()})
        return out if len(out) > 1 else []

    def responsibilities(self, agency: URIRef) -> list[dict[str, Any]]:
        """Tasks, targets and indicators an agency leads or supports, including those of the
        agencies it succeeded (``via`` names the predecessor)."""
        g = self.graph
        agencies = [agency] + sorted(s for s in g.subjects(KH.succeededBy, None)
                                     if agency in g.transitive_objects(s, KH.succeededBy))
        out = []
        for via in agencies:
            held: dict[str, list[URIRef]] = {role: [] for role in ROLE_ORDER}
            for r in g.subjects(KH.agency, via):  # the roles still held (dated responsibilities)
                if (r, RDF.type, KH.Responsibility) in g and g.value(r, KH.untilVersion) is None:
                    held.setdefault(_role_code(g, r), []).extend(
                        g.subjects(KH.qualifiedResponsibility, r))
            for role, items in held.items():
                for item in sorted(set(items)):
                    out.append({**self.responsibility(item), "role": role,
                                "via": None if via == agency else split_iri(via)[1]})
        return out

    def trace(self, ident: str) -> dict[str, Any]:
        """From a target (implied ones included), task, observation, alert or document up to
        the root documents; every item and relation also in words (``kg.wording``)."""
        start = self.node(ident, ("target", "observation", "alert", "status_change", "task",
                                  "verdict", "document"))
        bare = start is None or (split_iri(start)[0] == "target"  # typed only by an outcome
                                 and self.graph.value(start, KH.forIndicator) is None)
        if bare and (implied := self.implied_target(ident)) is not None:
            return self.trace_implied(implied)
        start = start or self.document(ident)
        subject = {**self.info(start), "type": self._type(start), "source": self.source(start),
                   "name": self.target_name(start) or self.name(start)}
        if subject["kind"] == "document":
            subject.update(self.document_info(start))
        if subject["kind"] == "target" and not self.stated_documents(start):  # infer the plan
            period = self.graph.value(start, KH.forPeriod)
            return self.trace_implied({
                "id": ident, "name": subject["name"], "node": start, "figures": [],
                "period": split_iri(period)[1] if period is not None else None,
                "plans": self._annual_plans(split_iri(period)[1]) if period is not None
                else []})
        chain = self._chain_up([start])
        out = {"subject": _worded(subject), "chain": chain}
        if subject["kind"] == "target" and not any(s.get("type") in RESOLUTION_TYPES
                                                   for s in chain):
            tops = "; ".join(s["words_vi"] for s in chain if s.get("kind") == "document")
            tops_en = "; ".join(s["words_en"] for s in chain if s.get("kind") == "document")
            out["note_vi"] = f"Chuỗi không tới nghị quyết nào: chỉ tiêu được nêu tại {tops}"
            out["note_en"] = f"The chain reaches no resolution: the target is stated in {tops_en}"
        return out

    def _chain_up(self, starts: list[URIRef], seen: set[URIRef] | None = None
                  ) -> list[dict[str, Any]]:
        """Breadth-first up the plan's links from ``starts``: one step per node reached."""
        chain, seen = [], (seen or set()) | set(starts)
        queue: deque[URIRef] = deque(starts)
        while queue:
            here = queue.popleft()
            for relation, there in self._up_edges(here):
                if there in seen:
                    continue
                seen.add(there)
                queue.append(there)
                chain.append(self.trace_step(there, relation, split_iri(here)[1]))
        return chain

    def trace_step(self, node: URIRef, relation: str, came_from: str, **extra: Any
              ) -> dict[str, Any]:
        item = self.document_info(node) if split_iri(node)[0] == "document" \
            else {**self.info(node), "type": self._type(node), "number": None,
                  "date": None, "issuer": None, "title": self.label(node),
                  "name": self.target_name(node) or self.name(node)}
        return _worded({**item, "relation": relation, "from": came_from,
                        "source": self.source(node), **extra})

    def target_name(self, node: URIRef) -> str | None:
        """A target as people name it: its indicator and period ("Tốc độ tăng GRDP (2024)");
        None for other kinds."""
        if split_iri(node)[0] != "target":
            return None
        indicator, period = self.graph.value(node, KH.forIndicator), self.graph.value(
            node, KH.forPeriod)
        name = self.name(indicator) if indicator is not None else None
        code = split_iri(period)[1] if period is not None else None
        return f"{name} ({code})" if name and code else name

    def implied_target(self, ident: str) -> dict[str, Any] | None:
        """A plan a report only implies ("đạt 84,0% kế hoạch" with no target stated):
        ``indicator@period`` with no target fact, and the report figures that imply it.
        None when ``ident`` is not of that form or nothing implies it."""
        indicator_id, _, code = ident.rpartition("@")
        indicator = self.node(indicator_id, ("indicator",)) if indicator_id else None
        try:
            period = Period.from_code(code) if indicator is not None else None
        except (KehoachError, ValueError):
            period = None
        if indicator is None or period is None or period.kind != "year":
            return None
        g = self.graph
        figures = sorted(o for o in g.subjects(KH.forIndicator, indicator)
                         if split_iri(o)[0] == "observation"
                         and g.value(o, KH.pctOfPlan) is not None
                         and str(g.value(g.value(o, KH.forPeriod), KH.endDate))[:4]
                         == str(period.year))
        if not figures:
            return None
        return {"id": ident, "name": f"{self.name(indicator)} ({period.code})",
                "period": period.code, "year": period.year, "figures": figures,
                "plans": self._annual_plans(period.code)}

    def implied_from_figures(self, ident: str, name: str, period_code: str,
                             figures: list[URIRef]) -> dict[str, Any] | None:
        """An implied target whose figures are known from elsewhere (a rule's evaluation names
        them — e.g. an indicator reported by name only, ``text:…@2023``); None when the period
        is not a year or no figure is in the graph."""
        try:
            period = Period.from_code(period_code)
        except (KehoachError, ValueError):
            return None
        figures = sorted(f for f in figures if self.exists(f))
        if period.kind != "year" or not figures:
            return None
        return {"id": ident, "name": f"{name} ({period.code})", "period": period.code,
                "year": period.year, "figures": figures,
                "plans": self._annual_plans(period.code)}

    def stated_documents(self, node: URIRef) -> list[URIRef]:
        """The documents a target or task names as setting or assigning it."""
        return [o for p in (KH.setBy, KH.assignedBy) for o in self.graph.objects(node, p)]

    def annual_plans(self, code: str) -> list[tuple[str, str, int]]:
        """``_annual_plans`` by document id: (document id, relation, how many targets)."""
        return [(split_iri(doc)[1], rel, n) for doc, rel, n in self._annual_plans(code)]

    def _annual_plans(self, code: str) -> list[tuple[URIRef, str, int]]:
        """The documents that set or assign the province's other targets of this period —
        the annual plan an implied target belongs to: (document, relation, how many)."""
        g, period = self.graph, entity_iri("period", code)
        counts: Counter[tuple[URIRef, str]] = Counter()
        for target in g.subjects(KH.forPeriod, period):
            if split_iri(target)[0] != "target":
                continue
            for prop, relation in ((KH.setBy, "setBy"), (KH.assignedBy, "assignedBy")):
                for doc in g.objects(target, prop):
                    counts[(doc, relation)] += 1
        order = {"setBy": 0, "assignedBy": 1}
        return [(doc, rel, n) for (doc, rel), n in
                sorted(counts.items(), key=lambda kv: (order[kv[0][1]], -kv[1], kv[0][0]))]

    def trace_implied(self, implied: dict[str, Any]) -> dict[str, Any]:
        """The trace of an implied target (``implied_target`` / ``implied_from_figures``):
        the report sentences, then the annual plan inferred — marked so, with the reasoning."""
        year, node = implied["period"], implied.get("node")
        first = implied["figures"][0] if implied["figures"] else node
        subject = _worded({"id": implied["id"], "name": implied["name"],
                           "kind": "target", "type": "Target", "implied": node is None,
                           "source": self.source(first) if first is not None else None})
        chain = [self.trace_step(o, "impliedBy", implied["id"]) for o in implied["figures"]]
        why_vi = ("Báo cáo so sánh với kế hoạch nhưng không nêu văn bản" if node is None
                  else "Dữ liệu không ghi văn bản đặt hay giao chỉ tiêu này")
        why_en = ("The report compares with the plan without naming it" if node is None
                  else "The data names no document that sets or assigns this target")
        docs = []
        for doc, relation, n in implied["plans"]:
            words = document_words(self.document_info(doc))
            reasoning_vi = (f"{why_vi}; {n} chỉ tiêu khác của kỳ {year} do văn bản này "
                            f"{'đặt' if relation == 'setBy' else 'giao'}: {words}")
            reasoning_en = (f"{why_en}; {n} other {year} targets are "
                            f"{'set' if relation == 'setBy' else 'assigned'} by this document")
            chain.append(self.trace_step(doc, relation, implied["id"], inferred=True,
                                    reasoning_vi=reasoning_vi, reasoning_en=reasoning_en))
            docs.append(doc)
        seen = set(implied["figures"]) | set(docs) | ({node} if node is not None else set())
        chain += self._chain_up(docs, seen)
        out: dict[str, Any] = {"subject": subject, "chain": chain}
        if not docs:  # say why the chain stops here
            out["note_vi"] = (f"{why_vi}, và không văn bản nào trong dữ liệu đặt hoặc giao chỉ "
                              f"tiêu kỳ {year}: không suy ra được kế hoạch")
            out["note_en"] = (f"{why_en}, and no document in the data sets or assigns {year} "
                              "targets: the plan cannot be inferred")
        return out

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
