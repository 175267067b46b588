"""Ingest benchmark (đo tốc độ nạp dữ kiện): ours, the durable_rules floor and two naive peers.

All variants run in one invocation, each in its own child process (so each reports its own peak
RSS), on the same synthetic facts of ``bench/generate.py``; set-up (base facts, graphs with the
targets, precomputed events) stays outside the timer. Each variant streams the year's
observations one fact at a time until it has processed them all or spent ``--budget`` seconds.

- ``ours``: the service's write path without HTTP — ``ObservationCreate`` (notation checks) →
  ``service.writes.observation_fact`` → ``Runtime.write`` (fact log → rules → alerts and
  status changes persisted) → ``Runtime.graph()`` (graph refreshed); the service's start (the
  rules session's first replay of the base facts) is set-up, reported as ``session_start_s``;
- ``ours_batched``: the same path with ``--batch`` facts (default 100) per ``Runtime.write``
  (one transaction, one fsync, one rules pass per batch — what the batch endpoint and the
  importer do); per-fact latency is the write's latency divided by its facts;
- ``ours_live``: ``--batch`` facts per write with the service's clock on the reports' date
  (it starts on 1/1 and moves to each monthly round's date before the round is written), as a
  running service receives them; ``ours`` and ``ours_batched`` keep the clock on 31/12, so
  every write is backdated and re-judges its unit on each change point up to the clock;
- ``floor``: the same facts as pace events posted straight into a durable_rules ``Host`` with
  the same compiled rules (``rules.engine.compile_rule``) and nothing else;
- ``rdflib`` / ``oxigraph``: add the observation's triples, then re-evaluate the affected
  target's pace with one SPARQL query (latest cumulative report of the indicator) per fact;
- ``replay``: a full ``rules.replay.replay`` of a generated log (``--replay-provinces``);
- ``queries``: p50/p95 of who / trace (plan graph) and alerts / status (``Runtime``: cold =
  the first call after a write, warm = cached).

Run: ``.venv/bin/python bench/bench_ingest.py [--provinces 1 --communes 43] [--budget 60]
[--append]`` (``pip install -e '.[bench]'`` for pyoxigraph).
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.generate import Scale, base_facts, report_rounds  # noqa: E402
from kg.log import Fact, open_log  # noqa: E402
from kg.notation import parse_expression, parse_number, parse_period  # noqa: E402
from rules import measures as ms  # noqa: E402
from rules.engine import clock_fact, compile_rule, rule_key  # noqa: E402
from rules.loader import load_rules  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
EX = "https://kehoach.dev/bench/"
PACE_QUERY = f"""
SELECT ?ind ?plan ?months ?share WHERE {{
  ?t <{EX}indicator> ?ind ; <{EX}plan> ?plan .
  ?o <{EX}obsIndicator> ?ind ; <{EX}months> ?months ; <{EX}share> ?share .
}} ORDER BY DESC(?months) LIMIT 1
"""


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentiles(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {}
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"n": len(ordered), "p50_ms": round(statistics.median(ordered) * 1000, 2),
            "p95_ms": round(pick(0.95) * 1000, 2), "max_ms": round(ordered[-1] * 1000, 2)}


def stream(scale: Scale, seed: int) -> list[Fact]:
    return [f for _when, facts in report_rounds(scale, seed) for f in facts]


def timed_loop(items: list[Any], step: Callable[[Any], None], budget: float,
               size: Callable[[Any], int] = lambda _item: 1) -> dict[str, Any]:
    """Run ``step`` over ``items`` until done or out of budget; facts/s and per-fact latency
    (an item of ``size(item)`` facts counts that many, its latency shared among them)."""
    lat: list[float] = []
    done = 0
    started = time.perf_counter()
    for item in items:
        t0 = time.perf_counter()
        step(item)
        lat.append((time.perf_counter() - t0) / size(item))
        done += size(item)
        if time.perf_counter() - started > budget:
            break
    elapsed = time.perf_counter() - started
    return {"facts": done, "of": sum(size(i) for i in items), "seconds": round(elapsed, 2),
            "facts_per_s": round(done / elapsed, 2) if elapsed else None,
            "latency": percentiles(lat)}


# --- the variants -----------------------------------------------------------------------

def pace_event(fact: Fact) -> dict[str, Any]:
    """The pace measure of one cumulative observation (what the floor posts)."""
    p = fact.payload
    period = parse_period(p["period"])
    share = parse_number(p["pct_of_plan"]) / 100
    months = period.months or 12
    ratio = ms.pace_ratio(share, months)
    return {"id": fact.key, "kind": "pace", "subject_id": f"{p['indicator']}@{period.year}",
            "subject_name": p["indicator_text"], "subject_kind": "target",
            "period": period.code, "agency": "", "as_of": p["as_of"],
            "as_of_ord": date.fromisoformat(p["as_of"]).toordinal(),
            "ratio": float(round(ratio, 6)), "annual_share": float(round(share, 6)),
            "period_complete": months >= 12, "months": months, "method": "direct",
            "pct": p["pct_of_plan"], "expected_pct": "", "sid": "floor"}


def run_floor(scale: Scale, seed: int, budget: float) -> dict[str, Any]:
    from durable.engine import Host, MessageNotHandledException, MessageObservedException

    book = load_rules(ROOT / "rules" / "definitions")
    fired: list[str] = []

    class FloorHost(Host):
        def get_action(self, action_name: str) -> Callable[[Any], None]:
            return lambda closure: fired.append(action_name)

    host = FloorHost()
    host.register_rulesets({"floor": {rule_key(r): compile_rule(r) for r in book.rules}})
    events = [pace_event(f) for f in stream(scale, seed)]

    def post(event: dict[str, Any]) -> None:
        # one unit's state: the clock and the measure asserted, the firings taken, retracted
        facts = [{**clock_fact(date.fromordinal(event["as_of_ord"])), "id": "clock",
                  "sid": "floor"}, {**event, "id": "pace"}]
        for call in (host.assert_fact, host.retract_fact):
            for fact in facts:
                try:
                    call("floor", fact)
                except (MessageNotHandledException, MessageObservedException):
                    pass

    result = timed_loop(events, post, budget)
    result["firings"] = len(fired)
    return result


def _target_rows(scale: Scale, seed: int) -> list[tuple[str, float]]:
    return [(f.payload["indicator"],
             float(parse_expression(str(f.payload["expression"])).representative))
            for f in base_facts(scale, seed) if f.kind == "target"]


def _obs_values(fact: Fact) -> tuple[str, str, int, float]:
    p = fact.payload
    return (fact.key, p["indicator"], parse_period(p["period"]).months or 12,
            float(parse_number(p["pct_of_plan"])) / 100)


def _status(months: int, share: float) -> str:
    ratio = share / (months / 12)
    return "on_track" if ratio >= 0.95 else "at_risk" if ratio >= 0.80 else "off_track"


def run_rdflib(scale: Scale, seed: int, budget: float) -> dict[str, Any]:
    from rdflib import Graph, Literal, URIRef
    from rdflib.plugins.sparql import prepareQuery

    g, ex = Graph(), lambda s: URIRef(EX + s)
    for ind, plan in _target_rows(scale, seed):
        g.add((ex(f"t/{ind}"), ex("indicator"), ex(f"i/{ind}")))
        g.add((ex(f"t/{ind}"), ex("plan"), Literal(plan)))
    query = prepareQuery(PACE_QUERY)
    statuses: dict[str, str] = {}

    def step(fact: Fact) -> None:
        key, ind, months, share = _obs_values(fact)
        o = ex(f"o/{key}")
        g.add((o, ex("obsIndicator"), ex(f"i/{ind}")))
        g.add((o, ex("months"), Literal(months)))
        g.add((o, ex("share"), Literal(share)))
        for row in g.query(query, initBindings={"ind": ex(f"i/{ind}")}):
            statuses[ind] = _status(int(row[2]), float(row[3]))

    return timed_loop(stream(scale, seed), step, budget)


def run_oxigraph(scale: Scale, seed: int, budget: float) -> dict[str, Any]:
    from pyoxigraph import Literal, NamedNode, Quad, Store, Variable

    store, ex = Store(), lambda s: NamedNode(EX + s)
    for ind, plan in _target_rows(scale, seed):
        store.add(Quad(ex(f"t/{ind}"), ex("indicator"), ex(f"i/{ind}")))
        store.add(Quad(ex(f"t/{ind}"), ex("plan"), Literal(str(plan), datatype=NamedNode(
            "http://www.w3.org/2001/XMLSchema#double"))))
    statuses: dict[str, str] = {}
    xsd = "http://www.w3.org/2001/XMLSchema#"

    def step(fact: Fact) -> None:
        key, ind, months, share = _obs_values(fact)
        o = ex(f"o/{key}")
        store.add(Quad(o, ex("obsIndicator"), ex(f"i/{ind}")))
        store.add(Quad(o, ex("months"), Literal(str(months), datatype=NamedNode(xsd + "integer"))))
        store.add(Quad(o, ex("share"), Literal(str(share), datatype=NamedNode(xsd + "double"))))
        for row in store.query(PACE_QUERY, substitutions={Variable("ind"): ex(f"i/{ind}")}):
            statuses[ind] = _status(int(row["months"].value), float(row["share"].value))

    return timed_loop(stream(scale, seed), step, budget)


def _runtime(db: Path, as_of: date) -> Any:
    from service.runtime import Runtime
    from service.settings import Settings

    return Runtime(Settings(db=db, as_of=as_of))


def run_ours(scale: Scale, seed: int, budget: float, batch: int = 1,
             live: bool = False) -> dict[str, Any]:
    """Backfill (default): the clock stands on 31/12 and the year's reports arrive after it,
    so every write is backdated for the rules session. ``live``: the service's clock is the
    reports' date (each month's round is written on its month end, the clock moving there
    first), as a running service receives them."""
    from service.schemas import ObservationCreate
    from service.writes import observation_fact

    rounds = list(report_rounds(scale, seed))
    items = [(when, facts[i:i + batch]) for when, facts in rounds
             for i in range(0, len(facts), batch)]
    start = date(scale.year, 1, 1) if live else date(scale.year, 12, 31)
    with tempfile.TemporaryDirectory() as tmp:
        runtime = _runtime(Path(tmp) / "ours.db", start)
        runtime.log.append(base_facts(scale, seed), submitted_by="generator")
        runtime.graph()
        t0 = time.perf_counter()
        runtime.evaluation()  # the service's start: the rules session replays the log once
        counts = {"alerts": 0, "status_changes": 0,
                  "session_start_s": round(time.perf_counter() - t0, 2)}

        def checked(fact: Fact) -> Fact:
            body = ObservationCreate.model_validate(
                {k: v for k, v in fact.payload.items() if k not in ("indicator_text", "footnote")
                 and v is not None} | {"source": fact.source.to_dict()})
            return observation_fact(body, "bench")

        def step(item: tuple[date, list[Fact]]) -> None:
            when, chunk = item
            if live:
                runtime.settings.as_of = when
            outcome = runtime.write([checked(f) for f in chunk], "bench", None)
            counts["alerts"] += len(outcome.alerts)
            counts["status_changes"] += len(outcome.status_changes)
            runtime.graph()

        result = timed_loop(items, step, budget, size=lambda item: len(item[1]))
        runtime.close()
    return result | counts


def run_replay(scale: Scale, seed: int, budget: float) -> dict[str, Any]:
    from rules.replay import replay

    with tempfile.TemporaryDirectory() as tmp:
        log = open_log(Path(tmp) / "replay.db")
        log.append(base_facts(scale, seed), submitted_by="generator")
        for _when, facts in report_rounds(scale, seed):
            log.append(facts, submitted_by="generator")
        n = log.last_seq()
        t0 = time.perf_counter()
        result = replay(log, date(scale.year, 12, 31), persist=True)
        elapsed = time.perf_counter() - t0
        log.close()
    return {"facts": n, "seconds": round(elapsed, 2), "facts_per_s": round(n / elapsed, 1),
            "alerts": len(result.alerts), "status_changes": len(result.changes)}


def run_queries(scale: Scale, seed: int, budget: float) -> dict[str, Any]:
    import random

    with tempfile.TemporaryDirectory() as tmp:
        runtime = _runtime(Path(tmp) / "q.db", date(scale.year, 12, 31))
        base = base_facts(scale, seed)
        runtime.log.append(base, submitted_by="generator")
        for _when, facts in report_rounds(scale, seed):
            runtime.log.append(facts, submitted_by="generator")
        t0 = time.perf_counter()
        graph = runtime.graph()
        out: dict[str, Any] = {"graph_build_s": round(time.perf_counter() - t0, 2),
                               "triples": len(graph)}
        rng = random.Random(seed)
        ids = [f.key for f in base if f.kind in ("task", "target")]
        sample = [rng.choice(ids) for _ in range(200)]
        for name, call in (("who", graph.who), ("trace", graph.trace)):
            lat = []
            for ident in sample:
                t1 = time.perf_counter()
                call(ident)
                lat.append(time.perf_counter() - t1)
            out[name] = percentiles(lat)
        for name, call in (("alerts", runtime.evaluation), ("status", runtime.statuses)):
            t1 = time.perf_counter()
            call()
            cold = time.perf_counter() - t1
            warm = []
            for _ in range(50):
                t2 = time.perf_counter()
                call()
                warm.append(time.perf_counter() - t2)
            out[name] = {"cold_s": round(cold, 2), **percentiles(warm)}
        runtime.close()
    return out


def run_ours_batched(scale: Scale, seed: int, budget: float) -> dict[str, Any]:
    return run_ours(scale, seed, budget, BATCH)


def run_ours_live(scale: Scale, seed: int, budget: float) -> dict[str, Any]:
    return run_ours(scale, seed, budget, BATCH, live=True)


BATCH = 100
VARIANTS: dict[str, Callable[[Scale, int, float], dict[str, Any]]] = {
    "ours": run_ours, "ours_batched": run_ours_batched, "ours_live": run_ours_live,
    "floor": run_floor,
    "rdflib": run_rdflib, "oxigraph": run_oxigraph,
    "replay": run_replay, "queries": run_queries,
}


def child(variant: str, scale: Scale, seed: int, budget: float, batch: int) -> None:
    global BATCH
    BATCH = batch
    result = VARIANTS[variant](scale, seed, budget)
    result["peak_rss_mb"] = round(peak_rss_mb(), 1)
    print(json.dumps(result, ensure_ascii=False))


def run_child(variant: str, scale: Scale, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--variant", variant, "--scale", json.dumps(vars(scale)),
           "--seed", str(args.seed), "--budget", str(args.budget), "--batch", str(args.batch)]
    print(f"… {variant}", file=sys.stderr, flush=True)
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1:] or ["failed"]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def ratio(a: dict[str, Any], b: dict[str, Any]) -> str:
    x, y = a.get("facts_per_s"), b.get("facts_per_s")
    return f"{x / y:.4g}" if x and y else "n/a"


def report(results: dict[str, Any], scale: Scale, rscale: Scale, args: argparse.Namespace
           ) -> str:
    ours = results["ours"]
    lines = [f"## Ingest (issue 8) — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
             "", f"- machine: {platform.machine()} {platform.processor() or ''}, "
             f"{_cpus()} CPUs, Python {platform.python_version()}, {platform.system()}",
             f"- commit: {_commit()}",
             f"- command: `.venv/bin/python bench/bench_ingest.py {' '.join(sys.argv[1:])}`",
             f"- ingest scale: {scale.provinces} province(s), {scale.communes} communes → "
             f"{scale.targets} targets, {scale.observations} observations streamed one by one "
             f"(budget {args.budget:g} s per variant)",
             f"- replay/query scale: {rscale.provinces} province(s), {rscale.communes} communes, "
             f"{rscale.months} months → {rscale.targets} targets, {rscale.observations} obs", "",
             "| variant | facts done | s | facts/s | p50 ms/fact | p95 ms/fact | peak RSS MB |",
             "|---|---|---|---|---|---|---|"]
    for name in ("ours", "ours_batched", "ours_live", "floor", "rdflib", "oxigraph"):
        r = results[name]
        lat = r.get("latency", {})
        lines.append(f"| {name} | {r.get('facts')}/{r.get('of')} | {r.get('seconds')} | "
                     f"{r.get('facts_per_s')} | {lat.get('p50_ms')} | {lat.get('p95_ms')} | "
                     f"{r.get('peak_rss_mb')} |" if "error" not in r else
                     f"| {name} | error: {r['error']} | | | | | |")
    lines += ["", f"- ours ÷ floor = {ratio(ours, results['floor'])} (goal ≥ 0.5); "
              f"ours ÷ rdflib = {ratio(ours, results['rdflib'])} (goal ≥ 10); "
              f"ours ÷ oxigraph = {ratio(ours, results['oxigraph'])} (goal ≥ 2)",
              f"- ours, batched ({args.batch} facts per write) ÷ floor = "
              f"{ratio(results['ours_batched'], results['floor'])}; ÷ rdflib = "
              f"{ratio(results['ours_batched'], results['rdflib'])}; ÷ oxigraph = "
              f"{ratio(results['ours_batched'], results['oxigraph'])}",
              f"- ours, live (clock on the reports' date, {args.batch} facts per write) ÷ floor = "
              f"{ratio(results['ours_live'], results['floor'])}; ÷ rdflib = "
              f"{ratio(results['ours_live'], results['rdflib'])}; ÷ oxigraph = "
              f"{ratio(results['ours_live'], results['oxigraph'])}"]
    lines.append(f"- ours: service start (rules session replays the base facts, set-up) "
                 f"{ours.get('session_start_s')} s; writes caused {ours.get('alerts')} alerts, "
                 f"{ours.get('status_changes')} status changes")
    rep, q = results["replay"], results["queries"]
    lines.append(f"- full replay (persist): {json.dumps(rep, ensure_ascii=False)}")
    lines.append(f"- queries: {json.dumps(q, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def publish(text: str, append: bool) -> None:
    """Print a result section; with ``append`` add it to ``bench/RESULTS.md`` (append-only)."""
    print(text)
    if append:
        with RESULTS.open("a", encoding="utf-8") as out:
            out.write("\n" + text)


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0))


def _commit() -> str:
    done = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True, check=False)
    return done.stdout.strip() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provinces", type=int, default=1)
    parser.add_argument("--communes", type=int, default=43)
    parser.add_argument("--replay-provinces", type=int, default=1)
    parser.add_argument("--replay-communes", type=int, default=0)
    parser.add_argument("--replay-months", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--budget", type=float, default=60.0)
    parser.add_argument("--batch", type=int, default=BATCH,
                        help="facts per write (ours_batched, ours_live)")
    parser.add_argument("--only", nargs="*", choices=sorted(VARIANTS))
    parser.add_argument("--append", action="store_true", help="append to bench/RESULTS.md")
    parser.add_argument("--variant", choices=sorted(VARIANTS), help=argparse.SUPPRESS)
    parser.add_argument("--scale", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant:
        child(args.variant, Scale(**json.loads(args.scale)), args.seed, args.budget, args.batch)
        return
    scale = Scale.fraction(args.provinces, args.communes)
    rscale = Scale.fraction(args.replay_provinces, args.replay_communes)
    rscale = Scale(**(vars(rscale) | {"months": args.replay_months}))
    results = {}
    for name in args.only or VARIANTS:
        results[name] = run_child(name, rscale if name in ("replay", "queries") else scale, args)
        print(name, json.dumps(results[name], ensure_ascii=False), flush=True)
    if not args.only:
        publish(report(results, scale, rscale, args), args.append)


if __name__ == "__main__":
    main()
