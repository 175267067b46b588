"""Agencies written by people (cơ quan do người dùng khai): the template's agencies sheet,
``kehoach agency add`` — checked against the agencies the log knows, then made facts with
``kg.agencies.agency_fact``.

Rules (docs/import.md):
- a new agency gets the id its name gives (``kg.agencies.unique_id``), or the one its ``id``
  field asks for;
- a row whose name, short name or alias already names a known agency is refused, naming that
  agency — unless its ``id`` field names that agency: then it is an explicit update (the
  fields it gives replace, empty ones keep the stored value, aliases are added) — or unless
  it says exactly what is stored (a re-import);
- two rows of one import naming the same agency are refused;
- the parent (cơ quan cấp trên) is an agency of the log or of the same import, by name or
  id, never the agency itself or one of its own descendants;
- the kind is given or read from the name's head word (``kg.agencies.guess_kind``); a name
  that does not tell is refused, asking for the kind;
- the jurisdiction (địa bàn) is a code or name of ``kg.jurisdictions`` (data/jurisdictions.yaml).
Every problem names its place (sheet or command, row) and field, Vietnamese then English.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kg.agencies import (
    AGENCY_KINDS,
    ID_PATTERN,
    Agency,
    AgencyError,
    agency_fact,
    agency_id,
    choose_kind,
    guess_kind,
    resolve_jurisdiction,
    unique_id,
)
from kg.errors import KehoachError, Place
from kg.log import Fact, Source
from kg.matching import Matcher, fold, suggest
from kg.notation import parse_date
from kg.notation.bounds import check_date


@dataclass
class AgencyEntry:
    """An agency as a person wrote it: texts as written, None when empty. ``id`` names a
    known agency to update (explicitly) or the id a new one should get."""

    name: str | None
    place: Place = field(default_factory=Place)
    id: str | None = None
    short: str | None = None
    name_en: str | None = None
    kind: str | None = None
    parent: str | None = None
    jurisdiction: str | None = None
    aliases: list[str] = field(default_factory=list)
    valid_from: str | None = None
    valid_until: str | None = None
    source: Source | None = None

    def names(self) -> list[str]:
        return [n for n in (self.name, self.short, *self.aliases) if n]


@dataclass
class AgencyBuild:
    """What ``build_agencies`` made: facts, problems, and the names of entries that failed
    (folded name → place), so a task naming one is told that row is wrong, not "unknown"."""

    facts: list[Fact] = field(default_factory=list)
    problems: list[KehoachError] = field(default_factory=list)
    failed: dict[str, Place] = field(default_factory=dict)


class _Check:
    """One entry being checked: its problems, its id, the stored agency it updates."""

    def __init__(self, entry: AgencyEntry) -> None:
        self.entry = entry
        self.problems: list[KehoachError] = []
        self.key = ""
        self.base: dict[str, Any] | None = None  # stored payload of an explicit update
        self.same_as: str | None = None  # a known agency of the same name: must be identical
        self.jurisdiction: tuple[str, str | None] | None = None
        self.kind: str | None = None
        self.parent: str | None = None
        self.dates: dict[str, date | None] = {}

    def fail(self, key: str, vi: str, en: str, code: str, text: str | None = None) -> None:
        place = Place(document=self.entry.place.document, line=self.entry.place.line,
                      row=self.entry.place.row, field=key)
        self.problems.append(AgencyError(vi, en, code=code, text=text, place=place))


def _where(place: Place) -> tuple[str, str]:
    if place.row is not None:
        return f"hàng {place.row}", f"row {place.row}"
    return place.document or "lệnh trước", place.document or "an earlier command"


def _values(check: _Check) -> None:
    entry = check.entry
    if entry.kind:
        check.kind = choose_kind(entry.kind)
        if check.kind is None:
            words = ", ".join(vi for vi, _en, _w in AGENCY_KINDS.values())
            check.fail("kind", f"loại cơ quan '{entry.kind}' không có; chọn: {words}",
                       f"unknown agency kind '{entry.kind}'; one of: {', '.join(AGENCY_KINDS)}",
                       "not_a_choice", entry.kind)
    if entry.jurisdiction:
        try:
            check.jurisdiction = resolve_jurisdiction(entry.jurisdiction)
        except AgencyError as err:
            check.fail("jurisdiction", err.vi, err.en, err.code, entry.jurisdiction)
    for key in ("valid_from", "valid_until"):
        text = getattr(entry, key)
        if text:
            try:
                check.dates[key] = check_date(parse_date(text))
            except KehoachError as err:
                check.fail(key, err.vi, err.en, err.code, text)
    start, end = check.dates.get("valid_from"), check.dates.get("valid_until")
    if start and end and end < start:
        check.fail("valid_until", f"ngày hết hiệu lực {end:%d/%m/%Y} trước ngày bắt đầu "
                   f"{start:%d/%m/%Y}", f"valid_until {end} is before valid_from {start}",
                   "valid_until_early", entry.valid_until)


def _identity(check: _Check, known: Matcher, new: dict[str, _Check]) -> None:
    """The entry's id: an explicit update, a new id asked for, or one made from the name."""
    entry = check.entry
    if entry.id:
        if not ID_PATTERN.fullmatch(entry.id):
            check.fail("id", f"mã '{entry.id}' không hợp lệ: chữ thường không dấu, số, dấu '-' "
                       "(ví dụ 'so-tai-chinh')", f"invalid id '{entry.id}': lowercase ASCII "
                       "letters, digits and '-' (e.g. 'so-tai-chinh')", "agency_id", entry.id)
        elif entry.id in new:
            check.fail("id", f"mã '{entry.id}' trùng với {_where(new[entry.id].entry.place)[0]}",
                       f"id '{entry.id}' duplicates {_where(new[entry.id].entry.place)[1]}",
                       "duplicate_row", entry.id)
        else:
            check.key = entry.id
            check.base = dict(known.payload(entry.id)) if entry.id in known else None
    for name in entry.names():
        _name_clash(check, name, known, new)
    if not check.key and not check.problems:
        check.key = check.same_as or unique_id(entry.name or "", known)


def _name_clash(check: _Check, name: str, known: Matcher, new: dict[str, _Check]) -> None:
    for other in known.candidates(name):
        if other == check.key or other == check.same_as:
            continue
        if other in new:
            vi, en = _where(new[other].entry.place)
            check.fail("name", f"tên '{name}' trùng với cơ quan ở {vi} ({other})",
                       f"name '{name}' duplicates the agency of {en} ({other})",
                       "duplicate_row", name)
        elif check.key:
            check.fail("name", f"tên '{name}' là tên của cơ quan khác đã có: "
                       f"{known.payload(other).get('name')} ({other})",
                       f"name '{name}' belongs to another known agency: "
                       f"{known.payload(other).get('name')} ({other})", "agency_exists", name)
        elif name == check.entry.name and check.same_as is None:
            check.same_as = other  # the same agency again is fine only if nothing differs
        else:
            _exists(check, name, other, known)


def _exists(check: _Check, name: str, other: str, known: Matcher) -> None:
    stored = known.payload(other).get("name")
    check.fail("name", f"đã có cơ quan '{stored}' (mã {other}) mang tên '{name}'; để cập nhật "
               f"cơ quan đó hãy ghi mã '{other}' vào cột Mã, nếu là cơ quan khác hãy đặt tên "
               "phân biệt", f"agency '{stored}' (id {other}) already has the name '{name}'; to "
               f"update it write '{other}' in the id column, for another agency use a "
               "distinct name", "agency_exists", name)


def _kind(check: _Check) -> None:
    if check.kind is not None or check.entry.kind:
        return
    if check.base is not None:
        check.kind = check.base.get("kind")
        return
    jurisdiction_kind = check.jurisdiction[1] if check.jurisdiction else None
    check.kind = guess_kind(check.entry.name or "", jurisdiction_kind)
    if check.kind is None:
        words = ", ".join(vi for vi, _en, _w in AGENCY_KINDS.values())
        check.fail("kind", f"tên '{check.entry.name}' không cho biết loại cơ quan; hãy ghi loại "
                   f"(cột 'Loại cơ quan', --kind): {words}", f"the name '{check.entry.name}' does "
                   f"not tell the agency kind; give it (column 'kind', --kind): "
                   f"{', '.join(AGENCY_KINDS)}", "agency_kind_unknown",
                   check.entry.name)


def _parent(check: _Check, known: Matcher, failed: dict[str, Place],
            parents: dict[str, str | None]) -> None:
    text = check.entry.parent
    if not text:
        check.parent = (check.base or {}).get("parent")
        return
    found = known.candidates(text)
    if len(found) > 1:
        check.fail("parent", f"tên cơ quan '{text}' ứng với nhiều mã ({', '.join(found)}); hãy "
                   "ghi mã", f"agency name '{text}' matches several ids ({', '.join(found)}); "
                   "write the id", "ambiguous_agency", text)
    elif not found and fold(text) in failed:
        vi, en = _where(failed[fold(text)])
        check.fail("parent", f"cơ quan cấp trên '{text}' ở {vi} có lỗi",
                   f"parent agency '{text}' of {en} has errors", "agency_row_invalid", text)
    elif not found:
        near = suggest(text, known.items(), 3)
        hint = f"; gần giống: {', '.join(near)}" if near else ""
        check.fail("parent", f"không có cơ quan cấp trên '{text}' trong CSDL hay trong tệp này"
                   f"{hint}", f"no parent agency '{text}' in the database or this file"
                   + (f"; close: {', '.join(near)}" if near else ""), "unknown_agency", text)
    elif found[0] == check.key or _descends(found[0], check.key, known, parents):
        check.fail("parent", f"cơ quan cấp trên '{text}' tạo vòng lặp (cơ quan là cấp trên của "
                   "chính nó)", f"parent agency '{text}' makes a cycle (the agency would be its "
                   "own ancestor)", "agency_parent_cycle", text)
    else:
        check.parent = found[0]


def _descends(start: str, key: str, known: Matcher, parents: dict[str, str | None]) -> bool:
    """Whether ``key`` is an ancestor of ``start`` (walking parents, new ones first)."""
    seen: set[str] = set()
    node: str | None = start
    while node and node not in seen:
        if node == key:
            return True
        seen.add(node)
        node = parents[node] if node in parents else known.payload(node).get("parent")
    return False


def _agency(check: _Check) -> Agency:
    entry, base = check.entry, check.base or {}
    aliases = list(base.get("aliases") or []) if check.base is not None else []
    aliases += [a for a in entry.aliases if fold(a) not in {fold(x) for x in aliases}]
    jurisdiction = check.jurisdiction[0] if check.jurisdiction else base.get("jurisdiction")
    dates = {k: check.dates.get(k) or (date.fromisoformat(base[k]) if base.get(k) else None)
             for k in ("valid_from", "valid_until")}
    return Agency(check.key, entry.name or base.get("name") or "", check.kind,
                  short=entry.short or base.get("short"),
                  name_en=entry.name_en or base.get("name_en"), parent=check.parent,
                  jurisdiction=jurisdiction, aliases=tuple(aliases), source=entry.source,
                  **dates)


def build_agencies(entries: list[AgencyEntry], known: Matcher) -> AgencyBuild:
    """Facts of ``entries`` (in order) and every problem; ``known`` learns the new agencies'
    names (only of good entries), so rows read after them (tasks, targets) can name them."""
    out = AgencyBuild()
    work = copy.deepcopy(known)  # names of every entry, for parents named by a later row
    checks = [_Check(entry) for entry in entries]
    new: dict[str, _Check] = {}
    for check in checks:
        _first_pass(check, work, new)
        if check.problems:
            out.failed.update({fold(n): check.entry.place for n in check.entry.names()})
    parents = {c.key: None for c in checks if c.key}
    for check in checks:
        if check.key:
            _parent(check, work, out.failed, parents)
            parents[check.key] = check.parent
    for check in checks:
        if not check.problems:
            _emit(check, work, out)
        if check.problems:
            out.failed.update({fold(n): check.entry.place for n in check.entry.names()})
            out.problems.extend(check.problems)
    for fact in out.facts:
        known.add(fact.key, fact.payload)
    return out


def _first_pass(check: _Check, work: Matcher, new: dict[str, _Check]) -> None:
    """Values, id and kind of one entry; its names join ``work``."""
    entry = check.entry
    if not entry.name or not agency_id(entry.name):
        check.fail("name", f"tên cơ quan không dùng được: '{entry.name or ''}' (cần chữ hoặc "
                   "số)", f"unusable agency name: '{entry.name or ''}' (needs a letter or "
                   "digit)", "agency_name", entry.name)
        return
    _values(check)
    _identity(check, work, new)
    _kind(check)
    if check.key:
        new.setdefault(check.key, check)
    if check.key and check.same_as is None and not check.problems:
        work.add(check.key, {**(check.base or {}), "id": check.key, "name": entry.name,
                             "short": entry.short, "aliases": entry.names()[1:]})


def _emit(check: _Check, work: Matcher, out: AgencyBuild) -> None:
    fact = agency_fact(_agency(check), check.base)
    if check.same_as is not None and work.payload(check.same_as) != fact.payload:
        _exists(check, check.entry.name or "", check.same_as, work)
        return
    out.facts.append(fact)


class AgencyProblems(AgencyError):
    """Several things are wrong with the agencies given; ``problems`` lists each one."""

    def __init__(self, problems: list[KehoachError]) -> None:
        self.problems = problems
        head = problems[0]
        super().__init__(f"{len(problems)} lỗi, không ghi gì; lỗi đầu: {head.message}",
                         f"{len(problems)} problem(s), nothing written; first: {head.message}",
                         code="agency_invalid")


def add_agencies(log: Any, entries: list[AgencyEntry], submitted_by: str = "cli",
                 dry_run: bool = False) -> tuple[list[Fact], list[Any]]:
    """Check ``entries`` against the log's agencies and append their facts in one
    transaction (nothing with ``dry_run``); ``AgencyProblems`` lists every problem."""
    from kg.matching import matcher_from_log

    built = build_agencies(entries, matcher_from_log(log, "agency"))
    if built.problems:
        raise AgencyProblems(built.problems)
    if dry_run or not built.facts:
        return built.facts, []
    return built.facts, log.append(built.facts, submitted_by=submitted_by, batch="agency")


def list_agencies(log: Any, kind: str | None = None) -> list[dict[str, Any]]:
    """The log's agencies (current versions), by kind then name, each with its kind label and
    its parent's and successor's names."""
    from kg.agencies import kind_label

    current = {f.key: f.payload for f in log.current("agency")}
    order = list(AGENCY_KINDS)

    def name_of(key: Any) -> str | None:
        return current.get(str(key), {}).get("name") if key else None

    rows = [{"id": key, "name": p.get("name"), "short": p.get("short"),
             "kind": p.get("kind"), "kind_label": kind_label(p.get("kind")),
             "parent": p.get("parent"), "parent_name": name_of(p.get("parent")),
             "jurisdiction": p.get("jurisdiction"), "aliases": list(p.get("aliases") or []),
             "valid_from": p.get("valid_from"), "valid_until": p.get("valid_until"),
             "succeeded_by": p.get("succeeded_by"),
             "succeeded_by_name": name_of(p.get("succeeded_by"))}
            for key, p in current.items() if kind is None or p.get("kind") == kind]
    return sorted(rows, key=lambda r: (order.index(r["kind"]) if r["kind"] in order
                                       else len(order), fold(r["name"] or r["id"])))
