"""Synthetic national plan data (dữ liệu quốc gia tổng hợp), seeded and deterministic.

Shapes follow ``data/langson/README.md``: 34 provinces (tỉnh, thành phố), ~3,300 communes (xã,
phường) under them, 150 indicators per province and 20 per commune, one annual target per
indicator written in the Lạng Sơn forms ("7 - 7,5", "4.060", "≥5", ">3", "trên 90%",
"từ 5% trở lên", "(-4,33)"), monthly cumulative reports for a year ("lũy kế m tháng": periods
``1T/2025`` … ``12T/2025``, value and "đạt X% kế hoạch") and 50,000 tasks with deadlines as
written ("trước ngày 30/6/2025", "trong Quý III", "hết năm 2025", "sau khi Thủ tướng phê
duyệt"). Numbers, expressions and document numbers are written with ``kg.notation``'s
formatters and checked by its parsers; facts go into the log with ``kg.log`` (``open_log`` +
``FactLog.append``).

The model has no place dimension, so each province's and commune's indicators are their own
ids (``p07.i042``, ``p07x0113.i05``), as a province-by-province deployment would store them.

Run: ``.venv/bin/python bench/generate.py --db /tmp/national.db [--provinces 34] [--seed 7]``
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.log import Fact, Source, open_log  # noqa: E402
from kg.notation import (  # noqa: E402
    DocumentNumber,
    Period,
    format_number,
    parse_deadline,
    parse_document_number,
    parse_expression,
    parse_number,
)

NATIONAL_PROVINCES = 34
NATIONAL_COMMUNES = 3300

# (name, unit, direction, measure, group, plan low, plan high) — indicator templates a province
# or commune report carries; numbered copies fill the 150 / 20 slots.
TEMPLATES: tuple[tuple[str, str, str, str, str, int, int], ...] = (
    ("Tổng thu ngân sách nhà nước trên địa bàn", "tỷ đồng", "increase", "cumulative",
     "economic", 800, 60000),
    ("Thu nội địa", "tỷ đồng", "increase", "cumulative", "economic", 500, 40000),
    ("Giải ngân vốn đầu tư công", "tỷ đồng", "increase", "cumulative", "economic", 300, 20000),
    ("Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ", "tỷ đồng", "increase", "cumulative",
     "economic", 2000, 90000),
    ("Kim ngạch xuất khẩu", "triệu USD", "increase", "cumulative", "economic", 50, 9000),
    ("Khách du lịch", "nghìn lượt", "increase", "cumulative", "economic", 100, 9000),
    ("Trồng rừng mới", "ha", "increase", "cumulative", "environment", 200, 12000),
    ("Doanh nghiệp thành lập mới", "doanh nghiệp", "increase", "cumulative", "economic",
     100, 3000),
    ("Giải quyết việc làm mới", "lao động", "increase", "cumulative", "social", 2000, 40000),
    ("Tỷ lệ che phủ rừng", "%", "maintain", "cumulative", "environment", 30, 65),
    ("Tỷ lệ dân số tham gia bảo hiểm y tế", "%", "increase", "cumulative", "social", 90, 99),
    ("Tốc độ tăng GRDP", "%", "increase", "cumulative", "economic", 5, 9),
    ("Tỷ lệ giảm hộ nghèo", "%", "increase", "cumulative", "social", 1, 4),
    ("Tỷ lệ lao động qua đào tạo", "%", "increase", "cumulative", "social", 55, 75),
)
COMMUNE_TEMPLATES = (0, 2, 6, 8, 10, 12)
EXPRESSION_FORMS = ("point", "range", "gte", "gt", "tren", "tu_tro_len", "point")
DEADLINE_FORMS = ("date", "quarter", "year", "month", "condition", "half")
DEPARTMENTS = ("so-tai-chinh", "so-xay-dung", "so-y-te", "so-giao-duc-va-dao-tao",
               "so-nong-nghiep-va-moi-truong", "so-cong-thuong", "so-noi-vu",
               "so-van-hoa-the-thao-va-du-lich", "so-khoa-hoc-va-cong-nghe", "cong-an-tinh")


@dataclass(frozen=True)
class Scale:
    """How much to generate; ``national()`` is the full country, ``fraction`` a part of it."""

    provinces: int = NATIONAL_PROVINCES
    communes: int = NATIONAL_COMMUNES
    province_indicators: int = 150
    commune_indicators: int = 20
    months: int = 12
    tasks: int = 50_000
    year: int = 2025

    @classmethod
    def fraction(cls, provinces: int, communes: int | None = None) -> Scale:
        """``provinces`` of 34, with their share of communes and tasks (or ``communes``)."""
        base = cls()
        share = provinces / NATIONAL_PROVINCES
        communes = communes if communes is not None else round(base.communes * share)
        targets = provinces * base.province_indicators + communes * base.commune_indicators
        national = base.provinces * base.province_indicators + base.communes * \
            base.commune_indicators
        return replace(base, provinces=provinces, communes=communes,
                       tasks=max(1, round(base.tasks * targets / national)))

    @property
    def targets(self) -> int:
        return self.provinces * self.province_indicators + self.communes * \
            self.commune_indicators

    @property
    def observations(self) -> int:
        return self.targets * self.months


@dataclass(frozen=True)
class Place:
    """A province or a commune: its code, name, committee (UBND) agency and indicators."""

    code: str
    name: str
    agency: str
    province: str
    indicators: int
    templates: tuple[int, ...]


def _places(scale: Scale) -> list[Place]:
    places = [Place(f"p{p:02d}", f"Tỉnh {p:02d}", f"ubnd-p{p:02d}", f"p{p:02d}",
                    scale.province_indicators, tuple(range(len(TEMPLATES))))
              for p in range(1, scale.provinces + 1)]
    for c in range(scale.communes):
        prov = f"p{c % scale.provinces + 1:02d}"
        code = f"{prov}x{c // scale.provinces + 1:04d}"
        places.append(Place(code, f"Xã {code[3:]} ({prov})", f"ubnd-{code}", prov,
                            scale.commune_indicators, COMMUNE_TEMPLATES))
    return places


def _src(doc: str, line: int, quote: str) -> Source:
    return Source(doc, line, quote)


def _expression(rng: random.Random, plan: Decimal, unit: str) -> str:
    """A target as written, checked by ``parse_expression`` (the "%" dropped as in 004)."""
    form = rng.choice(EXPRESSION_FORMS)
    decimals = 1 if unit == "%" else 0
    text = {
        "point": format_number(plan, decimals),
        "range": f"{format_number(plan, decimals)} - "
                 f"{format_number(plan * Decimal('1.07'), decimals)}",
        "gte": f"≥{format_number(plan, decimals)}",
        "gt": f">{format_number(plan, decimals)}",
        "tren": f"trên {format_number(plan, decimals)}" + ("%" if unit == "%" else ""),
        "tu_tro_len": f"từ {format_number(plan, decimals)}" + ("%" if unit == "%" else "") +
                      " trở lên",
    }[form]
    parse_expression(text)
    return text


def _deadline(rng: random.Random, year: int) -> tuple[str, str | None, str | None]:
    """(deadline as written, normalised ISO date or None, condition or None)."""
    form = rng.choice(DEADLINE_FORMS)
    month = rng.randint(1, 12)
    text = {
        "date": f"trước ngày {rng.randint(1, 28):02d}/{month}/{year}",
        "quarter": f"trong Quý {('I', 'II', 'III', 'IV')[(month - 1) // 3]}",
        "year": f"hết năm {year}",
        "month": f"tháng {month}/{year}",
        "condition": "sau khi Thủ tướng phê duyệt",
        "half": f"6 tháng {'đầu' if month <= 6 else 'cuối'} năm {year}",
    }[form]
    parsed = parse_deadline(text, default_year=year)
    due = parsed.due.isoformat() if parsed.due else None
    return text, due, (text if parsed.due is None else None)


def _number_doc(kind: str, n: int, issuer: str, year: int) -> tuple[str, DocumentNumber]:
    text = f"{n}/{kind}-{issuer}"
    return text, parse_document_number(text)


def _document(key: str, number: str | None, type_: str, cls: str, issuer: str, when: date,
              title: str, based_on: list[str]) -> Fact:
    payload = {"id": key, "number": number, "type": type_, "class": cls, "issuer": issuer,
               "date": when.isoformat(), "title": title, "based_on": based_on,
               "implements": []}
    return Fact("document", key, payload, _src("basis", None, title))


def _agency(key: str, name: str, kind: str, parent: str | None) -> Fact:
    payload = {"id": key, "name": name, "kind": kind, "parent": parent, "aliases": []}
    return Fact("agency", key, payload, _src("basis", None, name))


def _place_facts(rng: random.Random, scale: Scale, place: Place) -> list[Fact]:
    """Agency, plan resolution + assigning decision, indicators and targets of one place."""
    year = scale.year
    is_province = place.code == place.province
    facts = [_agency(place.agency, f"UBND {place.name}",
                     "provincial_committee" if is_province else "commune_committee",
                     None if is_province else f"ubnd-{place.province}")]
    if is_province:
        facts += [_agency(f"{d}-{place.code}", f"{d} {place.name}", "department",
                          place.agency) for d in DEPARTMENTS]
    nq_text, _ = _number_doc("NQ", rng.randint(10, 200), "HĐND", year - 1)
    qd_text, _ = _number_doc("QĐ", rng.randint(1000, 3000), "UBND", year - 1)
    nq, qd = f"nq-{place.code}-{year - 1}", f"qd-{place.code}-{year - 1}"
    facts.append(_document(nq, nq_text, "NQ", "Resolution", f"hdnd-{place.code}",
                           date(year - 1, 12, 10), f"về kế hoạch phát triển KT-XH năm {year}",
                           []))
    facts.append(_document(qd, qd_text, "QĐ", "Decision", place.agency, date(year - 1, 12, 20),
                           f"giao chỉ tiêu kế hoạch năm {year}", [nq]))
    for i in range(1, place.indicators + 1):
        facts += _indicator_and_target(rng, scale, place, i, nq, qd)
    return facts


def _indicator_and_target(rng: random.Random, scale: Scale, place: Place, i: int,
                          nq: str, qd: str) -> list[Fact]:
    t = TEMPLATES[place.templates[(i - 1) % len(place.templates)]]
    name, unit, direction, measure, group, low, high = t
    ind = f"{place.code}.i{i:03d}"
    lead = (f"{DEPARTMENTS[i % len(DEPARTMENTS)]}-{place.code}"
            if place.code == place.province else place.agency)
    plan = Decimal(rng.uniform(low, high)).quantize(Decimal("0.1") if unit == "%" else 1)
    expression = _expression(rng, plan, unit)
    indicator = {"id": ind, "name": f"{name} ({place.name}, số {i})",
                 "name_en": f"indicator {i} of {place.code}", "unit": unit,
                 "direction": direction, "measure": measure, "group": group,
                 "lead_agency": lead, "aliases": []}
    target = {"id": f"{ind}@{scale.year}", "indicator": ind, "period": str(scale.year),
              "expression": expression, "unit": unit, "set_by": nq, "assigned_by": qd,
              "baseline": None, "derived": False, "derivation": None, "row": f"I.{i}"}
    return [Fact("indicator", ind, indicator, _src(nq, i + 10, name)),
            Fact("target", target["id"], target, _src(nq, i + 10, expression))]


def _rng(seed: int, *parts: str) -> random.Random:
    """One random stream per place (and per task), so a province's part of the national set
    is generated alone, identical to the same part of the whole."""
    return random.Random("|".join((str(seed), *parts)))


def _shard(scale: Scale, province: int | None) -> list[Place]:
    places = _places(scale)
    return places if province is None else [p for p in places
                                            if p.province == f"p{province:02d}"]


def base_facts(scale: Scale, seed: int = 7, province: int | None = None) -> list[Fact]:
    """Agencies, documents, indicators, targets and tasks: what a year starts with (the whole
    scale, or the places and tasks of one ``province`` — its communes included)."""
    places = _places(scale)
    mine = _shard(scale, province)
    facts: list[Fact] = []
    for place in mine:
        facts += _place_facts(_rng(seed, place.code), scale, place)
    facts += task_facts(seed, scale, places, {p.code for p in mine})
    return facts


def task_facts(seed: int, scale: Scale, places: list[Place],
               wanted: set[str] | None = None) -> list[Fact]:
    out = []
    for n in range(1, scale.tasks + 1):
        place = places[(n * 7919) % len(places)]
        if wanted is not None and place.code not in wanted:
            continue
        rng = _rng(seed, "task", str(n))
        ind = f"{place.code}.i{rng.randint(1, place.indicators):03d}"
        text, due, condition = _deadline(rng, scale.year)
        key = f"task-{place.code}-{n:05d}"
        summary = f"Tập trung thực hiện chỉ tiêu {ind}, hoàn thành {text}"
        payload = {"id": key, "summary": summary, "lead_agency": place.agency,
                   "lead_implied": False, "support": [], "deadline_text": text,
                   "deadline": due, "condition": condition,
                   "assigned_by": f"qd-{place.code}-{scale.year - 1}", "target": None,
                   "indicator": ind}
        out.append(Fact("task", key, payload,
                        _src(f"qd-{place.code}-{scale.year - 1}", n % 400 + 1, text)))
    return out


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1))


def report_rounds(scale: Scale, seed: int = 7, province: int | None = None
                  ) -> Iterator[tuple[date, list[Fact]]]:
    """Per month, every indicator's cumulative report ("lũy kế m tháng, đạt X% kế hoạch")
    (of the whole scale, or of one ``province``'s places)."""
    places = _shard(scale, province)
    streams = {p.code: _rng(seed, "reports", p.code) for p in places}
    plans = {p.code: [streams[p.code].uniform(0.7, 1.15) for _ in range(p.indicators)]
             for p in places}
    for month in range(1, scale.months + 1):
        as_of = _month_end(scale.year, month)
        period = Period.from_code(f"{month}T/{scale.year}").code
        facts = []
        for code, paces in plans.items():
            rng = streams[code]
            for i, pace in enumerate(paces, 1):
                noise = rng.uniform(-0.04, 0.04)
                pct = Decimal(max(0.5, 100 * month / 12 * (pace + noise))).quantize(
                    Decimal("0.1"))
                value = Decimal(rng.uniform(10, 5000)).quantize(Decimal("0.1")) * month
                pct_text, value_text = format_number(pct), format_number(value)
                parse_number(value_text)
                key = f"obs-{code}-i{i:03d}-{month:02d}"
                payload = {"id": key, "indicator": f"{code}.i{i:03d}",
                           "indicator_text": f"chỉ tiêu {i}", "period": period,
                           "value": value_text, "unit": None, "pct_of_plan": pct_text,
                           "plan_basis": "ke_hoach", "yoy_change_pct": None,
                           "same_period_last_year_pct": None, "kind": "actual",
                           "as_of": as_of.isoformat(), "footnote": False, "note": None}
                quote = f"lũy kế {month} tháng đạt {value_text}, đạt {pct_text}% kế hoạch"
                facts.append(Fact("observation", key, payload,
                                  _src(f"bc-{code}-{scale.year}-{month:02d}", i, quote),
                                  as_of=as_of))
        yield as_of, facts


def write(db: Path, scale: Scale, seed: int = 7, chunk: int = 20_000) -> dict[str, float]:
    """Generate into a fact log at ``db``; returns counts and seconds."""
    started = time.perf_counter()
    n = 0
    with open_log(db) as log:
        facts = base_facts(scale, seed)
        for i in range(0, len(facts), chunk):
            n += len(log.append(facts[i:i + chunk], submitted_by="generator"))
        for _when, round_facts in report_rounds(scale, seed):
            for i in range(0, len(round_facts), chunk):
                n += len(log.append(round_facts[i:i + chunk], submitted_by="generator"))
    return {"facts": n, "seconds": round(time.perf_counter() - started, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--provinces", type=int, default=NATIONAL_PROVINCES)
    parser.add_argument("--communes", type=int, default=None)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    scale = Scale.fraction(args.provinces, args.communes)
    print(f"scale: {scale} → {scale.targets} targets, {scale.observations} observations")
    print(write(args.db, scale, args.seed))


if __name__ == "__main__":
    main()
