"""From a snapshot of facts to the measures the engine judges (số đo theo đối tượng).

One function per rule family builds ``Measure``s: the event posted to durable_rules (flat,
JSON-able: kind, subject, period, agency, numbers and flags) plus the provenance that stays in
Python (fact ids, source quotes, the target's document chain).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from kg.dating import as_date
from kg.errors import KehoachError
from kg.log import StoredFact
from kg.notation.expressions import TargetExpression, parse_expression
from kg.notation.numbers import format_number, parse_number
from kg.notation.periods import Period, parse_period
from kg.template.facts import infer_measure
from kg.wording import vn_date
from rules import measures as ms
from rules.engine import as_of_fields
from rules.memo import Memo
from rules.snapshot import Snapshot, chain_of
from rules.vocabulary import MEASURE_KINDS, PACED_KINDS, STATUSES

# Plan bases measured against the annual target the dataset holds; an adjusted plan (kế hoạch
# điều chỉnh), the Prime Minister's detailed allocation or the central budget estimate is
# another denominator, so a % on those bases is not checked against the target.
TARGET_BASES = frozenset({None, "ke_hoach", "ke_hoach_dau_nam", "du_toan", "du_toan_tinh",
                          "muc_tieu"})

BASIS_ORDER = ("ke_hoach_dieu_chinh", "ke_hoach", "du_toan", "du_toan_tinh",
               "ke_hoach_thu_tuong_giao", "du_toan_trung_uong", "ke_hoach_dau_nam")


@dataclass
class Measure:
    event: dict[str, Any]
    facts: list[StoredFact] = field(default_factory=list)
    chain: list[dict[str, Any]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)


def _num(text: Any) -> Decimal | None:
    return _cached_number(str(text)) if text not in (None, "") else None


def _expr(text: Any) -> TargetExpression | None:
    return _cached_expression(str(text)) if text not in (None, "") else None


# Values are re-read on every judgement of a unit; their parses are immutable (Decimal, frozen
# dataclasses), so one parse per distinct text is enough.
@lru_cache(maxsize=16384)
def _cached_number(text: str) -> Decimal | None:
    try:
        return parse_number(text)
    except KehoachError:
        return None


@lru_cache(maxsize=16384)
def _cached_expression(text: str) -> TargetExpression | None:
    try:
        return parse_expression(text)
    except KehoachError:
        return None


def _period(text: Any) -> Period | None:
    return _cached_period(str(text)) if text else None


@lru_cache(maxsize=8192)
def _cached_period(text: str) -> Period | None:
    # Periods are frozen values and the same few codes are read thousands of times a replay.
    try:
        return parse_period(text)
    except KehoachError:
        return None


def _pct(value: Decimal) -> str:
    return format_number(value.quantize(Decimal("0.1")))


def _base(snap: Snapshot, kind: str, subject_id: str, name: str, subject_kind: str,
          period: str | None, agency: str | None) -> dict[str, Any]:
    # the same for every measure of the agency on the snapshot's date
    common = snap.derived(("base", agency), lambda s: {
        "agency": agency or "", "agency_name": agency_words(s, agency),
        "agency_name_en": agency_words(s, agency, "en"),
        "as_of_date": day_words(s.as_of), **as_of_fields(s.as_of)})
    return {"kind": kind, "subject_id": subject_id, "subject_name": name,
            "subject_kind": subject_kind, "period": period or "", **common}


def day_words(day: date | str | None) -> str:
    """A date as a person reads it, in both languages (as the pages write it): dd/mm/yyyy;
    "—" for none."""
    if not day:
        return "—"
    return vn_date(day.isoformat() if isinstance(day, date) else str(day)) or "—"


def responsible_agency(snap: Snapshot, agency: str | None, on: date) -> str | None:
    """The agency answering for a duty on ``on``: the agency itself if it existed then, else
    its successor (``succeeded_by``, followed through several mergers) existing then; None if
    it was not yet created or has no successor on that date. An agency the log does not
    describe is taken as written (no dates to check). Kept per snapshot (``Snapshot.derived``):
    its measures ask it for the same few agencies and days again and again."""
    return snap.derived(  # type: ignore[no-any-return]
        ("responsible", agency, on), lambda s: _responsible_agency(s, agency, on))


def _responsible_agency(snap: Snapshot, agency: str | None, on: date) -> str | None:
    seen: set[str] = set()
    while agency and agency not in seen:
        seen.add(agency)
        fact = snap.get("agency", agency)
        if fact is None:
            return agency
        start = as_date(fact.payload.get("valid_from"))
        end = as_date(fact.payload.get("valid_until"))
        if start is not None and on < start:
            return None
        if end is None or on <= end:
            return agency
        agency = fact.payload.get("succeeded_by")
    return None


NO_AGENCY = {"vi": "chưa xác định", "en": "not stated"}
FORMERLY = {"vi": "trước đây", "en": "formerly"}


def agency_words(snap: Snapshot, agency: str | None, lang: str = "vi") -> str:
    """An agency as a person reads it on the snapshot's date (tên cơ quan), as the board and
    the CLI write it: its name; after a merger on or before that date, its successor's name
    "(trước đây …)" / "(formerly …)"; "chưa xác định" / "not stated" for none; an agency the
    log does not describe, as written. Kept per snapshot (``Snapshot.derived``)."""
    return snap.derived(  # type: ignore[no-any-return]
        ("agency_words", agency, lang), lambda s: _agency_words(s, agency, lang))


def _agency_words(snap: Snapshot, agency: str | None, lang: str) -> str:
    if not agency:
        return NO_AGENCY[lang]
    now = responsible_agency(snap, agency, snap.as_of) or agency
    name = str(snap.payload("agency", now).get("name") or now)
    if now != agency:
        name += f" ({FORMERLY[lang]} {snap.payload('agency', agency).get('name') or agency})"
    return name


def indicator_info(snap: Snapshot, indicator: str | None, text: str | None = None
                   ) -> tuple[str, str, str | None]:
    """(name, direction, lead agency) of an indicator id."""
    ind = snap.payload("indicator", indicator)
    return (ind.get("name") or text or indicator or "?", ind.get("direction") or "increase",
            ind.get("lead_agency"))


@lru_cache(maxsize=4096)
def infer_kind(measure: str | None, unit: str | None, name: str) -> str:
    """The measure kind of an indicator (cách đánh giá): as the data says, else inferred as
    the template infers it (``kg.template.facts.infer_measure``: "giảm …" → reduction;
    "bình quân đầu người", a unit per person → per capita; "tốc độ tăng" → growth rate; %,
    "tỷ lệ", "cơ cấu" → level; money, visits, tonnes → cumulative; else level)."""
    if measure in MEASURE_KINDS:
        return measure
    return infer_measure(unit, name)


def measure_kind(snap: Snapshot, indicator: str | None, text: str | None = None,
                 unit: str | None = None) -> str:
    """The measure kind of an indicator id (or of a free-text figure, from its words)."""
    ind = snap.payload("indicator", indicator) if indicator else {}
    return infer_kind(ind.get("measure"), ind.get("unit") or unit,
                      str(ind.get("name") or text or indicator or ""))


def _target_chain(snap: Snapshot, target: dict[str, Any]) -> list[dict[str, Any]]:
    return chain_of(snap, [target.get("set_by"), target.get("assigned_by")])


# --- verdicts ---------------------------------------------------------------------------

def _evidence_rank(obs: StoredFact) -> tuple[str, int, str, bool, str]:
    """Latest evidence first: period end (on the same end, the longer period: "11 tháng"
    over "tháng 11" — a year target is met by the figure since January), then report date,
    then an actual over an estimate."""
    op = obs.payload
    period = _period(op.get("period"))
    return (period.end.isoformat() if period else "",
            -period.start.toordinal() if period else 0, str(op.get("as_of")),
            op.get("kind") != "estimate", obs.key)


def _comparable(obs: StoredFact) -> bool:
    """False when the data says the figure is not comparable with the target (another
    definition, see KNOWN_INCONSISTENCIES): it is then never judged against it."""
    return obs.payload.get("comparable_with_target") is not False


def _reduction_figure(obs: StoredFact) -> str | None:
    """The reduction a figure shows against the same period last year, as a signed number
    ("tăng 41,1%" → "-41,1"): from the report's own change, never from the count."""
    change = _num(obs.payload.get("yoy_change_pct"))
    return None if change is None else format_number(-change)


def _year_actual(snap: Snapshot, target: StoredFact, kind: str = "cumulative"
                 ) -> tuple[str, bool, StoredFact] | None:
    """The figure for a target's whole period: a year observation, else an official row (a
    reduction: the change the year observation reports, the row's estimate as written)."""
    tp = target.payload
    obs = [o for o in snap.with_field("observation", "indicator", tp.get("indicator"))
           if o.payload.get("period") == tp.get("period") and o.payload.get("value")
           and _comparable(o)]
    if kind == "reduction":
        obs = [o for o in obs if _reduction_figure(o) is not None]
    if obs:
        best = max(obs, key=_evidence_rank)
        value = _reduction_figure(best) if kind == "reduction" else best.payload["value"]
        return str(value), best.payload.get("kind") == "estimate", best
    rows = [v for v in snap.with_field("verdict", "indicator", tp.get("indicator"))
            if str(v.payload.get("table")) == str(tp.get("period"))
            and v.payload.get("estimate")]
    if rows:
        return str(rows[0].payload["estimate"]), True, rows[0]
    return None


def verdict_measures(snap: Snapshot) -> list[Measure]:
    out = []
    for target in snap.all("target"):
        tp = target.payload
        kind = measure_kind(snap, tp.get("indicator"))
        found = _year_actual(snap, target, kind)
        plan = _expr(tp.get("expression"))
        if found is None or plan is None or _expr(found[0]) is None:
            continue
        name, direction, agency = indicator_info(snap, tp.get("indicator"))
        direction = "increase" if kind == "reduction" else direction
        outcome = ms.verdict(plan, _expr(found[0]), direction)
        event = _base(snap, "verdict", target.key, name, "target", tp.get("period"), agency)
        event.update(outcome=outcome, expected=found[1], actual=found[0],
                     plan=str(tp.get("expression")), direction=direction)
        out.append(Measure(event, [target, found[2]], _target_chain(snap, tp),
                           {"expected": found[1]}))
    return out


def _row_verdict(snap: Snapshot, row: dict[str, Any]) -> str | None:
    plan, actual = _expr(row.get("plan")), _expr(row.get("estimate"))
    if plan is None or actual is None:
        return None
    return ms.verdict(plan, actual, indicator_info(snap, row.get("indicator"))[1])


def verdict_check_fields(row: dict[str, Any], computed: str) -> dict[str, Any]:
    """The fields of an official verdict check (a row with ``verdict``, ``plan``,
    ``estimate``): the cell as written, the codes compared, and both verdicts in words."""
    official = ms.official_verdict(row.get("verdict"))
    words = STATUSES["verdict"]
    return {"agrees": official == computed, "official": str(row.get("verdict")),
            "official_en": words[official].en if official in words else "—",
            "computed": computed, "computed_vi": words[computed].vi,
            "computed_en": words[computed].en, "plan": str(row.get("plan")),
            "actual": str(row.get("estimate"))}


def verdict_checks(snap: Snapshot) -> list[Measure]:
    """Official verdict cell vs the computed verdict of what it judges (the row's worst member
    for one cell per shared row, the member itself where each member has a cell)."""
    out = []
    rows = snap.all("verdict")
    groups: dict[tuple[Any, Any], list[StoredFact]] = {}
    for row in rows:
        groups.setdefault((row.payload.get("table"), row.payload.get("row")), []).append(row)
    for members in groups.values():
        scopes = ms.official_scopes(
            members, lambda m: ms.official_verdict(m.payload.get("verdict")) is not None)
        for row, scope in scopes:
            computed = ms.worst_verdict(
                [v for m in scope if (v := _row_verdict(snap, m.payload))])
            if computed is None:
                continue
            rp = row.payload
            name, _d, agency = indicator_info(snap, rp.get("indicator"))
            event = _base(snap, "verdict_check", row.key, name, "verdict_row",
                          str(rp.get("table")), agency)
            event.update(verdict_check_fields(rp, computed))
            out.append(Measure(event, scope, [], {"row": rp.get("row")}))
    return out


# --- pace -------------------------------------------------------------------------------

def _months(period: Period) -> int | None:
    """Months since 1 January for a period starting then (cumulative, H1, Q1), else None."""
    if period.kind in ("year", "multi_year") or period.start.month != 1 or period.start.day != 1:
        return None
    return period.end.month


def pace_subject(snap: Snapshot, obs: StoredFact, year: int) -> tuple[str, str, str | None]:
    """(subject id, name, agency): the target ``indicator@year`` or the text as written."""
    op = obs.payload
    if op.get("indicator"):
        name, _d, agency = indicator_info(snap, op["indicator"], op.get("indicator_text"))
        return pace_subject_id(obs, year), name, agency
    return pace_subject_id(obs, year), str(op.get("indicator_text") or obs.key), None


def pace_subject_id(obs: StoredFact, year: int) -> str:
    op = obs.payload
    if op.get("indicator"):
        return f"{op['indicator']}@{year}"
    return f"text:{op.get('indicator_text') or obs.key}@{year}"


def _choose(observations: list[StoredFact]) -> StoredFact:
    def rank(o: StoredFact) -> tuple[int, str, str]:
        basis = o.payload.get("plan_basis")
        order = BASIS_ORDER.index(basis) if basis in BASIS_ORDER else len(BASIS_ORDER)
        return (order, str(o.payload.get("as_of")), o.key)
    return min(observations, key=rank)


def _annual_share(snap: Snapshot, obs: StoredFact, target: dict[str, Any]
                  ) -> tuple[Decimal, str] | None:
    pct = _num(obs.payload.get("pct_of_plan"))
    if pct is not None:
        return pct / 100, "direct"
    value, plan = _num(obs.payload.get("value")), _expr(target.get("expression"))
    if value is None or plan is None or plan.representative == 0:
        return None
    return ms.share_of_plan(value, plan.representative), "value_over_plan"


def pace_groups(snap: Snapshot) -> dict[tuple[str, str], list[StoredFact]]:
    """Cumulative observations grouped by (subject id, period code): built once per snapshot
    (the pace measures and the period histories both read them), read-only for callers."""
    return snap.derived("pace_groups", _pace_groups)  # type: ignore[no-any-return]


def _pace_groups(snap: Snapshot) -> dict[tuple[str, str], list[StoredFact]]:
    groups: dict[tuple[str, str], list[StoredFact]] = {}
    memo = snap.memo
    for obs in snap.all("observation"):
        place = _pace_place(obs) if memo is None else memo.get(
            ("pace_place", obs.key, obs.content_hash), lambda obs=obs: _pace_place(obs))
        if place is not None:
            groups.setdefault(place, []).append(obs)
    return groups


def _pace_place(obs: StoredFact) -> tuple[str, str] | None:
    """(subject id, period code) of a cumulative observation, None for any other; depends only
    on the fact's key and content (so a memo keyed by them holds)."""
    period = _period(obs.payload.get("period"))
    if period is None or _months(period) is None:
        return None
    return pace_subject_id(obs, period.year), period.code


def latest_pace_groups(snap: Snapshot) -> list[tuple[str, str, list[StoredFact]]]:
    """Per subject, its latest reported period only (the current pace; earlier periods were
    judged on the dates they were reported and live in the replay's history)."""
    latest: dict[str, tuple[str, list[StoredFact]]] = {}
    for (subject, code), group in pace_groups(snap).items():
        known = latest.get(subject)
        if known is None or _period(code).end > _period(known[0]).end:
            latest[subject] = (code, group)
    return [(s, code, group) for s, (code, group) in sorted(latest.items())]


def pace_measures(snap: Snapshot) -> list[Measure]:
    out = []
    for subject, code, group in latest_pace_groups(snap):
        obs = _choose(group)
        target_fact = snap.get("target", subject)
        reading = _pace_reading(snap, obs, code, target_fact)
        if reading is None:
            continue
        name, agency, fields, period_end = reading
        event = _base(snap, "pace", subject, name, "target", code, agency)
        event.update(fields)
        used = [obs] + ([target_fact] if target_fact else [])
        out.append(Measure(event, used, _target_chain(
            snap, target_fact.payload if target_fact else {}), {"period_end": period_end}))
    return out


PaceReading = tuple[str, str | None, dict[str, Any], str] | None
"""The date-free part of a pace measure: (subject name, lead agency, the measure's fields,
the period's end), or None when the figure is not paced or has no share of the plan."""


def _pace_reading(snap: Snapshot, obs: StoredFact, code: str,
                  target_fact: StoredFact | None) -> PaceReading:
    """The pace of ``obs`` against its target, kept in the snapshot's memo (a session's,
    ``Snapshot.memo``) by the contents it reads — the report, the target, the indicator: a
    unit is re-judged on every change point, its latest report the same each time."""
    memo = snap.memo
    if memo is None:
        return _compute_pace_reading(snap, obs, code, target_fact)
    indicator = snap.get("indicator", obs.payload.get("indicator"))
    key = ("pace", obs.key, obs.content_hash,
           target_fact.content_hash if target_fact else "-",
           indicator.content_hash if indicator else "-")
    return memo.get(key, lambda: _compute_pace_reading(snap, obs, code,  # type: ignore[no-any-return]
                                                       target_fact))


def _compute_pace_reading(snap: Snapshot, obs: StoredFact, code: str,
                          target_fact: StoredFact | None) -> PaceReading:
    op = obs.payload
    if measure_kind(snap, op.get("indicator"), op.get("indicator_text"),
                    op.get("unit")) not in PACED_KINDS:
        return None  # a level, rate or reduction is never paced by date (level_measures)
    period = _period(code)
    months = _months(period) or 12
    _sid, name, agency = pace_subject(snap, obs, period.year)
    target = target_fact.payload if target_fact else {}
    share = _annual_share(snap, obs, target)
    if share is None:
        return None
    seasonal = _num(obs.payload.get("same_period_last_year_pct"))
    if period.kind == "to_date" and not seasonal:
        # a figure to a day (lũy kế đến 27/11): the year elapsed to that day, not to the
        # month's end — never expect more than the time that has passed
        expected = ms.year_elapsed(period.end)
        ratio = share[0] / expected
    else:
        expected = ms.expected_share(months, seasonal)
        ratio = ms.pace_ratio(share[0], months, seasonal)
    fields = {"ratio": float(round(ratio, 6)), "annual_share": float(round(share[0], 6)),
              "period_complete": months >= 12, "months": months,
              "method": "seasonal" if seasonal else share[1],
              "pct": _pct(share[0] * 100), "expected_pct": _pct(expected * 100)}
    return name, agency, fields, period.end.isoformat()


# --- levels, rates, reductions ------------------------------------------------------------

def _in_year(obs: StoredFact, year: int) -> bool:
    period = _period(obs.payload.get("period"))
    return (period is not None and period.year == year
            and period.kind not in ("year", "multi_year"))


def _level_reading(obs: StoredFact, plan: TargetExpression, kind: str, direction: str
                   ) -> tuple[str, bool, str, Decimal] | None:
    """(outcome, wrong way, figure as shown, rise) of one figure against the target as it
    stands; ``rise`` orders the criteria of a reduction (the largest rise is the worst)."""
    if kind == "reduction":
        figure = _reduction_figure(obs)
        change = _num(obs.payload.get("yoy_change_pct"))
        if figure is None or change is None:
            return None
        outcome = ms.verdict(plan, _expr(figure), "increase")
        sign = "+" if change > 0 else ""
        return outcome, change > 0, f"{sign}{format_number(change)}%", change
    value = _expr(obs.payload.get("value"))
    if value is None:
        return None
    unit = obs.payload.get("unit") or ""
    shown = f"{obs.payload['value']}{unit if unit == '%' else ' ' + unit}".strip()
    return ms.verdict(plan, value, direction), False, shown, Decimal(0)


def _with_unit(expression: str, unit: str | None) -> str:
    """"≥5" with unit % → "≥5%" (a target as a planner reads it)."""
    if not unit or unit in expression:
        return expression
    return f"{expression}{unit}" if unit == "%" else f"{expression} {unit}"


def _worst(readings: list[tuple[StoredFact, tuple[str, bool, str, Decimal]]]
           ) -> tuple[StoredFact, tuple[str, bool, str, Decimal]]:
    """A reduction on several criteria (vụ, người chết, người bị thương) takes its worst."""
    return max(readings, key=lambda r: (r[1][1], ms.VERDICTS.index(r[1][0]), r[1][3],
                                        r[0].key))


def level_measures(snap: Snapshot) -> list[Measure]:
    """Non-cumulative year targets judged on their latest figure within the year, against the
    target as it stands ("mức hiện tại"); a reduction on its change against the same period
    last year. The whole-year figure is the verdict's (``verdict_measures``)."""
    out = []
    for target in snap.all("target"):
        tp = target.payload
        period, plan = _period(tp.get("period")), _expr(tp.get("expression"))
        kind = measure_kind(snap, tp.get("indicator"))
        if period is None or period.kind != "year" or plan is None or kind in PACED_KINDS:
            continue
        name, direction, agency = indicator_info(snap, tp.get("indicator"))
        figures = [o for o in snap.with_field("observation", "indicator", tp.get("indicator"))
                   if _in_year(o, period.year) and _comparable(o)]
        readings = [(o, r) for o in figures if (r := _level_reading(o, plan, kind, direction))]
        if not readings:
            continue
        latest = max(_evidence_rank(o)[:3] for o, _r in readings)
        obs, (outcome, wrong_way, shown, _rise) = _worst(
            [(o, r) for o, r in readings if _evidence_rank(o)[:3] == latest])
        event = _base(snap, "level", target.key, name, "target", obs.payload.get("period"),
                      agency)
        event.update(measure=kind, outcome=outcome, wrong_way=wrong_way, current=shown,
                     plan=_with_unit(str(tp.get("expression")), tp.get("unit")),
                     expected=obs.payload.get("kind") == "estimate")
        out.append(Measure(event, [obs, target], _target_chain(snap, tp),
                           {"measure": kind, "expected": obs.payload.get("kind") == "estimate"}))
    return out


def progress_measures(snap: Snapshot) -> list[Measure]:
    """Open SDG CAGR ratio for multi-year targets with baseline, target and a figure."""
    out = []
    for target in snap.all("target"):
        tp = target.payload
        period = _period(tp.get("period"))
        plan = _expr(tp.get("expression"))
        baseline = _num(tp.get("baseline"))
        if period is None or period.kind != "multi_year" or plan is None or baseline is None:
            continue
        if measure_kind(snap, tp.get("indicator")) in ("growth_rate", "reduction"):
            continue  # compound growth of a growth rate or of a change means nothing
        figures = [o for o in snap.with_field("observation", "indicator", tp.get("indicator"))
                   if o.payload.get("value")
                   and (p := _period(o.payload.get("period"))) and p.kind == "year"]
        if not figures:
            continue
        latest = max(figures, key=lambda o: (str(o.payload.get("period")), o.key))
        year = _period(latest.payload["period"]).year
        ratio = ms.cagr_ratio(baseline, plan.representative, _num(latest.payload["value"]),
                              Decimal(year - period.year + 1),
                              Decimal((period.end_year or period.year) - period.year + 1))
        if ratio is None:
            continue
        name, _d, agency = indicator_info(snap, tp.get("indicator"))
        event = _base(snap, "progress", target.key, name, "target", tp.get("period"), agency)
        event["ratio"] = float(ratio)
        out.append(Measure(event, [target, latest], _target_chain(snap, tp)))
    return out


PctCheck = tuple[str, str | None, dict[str, Any]] | None
"""One report's % of plan check: (indicator name, lead agency, the measure's fields), or None."""


def pct_checks(snap: Snapshot, memo: Memo[PctCheck] | None = None) -> list[Measure]:
    """Reported % of plan vs value ÷ plan (same unit, non-derived targets only). ``memo``: the
    caller's memo of checks (a session's, ``RuleSession.pct_memo``): a unit is re-judged on
    every change point and each judgement re-reads all its reports, so the check of one
    (report, target, indicator) content is computed once — keyed by content hashes, so two
    logs with the same keys and other contents never share an entry."""
    out = []
    for obs in snap.all("observation"):
        op = obs.payload
        period = _period(op.get("period"))
        if period is None or not op.get("indicator") or op.get("plan_basis") not in TARGET_BASES:
            continue
        if not _comparable(obs):
            continue  # another definition than the target's: value ÷ plan means nothing
        target_fact = snap.get("target", f"{op['indicator']}@{period.year}")
        if target_fact is None:
            continue
        check = _pct_check(obs, target_fact, snap.get("indicator", op["indicator"]), memo)
        if check is None:
            continue
        name, agency, fields = check
        event = _base(snap, "pct_check", obs.key, name, "observation", period.code, agency)
        event.update(fields)
        out.append(Measure(event, [obs, target_fact], _target_chain(snap, target_fact.payload)))
    return out


def _pct_check(obs: StoredFact, target_fact: StoredFact, indicator: StoredFact | None,
               memo: Memo[PctCheck] | None) -> PctCheck:
    if memo is None:
        return _compute_pct_check(obs, target_fact, indicator)
    key = (obs.content_hash, target_fact.content_hash,
           indicator.content_hash if indicator else "-")
    return memo.get(key, lambda: _compute_pct_check(obs, target_fact, indicator))


def _compute_pct_check(obs: StoredFact, target_fact: StoredFact, indicator: StoredFact | None
                       ) -> PctCheck:
    op, tp = obs.payload, target_fact.payload
    value, pct = _num(op.get("value")), _num(op.get("pct_of_plan"))
    if value is None or pct is None or tp.get("derived"):
        return None
    plan = _expr(tp.get("expression"))
    same_unit = (tp.get("unit") or "").strip().lower() == (op.get("unit") or "").strip().lower()
    if plan is None or plan.kind != "point" or not plan.representative or not same_unit:
        return None
    diff = ms.pct_discrepancy(value, plan.representative, pct)
    ind = indicator.payload if indicator else {}
    return (ind.get("name") or op["indicator"], ind.get("lead_agency"),
            {"diff_points": float(round(diff, 4)), "reported_pct": str(op["pct_of_plan"]),
             "computed_pct": _pct(value / plan.representative * 100)})
